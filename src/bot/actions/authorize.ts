/** Who may do what with a request. Identities come from the activity, never from card data. */
import { isOverdue, transition } from '../../requests/lifecycle.js';
import { actingFor, delegationsOf } from '../../requests/delegation.js';
import type { IntegrationRequest, Person } from '../../requests/request.js';
import { updateWithRetry } from '../../requests/store/index.js';
import { ttlHoursOf } from '../../requests/timing.js';
import type { BotServices } from '../services.js';

/** Moves an overdue pending request to expired (once), updates its cards and tells the requester. */
export async function expireIfOverdue(services: BotServices, request: IntegrationRequest): Promise<IntegrationRequest> {
  const { clock, config, stores } = services.deps;
  const ttlHours = ttlHoursOf(request, config.bot.requestTtlHours);
  if (!isOverdue(request, clock(), ttlHours)) return request;
  const { request: stored, changed } = await updateWithRetry(stores.requests, request.id, (current) => {
    const moved = transition(current, 'expire', { by: null, at: clock(), why: `No decision within ${ttlHours} hours.` });
    return moved.ok ? moved.request : null;
  });
  if (changed && stored) {
    services.background.run(`expire ${stored.id}`, async () => {
      await services.cards.refresh(stored.id);
      await services.cards.tellRequesterOnce(stored.id);
    });
  }
  return stored ?? request;
}

/** The request id of an action's data: the only field of it the bot reads. */
export function requestIdOf(data: unknown): string | null {
  const value = (data as { requestId?: unknown } | null)?.requestId;
  return typeof value === 'string' && value.length <= 16 ? value.trim().toUpperCase() : null;
}

/** An optional free-text input, trimmed and bounded. */
export function textInput(data: unknown, name: string, max: number): string | null {
  const value = (data as Record<string, unknown> | null)?.[name];
  if (typeof value !== 'string') return null;
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed ? trimmed.slice(0, max) : null;
}

/** The approvers whose delegation to `person` runs now. */
export async function actingForNow(services: BotServices, person: Person): Promise<Person[]> {
  const { stores, clock } = services.deps;
  return actingFor(delegationsOf((await stores.settings.get()).delegations), person, clock());
}
