/**
 * The acting person as the approval rules need them: with the approver groups they belong to, asked of the
 * directory only for the groups of the plans concerned, and only where they are not listed by object id already.
 * A failed check counts them in no group and says why.
 */
import { groupsToCheck, type ApprovalPlan } from '../requests/approvals.js';
import { actorOf, type Actor } from '../requests/people.js';
import type { Person } from '../requests/request.js';
import type { BotDeps } from './deps.js';

export interface ResolvedActor {
  actor: Actor;
  /** For the person, when their membership could not be checked; null otherwise. */
  problem: string | null;
}

export function membershipProblemText(reason: string): string {
  return `I could not check your membership of the approver groups: ${reason}. An approver listed by object id can still decide.`;
}

export async function actorFor(deps: Pick<BotDeps, 'directory'>, person: Person, plans: readonly ApprovalPlan[]): Promise<ResolvedActor> {
  const groups = [...new Map(plans.flatMap((plan) => groupsToCheck(plan, person)).map((g) => [g.toLowerCase(), g])).values()];
  if (groups.length === 0 || !person.aadObjectId) return { actor: actorOf(person), problem: null };
  const answer = await deps.directory.checkMemberGroups(person.aadObjectId, groups);
  if (answer.ok) return { actor: actorOf(person, answer.memberOf), problem: null };
  return { actor: actorOf(person), problem: membershipProblemText(answer.reason) };
}
