/**
 * A lookup of an instance by name across 1, 400 and 2,000 subscriptions, through Azure Resource Graph and through the
 * per-subscription fallback (Resource Graph refused by the sandbox's knob), side by side: ARM requests, the most in
 * flight at once, wall time, and sequential round trips (wall time with 50 ms sandbox latency minus wall time
 * without, divided by 50 ms). In process: the real ARM clients against an in-process sandbox on a loopback port.
 */
import { performance } from 'node:perf_hooks';
import { ArmClients } from '../src/azure/arm-clients.js';
import { findInstance } from '../src/azure/find-instance.js';
import { silentLogger } from '../src/log.js';
import { startSandbox, type ResourceGraphMode, type SandboxSeed } from '../src/sandbox/index.js';
import { manySubscriptionsEstate } from '../test/support/many-subscriptions.js';
import { target, type BenchContext, type BenchmarkResult, type Cell } from './framework.js';

const SUBSCRIPTIONS = [1, 400, 2_000];
const LATENCY_MS = 50;
const CONCURRENCY = 16;
const PATHS: { path: string; resourceGraph: ResourceGraphMode }[] = [
  { path: 'Resource Graph', resourceGraph: 'available' },
  { path: 'fallback', resourceGraph: 'denied' },
];

interface Measurement {
  armRequests: number;
  maxInFlight: number;
  wallMs: number;
}

export async function instanceLookupBenchmark(ctx: BenchContext): Promise<BenchmarkResult> {
  const rows: Record<string, Cell>[] = [];
  for (const count of SUBSCRIPTIONS) {
    const sandbox = await startSandbox({ seed: manySubscriptionsEstate(count) as unknown as SandboxSeed, port: 0 });
    try {
      const control = (path: string, init?: RequestInit) => fetch(`${sandbox.url}/_sandbox/${path}`, init).then((r) => (r.status === 204 ? null : r.json()));
      const name = `apim-${count - 1}`;
      for (const { path, resourceGraph } of PATHS) {
        const measure = async (latencyMs: number): Promise<Measurement> => {
          await control('faults', { method: 'POST', body: JSON.stringify({ resourceGraph, latencyMs }) });
          await control('requests', { method: 'DELETE' });
          // New clients each time: nothing kept from the last lookup (INSTANCE_NAME_CACHE_SECONDS=0 as well).
          const arm = new ArmClients({ endpoint: sandbox.url, timeoutMs: 60_000, maxRetries: 0, principalId: null, logger: silentLogger, instanceLookup: { concurrency: CONCURRENCY, nameCacheSeconds: 0 } });
          await arm.credential.getToken('sandbox'); // a token is had once per process, not per lookup: not timed
          const started = performance.now();
          const found = await findInstance(arm, name);
          const wallMs = performance.now() - started;
          if (found.name !== name) throw new Error(`looked up ${name}, found ${found.name}`);
          const requests = (await control('requests')) as unknown[];
          const { maxInFlight } = (await control('in-flight')) as { maxInFlight: number };
          return { armRequests: requests.length, maxInFlight, wallMs };
        };
        if (rows.length === 0) await measure(0); // warm-up: loads the SDK modules
        // The Resource Graph path is cheap: the median of three damps the sandbox's own time, which dominates at 2,000.
        const runs = resourceGraph === 'available' ? 3 : 1;
        const fast = await medianOf(runs, () => measure(0));
        const slow = await medianOf(runs, () => measure(LATENCY_MS));
        const roundTrips = Math.round(((slow.wallMs - fast.wallMs) / LATENCY_MS) * 10) / 10;
        ctx.log(`  ${count} subscriptions, ${path}: ${slow.armRequests} requests, ${roundTrips} round trips, ${Math.round(slow.wallMs)} ms at ${LATENCY_MS} ms`);
        rows.push({
          subscriptions: count,
          path,
          armRequests: slow.armRequests,
          maxInFlight: slow.maxInFlight,
          roundTrips,
          wallMs0: Math.round(fast.wallMs),
          wallMs50: Math.round(slow.wallMs),
        });
      }
    } finally {
      await sandbox.close();
    }
  }
  const graphRows = rows.filter((r) => r['path'] === 'Resource Graph');
  const most = (key: string) => Math.max(...graphRows.map((r) => Number(r[key])));
  return {
    notes: [
      `a lookup of one instance by name (the last subscription's), the instance read fresh by id; fallback with INSTANCE_LOOKUP_CONCURRENCY=${CONCURRENCY}, sandbox pages of 100`,
      `round trips = (wall time at ${LATENCY_MS} ms latency - wall time at 0 ms) / ${LATENCY_MS} ms; median of three runs for Resource Graph, one for the fallback, after one warm-up; the sign-in token is fetched before the clock starts`,
    ],
    columns: [
      { key: 'subscriptions', title: 'subscriptions' },
      { key: 'path', title: 'path' },
      { key: 'armRequests', title: 'ARM requests' },
      { key: 'maxInFlight', title: 'most in flight' },
      { key: 'roundTrips', title: 'round trips' },
      { key: 'wallMs0', title: 'wall ms (0 ms)' },
      { key: 'wallMs50', title: `wall ms (${LATENCY_MS} ms)` },
    ],
    rows,
    targets: [target('Resource Graph path: ARM requests at any size', most('armRequests'), 3, 'requests'), target('Resource Graph path: sequential round trips', most('roundTrips'), 3, 'round trips')],
    details: { latencyMs: LATENCY_MS, concurrency: CONCURRENCY, rows },
  };
}

/** The measurement of median wall time among `runs` runs. */
async function medianOf(runs: number, run: () => Promise<Measurement>): Promise<Measurement> {
  const all: Measurement[] = [];
  for (let i = 0; i < runs; i++) all.push(await run());
  return all.sort((a, b) => a.wallMs - b.wallMs)[Math.floor(all.length / 2)] as Measurement;
}
