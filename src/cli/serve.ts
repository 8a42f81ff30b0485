/**
 * `apim-vnet-bot serve`: the bot server with the settings of the environment, until SIGINT/SIGTERM.
 * Only the configuration and the logger are imported up front: with APPLICATIONINSIGHTS_CONNECTION_STRING the
 * telemetry starts first, and the app (the Azure SDK, the HTTP server) is loaded after it, for its instrumentation
 * to see them load. Without the setting nothing of OpenTelemetry is loaded.
 */
import { type Config, type Env, loadConfig } from '../config.js';
import { routeConsoleToLogger } from '../console-to-log.js';
import { type CodedError, messageOf } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import type { RunningTelemetry } from '../telemetry/start.js';

export async function serveCommand(env: Env): Promise<number> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  routeConsoleToLogger(logger);
  const telemetry = await startTelemetry(config, logger);
  const { startApp } = await import('../main.js');
  const { describeStore } = await import('../requests/store/index.js');
  let leaseLost: CodedError | null = null;
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const app = await startApp(config, {
    logger,
    onLeaseLost: (error) => {
      leaseLost = error;
      stop();
    },
  });
  const arm = config.sandbox ? `embedded sandbox ${app.armEndpoint} (seed ${config.sandbox.seedFile})` : (app.armEndpoint ?? 'Azure');
  process.stdout.write(
    `apim-vnet-bot listening on ${app.url}/api/messages\n` +
      `  ARM: ${arm}\n` +
      `  approvers: ${config.bot.approverIds.join(', ') || '(none: set APPROVER_IDS)'}\n` +
      `  store: ${describeStore(config.requests.store)}\n` +
      `Ctrl+C stops it.\n`,
  );
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await stopped;
  if (leaseLost) {
    // Requests that queued up while the process was paused are still answered (nothing was recorded) before it
    // stops listening: closing at once would cut their connections.
    await new Promise((resolve) => setTimeout(resolve, LEASE_LOST_GRACE_MS));
  }
  await app.close();
  // What cannot be sent now is lost (or kept on disk by the exporter for the next start), never a failed stop.
  await telemetry?.close().catch((error: unknown) => logger.warn('telemetry: could not send what was buffered', { error: messageOf(error) }));
  if (leaseLost) throw leaseLost;
  return 0;
}

async function startTelemetry(config: Config, logger: Logger): Promise<RunningTelemetry | null> {
  const connectionString = config.applicationInsightsConnectionString;
  if (!connectionString) return null;
  const { startAzureMonitor } = await import('../telemetry/start.js');
  const telemetry = startAzureMonitor(connectionString);
  logger.info('telemetry: OpenTelemetry to Application Insights (Azure Monitor)');
  return telemetry;
}

const LEASE_LOST_GRACE_MS = 1_000;
