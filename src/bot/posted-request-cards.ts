/**
 * The cards a request has in Teams: keeps every one in step with its stored state, posts approval cards, and
 * tells the requester how it ended. Updates for one request run one at a time and always render the latest state.
 */
import type { Activity } from 'botbuilder';
import { KeyedLock, updateWithRetry } from '../requests/store/index.js';
import { expiresAt, lastEntryInto } from '../requests/lifecycle.js';
import { ttlHoursOf } from '../requests/timing.js';
import type { ConversationInfo, IntegrationRequest, PostedCard, RequestState } from '../requests/request.js';
import { requestCard, type CardRole } from './cards/request-card.js';
import { waitText } from '../requests/window-wait.js';
import { approvalText, personText, requestSummary, waitSentence } from './cards/wording.js';
import type { AdaptiveCard } from './cards/template.js';
import type { BotDeps } from './deps.js';
import { cardActivity, type Notifier } from './notifier.js';
import { listOf } from '../eligibility/messages.js';
import { messageOf } from '../errors.js';

export class PostedRequestCards {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly deps: BotDeps,
    private readonly notifier: Notifier,
  ) {}

  view(request: IntegrationRequest, role: CardRole, notice?: string): AdaptiveCard {
    return requestCard(request, role, {
      allowSelfApproval: this.deps.config.bot.allowSelfApproval,
      routingNote: request.routingNote,
      expiresAt: expiresAt(request, ttlHoursOf(request, this.deps.config.bot.requestTtlHours)).toISOString(),
      now: this.deps.clock(),
      ...(notice ? { notice } : {}),
    });
  }

  /**
   * Updates every posted card of the request for everyone, from the stored record. Another process may render
   * the same request at the same time: when the record changed while the cards were sent, they are sent again,
   * so the last update shows the latest state.
   */
  async refresh(requestId: string): Promise<void> {
    await this.lock.run(requestId, async () => {
      let shown: string | null = null;
      for (let round = 0; round < 3; round++) {
        const request = await this.deps.stores.requests.get(requestId);
        if (!request) return;
        const key = `${request.state}|${request.waitsUntil ?? ''}|${request.apply?.step ?? ''}|${request.apply?.done.length ?? 0}|${request.cards.length}`;
        if (key === shown) return;
        for (const card of request.cards) {
          try {
            await this.notifier.update(card.conversation, card.activityId, cardActivity(this.view(request, card.role)));
          } catch (error) {
            this.deps.logger.warn('could not update a request card', { requestId, role: card.role, error: messageOf(error) });
          }
        }
        shown = key;
      }
    });
  }

  /**
   * After a request is created: shows the requester's card to everyone in its conversation (it replaces the
   * options card there, or was just posted) and posts the approval card to each target.
   */
  async publish(requestId: string, requesterCard: { activityId: string | null; replaceForAll: boolean }, targets: ConversationInfo[]): Promise<void> {
    const request = await this.deps.stores.requests.get(requestId);
    if (!request) return;
    const posted: PostedCard[] = [];
    if (requesterCard.activityId) {
      posted.push({ role: 'requester', conversation: request.conversation, activityId: requesterCard.activityId });
      if (requesterCard.replaceForAll) {
        await this.notifier
          .update(request.conversation, requesterCard.activityId, cardActivity(this.view(request, 'requester')))
          .catch((error: unknown) => this.deps.logger.warn('could not update the requester card', { requestId, error: messageOf(error) }));
      }
    }
    await this.record(requestId, posted);
    await this.postApprovalCards(requestId, targets);
  }

  /** Posts the approval card to each target; `routingNote` (when given) replaces what the requester's card says. */
  async postApprovalCards(requestId: string, targets: ConversationInfo[], routingNote?: string): Promise<number> {
    let count = 0;
    for (const target of targets) {
      const request = await this.deps.stores.requests.get(requestId);
      if (!request) return count;
      try {
        const activityId = await this.notifier.post(target, cardActivity(this.view(request, 'approval')));
        if (activityId) await this.record(requestId, [{ role: 'approval', conversation: target, activityId }]);
        count++;
      } catch (error) {
        this.deps.logger.warn('could not post an approval card', { requestId, conversationType: target.type, error: messageOf(error) });
      }
    }
    if (routingNote && count > 0) {
      await updateWithRetry(this.deps.stores.requests, requestId, (r) => (r.routingNote === routingNote ? null : { ...r, routingNote }));
    }
    // A decision may have come in while the cards were being posted, or the note changed: bring them all up to date.
    const latest = await this.deps.stores.requests.get(requestId);
    if (latest && (latest.state !== 'pending' || routingNote)) await this.refresh(requestId);
    return count;
  }

  private async record(requestId: string, cards: PostedCard[]): Promise<void> {
    if (cards.length === 0) return;
    await updateWithRetry(this.deps.stores.requests, requestId, (r) => {
      const fresh = cards.filter((c) => !r.cards.some((x) => x.activityId === c.activityId && x.conversation.conversationId === c.conversation.conversationId));
      return fresh.length > 0 ? { ...r, cards: [...r.cards, ...fresh] } : null;
    });
  }

  /**
   * Tells the requester how the request ended, once: the first process to mark it told (a compare-and-set)
   * sends the message, so a take-over or a second process does not send it again.
   */
  async tellRequesterOnce(requestId: string): Promise<void> {
    const now = this.deps.clock().toISOString();
    const { request, changed } = await updateWithRetry(this.deps.stores.requests, requestId, (r) =>
      TOLD_STATES.has(r.state) && !r.toldRequesterAt ? { ...r, toldRequesterAt: now } : null,
    );
    if (changed && request) await this.tellRequester(request);
  }

  /**
   * A message to the requester in the conversation of the request, mentioning them outside personal chats: how it
   * ended, or when an approved request waiting for its change window will run.
   */
  async tellRequester(request: IntegrationRequest): Promise<void> {
    const text = outcomeText(request, this.deps.clock());
    if (!text) return;
    const { requester, conversation } = request;
    const mention = conversation.type !== 'personal' && requester.teamsId ? `<at>${requester.name || 'Requester'}</at>` : null;
    const activity: Partial<Activity> = {
      type: 'message',
      text: mention ? `${mention} ${text}` : text,
      ...(mention ? { entities: [{ type: 'mention', text: mention, mentioned: { id: requester.teamsId, name: requester.name } }] } : {}),
    };
    try {
      await this.notifier.post(conversation, activity);
    } catch (error) {
      this.deps.logger.warn('could not tell the requester', { requestId: request.id, error: messageOf(error) });
    }
  }
}

const TOLD_STATES = new Set<RequestState>(['succeeded', 'failed', 'rejected', 'expired']);

/** " Approved by Bob and Carol." (who decided, for the requester), or "" when nobody did. */
function approvedBy(request: IntegrationRequest): string {
  const recorded = request.approval?.approvals ?? [];
  const last = lastEntryInto(request, 'approved')?.by ?? null;
  const names = recorded.length > 0 ? recorded.map(approvalText) : last ? [personText(last)] : [];
  if (names.length === 0) return '';
  return ` Approved by ${listOf(names)}.`;
}

function outcomeText(request: IntegrationRequest, now: Date): string | null {
  const what = requestSummary(request);
  const decision = [...request.history].reverse().find((h) => h.to === request.state);
  switch (request.state) {
    case 'approved': {
      const when = waitText(request, now);
      return when ? `⏳ Request ${request.id} (${what}): ${waitSentence(when)}${approvedBy(request)}` : null;
    }
    case 'succeeded':
      return `✅ Request ${request.id} is done: ${what}.${approvedBy(request)} ${request.apply?.done.at(-1)?.note ?? ''}`.trim();
    case 'failed': {
      const failure = request.apply?.failure;
      const left = failure?.leftBehind?.length ? ` Left in place: ${failure.leftBehind.join(' ')}` : '';
      return `❌ Request ${request.id} failed (${what}): ${failure?.code ?? 'UnknownError'}. ${failure?.explanation ?? ''} Details: ${failure?.message ?? 'none'}${left}${approvedBy(request)} Once the cause is fixed, say retry ${request.id} to try again.`;
    }
    case 'rejected':
      return `Request ${request.id} (${what}) was rejected by ${decision?.by?.name ?? 'an approver'}${decision?.why ? `: ${decision.why}` : '.'}`;
    case 'expired':
      return `Request ${request.id} (${what}) expired without a decision. Make a new request if you still need it.`;
    default:
      return null;
  }
}

