/**
 * The approvals a request collects under its rule, stage by stage. Pure. Each approver counts once; a stage's
 * approvals count only once the stages before it are complete; the request is approved when the last stage
 * has its quorum. Any approver of the rule may reject. A delegate decides for the approvers who delegated to
 * them (`actingFor`): their approval counts as that approver's, once, and each person counts once whoever they act for.
 * An approver may also be a member of a stage's `groups`: the acting person comes as an Actor, with the groups they
 * are in resolved beforehand. (A delegation stands for an approver listed by object id.)
 */
import { ruleFor, type ApprovalPolicy, type ApprovalRule, type ApprovalStage } from '../policy/approval-policy.js';
import { isApprover, isSamePerson, isStageApprover, type Actor } from './people.js';
import type { Approval, ApprovalPlan, IntegrationRequest, Person } from './request.js';

export type { Approval, ApprovalPlan } from './request.js';

export interface StageProgress {
  index: number;
  stage: ApprovalStage;
  /** Whose approvals counted: the approver's (also when a delegate gave it). */
  approvedBy: Person[];
  /** Approvals still needed in this stage. */
  remaining: number;
}

export type ApprovalResult =
  | { ok: true; plan: ApprovalPlan; complete: boolean; note: string }
  | { ok: false; reason: string; duplicate: boolean };

export function planFor(rule: ApprovalRule): ApprovalPlan {
  const plan: ApprovalPlan = {
    rule: rule.name,
    stages: rule.stages.map((s) => ({ ...s, approvers: [...s.approvers], ...(s.groups ? { groups: [...s.groups] } : {}) })),
    allowSelfApproval: rule.allowSelfApproval,
    approvals: [],
    timing: rule.timing,
  };
  const retry = rule.retryApprovedWithinHours ? { retryApprovedWithinHours: rule.retryApprovedWithinHours } : {};
  return rule.windows ? { ...plan, ...retry, windows: rule.windows.map((w) => ({ ...w, days: [...w.days] })) } : { ...plan, ...retry };
}

export function stagesOf(plan: ApprovalPlan): StageProgress[] {
  return plan.stages.map((stage, index) => {
    const approvedBy = plan.approvals.filter((a) => a.stage === index).map((a) => a.onBehalfOf ?? a.by);
    return { index, stage, approvedBy, remaining: Math.max(0, stage.quorum - approvedBy.length) };
  });
}

/** The first stage still short of its quorum; null when every stage has it (the request is approved). */
export function currentStage(plan: ApprovalPlan): StageProgress | null {
  return stagesOf(plan).find((s) => s.remaining > 0) ?? null;
}

/**
 * True for anyone who approves in some stage of the plan (by object id, or as a member of one of its groups), themselves
 * or for someone who delegated to them.
 */
export function isPlanApprover(plan: ApprovalPlan, actor: Actor, actingFor: readonly Person[] = []): boolean {
  return plan.stages.some((s) => isStageApprover(s, actor) || actingFor.some((p) => isApprover(s.approvers, p)));
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

const counts = (a: Approval, who: Person) => isSamePerson(a.onBehalfOf ?? a.by, who);

/**
 * `actor` approves: counted once, in the current stage, for themselves when they approve in it (by id or through a
 * group), else for an approver of it who delegated to them; never for a request made by either unless the rule
 * allows self-approval.
 */
export function addApproval(plan: ApprovalPlan, requester: Person, actor: Actor, at: Date, actingFor: readonly Person[] = []): ApprovalResult {
  const person = actor.person;
  const current = currentStage(plan);
  if (!current) return { ok: false, reason: 'It has every approval it needs already.', duplicate: true };
  if (plan.approvals.some((a) => isSamePerson(a.by, person) || counts(a, person))) {
    const yours = plan.approvals.find((a) => counts(a, person) && !isSamePerson(a.by, person));
    const reason = yours ? `${yours.by.name || 'Your delegate'} approved it for you already; your approval counts once.` : 'You have approved it already; your approval counts once.';
    return { ok: false, reason, duplicate: true };
  }
  const inStage = (p: Person) => isApprover(current.stage.approvers, p);
  const self = isStageApprover(current.stage, actor);
  const forWhom = self ? null : (actingFor.find((p) => inStage(p) && !plan.approvals.some((a) => counts(a, p))) ?? null);
  if (!self && !forWhom) {
    const counted = actingFor.find((p) => inStage(p));
    if (counted) return { ok: false, reason: `${counted.name || 'The approver you act for'} has approved it already; their approval counts once.`, duplicate: true };
    const later = plan.stages.findIndex((s) => isStageApprover(s, actor) || actingFor.some((p) => isApprover(s.approvers, p)));
    return {
      ok: false,
      reason: later > current.index ? `It is waiting for ${current.stage.name} first; your stage (${plan.stages[later]?.name}) comes after.` : `You are not an approver of ${current.stage.name}.`,
      duplicate: false,
    };
  }
  if (!plan.allowSelfApproval && isSamePerson(requester, person)) {
    return { ok: false, reason: 'You made this request, so you cannot approve it yourself: another approver has to.', duplicate: false };
  }
  if (!plan.allowSelfApproval && forWhom && isSamePerson(requester, forWhom)) {
    return { ok: false, reason: `${forWhom.name || 'The approver you act for'} made this request, so their delegate cannot approve it: another approver has to.`, duplicate: false };
  }
  const approval: Approval = { by: person, ...(forWhom ? { onBehalfOf: forWhom } : {}), at: at.toISOString(), stage: current.index };
  const next: ApprovalPlan = { ...plan, approvals: [...plan.approvals, approval] };
  const after = currentStage(next);
  const counted = current.stage.quorum - current.remaining + 1;
  const stageNote = plan.stages.length > 1 ? ` for ${current.stage.name}` : '';
  const delegate = forWhom ? ` ${person.name || 'A delegate'} approved for ${forWhom.name || forWhom.aadObjectId}.` : '';
  const note = `Approval ${counted} of ${current.stage.quorum}${stageNote}.${delegate}${after ? ` Still needed: ${neededText(after)}.` : ''}`;
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
export function waitsFor(request: IntegrationRequest, policy: ApprovalPolicy, actor: Actor, now: Date, actingFor: readonly Person[] = []): boolean {
  return request.state === 'pending' && addApproval(planOf(request, policy), request.requester, actor, now, actingFor).ok;
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
