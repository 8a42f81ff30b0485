/**
 * The file store when processes die or collide: a second process on one DATA_DIR is refused at start, a dead
 * holder's lock is taken over, and a write interrupted by SIGKILL leaves the previous record readable.
 * Child processes run the built code (`npm test` builds first).
 */
import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { auditEvent } from '../../src/requests/audit.js';
import { FileRequestStore, openFileStores } from '../../src/requests/store/index.js';
import { request } from '../requests/fixtures.js';
import { ROOT } from '../support/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apim-durable-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const dist = (path: string) => pathToFileURL(join(ROOT, 'dist', path)).href;

/** Runs an ES module snippet in a new node process; resolves once it prints `ready`. */
function child(code: string) {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (c: Buffer) => (output += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', () => output.includes('ready') && resolve());
    void exited.then(() => reject(new Error(`child exited before it was ready:\n${output}`)));
  });
  return { proc, ready, exited, output: () => output };
}

describe('one bot process per DATA_DIR', () => {
  it('refuses a second process with a clear message, and lets one in once the first has gone', async () => {
    const holder = child(`
      import { openFileStores } from ${JSON.stringify(dist('src/requests/store/index.js'))};
      import { silentLogger } from ${JSON.stringify(dist('src/log.js'))};
      await openFileStores(${JSON.stringify(dir)}, silentLogger);
      console.log('ready');
      setInterval(() => {}, 1000);
    `);
    await holder.ready;
    const refusal = await openFileStores(dir, silentLogger).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(refusal).toContain(`DATA_DIR ${dir} is in use by another apim-vnet-bot (process ${holder.proc.pid} on ${hostname()}`);
    expect(refusal).toContain('STORE=blob');

    holder.proc.kill('SIGKILL');
    await holder.exited;
    // The lock file is still there, but its process is gone: the next one takes it over.
    expect(await readdir(dir)).toContain('bot.lock');
    const stores = await openFileStores(dir, silentLogger);
    expect(stores.exclusive).toBe(true);
    await stores.close();
    expect(await readdir(dir)).not.toContain('bot.lock');
  });

  it('refuses a second app in the same process too, until the first closes', async () => {
    const first = await openFileStores(dir, silentLogger);
    await expect(openFileStores(dir, silentLogger)).rejects.toThrow(/is in use by another apim-vnet-bot/);
    await first.close();
    const second = await openFileStores(dir, silentLogger);
    await second.close();
  });

  it('takes over a lock file left by a process on another host once it is no longer refreshed', async () => {
    await writeFile(join(dir, 'bot.lock'), JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: '2024-05-01T00:00:00Z', token: 'x' }));
    await expect(openFileStores(dir, silentLogger)).rejects.toThrow(/process 1 on elsewhere/);
    const { utimes } = await import('node:fs/promises');
    const old = new Date(Date.now() - 120_000);
    await utimes(join(dir, 'bot.lock'), old, old);
    const stores = await openFileStores(dir, silentLogger);
    await stores.close();
  });
});

describe('interrupted writes', () => {
  it('a process killed while writing leaves the previous record whole and readable', async () => {
    const store = new FileRequestStore(dir);
    await store.create(request({ routingNote: 'v1' }));
    let lastVersion = 1;
    for (let round = 0; round < 3; round++) {
      // Large records, rewritten as fast as possible, killed at an arbitrary moment.
      const writer = child(`
        import { FileRequestStore } from ${JSON.stringify(dist('src/requests/store/index.js'))};
        import { updateWithRetry } from ${JSON.stringify(dist('src/requests/store/index.js'))};
        const store = new FileRequestStore(${JSON.stringify(dir)});
        const big = 'x'.repeat(400000);
        let n = 0;
        for (;;) {
          await updateWithRetry(store, 'R-7K3QM', (r) => ({ ...r, routingNote: big + (n++) }));
          if (n === 3) console.log('ready');
        }
      `);
      await writer.ready;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 60));
      writer.proc.kill('SIGKILL');
      await writer.exited;
      const stored = await store.get('R-7K3QM');
      expect(stored?.id).toBe('R-7K3QM');
      expect(stored!.version).toBeGreaterThan(lastVersion);
      expect(stored!.routingNote.startsWith('x'.repeat(1000))).toBe(true);
      lastVersion = stored!.version;
    }
    // Whatever temporary files the kills left are not records, and the bot's store removes them at start.
    expect((await store.listByState(['pending'])).map((r) => r.id)).toEqual(['R-7K3QM']);
    const stores = await openFileStores(dir, silentLogger);
    expect((await readdir(join(dir, 'requests'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    await stores.close();
  });

  it('an audit line torn by a crash costs only that line', async () => {
    const stores = await openFileStores(dir, silentLogger);
    const r = request();
    await stores.audit.append([auditEvent(r, new Date('2024-05-01T10:00:00Z'), 'first', { key: 'a' })]);
    await stores.close();
    await appendFile(join(dir, 'audit.jsonl'), '{"at":"2024-05-01T10:00:01Z","requestId":"R-7K3QM","ac');
    const again = await openFileStores(dir, silentLogger);
    await again.audit.append([auditEvent(r, new Date('2024-05-01T10:00:02Z'), 'second', { key: 'b' })]);
    expect((await again.audit.forRequest('R-7K3QM')).map((e) => e.details)).toEqual(['first', 'second']);
    expect((await readFile(join(dir, 'audit.jsonl'), 'utf8')).split('\n').filter(Boolean)).toHaveLength(3);
    await again.close();
  });
});
