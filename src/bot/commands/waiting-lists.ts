/**
 * `pending` (what waits for my decision) and `my requests` (what I asked for), across every chat. Both read the
 * person from the activity; a request the reader may not see never shows (only its approvers and requester).
 */
import { planOf, waitsFor } from '../../requests/approvals.js';
import { isSamePerson } from '../../requests/people.js';
import { REQUEST_STATES, type IntegrationRequest } from '../../requests/request.js';
import { actingForNow } from '../actions/authorize.js';
import { actorFor } from '../approver-groups.js';
import { requestListCard } from '../cards/request-list-card.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';

const oldestFirst = (a: IntegrationRequest, b: IntegrationRequest) => Date.parse(a.createdAt) - Date.parse(b.createdAt);

export async function pendingForMe(services: BotServices, turn: TurnInfo, page: number): Promise<Reply> {
  const { stores, config, clock } = services.deps;
  const now = clock();
  const policy = config.bot.approvalPolicy;
  const actingFor = await actingForNow(services, turn.person);
  const pending = await stores.requests.listByState(['pending']);
  const { actor, problem } = await actorFor(services.deps, turn.person, pending.map((r) => planOf(r, policy)));
  const waiting = pending.filter((r) => waitsFor(r, policy, actor, now, actingFor)).sort(oldestFirst);
  return {
    card: requestListCard({
      ...(problem ? { note: problem } : {}),
      title: `Waiting for your decision: ${waiting.length}`,
      emptyText: 'Nothing waits for your decision.',
      requests: waiting,
      page,
      pageVerb: 'pendingPage',
      decide: true,
      now,
    }),
  };
}

export async function myRequests(services: BotServices, turn: TurnInfo, page: number): Promise<Reply> {
  const { stores, clock } = services.deps;
  const mine = (await stores.requests.listByState(REQUEST_STATES)).filter((r) => isSamePerson(r.requester, turn.person)).sort((a, b) => oldestFirst(b, a));
  return {
    card: requestListCard({
      title: `Your requests: ${mine.length}`,
      emptyText: 'You have made no requests yet. Say check <instance> to start one.',
      requests: mine,
      page,
      pageVerb: 'myRequestsPage',
      decide: false,
      now: clock(),
    }),
  };
}
