/**
 * A request by id, only when the person asking may read it here (requests/read-access.ts), or is an approver of it
 * through one of its approver groups (asked of the directory only when nothing else lets them read it).
 */
import { isPlanApprover, planOf } from '../../requests/approvals.js';
import { mayRead } from '../../requests/read-access.js';
import type { IntegrationRequest } from '../../requests/request.js';
import { actorFor } from '../approver-groups.js';
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
  const readable = mayRead(
    request,
    { person: turn.person, conversationId: turn.conversation.conversationId },
    { approverIds: config.bot.approverIds, approvalsChannelId: settings.approvalsChannel?.conversation.conversationId ?? null },
  );
  if (readable) return true;
  const plan = planOf(request, config.bot.approvalPolicy);
  const { actor } = await actorFor(services.deps, turn.person, [plan]);
  return isPlanApprover(plan, actor);
}
