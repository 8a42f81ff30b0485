/** A bot's Entra app registration as the tests configure it (authentication on), and a log the test can read. */
import { createLogger, type Logger, type LogLevel } from '../../src/log.js';

export const MULTI_TENANT_APP = { MicrosoftAppId: '11111111-2222-4333-8444-555555555555', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'MultiTenant' };

/** A logger at `level` that keeps its JSON lines. */
export function capturedLog(level: LogLevel = 'debug'): { logger: Logger; lines: string[]; messages(): string[] } {
  const lines: string[] = [];
  return { logger: createLogger(level, (line) => lines.push(line)), lines, messages: () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg) };
}
