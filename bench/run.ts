/**
 * Benchmarks, run as `npm run bench` (which builds first). Each benchmark is a named async function that
 * returns table rows and target checks; results are printed and written to bench/out/<name>.json.
 *
 *   node dist/bench/run.js [--only check] [--runs 3] [--warmup 1] [--latencies 0,50]
 *                          [--vnets 2000] [--subnets-per-vnet 10] [--strict] [--keep-temp]
 *
 * --strict exits 1 when a target is missed (a failed run always exits 1).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type GeneratedEstate, generateEstate } from './generate-seed.js';
import type { RusageRecord } from './rusage-preload.js';
import { validateSeed } from './validate-seed.js';
import { median, target, type Benchmark, type BenchContext, type BenchmarkResult, type BenchOptions, type Cell, type Target } from './framework.js';
import { approveLatencyBenchmark } from './approve-latency.js';
import { storeOpsBenchmark } from './store-ops.js';
import { botFlowBenchmark } from './bot-flow.js';
import { instanceLookupBenchmark } from './instance-lookup.js';

// ------------------------------------------------------------------------------------------------ framework

/** Add new benchmarks here. */
const benchmarks: Benchmark[] = [
  {
    name: 'check',
    description: 'Whole `check --json --as <requester>` process against a sandbox holding a large estate',
    run: checkBenchmark,
  },
  {
    name: 'approve-latency',
    description: 'Approve click to the request stored as applying (one bot process, file and blob stores; Azurite for blob)',
    run: approveLatencyBenchmark,
  },
  {
    name: 'bot-flow',
    description: 'The request flow over HTTP: check, requestIntegration, approve, until the instance is integrated and the requester told',
    run: botFlowBenchmark,
  },
  {
    name: 'instance-lookup',
    description: 'A lookup of an instance by name across 1, 400 and 2,000 subscriptions: Resource Graph and the per-subscription fallback',
    run: instanceLookupBenchmark,
  },
  {
    name: 'store-ops',
    description: 'Request store operations per second, file store and blob store (Azurite)',
    run: storeOpsBenchmark,
  },
];

// ------------------------------------------------------------------------------------------------ check benchmark

interface CheckSample {
  run: number;
  wallMs: number;
  exitCode: number | null;
  maxRssKiB: number | null;
  cpuMs: number | null;
  armRequests: number;
  vnetListPages: number;
  requestKinds: Record<string, number>;
  statuses: Record<string, number>;
  subnetsInReport: number | null;
  verdicts: Record<string, number>;
  instanceFindings: string[];
  outputBytes: number;
  /** The ARM requests of this run, in arrival order. */
  requests: { method: string; path: string; status: number }[];
}

/** The check's GETs replayed one at a time against the sandbox: how long the sandbox itself takes to serve them. */
interface ReplayResult {
  requests: number;
  totalMs: number;
  slowest: { kind: string; ms: number }[];
}

interface LatencySummary {
  latencyMs: number;
  samples: CheckSample[];
  wallMedianMs: number;
  wallMinMs: number;
  wallMaxMs: number;
  maxRssMedianMB: number | null;
  cpuMedianMs: number | null;
  armRequests: number;
  vnetListPages: number;
  replay: ReplayResult | null;
}

const WALL_TARGET_MS = 2000;
const RSS_TARGET_MB = 300;
const BASE_ROUND_TRIPS = 3;
const CHECK_TIMEOUT_MS = 180_000;

async function checkBenchmark(ctx: BenchContext): Promise<BenchmarkResult> {
  const { options } = ctx;
  const started = performance.now();
  const estate = generateEstate({ vnets: options.vnets, subnetsPerVnet: options.subnetsPerVnet });
  const validation = validateSeed(estate.seed);
  if (validation.errors.length > 0) {
    throw new Error(`generated seed is inconsistent:\n  ${validation.errors.slice(0, 10).join('\n  ')}`);
  }
  const seedFile = join(ctx.tmp, 'check-estate.json');
  writeFileSync(seedFile, JSON.stringify(estate.seed));
  const seedMB = statSync(seedFile).size / 1e6;
  ctx.log(`estate generated in ${Math.round(performance.now() - started)} ms (${estate.counts.subnets} subnets, ${seedMB.toFixed(1)} MB)`);

  const summaries: LatencySummary[] = [];
  for (const latencyMs of options.latencies) {
    const sandbox = await startSandbox(ctx, seedFile, latencyMs);
    ctx.log(`sandbox at ${sandbox.url} (latency ${latencyMs} ms)`);
    try {
      const samples: CheckSample[] = [];
      for (let i = 0; i < options.warmup + options.runs; i++) {
        const sample = await runCheckOnce(ctx, sandbox.url, estate, latencyMs, i);
        const warm = i < options.warmup;
        ctx.log(
          `  ${warm ? 'warm-up' : `run ${i - options.warmup + 1}`}: ${Math.round(sample.wallMs)} ms, ` +
            `${sample.maxRssKiB === null ? '? ' : (kibToMB(sample.maxRssKiB) ?? 0).toFixed(0)} MB, ${sample.armRequests} requests, exit ${String(sample.exitCode)}`,
        );
        if (!warm) samples.push(sample);
      }
      const summary = summarise(latencyMs, samples);
      const last = samples[samples.length - 1];
      if (latencyMs === 0 && last) {
        summary.replay = await replayRequests(sandbox.url, last.requests);
        ctx.log(`  sandbox serve time (the run's GETs replayed one by one): ${Math.round(summary.replay.totalMs)} ms`);
      }
      summaries.push(summary);
    } finally {
      await sandbox.stop();
    }
  }

  const baseline = summaries.find((s) => s.latencyMs === 0) ?? null;
  const roundTripsOf = (s: LatencySummary): number | null =>
    baseline && s.latencyMs > 0 ? (s.wallMedianMs - baseline.wallMedianMs) / s.latencyMs : null;
  const rows = summaries.map((s) => ({
    latency: s.latencyMs,
    wall: s.wallMedianMs,
    wallRange: `${Math.round(s.wallMinMs)}-${Math.round(s.wallMaxMs)}`,
    rss: s.maxRssMedianMB,
    cpu: s.cpuMedianMs,
    requests: s.armRequests,
    pages: s.vnetListPages,
    roundTrips: roundTripsOf(s),
    subnets: s.samples[0]?.subnetsInReport ?? null,
    exit: [...new Set(s.samples.map((x) => String(x.exitCode)))].join(','),
  }));

  const targets: Target[] = [];
  if (baseline) {
    targets.push(target('whole check, no latency (median wall, Node start-up included)', baseline.wallMedianMs, WALL_TARGET_MS, 'ms'));
    targets.push(target('peak memory, no latency (median maxRSS)', baseline.maxRssMedianMB, RSS_TARGET_MB, 'MB'));
  }
  for (const s of summaries) {
    const trips = roundTripsOf(s);
    if (trips === null) continue;
    const pages = baseline?.vnetListPages ?? s.vnetListPages;
    targets.push(target(`sequential round trips at ${s.latencyMs} ms (${BASE_ROUND_TRIPS} + ${pages} VNet list pages)`, trips, BASE_ROUND_TRIPS + pages, 'trips'));
  }

  const verdicts = summaries[0]?.samples[0]?.verdicts ?? {};
  const replay = baseline?.replay ?? null;
  const replayNote = replay
    ? `sandbox serve time: the ${replay.requests} GETs of one run, replayed one at a time, take ${Math.round(replay.totalMs)} ms ` +
      `(slowest: ${replay.slowest.map((x) => `${x.kind} ${Math.round(x.ms)} ms`).join('; ')})` +
      (baseline && replay.totalMs > 0.25 * baseline.wallMedianMs
        ? ' -- the sandbox dominates the wall time, so wall time and round trips measure the sandbox more than the check'
        : '')
    : 'sandbox serve time: not measured (no 0 ms latency run)';
  return {
    notes: [
      `estate: ${estate.counts.vnets} VNets x ${options.subnetsPerVnet} subnets = ${estate.counts.subnets} subnets, ${estate.counts.nsgs} NSGs, ` +
        `${estate.counts.roleAssignments} role assignments, ${estate.counts.instances} instances (seed ${seedMB.toFixed(1)} MB)`,
      `runs: ${options.warmup} warm-up + ${options.runs} measured per latency; medians shown; wall time is spawn to exit of the check process`,
      `report verdicts: ${Object.entries(verdicts).map(([k, n]) => `${k} ${n}`).join(', ') || 'n/a'}; report size ${((summaries[0]?.samples[0]?.outputBytes ?? 0) / 1e6).toFixed(1)} MB`,
      replayNote,
    ],
    columns: [
      { key: 'latency', title: 'latency ms' },
      { key: 'wall', title: 'wall ms (median)', format: (v) => fmt(v, 0) },
      { key: 'wallRange', title: 'min-max' },
      { key: 'rss', title: 'peak RSS MB', format: (v) => fmt(v, 0) },
      { key: 'cpu', title: 'CPU ms', format: (v) => fmt(v, 0) },
      { key: 'requests', title: 'ARM requests' },
      { key: 'pages', title: 'VNet pages' },
      { key: 'roundTrips', title: 'round trips', format: (v) => fmt(v, 1) },
      { key: 'subnets', title: 'subnets in report' },
      { key: 'exit', title: 'exit' },
    ],
    rows,
    targets,
    details: {
      instanceId: estate.instanceId,
      requesterPrincipalId: estate.requesterPrincipalId,
      botPrincipalId: estate.botPrincipalId,
      estate: estate.counts,
      latencies: summaries,
    },
  };
}

async function runCheckOnce(ctx: BenchContext, sandboxUrl: string, estate: GeneratedEstate, latencyMs: number, run: number): Promise<CheckSample> {
  await sandboxHttp(sandboxUrl, 'DELETE', '/_sandbox/requests');
  const rusageFile = join(ctx.tmp, `rusage-${latencyMs}-${run}.json`);
  rmSync(rusageFile, { force: true });

  const args = ['--import', ctx.preloadUrl, ctx.cli, 'check', estate.instanceId, '--json', '--as', estate.requesterPrincipalId];
  const env = { ...process.env, ARM_ENDPOINT: sandboxUrl, BOT_PRINCIPAL_ID: estate.botPrincipalId, BENCH_RUSAGE_FILE: rusageFile };
  // The report goes to a file, as a script would send it: reading tens of megabytes from a pipe here would
  // compete for the CPU with the process being measured.
  const stdoutFile = join(ctx.tmp, `report-${latencyMs}-${run}.json`);
  const stdoutFd = openSync(stdoutFile, 'w');
  const stderr = new Tail(8000);
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: ctx.root, env, stdio: ['ignore', stdoutFd, 'pipe'] });
  closeSync(stdoutFd);
  track(child);
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const { code, wallMs } = await new Promise<{ code: number | null; wallMs: number }>((resolvePromise, reject) => {
    let exitedAt = 0;
    let exitCode: number | null = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`check did not finish within ${CHECK_TIMEOUT_MS / 1000} s\n${stderr.text()}`));
    }, CHECK_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (c) => {
      exitedAt = performance.now();
      exitCode = c;
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolvePromise({ code: exitCode, wallMs: (exitedAt || performance.now()) - t0 });
    });
  });

  const output = readFileSync(stdoutFile, 'utf8');
  rmSync(stdoutFile, { force: true });
  let report: unknown = null;
  try {
    report = JSON.parse(output);
  } catch {
    report = null;
  }
  if ((code !== 0 && code !== 1) || !isRecord(report)) {
    throw new Error(
      `check failed (exit ${String(code)}${report === null ? ', stdout is not JSON' : ''}) against ${sandboxUrl}\n` +
        `  node ${args.join(' ')}\n${indent(stderr.text() || output.slice(0, 2000))}`,
    );
  }

  const log = await sandboxHttp(sandboxUrl, 'GET', '/_sandbox/requests');
  const requests = parseRequestLog(log.body);
  const rusage = readRusage(rusageFile);
  const subnets = Array.isArray(report['subnets']) ? report['subnets'] : null;
  const verdicts: Record<string, number> = {};
  for (const s of subnets ?? []) {
    const verdict = isRecord(s) ? String(s['verdict']) : '?';
    verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
  }
  const findings = Array.isArray(report['findings']) ? report['findings'] : [];
  return {
    run,
    wallMs,
    exitCode: code,
    maxRssKiB: rusage?.maxRssKiB ?? null,
    cpuMs: rusage ? rusage.userCpuMs + rusage.systemCpuMs : null,
    armRequests: requests.length,
    vnetListPages: requests.filter(isVnetListRequest).length,
    requestKinds: countBy(requests, requestKind),
    statuses: countBy(requests, (r) => String(r.status)),
    subnetsInReport: subnets?.length ?? null,
    verdicts,
    instanceFindings: findings.map((f) => (isRecord(f) ? String(f['code']) : '?')),
    outputBytes: Buffer.byteLength(output),
    requests: requests.map(({ method, path, status }) => ({ method, path, status })),
  };
}

function summarise(latencyMs: number, samples: CheckSample[]): LatencySummary {
  const walls = samples.map((s) => s.wallMs);
  const rss = samples.flatMap((s) => (s.maxRssKiB === null ? [] : [s.maxRssKiB]));
  const cpu = samples.flatMap((s) => (s.cpuMs === null ? [] : [s.cpuMs]));
  return {
    latencyMs,
    samples,
    wallMedianMs: median(walls) ?? Number.NaN,
    wallMinMs: Math.min(...walls),
    wallMaxMs: Math.max(...walls),
    maxRssMedianMB: kibToMB(median(rss)),
    cpuMedianMs: median(cpu),
    armRequests: median(samples.map((s) => s.armRequests)) ?? 0,
    vnetListPages: median(samples.map((s) => s.vnetListPages)) ?? 0,
    replay: null,
  };
}

async function replayRequests(sandboxUrl: string, requests: CheckSample['requests']): Promise<ReplayResult> {
  const timings: { kind: string; ms: number }[] = [];
  for (const r of requests) {
    if (r.method.toUpperCase() !== 'GET') continue;
    const t0 = performance.now();
    await sandboxHttp(sandboxUrl, 'GET', r.path, { authorization: 'Bearer bench-replay' }).catch(() => undefined);
    timings.push({ kind: requestKind({ ...r, time: '' }), ms: performance.now() - t0 });
  }
  await sandboxHttp(sandboxUrl, 'DELETE', '/_sandbox/requests');
  return {
    requests: timings.length,
    totalMs: timings.reduce((n, t) => n + t.ms, 0),
    slowest: [...timings].sort((a, b) => b.ms - a.ms).slice(0, 3),
  };
}

// ------------------------------------------------------------------------------------------------ sandbox process

interface SandboxProcess {
  url: string;
  stop(): Promise<void>;
}

async function startSandbox(ctx: BenchContext, seedFile: string, latencyMs: number): Promise<SandboxProcess> {
  const args = [ctx.cli, 'sandbox', '--seed', seedFile, '--port', '0', '--latency-ms', String(latencyMs)];
  const child = spawn(process.execPath, args, { cwd: ctx.root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  const output = new Tail(8000);
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  // Keep reading stdout for the whole run so a chatty sandbox never blocks on a full pipe.
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolvePromise, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sandbox printed no URL within 60 s\n${output.text()}`));
    }, 60_000);
    lines.on('line', (line) => {
      output.push(line + '\n');
      const match = /\bhttps?:\/\/[^\s"'<>]+/.exec(line);
      if (!ready && match) {
        ready = true;
        clearTimeout(timer);
        resolvePromise(match[0].replace(/[).,;]+$/, '').replace(/\/+$/, ''));
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`sandbox exited (${String(code ?? signal)}) before it was ready\n  node ${args.join(' ')}\n${indent(output.text())}`));
    });
  });
  return { url, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const liveChildren = new Set<ChildProcess>();
function track(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}
function killLiveChildren(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
}

// ------------------------------------------------------------------------------------------------ sandbox requests

interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  time: string;
}

function sandboxHttp(base: string, method: string, path: string, extraHeaders: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const url = new URL(base.replace(/\/+$/, '') + path);
  return new Promise((resolvePromise, reject) => {
    const onResponse = (res: import('node:http').IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status >= 400) reject(new Error(`${method} ${url.href} -> ${status}: ${body.slice(0, 500)}`));
        else resolvePromise({ status, body });
      });
      res.on('error', reject);
    };
    const headers = { accept: 'application/json', ...extraHeaders };
    // The sandbox may serve https with a locally generated certificate: trust it for these calls only.
    const req = url.protocol === 'https:' ? httpsRequest(url, { method, headers, rejectUnauthorized: false }, onResponse) : httpRequest(url, { method, headers }, onResponse);
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${url.href} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

function parseRequestLog(body: string): LoggedRequest[] {
  const parsed: unknown = JSON.parse(body);
  const list = Array.isArray(parsed) ? parsed : isRecord(parsed) && Array.isArray(parsed['value']) ? parsed['value'] : null;
  if (!list) throw new Error('GET /_sandbox/requests did not return a JSON array');
  return list.filter(isRecord).map((r) => ({
    method: String(r['method'] ?? ''),
    path: String(r['path'] ?? ''),
    status: Number(r['status'] ?? 0),
    time: String(r['time'] ?? ''),
  }));
}

function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return (q < 0 ? path : path.slice(0, q)).replace(/\/+$/, '');
}

/** A page of a VNet list: `…/providers/Microsoft.Network/virtualNetworks` (subscription or group), next links included. */
function isVnetListRequest(r: LoggedRequest): boolean {
  return r.method.toUpperCase() === 'GET' && /\/providers\/microsoft\.network\/virtualnetworks$/i.test(pathOnly(r.path));
}

/** "GET Microsoft.Network/virtualNetworks [list]", "GET Microsoft.Authorization/roleAssignments [list]", … */
function requestKind(r: LoggedRequest): string {
  const segments = pathOnly(r.path).split('/').filter(Boolean);
  const at = segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  let kind: string;
  if (at < 0) {
    const types = segments.filter((_, i) => i % 2 === 0);
    kind = `${types.join('/')}${segments.length % 2 === 1 ? ' [list]' : ''}`;
  } else {
    const rest = segments.slice(at + 1);
    const namespace = rest[0] ?? '?';
    const typed = rest.slice(1);
    const types = typed.filter((_, i) => i % 2 === 0);
    kind = types.length === 0 ? namespace : `${namespace}/${types.join('/')}${typed.length % 2 === 1 ? ' [list]' : ''}`;
  }
  return `${r.method.toUpperCase()} ${kind}`;
}

function readRusage(file: string): RusageRecord | null {
  if (!existsSync(file)) return null;
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isRecord(value) && typeof value['maxRssKiB'] === 'number' ? (value as unknown as RusageRecord) : null;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------------------------------------ output

function printResult(bench: Benchmark, result: BenchmarkResult): void {
  const out = (s = ''): void => void process.stdout.write(s + '\n');
  out();
  out(`== ${bench.name}: ${bench.description}`);
  for (const note of result.notes) out(`   ${note}`);
  out();
  const header = result.columns.map((c) => c.title);
  const body = result.rows.map((row) => result.columns.map((c) => (c.format ? c.format(row[c.key] ?? null, row) : fmt(row[c.key] ?? null))));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ');
  out('   ' + line(header));
  out('   ' + widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) out('   ' + line(r));
  if (result.targets.length > 0) {
    out();
    out('   targets:');
    for (const t of result.targets) {
      const mark = t.pass === null ? ' n/a' : t.pass ? '  ok' : 'MISS';
      out(`   ${mark}  ${t.name}: ${fmt(t.actual, t.unit === 'trips' ? 1 : 0)} ${t.unit} (target <= ${t.limit} ${t.unit})`);
    }
  }
}

function fmt(value: Cell, digits = 0): string {
  if (value === null) return '-';
  if (typeof value === 'number') return Number.isFinite(value) ? value.toFixed(digits) : '-';
  return value;
}

// ------------------------------------------------------------------------------------------------ helpers

class Tail {
  private buffer = '';
  constructor(private readonly max: number) {}
  push(text: string): void {
    this.buffer = (this.buffer + text).slice(-this.max);
  }
  text(): string {
    return this.buffer;
  }
}

function kibToMB(kib: number | null): number | null {
  return kib === null ? null : (kib * 1024) / 1e6;
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseOptions(argv: string[]): { options: BenchOptions; only: string[] | null } {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      runs: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1' },
      latencies: { type: 'string', default: '0,50' },
      vnets: { type: 'string', default: '2000' },
      'subnets-per-vnet': { type: 'string', default: '10' },
      strict: { type: 'boolean', default: false },
      'keep-temp': { type: 'boolean', default: false },
    },
  });
  const int = (name: string, text: string, min: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number >= ${min}, not "${text}"`);
    return n;
  };
  const latencies = values.latencies.split(',').map((s) => int('latencies', s.trim(), 0));
  return {
    only: values.only ? values.only.split(',').map((s) => s.trim()) : null,
    options: {
      runs: int('runs', values.runs, 1),
      warmup: int('warmup', values.warmup, 0),
      latencies: [...new Set(latencies)].sort((a, b) => a - b),
      vnets: int('vnets', values.vnets, 1),
      subnetsPerVnet: int('subnets-per-vnet', values['subnets-per-vnet'], 1),
      strict: values.strict,
      keepTemp: values['keep-temp'],
    },
  };
}

// ------------------------------------------------------------------------------------------------ main

async function main(): Promise<number> {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(here, '..', '..');
  const { options, only } = parseOptions(process.argv.slice(2));
  const cli = join(root, 'dist', 'src', 'cli.js');
  const preload = join(here, 'rusage-preload.js');
  for (const file of [cli, preload]) {
    if (!existsSync(file)) {
      process.stderr.write(`bench: ${file} is missing; build first (npm run build)\n`);
      return 1;
    }
  }
  const selected = only ? benchmarks.filter((b) => only.includes(b.name)) : benchmarks;
  if (selected.length === 0) {
    process.stderr.write(`bench: no benchmark named ${String(only)}; known: ${benchmarks.map((b) => b.name).join(', ')}\n`);
    return 1;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'apim-vnet-bench-'));
  const outDir = join(root, 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  const ctx: BenchContext = {
    root,
    cli,
    preloadUrl: pathToFileURL(preload).href,
    tmp,
    options,
    log: (message) => void process.stderr.write(`[bench] ${message}\n`),
  };
  const cpu = cpus();
  const environment = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: `${cpu.length} x ${cpu[0]?.model ?? '?'}`,
    memoryGB: Math.round(totalmem() / 1e9),
  };
  ctx.log(`node ${environment.node}, ${environment.cpu}, ${environment.memoryGB} GB`);

  let failed = false;
  let missed = false;
  try {
    for (const bench of selected) {
      ctx.log(`running ${bench.name}`);
      try {
        const result = await bench.run(ctx);
        printResult(bench, result);
        missed ||= result.targets.some((t) => t.pass === false);
        const file = join(outDir, `${bench.name}.json`);
        const { columns: _columns, ...rest } = result;
        writeFileSync(file, JSON.stringify({ benchmark: bench.name, description: bench.description, generatedAt: new Date().toISOString(), environment, options, ...rest }, null, 2) + '\n');
        ctx.log(`wrote ${file}`);
      } catch (error) {
        failed = true;
        process.stderr.write(`\nbench ${bench.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  } finally {
    killLiveChildren();
    if (options.keepTemp) ctx.log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  return failed || (options.strict && missed) ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killLiveChildren();
    process.exit(130);
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    killLiveChildren();
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
