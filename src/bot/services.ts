import type { BackgroundWork } from './background.js';
import type { BotDeps } from './deps.js';
import type { Notifier } from './notifier.js';
import type { PostedRequestCards } from './posted-request-cards.js';

/** Everything a route handler may use. */
export interface BotServices {
  deps: BotDeps;
  cards: PostedRequestCards;
  notifier: Notifier;
  background: BackgroundWork;
  /** Starts applying an approved request in the background (unless this process is already on it). */
  startApply(requestId: string): void;
}

/** Text commands answer in a new message; card actions answer in the invoke response (replacing the card). */
export type Origin = 'text' | 'invoke';
