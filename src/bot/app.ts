/** The bot: adapter, teams-ai Application and its routes, and the services the routes share. */
import { Application } from '@microsoft/teams-ai';
import { GatedTeamsAdapter, type HttpRequest, type HttpResponse } from './adapter.js';
import { ApplyRunner } from './apply-runner.js';
import { BackgroundWork } from './background.js';
import type { BotDeps } from './deps.js';
import { Notifier } from './notifier.js';
import { PostedRequestCards } from './posted-request-cards.js';
import { registerCardActions } from './routes/card-actions.js';
import { registerConversationEvents } from './routes/conversation-events.js';
import { registerTextCommands } from './routes/text-commands.js';
import { registerUnhandledInvokes } from './routes/unhandled-invokes.js';
import type { BotServices } from './services.js';
import { RequestSweeper } from './sweeper.js';
import { inTurnSpan, type TurnFacts } from '../telemetry/index.js';
import { currentTurn, runInTurn } from '../turn-scope.js';

export interface Bot {
  handle(req: HttpRequest, res: HttpResponse): Promise<void>;
  /** Resolves when no background work (card updates, applies) is running. */
  idle(): Promise<void>;
  /** Expires, reminds and takes over open requests (run at start and then periodically). */
  sweep(): Promise<void>;
  /** Stops the applies of this process; each keeps its progress and hands its lease back. */
  stop(): void;
  services: BotServices;
}

export function createBot(deps: BotDeps): Bot {
  const { config, logger } = deps;
  const adapter = new GatedTeamsAdapter(config.bot, logger);
  const app = new Application({
    adapter,
    botAppId: config.bot.appId,
    removeRecipientMention: false,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  const background = new BackgroundWork(logger);
  const notifier = new Notifier(adapter, config.bot.appId, logger);
  const cards = new PostedRequestCards(deps, notifier);
  const runner = new ApplyRunner(deps, cards, background);
  const services: BotServices = {
    deps,
    cards,
    notifier,
    background,
    startApply: (requestId) => runner.start(requestId),
  };
  const sweeper = new RequestSweeper(services, runner);
  registerConversationEvents(app, services);
  registerCardActions(app, services);
  registerTextCommands(app, services);
  registerUnhandledInvokes(app);
  return {
    handle: (req, res) =>
      runInTurn(activityIdOf(req.body), config.armTurnWaitMs, () =>
        // The turn's span is active for everything the turn does, so the ARM requests' spans are its children.
        inTurnSpan(turnFactsOf(req.body), async () => {
          const started = Date.now();
          await adapter.handle(req, res, async (context) => void (await app.run(context)));
          logger.debug('turn', { type: activityTypeOf(req.body), ms: Date.now() - started });
        }),
      ),
    idle: () => background.idle(),
    sweep: () => sweeper.sweep(),
    stop: () => runner.stop(),
    services,
  };
}

function activityIdOf(body: unknown): string | null {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.slice(0, 128) : null;
}

function activityTypeOf(body: unknown): string | undefined {
  const type = (body as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type.slice(0, 64) : undefined;
}

const CONVERSATION_TYPES = new Set(['personal', 'groupChat', 'channel']);
/** Span names stay few: an activity type Teams does not send is named `other`. */
const ACTIVITY_TYPES = new Set(['message', 'invoke', 'conversationUpdate', 'installationUpdate', 'messageReaction', 'messageUpdate', 'messageDelete', 'event', 'typing', 'endOfConversation']);

/** The kinds and ids a turn's span carries, read from a body that may not be an activity at all (it is not checked yet). */
function turnFactsOf(body: unknown): TurnFacts {
  const activity = (body ?? {}) as { name?: unknown; conversation?: { conversationType?: unknown } };
  const conversationType = activity.conversation?.conversationType;
  const type = activityTypeOf(body);
  return {
    turnId: currentTurn()?.turnId ?? '',
    activityType: type && ACTIVITY_TYPES.has(type) ? type : 'other',
    ...(typeof activity.name === 'string' ? { invokeName: activity.name.slice(0, 64) } : {}),
    ...(typeof conversationType === 'string' && CONVERSATION_TYPES.has(conversationType) ? { conversationType } : {}),
  };
}
