/**
 * Run now on the approval card of a request waiting for its change window (requests/window-wait.ts): only the
 * approvers of its plan; one compare-and-set clears the wait and records who pressed it, so of any number of
 * clicks one starts the apply; a click on a request that no longer waits is told what it is doing instead.
 */
import { isPlanApprover, planOf } from '../../requests/approvals.js';
import { updateWithRetry } from '../../requests/store/index.js';
import { runNow as runNowDecision, type RunNow } from '../../requests/window-wait.js';
import type { IntegrationRequest } from '../../requests/request.js';
import { personText, STATE_LABEL, timeText } from '../cards/wording.js';
import { text, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import { actorFor } from '../approver-groups.js';
import { actingForNow, requestIdOf } from './authorize.js';

export async function runNow(services: BotServices, turn: TurnInfo, data: unknown): Promise<Reply> {
  const { stores, clock, config, logger } = services.deps;
  const requestId = requestIdOf(data);
  const found = requestId ? await stores.requests.get(requestId) : null;
  if (!found) return text(`I have no request ${requestId ?? '(no id)'}. Nothing changed.`);
  const actingFor = await actingForNow(services, turn.person);
  const plan = planOf(found, config.bot.approvalPolicy);
  const { actor, problem } = await actorFor(services.deps, turn.person, [plan]);
  if (problem && !isPlanApprover(plan, actor, actingFor)) return text(`${problem} Nothing changed.`);
  let outcome: RunNow = { kind: 'stale' };
  const { request: stored } = await updateWithRetry(stores.requests, found.id, (current) => {
    outcome = runNowDecision(current, planOf(current, config.bot.approvalPolicy), actor, clock(), actingFor);
    return outcome.kind === 'started' ? outcome.request : null;
  });
  if (!stored) return text(`I have no request ${found.id}. Nothing changed.`);
  const made = outcome as RunNow;
  if (made.kind === 'refused') {
    logger.info('run now refused', { requestId: stored.id, reason: made.reason });
    return text(`${made.reason} Nothing changed.`);
  }
  if (made.kind === 'stale') return { card: services.cards.view(stored, 'approval', staleText(stored)) };
  logger.info('run now: started before the change window', { requestId: stored.id });
  return {
    card: services.cards.view(stored, 'approval', 'Started now, before its change window. The history records that you did.'),
    after: async () => {
      services.startApply(stored.id);
      await services.cards.refresh(stored.id);
    },
  };
}

/** For a click on a request that does not wait (any more): what it is doing, and who ran it now if someone did. */
function staleText(request: IntegrationRequest): string {
  const who = request.runNow ? ` ${personText(request.runNow.by)} ran it now at ${timeText(request.runNow.at)}.` : '';
  const state = request.state === 'approved' ? 'not waiting for its change window: it is starting' : STATE_LABEL[request.state].toLowerCase();
  return `Request ${request.id} is ${state}.${who} Run now changed nothing.`;
}
