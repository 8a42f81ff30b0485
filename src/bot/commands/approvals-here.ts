/** `approvals here`: an approver makes this channel the place where approval cards go. */
import { text, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import { isApprover } from '../../requests/people.js';

export async function approvalsHere(services: BotServices, turn: TurnInfo): Promise<Reply> {
  const { config, stores, clock } = services.deps;
  if (turn.conversation.type !== 'channel') return text('Say this in the Teams channel where approval cards should go.');
  if (!isApprover(config.bot.approverIds, turn.person)) return text('Only a configured approver can choose where approval cards go. Nothing changed.');
  await stores.settings.change((s) => ({ ...s, approvalsChannel: { conversation: turn.conversation, setBy: turn.person, setAt: clock().toISOString() } }));
  const waiting = (await stores.requests.listByState(['pending'])).filter((r) => !r.cards.some((c) => c.role === 'approval'));
  return {
    text: `From now on, approval cards come to this channel.${waiting.length > 0 ? ` Posting ${waiting.length} request${waiting.length === 1 ? '' : 's'} still waiting for an approver.` : ''}`,
    after: async () => {
      for (const request of waiting) await services.cards.postApprovalCards(request.id, [turn.conversation], 'The approval card went to the approvals channel.');
    },
  };
}
