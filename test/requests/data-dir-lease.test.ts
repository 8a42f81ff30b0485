/**
 * The DATA_DIR lease in one process, with a clock the test moves: a second lease takes over a stale one; the
 * first one's next write is refused (STORE_LEASE_LOST) and writes nothing; its heartbeat never touches the
 * second one's lock file.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodedError, ErrorCode, isCodedError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { auditEvent } from '../../src/requests/audit.js';
import { type DataDirLease, fileStores, lockDataDir } from '../../src/requests/store/index.js';
import { transition } from '../../src/requests/lifecycle.js';
import { bob, conversation, request } from './fixtures.js';

const STALE_MS = 30_000;

let dir: string;
let leases: DataDirLease[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apim-lease-'));
});
afterEach(async () => {
  await Promise.all(leases.splice(0).map((l) => l.release()));
  await rm(dir, { recursive: true, force: true });
});

/** A clock that only moves when told. */
function clock(start = Date.now()) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

async function lease(now: () => number, lost: CodedError[] = []): Promise<DataDirLease> {
  const held = await lockDataDir(dir, { staleMs: STALE_MS, now, onLost: (e) => lost.push(e) });
  leases.push(held);
  return held;
}

const lockFile = async () => ({ text: await readFile(join(dir, 'bot.lock'), 'utf8'), mtimeMs: (await stat(join(dir, 'bot.lock'))).mtimeMs });

const refusal = (work: Promise<unknown>) =>
  work.then(
    () => null,
    (error: unknown) => (isCodedError(error, ErrorCode.STORE_LEASE_LOST) ? error : Promise.reject(error)),
  );

describe('the DATA_DIR lease', () => {
  it('a renewed lease keeps a second one out; a stale one is taken over', async () => {
    const time = clock();
    const first = await lease(time.now);
    time.advance(20_000);
    expect(await first.heartbeat()).toBe(true);
    time.advance(20_000);
    // 40 s after the start, but renewed 20 s ago: still held.
    await expect(lease(time.now)).rejects.toThrow(/is in use by another apim-vnet-bot/);
    await first.assertHeld();

    time.advance(STALE_MS + 1);
    const second = await lease(time.now);
    await second.assertHeld();
    expect(JSON.parse((await lockFile()).text).pid).toBe(process.pid);
  });

  it('the first holder, paused past the stale time, finds its lease taken: every write refused, the new holder named once', async () => {
    const time = clock();
    const lost: CodedError[] = [];
    const first = await lease(time.now, lost);
    time.advance(STALE_MS + 1_000);
    const second = await lease(time.now);

    const error = await refusal(first.assertHeld());
    expect(error?.message).toBe(
      `DATA_DIR ${dir} was taken over by process ${process.pid} on host ${hostname()} while this process was paused ` +
        `(its lock was not renewed for 31 s; a lock is taken over after 30 s); this process stopped without writing. ` +
        'Run one bot process per DATA_DIR and do not pause it that long, or use STORE=blob to run several processes on one store.',
    );
    expect(await refusal(first.assertHeld())).toBe(error);
    expect(lost).toEqual([error]);
    await second.assertHeld();
  });

  it('a holder whose own clock says it is fresh is still refused when the lock file holds another token', async () => {
    const mine = clock();
    const theirs = clock(mine.now() + STALE_MS + 1);
    const first = await lease(mine.now);
    await lease(theirs.now);
    const error = await refusal(first.assertHeld());
    expect(error?.message).toContain(`was taken over by process ${process.pid} on host ${hostname()} while this process held it; this process stopped without writing.`);
  });

  it("the first holder's heartbeat never renews the second one's lock file, and its release leaves it", async () => {
    const time = clock();
    const first = await lease(time.now);
    time.advance(STALE_MS + 1);
    await lease(time.now);
    const taken = await lockFile();
    time.advance(1_000);
    expect(await first.heartbeat()).toBe(false);
    expect(await lockFile()).toEqual(taken);
    await first.release();
    expect(await lockFile()).toEqual(taken);
  });

  it("a heartbeat after the lock file was replaced behind the holder's back does not touch the new file either", async () => {
    const mine = clock();
    const theirs = clock(mine.now() + STALE_MS + 1);
    const first = await lease(mine.now);
    await lease(theirs.now);
    const taken = await lockFile();
    mine.advance(1_000);
    expect(await first.heartbeat()).toBe(false);
    expect(await lockFile()).toEqual(taken);
  });

  it('a holder paused past its own limit gives the lease up even when nobody took it', async () => {
    const time = clock();
    const first = await lease(time.now);
    time.advance(26_000);
    const error = await refusal(first.assertHeld());
    expect(error?.message).toMatch(/this process was paused for 26 s, longer than its lock lasts without renewal \(it is given up after 25 s and taken over by another process after 30 s\); this process stopped without writing/);
    expect(await first.heartbeat()).toBe(false);
  });

  it('a released lease refuses writes too (another process may take the folder at once), without reporting a loss', async () => {
    const lost: CodedError[] = [];
    const first = await lease(Date.now, lost);
    await first.release();
    expect((await refusal(first.assertHeld()))?.message).toContain('was released by this process');
    expect(lost).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('the file store behind a lost lease', () => {
  it('writes nothing: no request update or create, no check record, no settings, no personal chat, no audit line', async () => {
    const time = clock();
    const first = await lease(time.now);
    const stores = fileStores(dir, silentLogger, first);
    const original = request();
    expect(await stores.requests.create(original)).toBe(true);
    const before = await snapshot();

    time.advance(STALE_MS + 1);
    await lease(time.now);
    const stored = (await stores.requests.get(original.id))!;
    const approved = transition(stored, 'approve', { by: bob, at: new Date() });
    expect(approved.ok).toBe(true);
    const writes: [string, () => Promise<unknown>][] = [
      ['request update', () => stores.requests.update(stored.id, stored.version, approved.ok ? approved.request : stored)],
      ['request create', () => stores.requests.create(request({ id: 'R-22222' }))],
      [
        'check record',
        () =>
          stores.checks.create({
            kind: 'pickInstance',
            checkId: 'c0ffee00-0000-4000-8000-000000000001',
            instanceIds: ['/x'],
            intent: { command: 'status' },
            askedBy: null,
            conversationId: 'c',
            createdAt: new Date().toISOString(),
          }),
      ],
      ['settings', () => stores.settings.change((s) => ({ ...s, approvalsChannel: null }))],
      [
        'personal chat',
        () =>
          stores.settings.rememberPersonalChat({
            aadObjectId: bob.aadObjectId!,
            teamsId: bob.teamsId,
            name: bob.name,
            conversation: conversation('a:1personal', 'personal'),
            updatedAt: new Date().toISOString(),
          }),
      ],
      ['audit line', () => stores.audit.append([auditEvent(stored, new Date(), 'hello', { key: 'x' })])],
    ];
    for (const [what, write] of writes) expect(await refusal(write()), what).toBeInstanceOf(CodedError);
    expect(await snapshot()).toEqual(before);
    expect((await stores.audit.forRequest(original.id)).map((e) => e.to)).toEqual(['pending']);
  });
});

/** Every file under DATA_DIR but the lock, with its content. */
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(dir, { recursive: true })) {
    if (name === 'bot.lock') continue;
    const path = join(dir, name);
    if ((await stat(path)).isFile()) out[name] = await readFile(path, 'utf8');
  }
  return out;
}
