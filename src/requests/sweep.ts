/**
 * What the periodic sweep does with an open request. Pure. Pending: expire it after its rule's TTL, send the
 * reminder or escalation that is due (each once). Approved or applying: take it over when no live process holds its lease (a
 * restart, a crash, another process that stopped); the apply then resumes it, or ends it at its deadline. An
 * approved request waiting for its change window is left alone until a window opens, then started; when its start
 * passed outside a window (the bot was not running), the next window's start is stored.
 */
import { mayHold } from './lease.js';
import { isOverdue } from './lifecycle.js';
import type { IntegrationRequest } from './request.js';
import { dueNotice, ttlHoursOf } from './timing.js';
import { isWaiting, waitAgain } from './window-wait.js';

export type SweepAction = 'expire' | 'notice' | 'takeOver' | 'waitAgain' | null;

export interface SweepView {
  now: Date;
  /** REQUEST_TTL_HOURS, for records from before per-rule timing. */
  ttlHours: number;
  owner: string;
  exclusive: boolean;
}

export function sweepAction(request: IntegrationRequest, view: SweepView): SweepAction {
  if (request.state === 'pending') {
    if (isOverdue(request, view.now, ttlHoursOf(request, view.ttlHours))) return 'expire';
    return dueNotice(request, view.now, view.ttlHours) ? 'notice' : null;
  }
  if (isWaiting(request, view.now)) return waitAgain(request, view.now) ? 'waitAgain' : null;
  if (request.state === 'approved' || request.state === 'applying') {
    return mayHold(request.lease, view) ? 'takeOver' : null;
  }
  return null;
}
