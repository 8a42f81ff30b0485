/** Asks for a request in the person's name and answers with its card; the approval card goes where the routing says. */
import { describeState } from '../../requests/lifecycle.js';
import { openRequest, type RequestDraft } from '../../requests/open-request.js';
import { isWaiting, waitText } from '../../requests/window-wait.js';
import { text, type Reply } from '../reply.js';
import type { BotServices, Origin } from '../services.js';
import type { TurnInfo } from '../turn-info.js';

/** In enforce mode a request needs the requester's Entra id, or their rights cannot be checked. */
export function identityRefusal(services: BotServices, turn: TurnInfo): Reply | null {
  if (turn.person.aadObjectId || services.deps.config.eligibility.requesterRbac === 'advisory') return null;
  return text('Teams did not tell me your Entra (Azure AD) identity, so I cannot check your Azure rights, and without that I may not make a request for you.');
}

export async function askForRequest(services: BotServices, turn: TurnInfo, draft: RequestDraft, origin: Origin): Promise<Reply> {
  const refusal = identityRefusal(services, turn);
  if (refusal) return refusal;
  const { stores, clock, config, logger } = services.deps;
  const opened = await openRequest(stores, config.bot.approvalPolicy, turn, draft, clock());
  if ('alreadyOpen' in opened) {
    const open = opened.alreadyOpen;
    return text(
      `Request ${open.id} for ${draft.instance.name} is already open (${describeState(open.state)}). Cancel it (cancel ${open.id}) or wait for it to finish before asking again.`,
    );
  }
  if ('notRetried' in opened) return text(opened.notRetried);
  const { request, routing } = opened;
  logger.info('request created', { requestId: request.id, kind: request.kind, instance: request.instance.id, targets: routing.targets.length, retryOf: request.retryOf ?? null });
  const approved = request.state === 'approved';
  return {
    card: services.cards.view(request, 'requester', approved && !waitText(request, clock()) ? 'Approved already: the apply starts now.' : undefined),
    after: async (activityId) => {
      await services.cards.publish(request.id, { activityId, replaceForAll: origin === 'invoke' }, routing.targets);
      if (approved && !isWaiting(request, clock())) services.startApply(request.id);
    },
  };
}
