/**
 * `serve` refuses settings it must not run with, before it listens: one clear line on stderr, a non-zero exit.
 * Runs the built CLI (dist/): build first.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const dataDir = await mkdtemp(join(tmpdir(), 'apim-bot-refusal-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function serve(env: Record<string, string>): Promise<Outcome> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [CLI, 'serve'],
      { cwd: ROOT, timeout: 20_000, env: { PATH: process.env.PATH ?? '', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'error', ...env } },
      (_error, stdout, stderr) => done({ code: child.exitCode, stdout, stderr }),
    );
  });
}

/** The lines of stderr that name `word`. */
const linesNaming = (stderr: string, word: string) => stderr.split('\n').filter((line) => line.includes(word));

describe('serve refuses at start', () => {
  it('to run unauthenticated (empty MicrosoftAppId) on an interface other than loopback', async () => {
    const outcome = await serve({ HOST: '0.0.0.0', SANDBOX_SEED: join(ROOT, 'seeds', 'demo.json') });
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).not.toContain('listening');
    expect(outcome.stderr.trim().split('\n')).toEqual([
      'apim-vnet-bot: Refusing to serve unauthenticated on HOST=0.0.0.0: MicrosoftAppId is empty, so no Bot Framework token would be checked. Set MicrosoftAppId (and its type and tenant), or bind to 127.0.0.1 for local testing.',
    ]);
  });

  it('a blob account URL that is not one, in one line', async () => {
    const outcome = await serve({ STORE: 'blob', BLOB_ACCOUNT_URL: 'http://stapimbot.blob.core.windows.net' });
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).not.toContain('listening');
    expect(linesNaming(outcome.stderr, 'BLOB_ACCOUNT_URL')).toEqual([
      '- BLOB_ACCOUNT_URL=http://stapimbot.blob.core.windows.net is not a storage account\'s blob URL (https://<account>.blob.core.windows.net): it must be https.',
    ]);
  });

  it('but serves unauthenticated on loopback (local testing)', async () => {
    // The same settings on loopback start and answer: the refusal above is about the interface only.
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [CLI, 'serve'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(dataDir, 'loopback'), SANDBOX_SEED: join(ROOT, 'seeds', 'demo.json'), LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`no listening line: ${out}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('listening on')) {
          clearTimeout(timer);
          ready();
        }
      });
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/messages/.exec(out)?.[1];
    try {
      expect(url).toBeDefined();
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      await new Promise<void>((exited) => {
        child.once('exit', () => exited());
        child.kill('SIGTERM');
      });
    }
  });
});
