/**
 * The bot process writes nothing but JSON lines to stderr: what libraries print with `console.*` (botbuilder,
 * teams-ai) and Node's own process warnings go through the logger, with the turn's ids like every other line.
 */
import { format } from 'node:util';
import type { Logger } from './log.js';

const LEVELS = { debug: 'debug', trace: 'debug', log: 'info', info: 'info', warn: 'warn', error: 'error' } as const;

export function routeConsoleToLogger(logger: Logger): void {
  for (const [method, level] of Object.entries(LEVELS)) {
    (console as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) =>
      logger[level](format(...args).trim(), { source: 'console' });
  }
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => logger.warn(warning.message, { source: 'node', warning: warning.name, code: warning.code }));
}
