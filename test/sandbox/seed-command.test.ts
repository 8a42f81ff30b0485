import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSandboxArgs, sandboxCommand } from '../../src/cli/sandbox.js';
import { loadSeedFile, packageRoot, startSandbox } from '../../src/sandbox/index.js';
import { BOT, testSeed } from './fixtures.js';

describe('seed files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-seed-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const write = async (name: string, content: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };

  it('loads a valid seed', async () => {
    const seed = await loadSeedFile(await write('ok.json', JSON.stringify(testSeed())));
    expect(seed.botPrincipalId).toBe(BOT);
  });

  it('names the file when it is not JSON or missing', async () => {
    const path = await write('bad.json', '{ nope');
    await expect(loadSeedFile(path)).rejects.toThrow(`Sandbox seed ${path} is not valid JSON`);
    await expect(loadSeedFile(join(dir, 'missing.json'))).rejects.toThrow(/Cannot read sandbox seed/);
  });

  it('lists every problem with where it is', async () => {
    const seed = {
      resources: [
        { id: 'not-an-id' },
        { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v', properties: { subnets: 'x' } },
        { id: '/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/1', properties: { roleDefinitionId: 'no-such-role', principalId: 'p' } },
      ],
      providers: { s: { 'Microsoft.Web': 'Maybe' } },
      groups: { g: 'x' },
    };
    const path = await write('problems.json', JSON.stringify(seed));
    const error = await loadSeedFile(path).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    for (const part of [
      path,
      'botPrincipalId',
      'resources[0].id',
      'resources[1].properties.subnets',
      'resources[2].properties.roleDefinitionId: no-such-role is neither a built-in role',
      'providers.s.Microsoft.Web',
      'groups.g',
    ]) {
      expect(message).toContain(part);
    }
  });

  it('startSandbox validates the seed too', async () => {
    await expect(startSandbox({ seed: { botPrincipalId: '' } as never })).rejects.toThrow(/Invalid sandbox seed/);
  });
});

describe('sandbox command', () => {
  it('parses every flag, both spellings', () => {
    const args = parseSandboxArgs([
      '--seed', 'x.json', '--port=8123', '--latency-ms', '5', '--lro-seconds', '0.5', '--page-size', '10', '--throttle-rate', '0.1', '--error-rate=0.2', '--fail-lro',
    ]);
    expect(args).toEqual({ seedPath: 'x.json', port: 8123, latencyMs: 5, lroSeconds: 0.5, pageSize: 10, throttleRate: 0.1, errorRate: 0.2, failLro: true });
  });

  it('defaults to the demo seed under the package root', () => {
    expect(parseSandboxArgs([]).seedPath).toBe(join(packageRoot(), 'seeds', 'demo.json'));
    expect(packageRoot()).toBe(join(import.meta.dirname, '..', '..'));
  });

  it.each([
    [['--bogus'], /Unknown argument '--bogus'/],
    [['--port', 'abc'], /--port must be an integer/],
    [['--port', '70000'], /--port must be an integer between 0 and 65535/],
    [['--throttle-rate', '2'], /--throttle-rate must be a number between 0 and 1/],
    [['--page-size', '0'], /--page-size/],
    [['--seed'], /--seed needs a value/],
    [['--seed', '--port', '1'], /--seed needs a value/],
  ])('rejects %j', (args, message) => {
    expect(() => parseSandboxArgs(args)).toThrow(message);
  });

  it('prints exactly its base URL, serves, and stops on signal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-cmd-'));
    try {
      const seedPath = join(dir, 'seed.json');
      await writeFile(seedPath, JSON.stringify(testSeed()));
      const lines: string[] = [];
      let ready!: () => void;
      const printed = new Promise<void>((r) => (ready = r));
      const stop = new AbortController();
      const running = sandboxCommand(['--seed', seedPath, '--port', '0', '--lro-seconds', '0.1'], {
        writeLine: (l) => {
          lines.push(l);
          ready();
        },
        signal: stop.signal,
      });
      await printed;
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${lines[0]}/_sandbox/token`)).status).toBe(200);
      stop.abort();
      await running;
      await expect(fetch(`${lines[0]}/_sandbox/token`)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
