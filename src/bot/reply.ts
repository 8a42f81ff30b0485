import { randomUUID } from 'node:crypto';
import { CodedError, ErrorCode, messageOf } from '../errors.js';
import type { Logger } from '../log.js';
import type { AdaptiveCard } from './cards/template.js';

/** What a route answers: a card or a text, and work to do once the answer is out. */
export interface Reply {
  card?: AdaptiveCard;
  text?: string;
  /** Runs in the background with the id of the message that carries the answer (the clicked card for invokes). */
  after?: (activityId: string | null) => Promise<void>;
}

export const text = (value: string): Reply => ({ text: value });

/** Known failures become their message; anything else a short apology with an id to find it in the logs. */
export function errorReply(error: unknown, logger: Logger): Reply {
  if (error instanceof CodedError) {
    switch (error.code) {
      case ErrorCode.ARM_UNAVAILABLE:
        return text(`I could not read Azure just now. Nothing was changed; try again in a minute. (${error.message})`);
      case ErrorCode.ARM_THROTTLED:
        return text(throttledText(error));
      case ErrorCode.CONFIG_INVALID:
        break;
      case ErrorCode.STORE_LEASE_LOST:
        return text('This bot process stopped: another bot process took its records over while it was paused. Nothing was recorded; try again in a moment.');
      default:
        return text(error.message);
    }
  }
  const incident = randomUUID().slice(0, 8);
  logger.error('unexpected failure in a turn', { incident, error: messageOf(error), stack: error instanceof Error ? error.stack : undefined });
  return text(`Something went wrong on my side (incident ${incident}). Nothing was changed in Azure.`);
}

function throttledText(error: CodedError): string {
  const seconds = Number(error.details.retryAfterSeconds) || 60;
  const at = typeof error.details.retryAt === 'string' ? ` (at ${error.details.retryAt.slice(11, 19)} UTC)` : '';
  const wait = seconds < 90 ? `${seconds} seconds` : seconds < 5400 ? `${Math.round(seconds / 60)} minutes` : `${Math.round(seconds / 3600)} hours`;
  return `${error.message} Nothing was changed. Azure asks to wait ${wait}: try again then${at}.`;
}
