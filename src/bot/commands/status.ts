/** `status [<instance> | <request id>]`: live state from ARM plus the latest request, or one request's history. */
import { liveStatusOf } from '../../azure/status.js';
import type { InstanceFacts } from '../../eligibility/facts.js';
import { normalizeRequestId } from '../../requests/request-id.js';
import { instanceStatusCard } from '../cards/other-cards.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import { listRequests } from './list-requests.js';
import { resolveInstance } from './resolve-instance.js';

export async function status(services: BotServices, turn: TurnInfo, target: string | null): Promise<Reply> {
  if (!target) return listRequests(services, turn);
  const requestId = normalizeRequestId(target);
  if (requestId) {
    const request = await services.deps.stores.requests.get(requestId);
    if (request) return { card: services.cards.view(request, 'viewer') };
  }
  const resolved = await resolveInstance(services, turn, target, { command: 'status' });
  if ('reply' in resolved) return resolved.reply;
  return instanceStatus(services, resolved.instance);
}

export async function instanceStatus(services: BotServices, instance: InstanceFacts): Promise<Reply> {
  const live = liveStatusOf(instance, services.deps.clock());
  const latest = (await services.deps.stores.requests.listByInstance(instance.id))[0] ?? null;
  return { card: instanceStatusCard(live.instance, live.busy, latest, live.readAt) };
}
