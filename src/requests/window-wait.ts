/**
 * An approved request and the change windows of its plan. Pure. The last approval landing outside every window
 * leaves the request approved with `waitsUntil` (the next window's start); nothing starts it outside a window (the
 * sweep and the claim both ask `isWaiting`), and a start missed while the bot was down moves to the next window.
 * An approver may run it now: one compare-and-set clears the wait and records who did it, so of two clicks one does it.
 */
import { nextWindowStart, windowOpenAt, windowTimeText } from '../policy/change-windows.js';
import { isPlanApprover } from './approvals.js';
import { actorOf, isSamePerson, type Actor } from './people.js';
import type { ApprovalPlan, HistoryEntry, IntegrationRequest, Person } from './request.js';

/** When a request approved at `at` under `plan` waits until (ISO 8601); null when it may start at once. */
export function windowWait(plan: Pick<ApprovalPlan, 'windows'>, at: Date): string | null {
  const start = nextWindowStart(plan.windows ?? [], at);
  return start.getTime() > at.getTime() ? start.toISOString() : null;
}

/**
 * True while an approved request waits for its change window: its plan has windows, none is open now, and no
 * approver has run it now. (Outside a window also when its start was missed: the bot was not running then.)
 */
export function isWaiting(request: Pick<IntegrationRequest, 'state' | 'approval' | 'runNow'>, now: Date): boolean {
  const windows = request.approval?.windows ?? [];
  return request.state === 'approved' && windows.length > 0 && !request.runNow && !windowOpenAt(windows, now);
}

/** When a waiting request will run: its stored start while that is ahead, else the next window's start; null when it does not wait. */
export function runsAt(request: Pick<IntegrationRequest, 'state' | 'approval' | 'runNow' | 'waitsUntil'>, now: Date): Date | null {
  if (!isWaiting(request, now)) return null;
  const stored = request.waitsUntil ? Date.parse(request.waitsUntil) : Number.NaN;
  return stored > now.getTime() ? new Date(stored) : nextWindowStart(request.approval?.windows ?? [], now);
}

/** "Wed 2024-05-01 18:00 Europe/Berlin (16:00 UTC)": when a waiting request will run; null when it does not wait. */
export function waitText(request: Pick<IntegrationRequest, 'state' | 'approval' | 'runNow' | 'waitsUntil'>, now: Date): string | null {
  const at = runsAt(request, now);
  return at ? windowTimeText(request.approval?.windows ?? [], at) : null;
}

/**
 * A waiting request whose stored start has passed (its window closed before it started: the bot was not running
 * then): the next window's start stored, with a history entry that says so. Null when nothing needs storing.
 */
export function waitAgain(request: IntegrationRequest, now: Date): IntegrationRequest | null {
  if (!isWaiting(request, now) || (request.waitsUntil && Date.parse(request.waitsUntil) > now.getTime())) return null;
  const waitsUntil = nextWindowStart(request.approval?.windows ?? [], now).toISOString();
  const stamp = now.toISOString();
  const why = `Its change window closed before it could start: it will run at ${windowTimeText(request.approval?.windows ?? [], new Date(waitsUntil))}.`;
  const entry: HistoryEntry = { at: stamp, from: 'approved', to: 'approved', by: null, why };
  return { ...request, waitsUntil, history: [...request.history, entry], updatedAt: stamp };
}

/** What the history of the last approval says when the request waits. */
export function waitNote(plan: Pick<ApprovalPlan, 'windows'>, waitsUntil: string): string {
  return `Outside its change window: it will run at ${windowTimeText(plan.windows ?? [], new Date(waitsUntil))}.`;
}

export type RunNow =
  /** The wait is cleared and recorded: start the apply. */
  | { kind: 'started'; request: IntegrationRequest }
  /** Nothing changes: not an approver of the plan, or their own request. */
  | { kind: 'refused'; reason: string }
  /** Nothing changes: the request does not wait (any more): it is starting, running or has ended. */
  | { kind: 'stale' };

/**
 * An approver presses Run now on a request waiting for its change window; `actingFor`: the approvers who delegated
 * to `by` now (a delegate may, as for a decision, but not on a request of the person they stand for).
 */
export function runNow(request: IntegrationRequest, plan: ApprovalPlan, actor: Actor, at: Date, actingFor: readonly Person[] = []): RunNow {
  const by = actor.person;
  if (!isPlanApprover(plan, actor, actingFor)) return { kind: 'refused', reason: 'Only the approvers of this request can run it now.' };
  if (!isWaiting(request, at)) return { kind: 'stale' };
  const forWhom = isPlanApprover(plan, actor) ? [] : actingFor.filter((p) => isPlanApprover(plan, actorOf(p)));
  if (!plan.allowSelfApproval && [by, ...forWhom].some((p) => isSamePerson(request.requester, p))) {
    return { kind: 'refused', reason: 'You made this request (or stand for who did), so you cannot run it before its change window: another approver has to.' };
  }
  const stamp = at.toISOString();
  const delegated = forWhom.length > 0 ? ` for ${forWhom.map((p) => p.name || p.aadObjectId).join(', ')}` : '';
  const entry: HistoryEntry = { at: stamp, from: 'approved', to: 'approved', by, why: `Run now${delegated}, before its change window at ${waitText(request, at)}.` };
  return { kind: 'started', request: { ...request, waitsUntil: null, runNow: { by, at: stamp }, history: [...request.history, entry], updatedAt: stamp } };
}
