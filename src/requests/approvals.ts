/**
 * The approvals a request collects under its rule, stage by stage. Pure. Each approver counts once; a stage's
 * approvals count only once the stages before it are complete; the request is approved when the last stage
 * has its quorum. Any approver of the rule may reject.
 */
import { ruleFor, type ApprovalPolicy, type ApprovalRule, type ApprovalStage } from '../policy/approval-policy.js';
import { isApprover, isSamePerson, isStageApprover, type Actor } from './people.js';
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
  const stages = rule.stages.map((s) => ({ ...s, approvers: [...s.approvers], ...(s.groups ? { groups: [...s.groups] } : {}) }));
  return { rule: rule.name, stages, allowSelfApproval: rule.allowSelfApproval, approvals: [] };
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

/** True for anyone who approves in some stage of the plan (by object id, or as a member of one of its groups). */
export function isPlanApprover(plan: ApprovalPlan, actor: Actor): boolean {
  return plan.stages.some((s) => isStageApprover(s, actor));
}

/**
 * The approver groups whose membership could matter for `person` on this plan: those of the stages that do not
 * list them by object id already (none when they are listed in every stage that has groups, or have no object id).
 */
export function groupsToCheck(plan: ApprovalPlan, person: Person): string[] {
  if (!person.aadObjectId) return [];
  const ids = new Map<string, string>();
  for (const stage of plan.stages) {
    if (isApprover(stage.approvers, person)) continue;
    for (const g of stage.groups ?? []) ids.set(g.toLowerCase(), g);
  }
  return [...ids.values()];
}

/** `actor` approves: counted once, in the current stage, never for their own request unless the rule allows it. */
export function addApproval(plan: ApprovalPlan, requester: Person, actor: Actor, at: Date): ApprovalResult {
  const person = actor.person;
  const current = currentStage(plan);
  if (!current) return { ok: false, reason: 'It has every approval it needs already.', duplicate: true };
  if (plan.approvals.some((a) => isSamePerson(a.by, person))) {
    return { ok: false, reason: 'You have approved it already; your approval counts once.', duplicate: true };
  }
  if (!isStageApprover(current.stage, actor)) {
    const later = plan.stages.findIndex((s) => isStageApprover(s, actor));
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

/** True when the request waits for `actor`'s approval now: pending, and their approval would count. */
export function waitsFor(request: IntegrationRequest, policy: ApprovalPolicy, actor: Actor, now: Date): boolean {
  return request.state === 'pending' && addApproval(planOf(request, policy), request.requester, actor, now).ok;
}
