/** A request by id, only when the person asking may read it here (requests/read-access.ts). */
import { mayRead } from '../../requests/read-access.js';
import type { IntegrationRequest } from '../../requests/request.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';

export async function visibleRequest(services: BotServices, turn: TurnInfo, requestId: string): Promise<IntegrationRequest | null> {
  const request = await services.deps.stores.requests.get(requestId);
  if (!request) return null;
  return (await mayReadHere(services, turn, request)) ? request : null;
}

export async function mayReadHere(services: BotServices, turn: TurnInfo, request: IntegrationRequest): Promise<boolean> {
  const { stores, config } = services.deps;
  const settings = await stores.settings.get();
  return mayRead(
    request,
    { person: turn.person, conversationId: turn.conversation.conversationId },
    { approverIds: config.bot.approverIds, approvalsChannelId: settings.approvalsChannel?.conversation.conversationId ?? null },
  );
}
