/**
 * One bot process per DATA_DIR: the file store's compare-and-set is atomic only within a process. The guard is
 * a lease: the file `bot.lock` holds its holder's pid, host and token, and the holder renews it (the file's
 * mtime) every sixth of the stale time. A second process finds a live lease and refuses to start; a lease not
 * renewed for the stale time (30 s), or whose pid no longer runs on this host, is taken over by the next process.
 *
 * A holder that was paused (SIGSTOP, a frozen VM or container) can wake up after its lease was taken over, with
 * HTTP requests waiting that it serves before any timer runs. So the lease is checked before every write
 * (`assertHeld`), not only by the heartbeat: refused once the last renewal is older than the holder's own limit
 * (one renewal short of the stale time) and whenever the lock file holds another token. A lease once lost stays
 * lost: `onLost` is told once, and every later write is refused.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { mkdir, open, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { CodedError, ErrorCode } from '../../errors.js';
import type { WriteGuard } from './write-guard.js';

const LOCK_FILE = 'bot.lock';
/** A lock file untouched this long belongs to a process that is gone. */
const DEFAULT_STALE_MS = 30_000;
/** Renewals per stale time: with 30 s, every 5 s. */
const RENEWALS_PER_STALE = 6;

interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
  token: string;
}

export interface LeaseOptions {
  /** How long a lock file may go unrenewed before another process takes it over (default 30 s). */
  staleMs?: number;
  /** Milliseconds since the epoch (default Date.now): renewals and ages are measured with it. */
  now?: () => number;
  /** Called once when the lease is found lost (by the heartbeat or by a write): the process should stop. */
  onLost?: (error: CodedError) => void;
}

export interface DataDirLease extends WriteGuard {
  path: string;
  /** Renews the lease if the lock file still holds this lease's token; false (and the lease lost) otherwise. */
  heartbeat(): Promise<boolean>;
  release(): Promise<void>;
}

/** Lock files of the leases this process holds, with their tokens (a second app in one process is refused too). */
const heldHere = new Map<string, string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parse(text: string): LockContent | null {
  try {
    return JSON.parse(text) as LockContent;
  } catch {
    return null;
  }
}

/** The lock file's content (null when unreadable), or `missing` when there is none. */
async function contentOf(path: string): Promise<LockContent | null | 'missing'> {
  try {
    return parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

async function holderOf(path: string, now: () => number): Promise<{ content: LockContent | null; ageMs: number } | null> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { content: parse(text), ageMs: now() - info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function isGone(path: string, holder: { content: LockContent | null; ageMs: number }, staleMs: number): boolean {
  const { content, ageMs } = holder;
  if (!content || ageMs > staleMs) return true;
  if (content.host !== hostname()) return false;
  // Our own pid in a file no lease of this process wrote: a previous life of this container or machine.
  if (content.pid === process.pid) return heldHere.get(path) !== content.token;
  return !isRunning(content.pid);
}

export async function lockDataDir(dataDir: string, options: LeaseOptions = {}): Promise<DataDirLease> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const now = options.now ?? Date.now;
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const content: LockContent = { pid: process.pid, host: hostname(), startedAt: new Date(now()).toISOString(), token: randomUUID() };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeFile(path, JSON.stringify(content) + '\n', { flag: 'wx' });
      const at = now();
      await utimes(path, new Date(at), new Date(at));
      return held({ dataDir, path, content, staleMs, now, renewedAt: at, onLost: options.onLost });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await holderOf(path, now);
    if (!holder) continue;
    if (!isGone(path, holder, staleMs)) throw inUse(dataDir, holder.content);
    // Move the stale file aside under a unique name: of two processes doing this at once, one moves it and
    // the other finds it gone, so only one of them creates the new lock.
    const aside = `${path}.stale-${randomUUID()}`;
    await rename(path, aside).then(
      () => unlink(aside).catch(() => undefined),
      () => undefined,
    );
  }
  throw new CodedError(ErrorCode.CONFIG_INVALID, `Could not lock DATA_DIR ${dataDir}: another process keeps taking the lock file ${path}.`);
}

interface Held {
  dataDir: string;
  path: string;
  content: LockContent;
  staleMs: number;
  now: () => number;
  renewedAt: number;
  onLost: ((error: CodedError) => void) | undefined;
}

function held(lease: Held): DataDirLease {
  const { dataDir, path, content, staleMs, now } = lease;
  const refreshMs = Math.max(1, Math.floor(staleMs / RENEWALS_PER_STALE));
  // The holder gives its lease up one renewal before anyone else may take it.
  const limitMs = staleMs - refreshMs;
  let renewedAt = lease.renewedAt;
  let lostError: CodedError | null = null;
  heldHere.set(path, content.token);
  const forget = () => heldHere.get(path) === content.token && heldHere.delete(path);

  const lose = (found: LockContent | null | 'missing'): CodedError => {
    if (lostError) return lostError;
    const silentMs = now() - renewedAt;
    lostError = leaseLost(dataDir, path, found, { silentMs, limitMs, staleMs, token: content.token });
    clearInterval(timer);
    forget();
    lease.onLost?.(lostError);
    return lostError;
  };

  const heartbeat = async (): Promise<boolean> => {
    if (lostError || released) return false;
    if (now() - renewedAt >= limitMs) {
      lose(await contentOf(path).catch(() => null));
      return false;
    }
    let file;
    try {
      file = await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      lose('missing');
      return false;
    }
    try {
      const found = parse(await file.readFile('utf8'));
      if (found?.token !== content.token) {
        lose(found);
        return false;
      }
      // Through the open file: if another process replaced the lock since it was read, this touches only
      // the old file, never the new holder's.
      const at = now();
      await file.utimes(new Date(at), new Date(at));
      if (!lostError) renewedAt = at;
      return !lostError;
    } finally {
      await file.close();
    }
  };

  let released = false;
  const timer = setInterval(() => void heartbeat().catch(() => undefined), refreshMs);
  timer.unref();
  return {
    path,
    heartbeat,
    async assertHeld() {
      if (lostError) throw lostError;
      // Another process may take the folder the moment it is released: a straggler of this one writes nothing.
      if (released) throw new CodedError(ErrorCode.STORE_LEASE_LOST, `DATA_DIR ${dataDir} was released by this process (it is stopping): nothing was written.`, { store: 'file', reason: 'released', dataDir });
      if (now() - renewedAt >= limitMs) throw lose(await contentOf(path).catch(() => null));
      const found = await contentOf(path);
      if (found === 'missing' || found?.token !== content.token) throw lose(found);
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      if (lostError) return;
      forget();
      const found = await contentOf(path).catch(() => null);
      if (found !== 'missing' && found?.token === content.token) await unlink(path).catch(() => undefined);
    },
  };
}

function inUse(dataDir: string, holder: LockContent | null): CodedError {
  const who = holder ? `process ${holder.pid} on ${holder.host}, started ${holder.startedAt}` : 'another process';
  return new CodedError(
    ErrorCode.CONFIG_INVALID,
    `DATA_DIR ${dataDir} is in use by another apim-vnet-bot (${who}). The file store serves one bot process: stop the other process, ` +
      'give this one its own DATA_DIR, or use STORE=blob (Azure Blob Storage) to run several processes on one store.',
    { store: 'file', reason: 'in-use', dataDir },
  );
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** One line, for the log and the process's last words. */
function leaseLost(
  dataDir: string,
  path: string,
  found: LockContent | null | 'missing',
  at: { silentMs: number; limitMs: number; staleMs: number; token: string },
): CodedError {
  const paused = at.silentMs >= at.limitMs;
  const fix = 'Run one bot process per DATA_DIR and do not pause it that long, or use STORE=blob to run several processes on one store.';
  let message: string;
  if (found === 'missing') {
    message = `DATA_DIR ${dataDir}: the lock file ${path} was removed while this process held it; this process stopped without writing, as another process may be using the folder. ${fix}`;
  } else if (found?.token === at.token) {
    message =
      `DATA_DIR ${dataDir}: this process was paused for ${seconds(at.silentMs)}, longer than its lock lasts without renewal (it is given up after ${seconds(at.limitMs)} ` +
      `and taken over by another process after ${seconds(at.staleMs)}); this process stopped without writing. ${fix}`;
  } else {
    const who = found ? `process ${found.pid} on host ${found.host}` : 'another process';
    const when = paused ? `while this process was paused (its lock was not renewed for ${seconds(at.silentMs)}; a lock is taken over after ${seconds(at.staleMs)})` : 'while this process held it';
    message = `DATA_DIR ${dataDir} was taken over by ${who} ${when}; this process stopped without writing. ${fix}`;
  }
  return new CodedError(ErrorCode.STORE_LEASE_LOST, message, {
    store: 'file',
    reason: 'lease-lost',
    dataDir,
    holder: found === 'missing' || !found ? null : { pid: found.pid, host: found.host },
  });
}
