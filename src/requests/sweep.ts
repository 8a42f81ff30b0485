/**
 * What the periodic sweep does with an open request. Pure. Pending: expire it after its rule's TTL, send the
 * reminder or escalation that is due (each once). Approved or applying: take it over when no live process holds its lease (a
 * restart, a crash, another process that stopped); the apply then resumes it, or ends it at its deadline.
 */
import { mayHold } from './lease.js';
import { isOverdue } from './lifecycle.js';
import type { IntegrationRequest } from './request.js';
import { dueNotice, ttlHoursOf } from './timing.js';

export type SweepAction = 'expire' | 'notice' | 'takeOver' | null;

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
  if (request.state === 'approved' || request.state === 'applying') {
    return mayHold(request.lease, view) ? 'takeOver' : null;
  }
  return null;
}
