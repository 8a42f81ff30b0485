/**
 * The container image, without a container engine (this machine has none): the Dockerfile read stage by stage and
 * checked against the project (its bin, its settings, its stage script), then what the image runs built the same
 * way, by the stage script into a temporary folder with its production dependencies, started as the image's CMD
 * and probed by the image's own HEALTHCHECK command. Runs dist/: build first.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../src/config.js';
import { PACKAGE_JSON, ROOT, STAGE_SCRIPT, stageApp, startBotProcess, type ChildServer } from '../support/index.js';
import { copyOf, envPairs, execForm, flagsOf, ignoredBy, instructionsOf, readDockerfile, readDockerignore, type Stage } from './dockerfile.js';

const pkg = PACKAGE_JSON;
const stages = readDockerfile();
const runtime = stages.at(-1)!;
const last = (stage: Stage, keyword: string) => instructionsOf(stage, keyword).at(-1);
const imageEnv = Object.fromEntries(instructionsOf(runtime, 'ENV').flatMap((i) => envPairs(i.args)));
const workdir = last(runtime, 'WORKDIR')?.args ?? '/';
const fromBuild = instructionsOf(runtime, 'COPY').map(copyOf).filter((copy) => copy.from !== null);
const build = stages.find((stage) => stage.name !== null && stage.name === fromBuild[0]?.from);

/** A RUN's shell commands, split on `&&` (the Dockerfile uses no other shell syntax in its RUNs). */
const commandsOf = (stage: Stage) => instructionsOf(stage, 'RUN').flatMap((run) => (execForm(run.args)?.join(' ') ?? run.args).split('&&').map((c) => c.trim().split(/\s+/)));

/** The build stage's call of the stage script (`npm run stage -- <args>` or `node scripts/stage-app.mjs <args>`), as the script and its arguments. */
function stageCall(): { script: string; args: string[] } | null {
  for (const words of build ? commandsOf(build) : []) {
    if (words[0] === 'npm' && words[1] === 'run' && words[2] === 'stage') {
      const script = pkg.scripts.stage!.split(/\s+/);
      const extra = words[3] === '--' ? words.slice(4) : words.slice(3);
      if (script[0] === 'node') return { script: script[1]!, args: [...script.slice(2), ...extra] };
    }
    if (words[0] === 'node' && words[1]?.endsWith('stage-app.mjs')) return { script: words[1], args: words.slice(2) };
  }
  return null;
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

/** Runs the image's HEALTHCHECK command (its `node` is this Node) with `env`: its exit code. */
function runHealthcheck(env: Record<string, string>): Promise<number | null> {
  const { rest } = flagsOf(last(runtime, 'HEALTHCHECK')!.args);
  const argv = execForm(rest.replace(/^CMD\s+/, ''))!;
  return new Promise((done) => {
    const child = spawn(argv[0] === 'node' ? process.execPath : argv[0]!, argv.slice(1), { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done(code);
    });
  });
}

describe('the Dockerfile', () => {
  it('has a build stage on Node 20 that installs every dependency, builds, then stages the production tree', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build, 'the stage the runtime stage copies from').toBeDefined();
    expect(build!.image).toMatch(/^node:20(?:[.-]|$)/);
    const commands = commandsOf(build!).map((words) => words.slice(0, 3).join(' '));
    const at = (command: string) => commands.findIndex((c) => c === command || c.startsWith(`${command} `));
    expect(at('npm ci'), commands.join(' | ')).toBeGreaterThanOrEqual(0);
    expect(at('npm run build')).toBeGreaterThan(at('npm ci'));
    // The stage script, the one `npm run stage` and the tests run, with its install (no --no-install), after the build.
    const call = stageCall();
    expect(call?.script).toBe(STAGE_SCRIPT);
    expect(call!.args).toContain('--out');
    expect(call!.args).not.toContain('--no-install');
    expect(commands.findIndex((c) => c.startsWith('npm run stage') || c.startsWith('node scripts/stage-app.mjs'))).toBeGreaterThan(at('npm run build'));
  });

  it('runs from a slim official Node 20 image with only what the build stage staged: no install, nothing from the build context', () => {
    expect(runtime.image).toMatch(/^(?:docker\.io\/library\/)?node:20(?:\.\d+){0,2}(?:-(?:bookworm|bullseye|trixie))?-slim$/);
    expect(commandsOf(runtime).filter((words) => ['npm', 'npx', 'yarn', 'pnpm'].includes(words[0]!))).toEqual([]);
    expect(instructionsOf(runtime, 'COPY').map(copyOf).filter((copy) => copy.from === null)).toEqual([]);
    expect(fromBuild.length).toBeGreaterThan(0);
    expect(new Set(fromBuild.map((copy) => copy.from))).toEqual(new Set([build!.name]));
  });

  it('runs as a user other than root, who may write DATA_DIR and nothing else it was given', () => {
    const user = last(runtime, 'USER')?.args;
    expect(user, 'USER in the runtime stage').toBeDefined();
    expect(user).not.toMatch(/^(?:root|0)(?::|$)/);
    const userAt = runtime.instructions.indexOf(last(runtime, 'USER')!);
    expect(userAt).toBeLessThan(runtime.instructions.indexOf(last(runtime, 'CMD')!));
    // The staged tree stays root's (copied without --chown); the file store's folder is the user's.
    expect(fromBuild.map((copy) => copy.chown)).toEqual(fromBuild.map(() => null));
    const dataDir = posix.resolve(workdir, imageEnv.DATA_DIR ?? './data');
    const chowned = commandsOf(runtime).filter((words) => words[0] === 'chown');
    expect(chowned.map((words) => words.at(-1))).toEqual([dataDir]);
    for (const words of chowned) expect(words[1]!.split(':')[0]).toBe(user!.split(':')[0]);
  });

  it('binds every interface on PORT, exposes that port and sets only settings the bot reads', () => {
    expect(imageEnv.HOST).toBe('0.0.0.0');
    expect(imageEnv.PORT).toMatch(/^\d+$/);
    expect(instructionsOf(runtime, 'EXPOSE').flatMap((i) => i.args.split(/\s+/))).toEqual([imageEnv.PORT]);
    const settings = new Set<string>(SETTING_NAMES);
    expect(Object.keys(imageEnv).filter((name) => name !== 'NODE_ENV' && !settings.has(name))).toEqual([]);
  });

  it('starts the package\'s bin with serve, from the folder the staged tree was copied to', () => {
    expect(execForm(last(runtime, 'CMD')!.args)).toEqual(['node', pkg.bin['apim-vnet-bot'], 'serve']);
    for (const copy of fromBuild) expect(posix.resolve(workdir, copy.destination), copy.destination).toBe(workdir);
  });

  it('has a HEALTHCHECK in exec form that needs only node (the slim image has no curl) and asks /healthz on PORT', () => {
    const { flags, rest } = flagsOf(last(runtime, 'HEALTHCHECK')!.args);
    expect(rest).toMatch(/^CMD\s+\[/);
    const argv = execForm(rest.replace(/^CMD\s+/, ''))!;
    expect(argv[0]).toBe('node');
    expect(argv.join(' ')).toContain('/healthz');
    expect(argv.join(' ')).toContain('process.env.PORT');
    for (const flag of ['interval', 'timeout', 'start-period', 'retries']) expect(flags[flag], flag).toBeDefined();
  });

  it('.dockerignore keeps installed and built trees, settings, secrets and history out, and lets in what the build and the stage script read', () => {
    const patterns = readDockerignore();
    for (const path of ['node_modules', 'node_modules/botbuilder/package.json', 'dist/src/cli.js', 'build/app', 'data/audit.jsonl', '.env', 'env/.env.dev', 'env/.env.dev.user', '.git/HEAD']) {
      expect(ignoredBy(patterns, path), path).toBe(true);
    }
    // The stage script copies package.json's "files" (dist/ the build stage makes itself) and what npm ci needs (its
    // INSTALL_FILES); the build reads tsconfig.json, src and bench.
    const installFiles = JSON.parse(/export const INSTALL_FILES = (\[[^\]]*\])/.exec(readFileSync(join(ROOT, STAGE_SCRIPT), 'utf8'))![1]!.replace(/'/g, '"')) as string[];
    const needed = [...pkg.files.filter((path) => !path.startsWith('dist/')), ...installFiles, 'tsconfig.json', 'src/cli.ts', 'bench/run.ts', STAGE_SCRIPT, 'seeds/demo.json', 'vendor/spdy-unused/package.json'];
    for (const path of needed) expect(ignoredBy(patterns, path.replace(/\/$/, '')), path).toBe(false);
    // What the build stage copies from the context exists there.
    for (const copy of instructionsOf(build!, 'COPY').map(copyOf).filter((c) => c.from === null)) {
      for (const source of copy.sources.filter((s) => s !== '.')) expect(existsSync(join(ROOT, source)), source).toBe(true);
    }
  });
});

describe('what the image runs, built the same way', () => {
  let dir = '';
  let tree = '';
  let bot: ChildServer;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apim-bot-image-'));
    tree = join(dir, 'app');
    stageApp(tree, { install: true });
    port = await freePort();
    // The image's settings, but on loopback (unauthenticated, the bot serves nothing else) and the demo sandbox.
    bot = await startBotProcess(
      { ...imageEnv, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: join(dir, 'data'), SANDBOX_SEED: 'seeds/demo.json' },
      // The image's CMD in its WORKDIR, where the staged tree was copied (checked above).
      { cwd: tree, argv: execForm(last(runtime, 'CMD')!.args)!.slice(1) },
    );
  }, 240_000);
  // Removing the installed tree takes a while on a loaded machine.
  afterAll(async () => {
    await bot?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('holds every path the runtime stage copies from the build stage, made by the stage script', () => {
    const out = stageCall()!.args[stageCall()!.args.indexOf('--out') + 1]!;
    for (const copy of fromBuild) {
      for (const source of copy.sources) {
        const inside = posix.relative(out, posix.resolve('/', source));
        expect(inside.startsWith('..'), `${source} is not under the stage script's --out ${out}`).toBe(false);
        expect(existsSync(join(tree, inside)), `${source}: ${inside || '.'} in the staged tree`).toBe(true);
      }
    }
    expect(existsSync(join(tree, pkg.bin['apim-vnet-bot']!))).toBe(true);
  });

  it('has the production dependencies only', () => {
    for (const name of Object.keys(pkg.dependencies)) expect(existsSync(join(tree, 'node_modules', name, 'package.json')), name).toBe(true);
    // What the lock file marks as needed by the devDependencies alone (the compiler, vitest, the Playground...).
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev).map(([path]) => path);
    expect(devOnly).toContain('node_modules/typescript');
    expect(devOnly.filter((path) => existsSync(join(tree, path)))).toEqual([]);
  });

  it('answers the image\'s HEALTHCHECK command', async () => {
    expect(bot.url).toBe(`http://127.0.0.1:${port}`);
    expect(await runHealthcheck({ PORT: String(port) })).toBe(0);
  });

  it('whose HEALTHCHECK asks /healthz on PORT and fails when it gets no 2xx or no answer', async () => {
    const paths: string[] = [];
    let status = 200;
    const probe = createHttpServer((request, response) => {
      paths.push(request.url ?? '');
      response.statusCode = status;
      response.end('{}');
    });
    await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
    const probePort = String((probe.address() as AddressInfo).port);
    try {
      expect(await runHealthcheck({ PORT: probePort })).toBe(0);
      status = 503;
      expect(await runHealthcheck({ PORT: probePort })).toBe(1);
      expect(paths).toEqual(['/healthz', '/healthz']);
    } finally {
      await new Promise<void>((closed) => probe.close(() => closed()));
    }
    expect(await runHealthcheck({ PORT: String(await freePort()) })).toBe(1);
  });
});
