/**
 * An approver's decision on a request, under its approval plan. Pure: the stored request in, what to store out.
 * A rejection by any approver of the plan ends the request; an approval is counted in the current stage, and the
 * last one needed moves the request to approved; landing outside the plan's change windows, it also sets
 * `waitsUntil` (the next window's start) and the history says so. Made inside a compare-and-set, so of any number
 * of clicks exactly one makes each change.
 */
import type { ApprovalPolicy } from '../policy/approval-policy.js';
import { addApproval, isPlanApprover, planOf } from './approvals.js';
import { transition } from './lifecycle.js';
import { actorOf, type Actor } from './people.js';
import type { IntegrationRequest, Person } from './request.js';
import { waitNote, windowWait } from './window-wait.js';

export type Decision =
  | { kind: 'approved' | 'rejected'; request: IntegrationRequest }
  /** An approval counted; more are needed (the request stays pending). */
  | { kind: 'counted'; request: IntegrationRequest; note: string }
  /** Nothing changes: not an approver, their own request, a second approval by the same person, a stage not yet open. */
  | { kind: 'refused'; reason: string }
  /** Nothing changes: the request is no longer pending (someone decided first, it expired or was cancelled). */
  | { kind: 'closed' };

export function decideRequest(
  request: IntegrationRequest,
  policy: ApprovalPolicy,
  actor: Actor,
  verb: 'approve' | 'reject',
  at: Date,
  why: string | null,
  /** The approvers who delegated to the actor and whose delegation runs now. */
  actingFor: readonly Person[] = [],
): Decision {
  if (request.state !== 'pending') return { kind: 'closed' };
  const plan = planOf(request, policy);
  const by = actor.person;
  if (!isPlanApprover(plan, actor, actingFor)) return { kind: 'refused', reason: `Only the approvers of this request can ${verb} it.` };
  if (verb === 'reject') {
    const delegated = isPlanApprover(plan, actor) ? [] : actingFor.filter((p) => isPlanApprover(plan, actorOf(p)));
    const forWhom = delegated.length > 0 ? `For ${delegated.map((p) => p.name || p.aadObjectId).join(', ')}.` : null;
    const moved = transition(request, 'reject', { by, at, why: [forWhom, why].filter(Boolean).join(' ') || null });
    return moved.ok ? { kind: 'rejected', request: { ...moved.request, approval: plan } } : { kind: 'closed' };
  }
  const counted = addApproval(plan, request.requester, actor, at, actingFor);
  if (!counted.ok) return { kind: 'refused', reason: counted.reason };
  const note = [counted.note, why].filter(Boolean).join(' ');
  if (!counted.complete) {
    const stamp = at.toISOString();
    const entry = { at: stamp, from: request.state, to: request.state, by, why: note };
    return { kind: 'counted', note: counted.note, request: { ...request, approval: counted.plan, history: [...request.history, entry], updatedAt: stamp } };
  }
  const onBehalfOf = counted.plan.approvals.at(-1)?.onBehalfOf;
  const delegated = onBehalfOf ? `${by.name || 'A delegate'} approved for ${onBehalfOf.name || onBehalfOf.aadObjectId}.` : null;
  const several = plan.approvals.length > 0 || plan.stages.length > 1;
  const decided = several ? note : [delegated, why].filter(Boolean).join(' ') || null;
  const waitsUntil = windowWait(counted.plan, at);
  const told = waitsUntil ? [decided, waitNote(counted.plan, waitsUntil)].filter(Boolean).join(' ') : decided;
  const moved = transition(request, 'approve', { by, at, why: told });
  if (!moved.ok) return { kind: 'closed' };
  return { kind: 'approved', request: { ...moved.request, approval: counted.plan, ...(waitsUntil ? { waitsUntil } : {}) } };
}
