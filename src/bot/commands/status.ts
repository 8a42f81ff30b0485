/** `status [<instance> | <request id>]`: live state from ARM plus the latest request, or one request's history. */
import { liveStatusOf } from '../../azure/status.js';
import type { InstanceFacts } from '../../eligibility/facts.js';
import { normalizeRequestId } from '../../requests/request-id.js';
import { instanceStatusCard } from '../cards/instance-status-card.js';
import { notVisibleText } from '../../requests/read-access.js';
import { text, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import { listRequests } from './list-requests.js';
import { resolveInstance } from './resolve-instance.js';
import { mayReadHere, visibleRequest } from './visible-request.js';

/** `R-7K3QM` is always a request id; `r7k3qm` may also be an instance's name, tried when no such request is visible. */
const TYPED_AS_REQUEST_ID = /^r-/i;

export async function status(services: BotServices, turn: TurnInfo, target: string | null): Promise<Reply> {
  if (!target) return listRequests(services, turn);
  const requestId = normalizeRequestId(target);
  if (requestId) {
    const request = await visibleRequest(services, turn, requestId);
    if (request) return { card: services.cards.view(request, 'viewer') };
    if (TYPED_AS_REQUEST_ID.test(target.trim())) return text(notVisibleText(requestId));
  }
  const resolved = await resolveInstance(services, turn, target, { command: 'status' });
  if ('reply' in resolved) return resolved.reply;
  return instanceStatus(services, turn, resolved.instance);
}

/** The live state; the latest request of the instance only for those who may read it. */
export async function instanceStatus(services: BotServices, turn: TurnInfo, instance: InstanceFacts): Promise<Reply> {
  const live = liveStatusOf(instance, services.deps.clock());
  const latest = (await services.deps.stores.requests.listByInstance(instance.id))[0] ?? null;
  const shown = latest && !(await mayReadHere(services, turn, latest)) ? 'hidden' : latest;
  return { card: instanceStatusCard(live.instance, live.busy, shown, live.readAt) };
}
