/** Route: installs and membership changes. Remembers personal chats so approvers can get approval cards there. */
import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { helpCard } from '../cards/help-card.js';
import { cardActivity } from '../notifier.js';
import type { BotServices } from '../services.js';
import { turnInfoOf } from '../turn-info.js';
import { messageOf } from '../../errors.js';

/** Stores the personal chat of whoever speaks to the bot 1:1, on every turn there. */
export async function rememberPersonalChat(services: BotServices, context: TurnContext): Promise<void> {
  const turn = turnInfoOf(context);
  if (turn.conversation.type !== 'personal' || !turn.person.aadObjectId || !turn.conversation.conversationId) return;
  await services.deps.stores.settings.rememberPersonalChat({
    aadObjectId: turn.person.aadObjectId,
    teamsId: turn.person.teamsId,
    name: turn.person.name,
    conversation: turn.conversation,
    updatedAt: services.deps.clock().toISOString(),
  });
}

export function registerConversationEvents(app: Application, services: BotServices): void {
  app.turn('beforeTurn', async (context) => {
    try {
      await rememberPersonalChat(services, context);
    } catch (error) {
      services.deps.logger.warn('could not remember a personal chat', { error: messageOf(error) });
    }
    return true;
  });
  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === botId);
    if (botAdded) await context.sendActivity(cardActivity(helpCard(null)));
  });
}
