/**
 * approve / reject on the approval card. Only configured approvers; the requester not on their own request
 * (unless self-approval is on). The state change is a compare-and-set, so of any number of clicks (in one
 * process or several) exactly one wins; every other clicker is told who decided and when. Approve answers at
 * once with the card as applying; the work runs in the background.
 */
import { transition } from '../../requests/lifecycle.js';
import type { IntegrationRequest } from '../../requests/request.js';
import { updateWithRetry } from '../../requests/store/index.js';
import { personText, STATE_LABEL, timeText } from '../cards/wording.js';
import { text, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import { isApprover, isSamePerson } from '../../requests/people.js';
import { expireIfOverdue, requestIdOf, textInput } from './authorize.js';

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
  const requestId = requestIdOf(data);
  const found = requestId ? await stores.requests.get(requestId) : null;
  if (!found) return text(`I have no request ${requestId ?? '(no id)'}. Nothing changed.`);
  if (!isApprover(config.bot.approverIds, turn.person)) {
    logger.info('decision refused: not an approver', { requestId: found.id, verb });
    return text(`Only the configured approvers can ${verb} requests. Nothing changed.`);
  }
  if (verb === 'approve' && isSamePerson(found.requester, turn.person) && !config.bot.allowSelfApproval) {
    logger.info('decision refused: self-approval', { requestId: found.id });
    return text('You made this request, so you cannot approve it yourself: another approver has to. Nothing changed.');
  }
  const request = await expireIfOverdue(services, found);
  if (request.state === 'expired') return { card: services.cards.view(request, 'approval', `Request ${request.id} has expired. Nothing changed.`) };

  const reason = textInput(data, 'reason', 500);
  const { request: stored, changed } = await updateWithRetry(stores.requests, request.id, (current) => {
    const keep = options.keepMade === true && current.kind === 'disconnect' && current.undo;
    const kept = keep ? `Approved without the undo: what the bot made for ${current.undo?.fromRequestId} stays.` : null;
    const moved = transition(current, verb, { by: turn.person, at: clock(), why: [kept, reason].filter(Boolean).join(' ') || null });
    if (!moved.ok) return null;
    return keep ? { ...moved.request, undo: null } : moved.request;
  });
  if (!stored) return text(`I have no request ${request.id}. Nothing changed.`);
  if (!changed) return { card: services.cards.view(stored, 'approval', alreadyDecided(stored, verb)) };
  logger.info('request decided', { requestId: stored.id, verb });
  if (verb === 'approve') {
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
  const decision = request.history.find((h) => h.from === 'pending');
  const yours = verb === 'approve' ? 'Your approval' : 'Your rejection';
  if (!decision) return `Request ${request.id} is already ${STATE_LABEL[request.state].toLowerCase()}. Nothing changed.`;
  const how = DECIDED_VERB[decision.to] ?? decision.to;
  const who = decision.to === 'expired' ? 'It' : personText(decision.by);
  const now = decision.to === request.state ? '' : ` It is ${STATE_LABEL[request.state].toLowerCase()} now.`;
  return `Request ${request.id} is already ${how}: ${who} ${how} it at ${timeText(decision.at)}.${now} ${yours} was not recorded; nothing changed.`;
}
