/**
 * Route: any invoke no other route took. The SDK would answer 501; an invoke this bot does not know (or a card
 * action that is not an Action.Execute) is the caller's mistake, so it gets a 400 that names what was sent.
 * Registered last, so every other invoke route comes first.
 */
import type { Application } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { CARD_ACTION_INVOKE } from './card-actions.js';

function unhandledInvokeProblem(context: TurnContext): string {
  const { name } = context.activity;
  if (name === CARD_ACTION_INVOKE) return 'An adaptiveCard/action invoke needs value.action of type Action.Execute with a verb.';
  return name ? `This bot does not handle the invoke "${name.slice(0, 80)}".` : 'An invoke needs a name.';
}

export function registerUnhandledInvokes(app: Application): void {
  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke,
    async (context) => {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 400, body: { code: 'UNHANDLED_INVOKE', message: unhandledInvokeProblem(context) } },
      });
    },
    true,
  );
}
