/** The HTTP front door: POST /api/messages for Teams, GET /healthz (alive) and GET /readyz (ready) for probes. */
import restify from 'restify';
import type { Bot } from './bot/app.js';
import { readJsonBody } from './http/read-body.js';
import type { Logger } from './log.js';
import { messageOf } from './errors.js';

export interface ServerOptions {
  host: string;
  /** 0 = a free port. */
  port: number;
  bot: Bot;
  logger: Logger;
  /** Extra fields for /healthz. */
  health?: () => Record<string, unknown>;
  /** The checks behind /readyz: each resolves to null when fine, or the reason it is not. Default: none (ready). */
  readiness?: Record<string, () => Promise<string | null>>;
}

/** How long a readiness check may take before it counts as failed. */
const READY_CHECK_TIMEOUT_MS = 5_000;

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { bot, logger } = options;
  const server = restify.createServer({ name: 'apim-vnet-bot', handleUncaughtExceptions: false });
  const started = Date.now();

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    try {
      const read = await readJsonBody(req);
      if (!read.ok) {
        logger.info('request body refused', { status: read.refusal.status, code: read.refusal.code });
        res.send(read.refusal.status, { code: read.refusal.code, message: read.refusal.message });
        return;
      }
      req.body = read.value;
      await bot.handle(req, res);
    } catch (error) {
      logger.error('unhandled failure in /api/messages', { error: messageOf(error) });
      if (!res.headersSent) res.send(500, { code: 'INTERNAL', message: 'The bot could not handle this request.' });
    }
  });

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    res.send(200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000), ...options.health?.() });
  });

  // Readiness: every check, concurrently and bounded; 503 with the reasons when one fails. /healthz stays liveness.
  server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
    const entries = Object.entries(options.readiness ?? {});
    const results = await Promise.all(entries.map(async ([name, check]) => [name, await boundedCheck(check)] as const));
    const failed = results.filter(([, reason]) => reason !== null);
    if (failed.length > 0) logger.warn('not ready', Object.fromEntries(failed));
    res.send(failed.length === 0 ? 200 : 503, {
      status: failed.length === 0 ? 'ready' : 'not ready',
      checks: Object.fromEntries(results.map(([name, reason]) => [name, reason === null ? 'ok' : reason])),
    });
  });

  // One line per request (the bot logs its turns itself, inside the turn); no headers, so no tokens.
  server.on('after', (req: restify.Request, res: restify.Response) => {
    if (req.getPath() === '/api/messages' && res.statusCode < 400) return;
    logger.debug('http request', { method: req.method, path: req.getPath(), status: res.statusCode, ms: Date.now() - req.time() });
  });
  server.on('restifyError', (req: restify.Request, _res: restify.Response, error: Error & { statusCode?: number }, callback: () => void) => {
    // A HEAD probe of /api/messages (the Agents Playground sends one) is routine, not worth an info line.
    const log = req.method === 'HEAD' ? logger.debug : logger.info;
    log('http request refused', { method: req.method, path: req.getPath(), status: error.statusCode, error: error.message });
    callback();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = address.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections?.();
      }),
  };
}

async function boundedCheck(check: () => Promise<string | null>): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${READY_CHECK_TIMEOUT_MS / 1000} s`), READY_CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().catch((error: unknown) => (error instanceof Error ? error.message : String(error)) || 'failed'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
