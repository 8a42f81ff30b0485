/** `requests`: the open requests of this chat, or of the whole team in a channel. */
import { isOpen } from '../../requests/request.js';
import { requestsCard } from '../cards/requests-card.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';

export async function listRequests(services: BotServices, turn: TurnInfo): Promise<Reply> {
  const { requests } = services.deps.stores;
  const { conversation } = turn;
  const inTeam = conversation.type === 'channel' && conversation.teamId !== null;
  const all = inTeam ? await requests.listByTeam(conversation.teamId ?? '') : await requests.listByConversation(conversation.conversationId);
  const open = all.filter(isOpen);
  const where = inTeam ? 'this team' : 'this chat';
  return { card: requestsCard(`Open requests in ${where}`, open, `No open requests in ${where}. Say check <instance> to start one.`, services.deps.clock()) };
}
