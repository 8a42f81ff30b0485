/**
 * The request state machine. Pure: a request and an event in, the next request (with its history entry) out.
 *
 *   pending -> approved -> applying -> succeeded | failed
 *   pending -> rejected | cancelled | expired
 *   approved -> failed   (the apply could not start)
 */
import type { HistoryEntry, IntegrationRequest, Person, RequestState } from './request.js';

export type RequestEvent = 'approve' | 'reject' | 'cancel' | 'expire' | 'startApply' | 'succeed' | 'fail';

const TRANSITIONS: Readonly<Record<RequestEvent, { from: readonly RequestState[]; to: RequestState }>> = {
  approve: { from: ['pending'], to: 'approved' },
  reject: { from: ['pending'], to: 'rejected' },
  cancel: { from: ['pending'], to: 'cancelled' },
  expire: { from: ['pending'], to: 'expired' },
  startApply: { from: ['approved'], to: 'applying' },
  succeed: { from: ['applying'], to: 'succeeded' },
  fail: { from: ['approved', 'applying'], to: 'failed' },
};

export interface TransitionContext {
  /** null = the bot. */
  by: Person | null;
  at: Date;
  why?: string | null;
}

export type TransitionResult =
  | { ok: true; request: IntegrationRequest }
  | { ok: false; state: RequestState; reason: string };

export function canTransition(state: RequestState, event: RequestEvent): boolean {
  return TRANSITIONS[event].from.includes(state);
}

export function transition(request: IntegrationRequest, event: RequestEvent, context: TransitionContext): TransitionResult {
  const rule = TRANSITIONS[event];
  if (!rule.from.includes(request.state)) {
    return { ok: false, state: request.state, reason: `Request ${request.id} is ${describeState(request.state)}; it cannot be ${PAST[event]} now.` };
  }
  const at = context.at.toISOString();
  const entry: HistoryEntry = { at, from: request.state, to: rule.to, by: context.by, why: context.why ?? null };
  return { ok: true, request: { ...request, state: rule.to, history: [...request.history, entry], updatedAt: at } };
}

const PAST: Record<RequestEvent, string> = {
  approve: 'approved',
  reject: 'rejected',
  cancel: 'cancelled',
  expire: 'expired',
  startApply: 'applied',
  succeed: 'marked succeeded',
  fail: 'marked failed',
};

const STATE_TEXT: Record<RequestState, string> = {
  pending: 'waiting for approval',
  approved: 'approved',
  applying: 'being applied',
  succeeded: 'done',
  failed: 'failed',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired',
};

export function describeState(state: RequestState): string {
  return STATE_TEXT[state];
}

/** When a pending request expires. */
export function expiresAt(request: Pick<IntegrationRequest, 'createdAt'>, ttlHours: number): Date {
  return new Date(Date.parse(request.createdAt) + ttlHours * 3_600_000);
}

/** By when an approved request must be finished: `minutes` after its approval. */
export function applyDeadline(request: IntegrationRequest, minutes: number): Date {
  const approvedAt = lastEntryInto(request, 'approved')?.at ?? request.createdAt;
  return new Date(Date.parse(approvedAt) + minutes * 60_000);
}

/** True when a pending request has waited longer than `ttlHours`. */
export function isOverdue(request: Pick<IntegrationRequest, 'state' | 'createdAt'>, now: Date, ttlHours: number): boolean {
  return request.state === 'pending' && now.getTime() - Date.parse(request.createdAt) > ttlHours * 3_600_000;
}

/** The history entry that moved the request into `state` most recently. */
export function lastEntryInto(request: IntegrationRequest, state: RequestState): HistoryEntry | null {
  for (let i = request.history.length - 1; i >= 0; i--) {
    const entry = request.history[i];
    if (entry?.to === state) return entry;
  }
  return null;
}
