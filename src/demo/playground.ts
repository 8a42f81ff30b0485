/**
 * The Microsoft 365 Agents Playground as a child process: started from its package's own bin file with this
 * Node (not npx, which leaves a process behind), offline, telemetry off, no browser, loopback only, and
 * stopped with everything it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { get } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodedError, ErrorCode } from '../errors.js';
import { LOOPBACK_HOST } from './loopback.js';
import { ensurePortFree, freePort } from './ports.js';
import type { Env } from '../config.js';

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  endpoint: string;
  /** 0 = a free port. A fixed port must be free (the Playground would otherwise quietly move to another one). */
  port: number;
  /** The mock Teams context (.m365agentsplayground.yml). */
  configFile: string;
  /** Where the Playground writes its log (it prints almost nothing when not on a terminal). */
  logFile: string;
  /** The caller's environment: the child gets only PATH and the like from it (see PASS_THROUGH). */
  env: Env;
  /** How long to wait for it to serve its page. */
  readyTimeoutMs?: number;
}

export interface RunningPlayground {
  /** The page to open in a browser. */
  url: string;
  port: number;
  pid: number;
  /** Resolves with the exit code (or signal) when the process ends, whoever ended it. */
  exited: Promise<string>;
  /** Stops it (SIGTERM, then SIGKILL after a grace period) and waits for it to be gone. */
  stop(): Promise<void>;
}

/** The JavaScript file behind the package's `agentsplayground` bin. */
export function playgroundCliPath(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@microsoft/m365agentsplayground/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : (manifest.bin?.agentsplayground ?? manifest.bin?.teamsapptester);
  if (!bin) throw new CodedError(ErrorCode.CONFIG_INVALID, '@microsoft/m365agentsplayground has no agentsplayground bin: is it installed (npm ci)?');
  return join(dirname(manifestPath), bin);
}

/** The compiled guard preloaded into the Playground (dist/src/demo/playground-guard.js). */
function guardPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'playground-guard.js'), join(here, '..', '..', 'dist', 'src', 'demo', 'playground-guard.js')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new CodedError(ErrorCode.CONFIG_INVALID, 'dist/src/demo/playground-guard.js is missing: run npm run build.');
  return found;
}

/**
 * The part of the environment the Playground gets: what a Node process needs to run, nothing else (not the
 * bot's secrets, not proxy settings: it has no business outside this machine).
 */
const PASS_THROUGH = ['PATH', 'Path', 'HOME', 'USERPROFILE', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'TZ', 'SystemRoot', 'ComSpec', 'APPDATA', 'LOCALAPPDATA'];

function passThrough(env: Env): Env {
  return Object.fromEntries(PASS_THROUGH.filter((name) => env[name] !== undefined).map((name) => [name, env[name]]));
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(url, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 400);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

function waitForExit(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(String(child.exitCode ?? child.signalCode));
    child.once('exit', (code, signal) => resolve(String(code ?? signal)));
  });
}

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const port = options.port === 0 ? await freePort() : options.port;
  await ensurePortFree(port, 'the Agents Playground', 'PLAYGROUND_PORT');
  await mkdir(dirname(options.logFile), { recursive: true });

  const args = [
    '--import',
    guardPath(),
    playgroundCliPath(),
    '--app-endpoint',
    options.endpoint,
    '--channel-id',
    'msteams',
    '--port',
    String(port),
    '--service-url',
    `http://${LOOPBACK_HOST}:${port}/_connector`,
    '--disable-telemetry',
  ];
  const child = spawn(process.execPath, args, {
    cwd: dirname(options.configFile),
    env: {
      ...passThrough(options.env),
      TEAMSAPPTESTER_BROWSER: 'none',
      // --disable-telemetry stops the Playground's events, but the Application Insights SDK inside it still sends
      // its own usage data ("statsbeat") and probes the Azure instance metadata address for it: off too.
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configFile,
      M365_AGENTS_PLAYGROUND_LOGFILE: options.logFile,
    },
    // The IPC channel is only a lifeline: the guard exits the Playground when it closes.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Its own process group: a Ctrl+C in the terminal reaches this process only, which then stops it in order.
    // (On Windows a detached child would get a console window of its own.)
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  const exited = waitForExit(child);
  // Never leave it behind, even when this process ends without stopping it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));

  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-4_000);
    // What the guard refused is worth seeing; the rest of the Playground's chatter goes to its log file.
    for (const line of text.split('\n')) if (line.startsWith('playground-guard:')) process.stderr.write(`${line}\n`);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const url = `http://${LOOPBACK_HOST}:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new CodedError(ErrorCode.CONFIG_INVALID, `The Agents Playground stopped while starting (${child.exitCode ?? child.signalCode}).\n${tail(output)}See ${options.logFile}.`);
      }
      const listening = /Listening on (\d+)/.exec(output);
      if (listening && Number(listening[1]) !== port) {
        throw new CodedError(ErrorCode.CONFIG_INVALID, `The Agents Playground took port ${listening[1]} instead of ${port}: port ${port} was taken meanwhile. Start again.`);
      }
      if (listening && (await httpOk(`${url}/`))) break;
      if (Date.now() > deadline) {
        throw new CodedError(ErrorCode.CONFIG_INVALID, `The Agents Playground did not start within ${Math.round((options.readyTimeoutMs ?? 60_000) / 1000)} s.\n${tail(output)}See ${options.logFile}.`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, pid: child.pid ?? -1, exited, stop };
}

function tail(output: string): string {
  const lines = output.trim().split('\n').slice(-10).join('\n');
  return lines ? `${lines}\n` : '';
}
