/** Who a person is, compared the way the bot trusts: by Entra object id, else by Teams id. Pure. */
import type { ApprovalStage } from '../policy/approval-policy.js';
import type { Person } from './request.js';

/**
 * The person who acts, with the approver groups they are a member of: resolved beforehand by the bot (and only the
 * groups that matter for what they act on), so the rules that count approvals stay pure.
 */
export interface Actor {
  person: Person;
  /** Entra group object ids the person is a (transitive) member of; empty when none, or not known. */
  memberOf: readonly string[];
}

export const actorOf = (person: Person, memberOf: readonly string[] = []): Actor => ({ person, memberOf });

export function isApprover(approverIds: readonly string[], person: Person): boolean {
  const id = person.aadObjectId?.toLowerCase();
  return id !== undefined && approverIds.some((a) => a.toLowerCase() === id);
}

export function isSamePerson(a: Person, b: Person): boolean {
  if (a.aadObjectId && b.aadObjectId) return a.aadObjectId.toLowerCase() === b.aadObjectId.toLowerCase();
  return a.teamsId !== '' && a.teamsId === b.teamsId;
}

/** Whether the actor approves in this stage: listed by object id, or a member of one of its groups. */
export function isStageApprover(stage: Pick<ApprovalStage, 'approvers' | 'groups'>, actor: Actor): boolean {
  if (isApprover(stage.approvers, actor.person)) return true;
  const groups = (stage.groups ?? []).map((g) => g.toLowerCase());
  return actor.memberOf.some((g) => groups.includes(g.toLowerCase()));
}
