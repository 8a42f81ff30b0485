/** Route: Action.Execute invokes from the bot's cards, by verb. */
import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { cancelAction } from '../actions/cancel-action.js';
import { decide } from '../actions/decide.js';
import { pickInstance } from '../actions/pick-instance.js';
import { requestIntegration } from '../actions/request-integration.js';
import { runNow } from '../actions/run-now.js';
import { pageOf } from '../cards/request-list-card.js';
import { myRequests, pendingForMe } from '../commands/waiting-lists.js';
import { errorReply, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import { turnInfoOf, type TurnInfo } from '../turn-info.js';
import { noteTurn } from '../../telemetry/index.js';

export const CARD_ACTION_INVOKE = 'adaptiveCard/action';

type ActionHandler = (services: BotServices, turn: TurnInfo, data: unknown) => Promise<Reply>;

export const VERBS: Record<string, ActionHandler> = {
  requestIntegration,
  approve: (services, turn, data) => decide(services, turn, 'approve', data),
  /** A disconnect approved without its undo: what the bot made for the instance stays. */
  approveKeep: (services, turn, data) => decide(services, turn, 'approve', data, { keepMade: true }),
  reject: (services, turn, data) => decide(services, turn, 'reject', data),
  cancel: cancelAction,
  /** An approved request waiting for its change window, started before it. */
  runNow,
  pickInstance,
  pendingPage: (services, turn, data) => pendingForMe(services, turn, pageOf(data)),
  myRequestsPage: (services, turn, data) => myRequests(services, turn, pageOf(data)),
};

function isCardAction(context: TurnContext): boolean {
  const { activity } = context;
  return activity.type === 'invoke' && activity.name === CARD_ACTION_INVOKE && activity.value?.action?.type === 'Action.Execute';
}

export function registerCardActions(app: Application, services: BotServices): void {
  for (const [verb, handler] of Object.entries(VERBS)) {
    app.adaptiveCards.actionExecute(verb, async (context, _state, data) => {
      const turn = turnInfoOf(context);
      noteTurn({ cardAction: verb });
      let reply: Reply;
      try {
        reply = await handler(services, turn, data);
      } catch (error) {
        reply = errorReply(error, services.deps.logger);
      }
      const after = reply.after;
      const replyToId = context.activity.replyToId ?? null;
      if (after) services.background.run(`after ${verb}`, () => after(replyToId));
      return reply.card ?? reply.text ?? '';
    });
  }
  // Any other verb: say so, instead of leaving the client with an HTTP 501.
  app.adaptiveCards.actionExecute(
    async (context) => isCardAction(context),
    async () => 'This card action is not something I know. Nothing changed.',
  );
}
