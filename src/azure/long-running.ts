/**
 * How the bot carries out one ARM write: send it, hand its poller state to the caller as soon as ARM accepts it
 * (so another process can resume polling after a restart), and poll it to its end; or poll a stored operation
 * without sending anything again. Every write in `*-writes.ts` goes through here.
 */
import { isNotFound } from './arm-errors.js';

export interface WriteOptions {
  /** Interval between polls when ARM sends no Retry-After. */
  pollIntervalMs: number;
  /** Called once ARM has accepted a long-running write, with the serialised poller. */
  onAccepted?: (pollerState: string) => Promise<void>;
  /** Give up waiting after this long (the write itself may still finish in Azure). */
  timeoutMs?: number;
  /** Stops waiting when aborted (the process lost its lease on the request, or is shutting down). */
  signal?: AbortSignal;
}

/** A write that ARM refused or that ended badly; `code` is ARM's error code where ARM gave one. */
export class ArmWriteError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'ArmWriteError';
  }
}

/** Waits `ms`, or rejects at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const error = new Error('The wait was aborted.');
  error.name = 'AbortError';
  return error;
}

/** The signal that ends a wait: the caller's, or the timeout, whichever comes first. */
function waitSignal(options: WriteOptions): AbortSignal {
  const timeout = AbortSignal.timeout(Math.max(1, options.timeoutMs ?? 3 * 3_600_000));
  return options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
}

/** The ARM operation id in a stored poller state (the last segment of its operation URL), for the audit log. */
export function armOperationIdOf(pollerState: string): string | null {
  try {
    const config = (JSON.parse(pollerState) as { state?: { config?: { operationLocation?: string; resourceLocation?: string } } }).state?.config;
    const url = config?.operationLocation ?? config?.resourceLocation;
    if (!url) return null;
    return new URL(url).pathname.split('/').filter(Boolean).pop() ?? null;
  } catch {
    return null;
  }
}

/** deleted: removed now; gone: already not there; kept: something other than the instance uses it (left in place). */
export type UndoOutcome = 'deleted' | 'gone' | { kept: string };

/** Reads a resource; null when ARM answers 404. */
export async function getOrNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Sends a long-running write, stores its poller state as soon as ARM accepts it, and polls it to its end. */
export async function sendAndWait(begin: (poll: { updateIntervalInMs: number }) => Promise<Pollable & { toString(): string }>, options: WriteOptions): Promise<void> {
  const poller = await begin({ updateIntervalInMs: options.pollIntervalMs });
  await options.onAccepted?.(poller.toString());
  await waitFor(poller, options);
}

/** The options that make an SDK `begin…` call resume a stored poller instead of sending its request. */
export interface StoredPoll {
  resumeFrom: string;
  updateIntervalInMs: number;
}

/**
 * Polls a stored operation to its end without sending anything again; false when ARM no longer knows it
 * (it answers 404 for such an operation).
 */
export async function pollStored(resume: (from: StoredPoll) => Promise<Pollable>, pollerState: string, options: WriteOptions): Promise<boolean> {
  try {
    await waitFor(await resume({ resumeFrom: pollerState, updateIntervalInMs: options.pollIntervalMs }), options);
    return true;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return false;
  }
}

export interface Pollable {
  pollUntilDone(options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

async function waitFor(poller: Pollable, options: WriteOptions): Promise<void> {
  const signal = waitSignal(options);
  try {
    await poller.pollUntilDone({ abortSignal: signal });
  } catch (error) {
    // Report why the wait ended: the caller's reason (a lost lease, a shutdown) rather than a bare abort.
    if (options.signal?.aborted) throw abortError(options.signal);
    throw error;
  }
}
