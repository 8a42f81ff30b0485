/**
 * approve / reject on the approval card, under the request's approval plan (requests/decision.ts): only its
 * approvers; the requester not on their own request unless the rule allows it; each approver once; the last
 * approval needed starts the apply (or, outside the plan's change windows, says when it will run and tells the
 * requester; the sweep starts it then). Every change is a compare-and-set, so of any number of clicks (in one process
 * or several) exactly one makes it; a click that lost is told who decided and when. The apply runs in the background.
 */
import { planOf, isPlanApprover } from '../../requests/approvals.js';
import { decideRequest, type Decision } from '../../requests/decision.js';
import type { IntegrationRequest } from '../../requests/request.js';
import { updateWithRetry } from '../../requests/store/index.js';
import { waitText } from '../../requests/window-wait.js';
import { actorFor } from '../approver-groups.js';
import { personText, STATE_LABEL, timeText, waitSentence } from '../cards/wording.js';
import { text, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import { actingForNow, expireIfOverdue, requestIdOf, textInput } from './authorize.js';

/**
 * `keepMade`: approve a disconnect without its undo (the approver keeps what the bot made for the instance); the
 * request then removes nothing, and its history says so.
 */
export async function decide(
  services: BotServices,
  turn: TurnInfo,
  verb: 'approve' | 'reject',
  data: unknown,
  options: { keepMade?: boolean } = {},
): Promise<Reply> {
  const { stores, clock, config, logger } = services.deps;
  const policy = config.bot.approvalPolicy;
  const requestId = requestIdOf(data);
  const found = requestId ? await stores.requests.get(requestId) : null;
  if (!found) return text(`I have no request ${requestId ?? '(no id)'}. Nothing changed.`);
  const plan = planOf(found, policy);
  const actingFor = await actingForNow(services, turn.person);
  const { actor, problem } = await actorFor(services.deps, turn.person, [plan]);
  if (!isPlanApprover(plan, actor, actingFor)) {
    logger.info('decision refused: not an approver', { requestId: found.id, verb, groupCheckFailed: problem !== null });
    return text(`${problem ?? `Only the approvers of this request can ${verb} it.`} Nothing changed.`);
  }
  const request = await expireIfOverdue(services, found);
  if (request.state === 'expired') return { card: services.cards.view(request, 'approval', `Request ${request.id} has expired. Nothing changed.`) };

  const reason = textInput(data, 'reason', 500);
  let decision: Decision = { kind: 'closed' };
  const { request: stored } = await updateWithRetry(stores.requests, request.id, (current) => {
    const keep = verb === 'approve' && options.keepMade === true && current.kind === 'disconnect' && current.undo;
    const kept = keep ? `Approved without the undo: what the bot made for ${current.undo?.fromRequestId} stays.` : null;
    decision = decideRequest(current, policy, actor, verb, clock(), [kept, reason].filter(Boolean).join(' ') || null, actingFor);
    if (decision.kind === 'refused' || decision.kind === 'closed') return null;
    return keep && decision.kind === 'approved' ? { ...decision.request, undo: null } : decision.request;
  });
  if (!stored) return text(`I have no request ${request.id}. Nothing changed.`);
  const made = decision as Decision;
  if (made.kind === 'refused') {
    logger.info('decision refused', { requestId: stored.id, verb, reason: made.reason });
    return text(`${made.reason}${problem ? ` ${problem}` : ''} Nothing changed.`);
  }
  if (made.kind === 'closed') return { card: services.cards.view(stored, 'approval', alreadyDecided(stored, verb)) };
  logger.info('request decided', { requestId: stored.id, verb, outcome: made.kind });
  if (made.kind === 'counted') {
    return { card: services.cards.view(stored, 'approval', `Your approval is recorded. ${made.note}`), after: () => services.cards.refresh(stored.id) };
  }
  const when = made.kind === 'approved' ? waitText(stored, clock()) : null;
  if (when) {
    return {
      card: services.cards.view(stored, 'approval', waitSentence(when)),
      after: async () => {
        await services.cards.refresh(stored.id);
        await services.cards.tellRequester(stored);
      },
    };
  }
  if (made.kind === 'approved') {
    return {
      card: services.cards.view(stored, 'approval'),
      after: async () => {
        services.startApply(stored.id);
        await services.cards.refresh(stored.id);
      },
    };
  }
  return {
    card: services.cards.view(stored, 'approval'),
    after: async () => {
      await services.cards.refresh(stored.id);
      await services.cards.tellRequesterOnce(stored.id);
    },
  };
}

const DECIDED_VERB: Record<string, string> = { approved: 'approved', rejected: 'rejected', cancelled: 'cancelled', expired: 'expired' };

/** For a click that lost: who decided the request, and when. */
export function alreadyDecided(request: IntegrationRequest, verb: 'approve' | 'reject'): string {
  const decision = request.history.find((h) => h.from === 'pending' && h.to !== 'pending');
  const yours = verb === 'approve' ? 'Your approval' : 'Your rejection';
  if (!decision) return `Request ${request.id} is already ${STATE_LABEL[request.state].toLowerCase()}. Nothing changed.`;
  const how = DECIDED_VERB[decision.to] ?? decision.to;
  const who = decision.to === 'expired' ? 'It' : personText(decision.by);
  const now = decision.to === request.state ? '' : ` It is ${STATE_LABEL[request.state].toLowerCase()} now.`;
  return `Request ${request.id} is already ${how}: ${who} ${how} it at ${timeText(decision.at)}.${now} ${yours} was not recorded; nothing changed.`;
}
