/**
 * `apim-vnet-bot start` (what npm start runs) as a child process, the way a person runs it: free ports, a temp
 * DATA_DIR, the banner read for the URL to open, then Ctrl+C (SIGINT) and a check that nothing is left running.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Settings that would change the demo's behaviour if they leaked in from the caller's environment. */
const CLEARED = [
  'ARM_ENDPOINT',
  'SANDBOX_SEED',
  'SANDBOX_PORT',
  'APPROVER_IDS',
  'ALLOW_SELF_APPROVAL',
  'REQUESTER_RBAC',
  'ALLOWED_TENANT_IDS',
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'STORE',
];

export interface DemoProcess {
  /** The Playground page, from the banner. */
  url: string;
  /** The bot's messaging endpoint, from the banner. */
  botEndpoint: string;
  /** "ready in N s", from the banner. */
  readySeconds: number;
  /** Milliseconds from spawn to the banner, measured here. */
  spawnToReadyMs: number;
  dataDir: string;
  output(): string;
  /** SIGINT, wait for the exit; returns the exit code and the ids of child processes still alive afterwards. */
  stop(): Promise<{ code: number | null; leftovers: number[] }>;
}

function childrenOf(pid: number): number[] {
  const ps = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) return r(child.exitCode);
    child.once('exit', (code) => r(code));
  });
}

export async function startDemoProcess(env: Record<string, string> = {}, timeoutMs = 60_000): Promise<DemoProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'apim-e2e-'));
  const childEnv: Record<string, string | undefined> = { ...process.env };
  for (const name of CLEARED) delete childEnv[name];
  Object.assign(childEnv, { PORT: '0', PLAYGROUND_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', SANDBOX_LRO_SECONDS: '4', ...env });

  const started = Date.now();
  const child = spawn(process.execPath, ['dist/src/cli.js', 'start'], { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = exitOf(child);
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));

  const cleanupOnFailure = async () => {
    const kids = child.pid ? childrenOf(child.pid) : [];
    child.kill('SIGKILL');
    for (const pid of kids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  let match: RegExpExecArray | null = null;
  while (!(match = /ready in ([\d.]+) s[\s\S]*?Open (http:\/\/127\.0\.0\.1:\d+) in a browser[\s\S]*?-> bot (\S+)/.exec(output))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await cleanupOnFailure();
      throw new Error(`npm start did not become ready (exit ${child.exitCode}):\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const spawnToReadyMs = Date.now() - started;
  const [, readySeconds, url, botEndpoint] = match;

  return {
    url: url ?? '',
    botEndpoint: botEndpoint ?? '',
    readySeconds: Number(readySeconds),
    spawnToReadyMs,
    dataDir,
    output: () => output,
    async stop() {
      const kids = child.pid ? childrenOf(child.pid) : [];
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      // Give a killed child a moment to be reaped before calling it a leftover.
      const until = Date.now() + 3_000;
      while (kids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      const leftovers = kids.filter(alive);
      for (const pid of leftovers) process.kill(pid, 'SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
      return { code, leftovers };
    },
  };
}
