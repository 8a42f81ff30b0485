/** `apim-vnet-bot serve`: the bot server with the settings of the environment, until SIGINT/SIGTERM. */
import { type Env, loadConfig } from '../config.js';
import { routeConsoleToLogger } from '../console-to-log.js';
import type { CodedError } from '../errors.js';
import { createLogger } from '../log.js';
import { startApp } from '../main.js';
import { describeStore } from '../requests/store/index.js';

export async function serveCommand(env: Env): Promise<number> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  routeConsoleToLogger(logger);
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
  if (!leaseLost) {
    await app.close();
    return 0;
  }
  // Requests that queued up while the process was paused are still answered (nothing was recorded) before it
  // stops listening: closing at once would cut their connections.
  await new Promise((resolve) => setTimeout(resolve, LEASE_LOST_GRACE_MS));
  await app.close();
  throw leaseLost;
}

const LEASE_LOST_GRACE_MS = 1_000;
