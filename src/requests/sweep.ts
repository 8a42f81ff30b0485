/**
 * What the periodic sweep does with an open request. Pure. Pending: expire it after REQUEST_TTL_HOURS, remind
 * the approvers once halfway. Approved or applying: take it over when no live process holds its lease (a
 * restart, a crash, another process that stopped); the apply then resumes it, or ends it at its deadline.
 */
import { mayHold } from './lease.js';
import { isOverdue, reminderDueAt } from './lifecycle.js';
import type { IntegrationRequest } from './request.js';

export type SweepAction = 'expire' | 'remind' | 'takeOver' | null;

export interface SweepView {
  now: Date;
  ttlHours: number;
  owner: string;
  exclusive: boolean;
}

export function sweepAction(request: IntegrationRequest, view: SweepView): SweepAction {
  if (request.state === 'pending') {
    if (isOverdue(request, view.now, view.ttlHours)) return 'expire';
    if (!request.remindedAt && view.now.getTime() >= reminderDueAt(request, view.ttlHours).getTime()) return 'remind';
    return null;
  }
  if (request.state === 'approved' || request.state === 'applying') {
    return mayHold(request.lease, view) ? 'takeOver' : null;
  }
  return null;
}
