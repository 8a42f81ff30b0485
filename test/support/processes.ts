/**
 * The bot and the sandbox as separate processes (`node dist/src/cli.js serve|sandbox`), for tests that kill a
 * bot in the middle of its work or run two bots on one store. They run the built code: `npm test` builds first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The repository's package.json, the parts the production tests read. */
export const PACKAGE_JSON = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
export const CLI = join(ROOT, 'dist', 'src', 'cli.js');

export interface ChildServer {
  url: string;
  pid: number;
  /** The last few kilobytes of its output, for failure messages. */
  output(): string;
  /** Everything it wrote to stderr (its log), up to a few megabytes. */
  stderr(): string;
  /** Sends `signal` and waits until the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Where a child runs from: a tree holding dist/src/cli.js (this checkout, or a staged production tree). */
export interface ChildTree {
  /** Default: this checkout. */
  cwd?: string;
  /** What follows `node`, relative to cwd (default: dist/src/cli.js and the command's arguments). */
  argv?: string[];
}

function startChild(args: string[], env: Record<string, string>, ready: RegExp, what: string, tree: ChildTree = {}, timeoutMs = 30_000): Promise<ChildServer> {
  const child = spawn(process.execPath, tree.argv ?? [CLI, ...args], {
    cwd: tree.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  let stderr = '';
  const keep = (text: string) => (output = (output + text).slice(-12_000));
  child.stderr?.on('data', (chunk: Buffer) => {
    keep(chunk.toString());
    if (stderr.length < 4_000_000) stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolvePromise) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolvePromise(code);
    }),
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise<ChildServer>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    lines.on('line', (line) => {
      keep(line + '\n');
      const match = ready.exec(line);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolvePromise({
        url: match[1],
        pid: child.pid ?? 0,
        output: () => output,
        stderr: () => stderr,
        exited,
        async kill(signal) {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${String(code)}) before it was ready:\n${output}`));
    });
  });
}

/** The standalone sandbox on a free port, serving `seed`. */
export async function startSandboxProcess(seed: unknown, seedFile: string, options: { lroSeconds: number }): Promise<ChildServer> {
  await writeFile(seedFile, JSON.stringify(seed));
  return startChild(['sandbox', '--seed', seedFile, '--port', '0', '--lro-seconds', String(options.lroSeconds)], {}, /^(https?:\/\/\S+?)\/?$/, 'sandbox');
}

/**
 * `apim-vnet-bot serve` on a free port with exactly these settings (nothing from this process's environment);
 * `tree` runs it from another tree, or as another command line (a container image's CMD).
 */
export function startBotProcess(env: Record<string, string>, tree: ChildTree = {}): Promise<ChildServer> {
  return startChild(['serve'], { PORT: '0', LOG_LEVEL: 'warn', ARM_POLL_INTERVAL_MS: '50', ...env }, /listening on (http:\/\/\S+)\/api\/messages/, 'bot', tree);
}

/** Polls `read` until it returns something truthy. */
export async function eventually<T>(read: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
