/** The requester's Cancel button. */
import { cancelRequest } from '../commands/cancel.js';
import { text, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import { requestIdOf } from './authorize.js';

export async function cancelAction(services: BotServices, turn: TurnInfo, data: unknown): Promise<Reply> {
  const requestId = requestIdOf(data);
  if (!requestId) return text('This card names no request. Nothing changed.');
  const outcome = await cancelRequest(services, turn, requestId);
  if (!outcome.ok) return text(outcome.message);
  return { card: services.cards.view(outcome.request, 'requester') };
}
