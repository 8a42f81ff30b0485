/**
 * One bot process per DATA_DIR: the file store's compare-and-set is atomic only within a process. The lock is
 * a file holding the owner's pid and host, refreshed every few seconds. A second process finds it and refuses
 * to start with a clear message, unless the holder is gone: its pid no longer runs on this host, or the file
 * has not been refreshed for a while (a holder on another host, or a container that was replaced).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { mkdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { CodedError, ErrorCode } from '../errors.js';

const LOCK_FILE = 'bot.lock';
const REFRESH_MS = 5_000;
/** A lock file untouched this long belongs to a process that is gone. */
const STALE_MS = 30_000;

interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
  token: string;
}

/** Folders locked by this process (a second app in one process is refused too). */
const lockedHere = new Set<string>();

export interface DataDirLock {
  path: string;
  release(): Promise<void>;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function holderOf(path: string): Promise<{ content: LockContent | null; ageMs: number } | null> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let content: LockContent | null = null;
    try {
      content = JSON.parse(text) as LockContent;
    } catch {
      content = null;
    }
    return { content, ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function isGone(holder: { content: LockContent | null; ageMs: number }): boolean {
  const { content, ageMs } = holder;
  if (!content || ageMs > STALE_MS) return true;
  if (content.host !== hostname()) return false;
  // Our own pid in a file we did not write: a previous life of this container or machine.
  if (content.pid === process.pid) return true;
  return !isRunning(content.pid);
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  if (lockedHere.has(path)) throw inUse(dataDir, { pid: process.pid, host: hostname(), startedAt: 'earlier', token: '' });
  const content: LockContent = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), token: randomUUID() };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeFile(path, JSON.stringify(content) + '\n', { flag: 'wx' });
      return held(path, content);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await holderOf(path);
    if (!holder) continue;
    if (!isGone(holder)) throw inUse(dataDir, holder.content);
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

function held(path: string, content: LockContent): DataDirLock {
  lockedHere.add(path);
  const timer = setInterval(() => {
    const now = new Date();
    void utimes(path, now, now).catch(() => undefined);
  }, REFRESH_MS);
  timer.unref();
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      lockedHere.delete(path);
      const holder = await holderOf(path).catch(() => null);
      if (holder?.content?.token === content.token) await unlink(path).catch(() => undefined);
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
