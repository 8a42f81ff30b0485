/** Cancel a pending request: only its requester may. Shared by `cancel <id>` and the card's Cancel button. */
import { isOverdue, transition } from '../../requests/lifecycle.js';
import { ttlHoursOf } from '../../requests/timing.js';
import type { IntegrationRequest } from '../../requests/request.js';
import { updateWithRetry } from '../../requests/store/index.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import { isSamePerson } from '../../requests/people.js';
import { expireIfOverdue } from '../actions/authorize.js';

export type CancelOutcome = { ok: true; request: IntegrationRequest } | { ok: false; message: string; request: IntegrationRequest | null };

export async function cancelRequest(services: BotServices, turn: TurnInfo, requestId: string): Promise<CancelOutcome> {
  const { stores, clock, config } = services.deps;
  const request = await stores.requests.get(requestId);
  if (!request) return { ok: false, message: `I have no request ${requestId}.`, request: null };
  if (!isSamePerson(request.requester, turn.person)) {
    return { ok: false, message: `Only ${request.requester.name || 'the requester'}, who made request ${request.id}, can cancel it. Nothing changed.`, request };
  }
  if (isOverdue(request, clock(), ttlHoursOf(request, config.bot.requestTtlHours))) {
    const expired = await expireIfOverdue(services, request);
    return { ok: false, message: `Request ${request.id} had expired.`, request: expired };
  }
  let refusal: string | null = null;
  const { request: stored, changed } = await updateWithRetry(stores.requests, requestId, (current) => {
    const moved = transition(current, 'cancel', { by: turn.person, at: clock() });
    if (!moved.ok) refusal = moved.reason;
    return moved.ok ? moved.request : null;
  });
  if (!changed || !stored) return { ok: false, message: refusal ?? `Request ${requestId} could not be cancelled.`, request: stored };
  services.background.run(`refresh ${requestId}`, () => services.cards.refresh(requestId));
  return { ok: true, request: stored };
}
