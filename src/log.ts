/**
 * Structured logs: one JSON object per line on stderr, with the ids of the turn they belong to and, with telemetry,
 * the trace and span they were written in (the same ids Application Insights shows). Never pass tokens or secrets.
 */
import { activeTrace } from './telemetry/index.js';
import { currentTurn } from './turn-scope.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    const turn = currentTurn();
    const ids = turn ? { turnId: turn.turnId, activityId: turn.activityId ?? undefined } : undefined;
    write(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...ids, ...activeTrace(), ...fields }));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

export const silentLogger: Logger = createLogger('silent');
