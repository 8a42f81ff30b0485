/**
 * `approvals here`: an approver makes this channel the place where approval cards go: listed by object id under some
 * rule, or a member of some rule's approver group.
 */
import { allApproverGroups } from '../../policy/approval-policy.js';
import { isApprover } from '../../requests/people.js';
import { membershipProblemText } from '../approver-groups.js';
import { text, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';

const NOT_AN_APPROVER = 'Only a configured approver can choose where approval cards go. Nothing changed.';

/** Null when the person approves under some rule; otherwise the answer that refuses them. */
async function refusal(services: BotServices, turn: TurnInfo): Promise<string | null> {
  const { config, directory } = services.deps;
  if (isApprover(config.bot.approverIds, turn.person)) return null;
  const groups = allApproverGroups(config.bot.approvalPolicy);
  if (groups.length === 0 || !turn.person.aadObjectId) return NOT_AN_APPROVER;
  const answer = await directory.checkMemberGroups(turn.person.aadObjectId, groups);
  if (!answer.ok) return `${membershipProblemText(answer.reason)} Nothing changed.`;
  return answer.memberOf.length > 0 ? null : NOT_AN_APPROVER;
}

export async function approvalsHere(services: BotServices, turn: TurnInfo): Promise<Reply> {
  const { stores, clock } = services.deps;
  if (turn.conversation.type !== 'channel') return text('Say this in the Teams channel where approval cards should go.');
  const refused = await refusal(services, turn);
  if (refused) return text(refused);
  await stores.settings.change((s) => ({ ...s, approvalsChannel: { conversation: turn.conversation, setBy: turn.person, setAt: clock().toISOString() } }));
  const waiting = (await stores.requests.listByState(['pending'])).filter((r) => !r.cards.some((c) => c.role === 'approval'));
  return {
    text: `From now on, approval cards come to this channel.${waiting.length > 0 ? ` Posting ${waiting.length} request${waiting.length === 1 ? '' : 's'} still waiting for an approver.` : ''}`,
    after: async () => {
      for (const request of waiting) await services.cards.postApprovalCards(request.id, [turn.conversation], 'The approval card went to the approvals channel.');
    },
  };
}
