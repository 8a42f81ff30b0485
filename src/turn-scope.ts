/**
 * The turn a piece of work belongs to, carried through every await by AsyncLocalStorage: log lines take its ids,
 * ARM requests send its turn id as `x-ms-client-request-id`, and ARM throttling waits no longer than its deadline.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface TurnScope {
  turnId: string;
  /** The id of the Teams activity that started the turn. */
  activityId: string | null;
  /** Epoch ms by which a wait on ARM throttling must be over; null = wait as long as ARM asks (background work). */
  throttleDeadline: number | null;
}

const storage = new AsyncLocalStorage<TurnScope>();

export function currentTurn(): TurnScope | undefined {
  return storage.getStore();
}

/** Runs a Teams turn: a new turn id, and ARM throttling waits bounded to `maxThrottleWaitMs` from now. */
export function runInTurn<T>(activityId: string | null, maxThrottleWaitMs: number, work: () => T): T {
  return storage.run({ turnId: randomUUID(), activityId, throttleDeadline: Date.now() + maxThrottleWaitMs }, work);
}

/** Runs work that outlives its turn: it keeps the turn's ids for the logs, but honours ARM's Retry-After in full. */
export function runDetached<T>(work: () => T): T {
  const turn = storage.getStore();
  return turn ? storage.run({ ...turn, throttleDeadline: null }, work) : work();
}
