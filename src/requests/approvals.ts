/**
 * The approvals a request collects under its rule, stage by stage. Pure. Each approver counts once; a stage's
 * approvals count only once the stages before it are complete; the request is approved when the last stage
 * has its quorum. Any approver of the rule may reject.
 */
import { ruleFor, type ApprovalPolicy, type ApprovalRule, type ApprovalStage } from '../policy/approval-policy.js';
import { isApprover, isSamePerson } from './people.js';
import type { ApprovalPlan, IntegrationRequest, Person } from './request.js';

export type { Approval, ApprovalPlan } from './request.js';

export interface StageProgress {
  index: number;
  stage: ApprovalStage;
  approvedBy: Person[];
  /** Approvals still needed in this stage. */
  remaining: number;
}

export type ApprovalResult =
  | { ok: true; plan: ApprovalPlan; complete: boolean; note: string }
  | { ok: false; reason: string; duplicate: boolean };

export function planFor(rule: ApprovalRule): ApprovalPlan {
  return {
    rule: rule.name,
    stages: rule.stages.map((s) => ({ ...s, approvers: [...s.approvers] })),
    allowSelfApproval: rule.allowSelfApproval,
    approvals: [],
    timing: rule.timing,
  };
}

export function stagesOf(plan: ApprovalPlan): StageProgress[] {
  return plan.stages.map((stage, index) => {
    const approvedBy = plan.approvals.filter((a) => a.stage === index).map((a) => a.by);
    return { index, stage, approvedBy, remaining: Math.max(0, stage.quorum - approvedBy.length) };
  });
}

/** The first stage still short of its quorum; null when every stage has it (the request is approved). */
export function currentStage(plan: ApprovalPlan): StageProgress | null {
  return stagesOf(plan).find((s) => s.remaining > 0) ?? null;
}

/** True for anyone who approves in some stage of the plan. */
export function isPlanApprover(plan: ApprovalPlan, person: Person): boolean {
  return plan.stages.some((s) => isApprover(s.approvers, person));
}

/** `person` approves: counted once, in the current stage, never for their own request unless the rule allows it. */
export function addApproval(plan: ApprovalPlan, requester: Person, person: Person, at: Date): ApprovalResult {
  const current = currentStage(plan);
  if (!current) return { ok: false, reason: 'It has every approval it needs already.', duplicate: true };
  if (plan.approvals.some((a) => isSamePerson(a.by, person))) {
    return { ok: false, reason: 'You have approved it already; your approval counts once.', duplicate: true };
  }
  if (!isApprover(current.stage.approvers, person)) {
    const later = plan.stages.findIndex((s) => isApprover(s.approvers, person));
    return {
      ok: false,
      reason: later > current.index ? `It is waiting for ${current.stage.name} first; your stage (${plan.stages[later]?.name}) comes after.` : `You are not an approver of ${current.stage.name}.`,
      duplicate: false,
    };
  }
  if (!plan.allowSelfApproval && isSamePerson(requester, person)) {
    return { ok: false, reason: 'You made this request, so you cannot approve it yourself: another approver has to.', duplicate: false };
  }
  const next: ApprovalPlan = { ...plan, approvals: [...plan.approvals, { by: person, at: at.toISOString(), stage: current.index }] };
  const after = currentStage(next);
  const counted = current.stage.quorum - current.remaining + 1;
  const stageNote = plan.stages.length > 1 ? ` for ${current.stage.name}` : '';
  const note = `Approval ${counted} of ${current.stage.quorum}${stageNote}.${after ? ` Still needed: ${neededText(after)}.` : ''}`;
  return { ok: true, plan: next, complete: after === null, note };
}

/** "1 more from network team" */
export function neededText(stage: StageProgress): string {
  return `${stage.remaining} more from ${stage.stage.name}`;
}

/** The plan of a request; a record from before policies gets the current policy's rule for its instance. */
export function planOf(request: Pick<IntegrationRequest, 'approval' | 'instance'>, policy: ApprovalPolicy): ApprovalPlan {
  return request.approval ?? planFor(ruleFor(policy, request.instance));
}

/** True when the request waits for `person`'s approval now: pending, and their approval would count. */
export function waitsFor(request: IntegrationRequest, policy: ApprovalPolicy, person: Person, now: Date): boolean {
  return request.state === 'pending' && addApproval(planOf(request, policy), request.requester, person, now).ok;
}

/** The escalation's people join the stage that waits (each once): from now on they may approve in it. */
export function withEscalation(plan: ApprovalPlan, ids: readonly string[]): ApprovalPlan {
  const current = currentStage(plan);
  if (!current) return plan;
  const known = (id: string) => current.stage.approvers.some((a) => a.toLowerCase() === id.toLowerCase());
  const added = ids.filter((id, i) => !known(id) && ids.findIndex((x) => x.toLowerCase() === id.toLowerCase()) === i);
  if (added.length === 0) return plan;
  const stages = plan.stages.map((s, i) => (i === current.index ? { ...s, approvers: [...s.approvers, ...added] } : s));
  return { ...plan, stages };
}

/** The approvers of the stage that waits who have not approved yet (object ids). */
export function awaitedApprovers(plan: ApprovalPlan): string[] {
  const current = currentStage(plan);
  if (!current) return [];
  return current.stage.approvers.filter((id) => !current.approvedBy.some((p) => p.aadObjectId?.toLowerCase() === id.toLowerCase()));
}
