/**
 * An approved request and the change windows of its plan. Pure. The last approval landing outside every window
 * leaves the request approved with `waitsUntil` (the next window's start); nothing starts it before then (the
 * sweep and the claim both ask `isWaiting`). An approver may run it now: one compare-and-set clears the wait and
 * records who did it, so of two clicks one does it.
 */
import { nextWindowStart, windowTimeText } from '../policy/change-windows.js';
import { isPlanApprover } from './approvals.js';
import { isSamePerson } from './people.js';
import type { ApprovalPlan, HistoryEntry, IntegrationRequest, Person } from './request.js';

/** When a request approved at `at` under `plan` waits until (ISO 8601); null when it may start at once. */
export function windowWait(plan: Pick<ApprovalPlan, 'windows'>, at: Date): string | null {
  const start = nextWindowStart(plan.windows ?? [], at);
  return start.getTime() > at.getTime() ? start.toISOString() : null;
}

/** True while an approved request waits for its change window. */
export function isWaiting(request: Pick<IntegrationRequest, 'state' | 'waitsUntil'>, now: Date): boolean {
  return request.state === 'approved' && typeof request.waitsUntil === 'string' && Date.parse(request.waitsUntil) > now.getTime();
}

/** "Wed 2024-05-01 18:00 Europe/Berlin (16:00 UTC)": when a waiting request runs; null when it does not wait. */
export function waitText(request: Pick<IntegrationRequest, 'waitsUntil' | 'approval'>): string | null {
  if (!request.waitsUntil) return null;
  return windowTimeText(request.approval?.windows ?? [], new Date(request.waitsUntil));
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

/** An approver presses Run now on a request waiting for its change window. */
export function runNow(request: IntegrationRequest, plan: ApprovalPlan, by: Person, at: Date): RunNow {
  if (!isPlanApprover(plan, by)) return { kind: 'refused', reason: 'Only the approvers of this request can run it now.' };
  if (!isWaiting(request, at)) return { kind: 'stale' };
  if (!plan.allowSelfApproval && isSamePerson(request.requester, by)) {
    return { kind: 'refused', reason: 'You made this request, so you cannot run it before its change window yourself: another approver has to.' };
  }
  const stamp = at.toISOString();
  const entry: HistoryEntry = { at: stamp, from: 'approved', to: 'approved', by, why: `Run now, before its change window at ${waitText(request)}.` };
  return { kind: 'started', request: { ...request, waitsUntil: null, history: [...request.history, entry], updatedAt: stamp } };
}

/** The history entry of the Run now that cleared the wait, if one did. */
export function ranNowEntry(request: Pick<IntegrationRequest, 'history'>): HistoryEntry | null {
  return [...request.history].reverse().find((h) => h.from === 'approved' && h.to === 'approved' && h.by !== null) ?? null;
}
