/**
 * Composition root: config -> azure -> store -> bot -> server. Used by `serve`, `start` (what npm start runs)
 * and the tests.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ArmClients } from './azure/arm-clients.js';
import { createBot, type Bot } from './bot/app.js';
import { loadConfig, type Config } from './config.js';
import { CodedError, ErrorCode } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { fileStores } from './requests/file-store.js';
import { startServer } from './server.js';

export interface RunningApp {
  /** Base URL of the bot server. */
  url: string;
  /** The ARM endpoint in use: the embedded or configured sandbox, or null for Azure. */
  armEndpoint: string | null;
  bot: Bot;
  close(): Promise<void>;
}

export interface AppOptions {
  logger?: Logger;
  clock?: () => Date;
}

async function startEmbeddedSandbox(config: Config, logger: Logger) {
  if (!config.sandbox) return null;
  const { loadSeedFile, startSandbox } = await import('./sandbox/index.js');
  let seed;
  try {
    seed = await loadSeedFile(config.sandbox.seedFile);
  } catch (error) {
    throw new CodedError(ErrorCode.CONFIG_INVALID, `SANDBOX_SEED=${config.sandbox.seedFile} cannot be loaded: ${(error as Error).message}`);
  }
  const sandbox = await startSandbox({ seed, port: config.sandbox.port, lroSeconds: config.sandbox.lroSeconds });
  logger.info('embedded sandbox started', { url: sandbox.url, seed: config.sandbox.seedFile });
  return sandbox;
}

export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const sandbox = await startEmbeddedSandbox(config, logger);
  try {
    const armEndpoint = sandbox?.url ?? config.armEndpoint;
    const arm = new ArmClients({
      endpoint: armEndpoint,
      timeoutMs: config.armTimeoutMs,
      maxRetries: config.armMaxRetries,
      principalId: config.botPrincipalId,
      logger,
    });
    const stores = fileStores(resolve(config.bot.dataDir));
    const bot = createBot({ config, arm, stores, logger, clock: options.clock ?? (() => new Date()) });
    if (!config.bot.appId) logger.warn('MicrosoftAppId is empty: /api/messages accepts unauthenticated requests. For local testing only.');
    const server = await startServer({
      host: config.bot.host,
      port: config.bot.port,
      bot,
      logger,
      health: () => ({ arm: sandbox ? 'embedded sandbox' : armEndpoint ? 'sandbox' : 'azure', background: bot.services.background.size }),
    });
    // Requests approved just before a restart never started applying: start them now.
    for (const request of await stores.requests.listByState(['approved'])) bot.services.startApply(request.id);
    logger.info('bot listening', { url: `${server.url}/api/messages`, arm: armEndpoint ?? 'azure' });
    return {
      url: server.url,
      armEndpoint,
      bot,
      async close() {
        await server.close();
        await Promise.race([bot.idle(), new Promise((r) => setTimeout(r, 5_000))]);
        await sandbox?.close();
      },
    };
  } catch (error) {
    await sandbox?.close();
    throw error;
  }
}

// --------------------------------------------------------------------------------------- serve and start

type Env = Record<string, string | undefined>;

/** The demo's defaults: the demo seed in an embedded sandbox, its approvers from the seed's `_people`. */
export async function demoEnvironment(env: Env): Promise<Env> {
  const out: Env = { LOG_LEVEL: 'info', ...env };
  if (!out.ARM_ENDPOINT && !out.SANDBOX_SEED) {
    const { defaultSeedPath } = await import('./sandbox/index.js');
    out.SANDBOX_SEED = defaultSeedPath();
  }
  if (!out.APPROVER_IDS && out.SANDBOX_SEED) {
    const seed = JSON.parse(await readFile(out.SANDBOX_SEED, 'utf8')) as { _people?: Record<string, string> };
    const approvers = Object.entries(seed._people ?? {})
      .filter(([, who]) => /\bapprover\b/i.test(who))
      .map(([id]) => id);
    if (approvers.length > 0) out.APPROVER_IDS = approvers.join(',');
  }
  return out;
}

export async function serveCommand(command: 'serve' | 'start', env: Env): Promise<number> {
  const config = loadConfig(command === 'start' ? await demoEnvironment(env) : env);
  const app = await startApp(config);
  const arm = config.sandbox ? `embedded sandbox ${app.armEndpoint} (seed ${config.sandbox.seedFile})` : (app.armEndpoint ?? 'Azure');
  process.stdout.write(
    `apim-vnet-bot listening on ${app.url}/api/messages\n` +
      `  ARM: ${arm}\n` +
      `  approvers: ${config.bot.approverIds.join(', ') || '(none: set APPROVER_IDS)'}\n` +
      `  data: ${config.bot.dataDir}\n` +
      `Ctrl+C stops it.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  return 0;
}
