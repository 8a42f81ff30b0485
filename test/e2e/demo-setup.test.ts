/**
 * Fast checks of what `npm start` sets up, run by `npm test` (the browser story itself is story.e2e.ts, run by
 * `npm run test:e2e`): the Playground's users match the demo seed, the demo settings, and the guard that keeps
 * the Playground on loopback and never orphaned.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { connectHost, isLoopbackHost, loopbackListenArgs } from '../../src/demo/loopback.js';
import { demoDefaults, playgroundCurrentUser, playgroundConfigPath } from '../../src/demo/start.js';
import { playgroundCliPath } from '../../src/demo/playground.js';
import { demoEnvironment } from '../../src/demo/environment.js';
import { withCurrentUser } from '../../src/demo/playground-user.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GUARD = join(ROOT, 'dist', 'src', 'demo', 'playground-guard.js');
const yaml = readFileSync(join(ROOT, '.m365agentsplayground.yml'), 'utf8');
const seed = JSON.parse(readFileSync(join(ROOT, 'seeds', 'demo.json'), 'utf8')) as { _people: Record<string, string> };

describe('the Playground configuration and the demo seed', () => {
  it('is the file the demo finds', () => {
    expect(playgroundConfigPath()).toBe(join(ROOT, '.m365agentsplayground.yml'));
  });

  it('makes the current user Bob, the seed approver who is Owner everywhere', () => {
    const user = playgroundCurrentUser(yaml);
    expect(user?.aadObjectId).toBe('6c6d66c2-2476-4751-a617-318b0a4b3885');
    expect(seed._people[user?.aadObjectId ?? '']).toMatch(/approver.*Owner on all three subscriptions/);
  });

  it('names the other seed people by their object ids, and a team with a channel', () => {
    for (const name of ['alice', 'carol', 'dave']) {
      const id = Object.entries(seed._people).find(([, who]) => who.startsWith(`${name}@`))?.[0];
      expect(id, name).toBeDefined();
      expect(yaml).toContain(`aadObjectId: ${id}`);
    }
    expect(yaml.match(/^\s+aadObjectId: /gm)).toHaveLength(6); // the Playground wants exactly 5 users besides the current one
    expect(yaml).toMatch(/^team:\n(?:\s.*\n)*?\s+channels:\n\s+- id: \S+\n\s+name: APIM requests/m);
  });

  it('the demo settings: the demo policy (Bob alone with self-approval; two approvals for the payments team), unless approvers are set', async () => {
    const config = loadConfig(demoDefaults(await demoEnvironment({})));
    const bob = playgroundCurrentUser(yaml)?.aadObjectId;
    const dave = Object.entries(seed._people).find(([, who]) => who.startsWith('dave@'))?.[0];
    expect(config.bot.approvalPolicyFile).toBe(join(ROOT, 'seeds', 'demo-policy.yaml'));
    expect(config.bot.approvalPolicy.default).toMatchObject({ stages: [{ approvers: [bob], quorum: 1 }], allowSelfApproval: true });
    expect(config.bot.approvalPolicy.rules).toEqual([
      expect.objectContaining({ scope: { kind: 'tag', name: 'owner', value: 'payments-team' }, stages: [{ name: 'approvers', approvers: [bob, dave], quorum: 2 }], allowSelfApproval: true }),
    ]);
    const flat = loadConfig(demoDefaults(await demoEnvironment({ ALLOW_SELF_APPROVAL: 'false' })));
    expect(flat.bot.approvalPolicyFile).toBeNull();
    expect(flat.bot.approverIds).toContain(bob);
    expect(flat.bot.allowSelfApproval).toBe(false);
    expect(demoDefaults({ ALLOW_SELF_APPROVAL: ' ' }).ALLOW_SELF_APPROVAL).toBe('true');
    expect(demoDefaults({ APPROVAL_POLICY: 'p.yaml' }).ALLOW_SELF_APPROVAL).toBeUndefined();
  });

  it('PLAYGROUND_USER swaps another user in as the current one, keeping five others', () => {
    const chosen = withCurrentUser(yaml, 'dave');
    if ('problem' in chosen) throw new Error(chosen.problem);
    expect(playgroundCurrentUser(chosen.yaml)).toEqual({ name: 'Dave (network operator)', aadObjectId: '642efd7a-a66b-4aec-a1f1-c661958b6f20' });
    expect(chosen.yaml).toContain('name: Bob (platform approver)');
    expect(chosen.yaml.match(/^\s+aadObjectId: /gm)).toHaveLength(6);
    expect(withCurrentUser(yaml, '6c6d66c2-2476-4751-a617-318b0a4b3885')).toEqual({ yaml });
    expect(withCurrentUser(yaml, 'zoe')).toEqual({ problem: 'no such Playground user (say one of bob, alice, carol, dave, erin, frank, or an object id).' });
  });

  it('reads currentUser from YAML as written', () => {
    expect(playgroundCurrentUser('version: "0.1.1"\ncurrentUser:\n  id: u\n  name: "Eve E"\n  aadObjectId: abc\nusers:\n  - id: x\n')).toEqual({
      name: 'Eve E',
      aadObjectId: 'abc',
    });
    expect(playgroundCurrentUser('users: []\n')).toBeNull();
  });

  it('launches the Playground from its package bin file, not npx', () => {
    expect(playgroundCliPath()).toBe(join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js'));
  });
});

describe('the Playground guard', () => {
  it('keeps listen() on loopback', () => {
    const cb = () => undefined;
    expect(loopbackListenArgs([56150])).toEqual([56150, '127.0.0.1']);
    expect(loopbackListenArgs([56150, cb])).toEqual([56150, '127.0.0.1', cb]);
    expect(loopbackListenArgs([56150, '0.0.0.0', 511, cb])).toEqual([56150, '127.0.0.1', 511, cb]);
    expect(loopbackListenArgs([56150, '::', cb])).toEqual([56150, '127.0.0.1', cb]);
    expect(loopbackListenArgs([56150, 'localhost', cb])).toEqual([56150, 'localhost', cb]);
    expect(loopbackListenArgs([{ port: 1 }, cb])).toEqual([{ port: 1, host: '127.0.0.1' }, cb]);
    expect(loopbackListenArgs([{ port: 1, host: '0.0.0.0' }])).toEqual([{ port: 1, host: '127.0.0.1' }]);
    expect(loopbackListenArgs([{ path: '/tmp/s.sock' }])).toEqual([{ path: '/tmp/s.sock' }]);
    expect(loopbackListenArgs(['/tmp/s.sock'])).toEqual(['/tmp/s.sock']);
    expect(loopbackListenArgs([cb])).toEqual([0, '127.0.0.1', cb]);
  });

  it('knows which hosts are this machine', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', undefined, '']) expect(isLoopbackHost(host), String(host)).toBe(true);
    for (const host of ['0.0.0.0', '10.0.0.1', 'example.com', 'dc.services.visualstudio.com', '::']) expect(isLoopbackHost(host), host).toBe(false);
    expect(connectHost([{ host: 'example.com', port: 443 }])).toBe('example.com');
    expect(connectHost([[{ host: 'example.com', port: 443 }, null]])).toBe('example.com');
    expect(connectHost([443, 'example.com'])).toBe('example.com');
    expect(connectHost([443])).toBe('localhost');
    expect(connectHost([{ path: '/tmp/s.sock' }])).toBeNull();
  });

  it('in a real process: listens on 127.0.0.1, refuses outside connections, exits when its parent goes', async () => {
    expect(existsSync(GUARD), `${GUARD} is missing: npm run build`).toBe(true);
    const program = `
      const net = require('node:net');
      const server = net.createServer().listen(0, () => {
        const { address } = server.address();
        const socket = net.connect({ host: '192.0.2.1', port: 80 });
        socket.on('error', (e) => process.send({ address, error: e.message }));
      });`;
    const child = spawn(process.execPath, ['--import', GUARD, '-e', program], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const report = await new Promise<{ address: string; error: string }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { address: string; error: string }));
      child.once('exit', (code) => reject(new Error(`exited ${code} before reporting`)));
    });
    expect(report.address).toBe('127.0.0.1');
    expect(report.error).toMatch(/Outbound connection to 192\.0\.2\.1 blocked/);
    // The server keeps it alive; closing the IPC channel (what happens when the parent dies) ends it.
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.disconnect();
    expect(await exited).toBe(0);
  });
});
