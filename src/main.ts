/**
 * Composition root: config -> azure -> store -> bot -> server. Used by `serve`, `start` (what npm start runs),
 * the tests and the bench.
 */
import { ArmClients } from './azure/arm-clients.js';
import { createBot, type Bot } from './bot/app.js';
import type { Config } from './config.js';
import { GraphGroupDirectory } from './directory/group-membership.js';
import { CodedError, ErrorCode, messageOf } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { openStores, repairAudit, type Stores } from './requests/store/index.js';
import { newOwnerId } from './requests/lease.js';
import { startServer } from './server.js';
import { isLoopbackHost } from './http/loopback.js';

export interface RunningApp {
  /** Base URL of the bot server. */
  url: string;
  /** The ARM endpoint in use: the embedded or configured sandbox, or null for Azure. */
  armEndpoint: string | null;
  bot: Bot;
  stores: Stores;
  /** One sweep over the open requests now (expiry, reminders, take-overs); it also runs on a timer. */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

export interface AppOptions {
  logger?: Logger;
  clock?: () => Date;
  /** How often open requests are swept (default: half the lease, at most 30 s). */
  sweepIntervalMs?: number;
  /** Lease owner id of this app (default: host/pid/random). */
  owner?: string;
  /**
   * The file store's DATA_DIR was taken over by another process (this one was paused): every write is refused
   * from now on. The app keeps serving (each write answered with the refusal) until it is closed.
   */
  onLeaseLost?: (error: CodedError) => void;
}

const ARM_SCOPE = 'https://management.azure.com/.default';
const GRAPH_ENDPOINT = 'https://graph.microsoft.com';
/** A membership check runs inside a chat turn, which Teams gives about 15 s. */
const GRAPH_TIMEOUT_MS = 10_000;

const waitAtMost = (work: Promise<unknown>, ms: number) => Promise.race([work, new Promise((r) => setTimeout(r, ms).unref())]);

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

/**
 * Without an app id the bot checks no token: anyone who reaches the port could talk to it (and through it to ARM).
 * That is for local testing, so it is refused on any interface but loopback, before anything starts.
 */
export function refuseUnauthenticatedExposure(config: Config): void {
  if (config.bot.appId || isLoopbackHost(config.bot.host)) return;
  throw new CodedError(
    ErrorCode.CONFIG_INVALID,
    `Refusing to serve unauthenticated on HOST=${config.bot.host}: MicrosoftAppId is empty, so no Bot Framework token would be checked. Set MicrosoftAppId (and its type and tenant), or bind to 127.0.0.1 for local testing.`,
    { problems: ['MicrosoftAppId is empty and HOST is not loopback'] },
  );
}

export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  refuseUnauthenticatedExposure(config);
  const logger = options.logger ?? createLogger(config.logLevel);
  const sandbox = await startEmbeddedSandbox(config, logger);
  try {
    const armEndpoint = sandbox?.url ?? config.armEndpoint;
    const arm = new ArmClients({
      endpoint: armEndpoint,
      timeoutMs: config.armTimeoutMs,
      maxRetries: config.armMaxRetries,
      principalId: config.botPrincipalId,
      instanceLookup: config.instanceLookup,
      logger,
      identity: config.azureIdentity,
    });
    // The file store refuses to open while another process holds DATA_DIR.
    // A keyless blob store signs in with ARM's own credential when ARM is Azure (one identity, one token cache).
    const credential = armEndpoint ? undefined : arm.credential;
    const stores = await openStores(config.requests.store, { owner: true, logger, onLeaseLost: options.onLeaseLost, credential });
    try {
      const owner = options.owner ?? newOwnerId();
      // On a sandbox ARM the sandbox stands in for Graph too, with the same sandbox credential.
      const directory = new GraphGroupDirectory({
        endpoint: config.directory.graphEndpoint ?? armEndpoint ?? GRAPH_ENDPOINT,
        credential: arm.credential,
        cacheSeconds: config.directory.groupCacheSeconds,
        timeoutMs: Math.min(config.armTimeoutMs, GRAPH_TIMEOUT_MS),
        logger,
      });
      const bot = createBot({ config, arm, stores, logger, clock: options.clock ?? (() => new Date()), owner, directory });
      if (!config.bot.appId) logger.warn('MicrosoftAppId is empty: /api/messages accepts unauthenticated requests. For local testing only.');
      else if (config.bot.allowedTenantIds.length === 0) {
        logger.warn('This multi-tenant bot serves every Entra tenant that can reach it: set ALLOWED_TENANT_IDS to the tenants it is for.');
      }
      const server = await startServer({
        host: config.bot.host,
        port: config.bot.port,
        bot,
        logger,
        // Ready: the configuration loaded (or nothing would run), the store answers, an ARM token can be had.
        readiness: {
          store: async () => {
            await stores.settings.get();
            return null;
          },
          arm: async () => ((await arm.credential.getToken(ARM_SCOPE)) ? null : 'the credential gave no token'),
        },
        health: () => ({ arm: sandbox ? 'embedded sandbox' : armEndpoint ? 'sandbox' : 'azure', ...storeHealth(stores), background: bot.services.background.size }),
      });
      // Take over what a stopped process left approved or applying, expire what waited too long; then keep sweeping.
      await bot.sweep();
      await repairAuditAtStart(stores, logger, options.clock ?? (() => new Date()));
      // The sweep and the repair read every request and the audit log; the settings too, so that /healthz reports damage from the start.
      await stores.settings.get().catch((error: unknown) => logger.warn('could not read the settings at start', { error: messageOf(error) }));
      const every = options.sweepIntervalMs ?? Math.min(30_000, config.requests.leaseSeconds * 500);
      const timer = setInterval(() => void bot.sweep(), every);
      timer.unref();
      logger.info('bot listening', { url: `${server.url}/api/messages`, arm: armEndpoint ?? 'azure', store: stores.kind, owner });
      return {
        url: server.url,
        armEndpoint,
        bot,
        stores,
        sweep: () => bot.sweep(),
        async close() {
          clearInterval(timer);
          await server.close();
          // Let short work finish; stop long applies (their progress stays stored and their leases are handed back).
          await waitAtMost(bot.idle(), 2_000);
          bot.stop();
          await waitAtMost(bot.idle(), 5_000);
          await stores.close();
          await sandbox?.close();
        },
      };
    } catch (error) {
      await stores.close();
      throw error;
    }
  } catch (error) {
    await sandbox?.close();
    throw error;
  }
}

/**
 * The store's part of /healthz. The process stays alive (HTTP 200) with records in quarantine, but the probe says
 * `degraded` so that someone looks at them (their names are in `store.items` and in the log).
 */
function storeHealth(stores: Stores): { status?: 'degraded'; store: Record<string, unknown> } {
  const health = stores.health();
  return { ...(health.quarantined > 0 ? { status: 'degraded' as const } : {}), store: { kind: stores.kind, ...health } };
}

/** Days of request changes whose audit lines are checked at start (a crash between a change and its line). */
const AUDIT_REPAIR_DAYS = 7;

async function repairAuditAtStart(stores: Stores, logger: Logger, clock: () => Date): Promise<void> {
  try {
    const appended = await repairAudit(stores, new Date(clock().getTime() - AUDIT_REPAIR_DAYS * 86_400_000));
    if (appended > 0) logger.warn('appended audit lines an earlier process did not write', { appended });
  } catch (error) {
    logger.warn('could not check the audit log at start', { error: messageOf(error) });
  }
}
