/**
 * Proactive messages: posts and updates activities in stored conversations after the turn that learnt about
 * them has ended. Retries what Teams asks to retry (429, 412, 502, 504) with back-off.
 */
import { CardFactory, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { Logger } from '../log.js';
import type { ConversationInfo } from '../requests/request.js';
import type { AdaptiveCard } from './cards/template.js';

const RETRYABLE = new Set([412, 429, 502, 504]);

export function cardActivity(card: AdaptiveCard): Partial<Activity> {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
}

export class Notifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly logger: Logger,
    private readonly retryDelayMs = 500,
  ) {}

  /** Posts a new message; returns its activity id. */
  async post(conversation: ConversationInfo, activity: Partial<Activity>): Promise<string | null> {
    let id: string | null = null;
    await this.withRetry('post', () =>
      this.adapter.continueConversationAsync(this.appId, conversation.reference as Partial<ConversationReference>, async (context) => {
        id = (await context.sendActivity(activity))?.id ?? null;
      }),
    );
    return id;
  }

  /** Replaces an earlier message for everyone in the conversation. */
  async update(conversation: ConversationInfo, activityId: string, activity: Partial<Activity>): Promise<void> {
    await this.withRetry('update', () =>
      this.adapter.continueConversationAsync(this.appId, conversation.reference as Partial<ConversationReference>, async (context) => {
        await context.updateActivity({ ...activity, id: activityId });
      }),
    );
  }

  private async withRetry(what: string, send: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (attempt >= 4 || status === undefined || !RETRYABLE.has(status)) throw error;
        this.logger.info('connector asked to retry', { what, status, attempt });
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  }
}
