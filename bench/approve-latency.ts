/**
 * approve-latency: how long from an approver's click to the request stored as `applying` (the moment one
 * process holds its lease and the apply has started), with one bot process on the file store and on the blob
 * store (Azurite, in memory, on loopback). Sequential clicks, then a burst of 50 simultaneous clicks on one
 * request. The bot, the sandbox and Azurite share this machine; the sandbox's operations take 50 ms.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { startApp, type RunningApp } from '../src/main.js';
import { newRequestId } from '../src/requests/request-id.js';
import type { IntegrationRequest, RequestState } from '../src/requests/request.js';
import { startSandbox, type SandboxSeed } from '../src/sandbox/index.js';
import { startAzurite } from './azurite.js';
import { FakeConnector } from '../test/support/fake-connector.js';
import { APPROVER, approveInvoke, benchEstate, INSTANCE_ID, pendingBenchRequest } from './bench-bot.js';
import { median, percentile, target, type BenchContext, type BenchmarkResult, type Cell } from './framework.js';

const ENDED = new Set<RequestState>(['succeeded', 'failed']);
const BURST = 50;

interface StoreRun {
  store: 'file' | 'blob';
  invokeMs: number[];
  toApplyingMs: number[];
  outcomes: Record<string, number>;
  burst: { toApplyingMs: number; invokeMaxMs: number; winners: number };
}

export async function approveLatencyBenchmark(ctx: BenchContext): Promise<BenchmarkResult> {
  const samples = Math.max(10, ctx.options.runs * 10);
  const warmup = Math.max(2, ctx.options.warmup * 3);
  const [azurite, sandbox, stub] = await Promise.all([
    startAzurite(),
    startSandbox({ seed: benchEstate() as unknown as SandboxSeed, port: 0, lroSeconds: 0.05 }),
    FakeConnector.start(),
  ]);
  ctx.log(`Azurite at ${azurite.url}, sandbox at ${sandbox.url}`);
  const runs: StoreRun[] = [];
  let parity = 0;
  try {
    for (const store of ['file', 'blob'] as const) {
      const env: Record<string, string> = {
        ARM_ENDPOINT: sandbox.url,
        ARM_POLL_INTERVAL_MS: '50',
        PORT: '0',
        LOG_LEVEL: 'silent',
        APPROVER_IDS: APPROVER,
        ...(store === 'file'
          ? { DATA_DIR: join(ctx.tmp, `approve-${randomUUID()}`) }
          : { STORE: 'blob', BLOB_CONNECTION_STRING: azurite.connectionString, BLOB_CONTAINER: `bench-${randomUUID().slice(0, 8)}` }),
      };
      const app = await startApp(loadConfig(env), { logger: silentLogger });
      const run: StoreRun = { store, invokeMs: [], toApplyingMs: [], outcomes: {}, burst: { toApplyingMs: 0, invokeMaxMs: 0, winners: 0 } };
      try {
        for (let i = 0; i < warmup + samples; i++) {
          const sample = await approveOnce(app, stub.url, parity++ % 2 === 0 ? 'integrate' : 'disconnect', 1);
          run.outcomes[sample.state] = (run.outcomes[sample.state] ?? 0) + 1;
          if (i < warmup) continue;
          run.invokeMs.push(sample.invokeMs);
          run.toApplyingMs.push(sample.toApplyingMs);
        }
        const burst = await approveOnce(app, stub.url, parity++ % 2 === 0 ? 'integrate' : 'disconnect', BURST);
        run.burst = { toApplyingMs: burst.toApplyingMs, invokeMaxMs: burst.invokeMs, winners: burst.winners };
        ctx.log(
          `${store}: approve->applying median ${fmtMs(median(run.toApplyingMs))}, p95 ${fmtMs(percentile(run.toApplyingMs, 0.95))}; ` +
            `burst of ${BURST}: ${fmtMs(burst.toApplyingMs)} (${burst.winners} winner); outcomes ${JSON.stringify(run.outcomes)}`,
        );
      } finally {
        await app.close();
      }
      runs.push(run);
    }
  } finally {
    await Promise.all([azurite.stop(), sandbox.close(), stub.close()]);
  }

  const rows: Record<string, Cell>[] = runs.map((r) => ({
    store: r.store,
    samples: r.toApplyingMs.length,
    invoke: median(r.invokeMs),
    invokeP95: percentile(r.invokeMs, 0.95),
    applying: median(r.toApplyingMs),
    applyingP95: percentile(r.toApplyingMs, 0.95),
    applyingMax: Math.max(...r.toApplyingMs),
    burst: r.burst.toApplyingMs,
    burstInvoke: r.burst.invokeMaxMs,
    winners: r.burst.winners,
  }));
  return {
    notes: [
      `${samples} measured clicks per store after ${warmup} warm-up clicks, one at a time; each request is applied to the end before the next click`,
      'approve->applying: from sending the invoke to the time stored with the applying transition (same clock); invoke: the click\'s HTTP round trip',
      `burst: ${BURST} simultaneous approve clicks on one request; time to applying, slowest invoke answer, and how many clicks won (must be 1)`,
    ],
    columns: [
      { key: 'store', title: 'store' },
      { key: 'samples', title: 'clicks' },
      { key: 'invoke', title: 'invoke ms (median)', format: (v) => fmtCell(v, 1) },
      { key: 'invokeP95', title: 'invoke p95', format: (v) => fmtCell(v, 1) },
      { key: 'applying', title: 'approve->applying ms (median)', format: (v) => fmtCell(v, 1) },
      { key: 'applyingP95', title: 'p95', format: (v) => fmtCell(v, 1) },
      { key: 'applyingMax', title: 'max', format: (v) => fmtCell(v, 1) },
      { key: 'burst', title: `${BURST} clicks: ->applying ms`, format: (v) => fmtCell(v, 1) },
      { key: 'burstInvoke', title: 'slowest invoke', format: (v) => fmtCell(v, 1) },
      { key: 'winners', title: 'winners' },
    ],
    rows,
    targets: runs.flatMap((r) => [
      target(`${r.store}: approve->applying p95`, percentile(r.toApplyingMs, 0.95), 1_000, 'ms'),
      target(`${r.store}: slowest of ${BURST} simultaneous invokes (Teams abandons a turn after ~15 s)`, r.burst.invokeMaxMs, 5_000, 'ms'),
      target(`${r.store}: accepted approvals in a burst of ${BURST} (extra winners)`, r.burst.winners - 1, 0, 'extra'),
    ]),
    details: { samples, warmup, runs },
  };
}

/** Creates a pending request, sends `clicks` approve invokes at once, and waits for it to apply to the end. */
async function approveOnce(app: RunningApp, serviceUrl: string, kind: 'integrate' | 'disconnect', clicks: number) {
  const request = pendingBenchRequest(newRequestId(), serviceUrl, kind);
  if (!(await app.stores.requests.create(request))) throw new Error(`request id ${request.id} taken`);
  const sentAt = Date.now();
  const answers = await Promise.all(Array.from({ length: clicks }, () => invoke(app.url, approveInvoke(serviceUrl, request.conversation.conversationId, request.id))));
  const applying = await waitFor(app, request.id, (r) => r.history.some((h) => h.to === 'applying'), 10_000);
  const applyingAt = Date.parse(applying.history.find((h) => h.to === 'applying')?.at ?? '');
  const ended = await waitFor(app, request.id, (r) => ENDED.has(r.state), 30_000);
  return {
    invokeMs: Math.max(...answers.map((a) => a.ms)),
    toApplyingMs: applyingAt - sentAt,
    winners: answers.filter((a) => !/already/i.test(a.body)).length,
    state: ended.state,
  };
}


async function invoke(baseUrl: string, activity: unknown): Promise<{ ms: number; body: string }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`approve invoke answered ${response.status}: ${body.slice(0, 300)}`);
  return { ms: performance.now() - started, body };
}

async function waitFor(app: RunningApp, id: string, done: (r: IntegrationRequest) => boolean, timeoutMs: number): Promise<IntegrationRequest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const request = await app.stores.requests.get(id);
    if (request && done(request)) return request;
    if (Date.now() > deadline) throw new Error(`request ${id} did not get there within ${timeoutMs} ms (state ${request?.state ?? 'missing'})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function fmtMs(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(1)} ms`;
}

function fmtCell(value: Cell, digits: number): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : value === null ? '-' : String(value);
}
