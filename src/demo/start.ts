/**
 * `apim-vnet-bot start` (what `npm start` runs): the bot on the demo seed with its embedded sandbox, and the
 * Microsoft 365 Agents Playground pointed at it, so one person can play the whole story in a browser.
 * Ctrl+C (SIGINT) or SIGTERM stops both.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, type Env, EnvReader, loadConfig } from '../config.js';
import { CodedError, ErrorCode } from '../errors.js';
import { routeConsoleToLogger } from '../console-to-log.js';
import { createLogger } from '../log.js';
import { startApp, type RunningApp } from '../main.js';
import { demoEnvironment } from './environment.js';
import { startPlayground, type RunningPlayground } from './playground.js';
import { withCurrentUser } from './playground-user.js';
import { ensurePortFree } from './ports.js';

export const PLAYGROUND_CONFIG_FILE = '.m365agentsplayground.yml';
export const DEFAULT_PLAYGROUND_PORT = 56150;

/**
 * The demo's settings on top of `demoEnvironment`: without an approval policy, self-approval on (the Playground is
 * one person, who is an approver) unless the environment says otherwise.
 */
export function demoDefaults(env: Env): Env {
  return env.ALLOW_SELF_APPROVAL?.trim() || env.APPROVAL_POLICY?.trim() ? env : { ...env, ALLOW_SELF_APPROVAL: 'true' };
}

export interface PlaygroundUser {
  name: string;
  aadObjectId: string;
}

/** `currentUser` of the Playground configuration (a small reader for that one block of the YAML file). */
export function playgroundCurrentUser(yaml: string): PlaygroundUser | null {
  const block = /^currentUser:\s*\n((?:[ \t]+.*\n?)+)/m.exec(yaml)?.[1];
  if (!block) return null;
  const field = (name: string) => new RegExp(`^\\s+${name}:\\s*["']?(.*?)["']?\\s*$`, 'm').exec(block)?.[1] ?? '';
  const aadObjectId = field('aadObjectId');
  return aadObjectId ? { name: field('name'), aadObjectId } : null;
}

/** The Playground configuration at the repository root (found from this module, in src/ or dist/src/). */
export function playgroundConfigPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, PLAYGROUND_CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new CodedError(ErrorCode.CONFIG_INVALID, `Cannot find ${PLAYGROUND_CONFIG_FILE} (the Playground's users, team and channels).`);
    dir = parent;
  }
}

export interface RunningDemo {
  config: Config;
  bot: RunningApp;
  playground: RunningPlayground;
  /** The Playground's current user, from its configuration. */
  user: PlaygroundUser | null;
  /** Milliseconds from the start of this process to both servers ready. */
  readyMs: number;
  /** The Playground's log file. */
  logFile: string;
  close(): Promise<void>;
}

export async function startDemo(env: Env): Promise<RunningDemo> {
  const config = loadConfig(demoDefaults(await demoEnvironment(env)));
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const playgroundPort = read.int('PLAYGROUND_PORT', DEFAULT_PLAYGROUND_PORT, 0, 65_535);
  const logFile = resolve(read.string('DATA_DIR', './data'), 'm365agentsplayground.log');
  if (problems.length > 0) throw new CodedError(ErrorCode.CONFIG_INVALID, `Invalid configuration:\n- ${problems.join('\n- ')}`, { problems });
  const dataDir = read.string('DATA_DIR', './data');
  const acting = read.raw('PLAYGROUND_USER');
  const shipped = readFileSync(playgroundConfigPath(), 'utf8');
  const chosen = acting ? withCurrentUser(shipped, acting) : null;
  if (chosen && 'problem' in chosen) throw new CodedError(ErrorCode.CONFIG_INVALID, `Invalid configuration:\n- PLAYGROUND_USER=${acting}: ${chosen.problem}`);
  const configFile = chosen ? resolve(dataDir, PLAYGROUND_CONFIG_FILE) : playgroundConfigPath();
  if (chosen) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(configFile, chosen.yaml);
  }
  const user = playgroundCurrentUser(chosen ? chosen.yaml : shipped);

  // Fail before starting anything when a fixed port is taken.
  await ensurePortFree(config.bot.port, 'the bot', 'PORT');
  await ensurePortFree(playgroundPort, 'the Agents Playground', 'PLAYGROUND_PORT');

  const logger = createLogger(config.logLevel);
  routeConsoleToLogger(logger);
  const bot = await startApp(config, { logger });
  let playground: RunningPlayground;
  try {
    playground = await startPlayground({
      endpoint: `${bot.url}/api/messages`,
      port: playgroundPort,
      configFile,
      logFile,
      env,
    });
  } catch (error) {
    await bot.close();
    throw error;
  }
  return {
    config,
    bot,
    playground,
    user,
    readyMs: Math.round(process.uptime() * 1000),
    logFile,
    async close() {
      // The Playground first: its connections to the bot close with it, so the bot stops at once.
      await playground.stop();
      await bot.close();
    },
  };
}

export function readyBanner(demo: RunningDemo): string {
  const { config, bot, playground, user } = demo;
  const approver = user !== null && config.bot.approverIds.some((id) => id.toLowerCase() === user.aadObjectId.toLowerCase());
  const selfApproval = `self-approval is ${config.bot.approvalPolicy.default.allowSelfApproval ? 'on' : 'off'}`;
  const policy = config.bot.approvalPolicyFile ? ` (approval policy: ${config.bot.approvalPolicyFile})` : '';
  const who = user
    ? `Playground user: ${user.name || user.aadObjectId}, ${approver ? 'an approver' : `not an approver (${policy ? 'APPROVAL_POLICY' : 'APPROVER_IDS'})`}; ${selfApproval}${policy} (users: ${PLAYGROUND_CONFIG_FILE}; PLAYGROUND_USER=<name> acts as another).`
    : `Playground users: ${PLAYGROUND_CONFIG_FILE}; ${selfApproval}.`;
  const arm = config.sandbox ? `embedded sandbox ${bot.armEndpoint} (seed ${config.sandbox.seedFile})` : (bot.armEndpoint ?? 'Azure');
  return [
    `apim-vnet-bot demo ready in ${(demo.readyMs / 1000).toFixed(1)} s.`,
    '',
    `  Open ${playground.url} in a browser.`,
    '',
    `  Microsoft 365 Agents Playground (offline, telemetry off) -> bot ${bot.url}/api/messages`,
    `  ${who}`,
    ...(config.sandbox && basename(config.sandbox.seedFile) === 'demo.json' ? ['  Try: check contoso-apim'] : []),
    `  ARM: ${arm}`,
    `  Playground log: ${demo.logFile}`,
    'Ctrl+C stops the bot and the Playground.',
    '',
  ].join('\n');
}
