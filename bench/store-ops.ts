/**
 * store-ops: request store operations per second, the file store (DATA_DIR on this machine's disk, one
 * process) and the blob store (Azurite in memory on loopback: the HTTP round trip and ETag checks, not a real
 * storage account's latency). Every write is what the bot does: a compare-and-set, audited when it changes state.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { silentLogger } from '../src/log.js';
import { auditEvent } from '../src/requests/audit.js';
import { openBlobStores, openFileStores, type Stores, updateWithRetry } from '../src/requests/store/index.js';
import { transition } from '../src/requests/lifecycle.js';
import type { IntegrationRequest } from '../src/requests/request.js';
import { startAzurite } from './azurite.js';
import { pendingBenchRequest, requester } from './bench-bot.js';
import type { BenchContext, BenchmarkResult, Cell } from './framework.js';

const RECORDS = 300;
const READS = 1_000;
const PARALLEL = 16;
const CONTENDED_WRITERS = 16;
const CONTENDED_CHANGES = 10;

interface OpResult {
  store: string;
  operation: string;
  count: number;
  ms: number;
}

export async function storeOpsBenchmark(ctx: BenchContext): Promise<BenchmarkResult> {
  const azurite = await startAzurite();
  const results: OpResult[] = [];
  try {
    const stores: [string, () => Promise<Stores>][] = [
      ['file', () => openFileStores(join(ctx.tmp, `store-ops-${randomUUID()}`), silentLogger)],
      ['blob', () => openBlobStores({ connectionString: azurite.connectionString, container: `ops-${randomUUID().slice(0, 8)}` }, silentLogger)],
    ];
    for (const [name, open] of stores) {
      const store = await open();
      try {
        const measured = await measure(store, name);
        results.push(...measured);
        ctx.log(`${name}: ${measured.map((r) => `${r.operation} ${Math.round(opsPerSecond(r))}/s`).join(', ')}`);
      } finally {
        await store.close();
      }
    }
  } finally {
    await azurite.stop();
  }
  return {
    notes: [
      `${RECORDS} records; reads ${READS}; parallel updates ${PARALLEL} at a time on different records; contended: ${CONTENDED_WRITERS} writers x ${CONTENDED_CHANGES} changes on one record (updateWithRetry: losers re-read and try again)`,
      'file: temp file + fsync + rename per write, in-process lock per record; blob: Azurite on loopback (in memory), If-Match / If-None-Match per write, metadata-filtered listing',
    ],
    columns: [
      { key: 'store', title: 'store' },
      { key: 'operation', title: 'operation' },
      { key: 'count', title: 'operations' },
      { key: 'opsPerSecond', title: 'ops/s', format: (v) => fmt(v, 0) },
      { key: 'msPerOp', title: 'ms/op (mean)', format: (v) => fmt(v, 2) },
    ],
    rows: results.map((r) => ({ store: r.store, operation: r.operation, count: r.count, opsPerSecond: opsPerSecond(r), msPerOp: r.ms / r.count })),
    targets: [],
    details: { results },
  };
}

async function measure(stores: Stores, name: string): Promise<OpResult[]> {
  const out: OpResult[] = [];
  const time = async (operation: string, count: number, work: () => Promise<void>) => {
    const started = performance.now();
    await work();
    out.push({ store: name, operation, count, ms: performance.now() - started });
  };
  const { requests, audit } = stores;
  const ids = Array.from({ length: RECORDS }, (_, i) => `R-${String(i).padStart(5, '0')}`);

  await time('create (If-None-Match)', RECORDS, async () => {
    for (const id of ids) if (!(await requests.create(pendingBenchRequest(id, 'http://127.0.0.1:9/', 'integrate')))) throw new Error(`create ${id} refused`);
  });
  await time('get', READS, async () => {
    for (let i = 0; i < READS; i++) await requests.get(ids[i % RECORDS]!);
  });
  await time('update, one writer (CAS + audit)', RECORDS, async () => {
    for (const id of ids) await updateWithRetry(requests, id, (r) => approve(r));
  });
  await time(`update, ${PARALLEL} writers on different records`, RECORDS, async () => {
    for (let i = 0; i < RECORDS; i += PARALLEL) {
      await Promise.all(ids.slice(i, i + PARALLEL).map((id) => updateWithRetry(requests, id, (r) => ({ ...r, routingNote: `n${r.version}` }))));
    }
  });
  await time(`update, ${CONTENDED_WRITERS} writers on one record`, CONTENDED_WRITERS * CONTENDED_CHANGES, async () => {
    await Promise.all(
      Array.from({ length: CONTENDED_WRITERS }, async (_, w) => {
        for (let c = 0; c < CONTENDED_CHANGES; c++) await updateWithRetry(requests, ids[0]!, (r) => ({ ...r, routingNote: `w${w}c${c}` }), 200);
      }),
    );
  });
  await time(`listByState (${RECORDS} records)`, 10, async () => {
    for (let i = 0; i < 10; i++) if ((await requests.listByState(['approved'])).length !== RECORDS) throw new Error('listByState lost records');
  });
  await time('audit append', RECORDS, async () => {
    const r = pendingBenchRequest(ids[1]!, 'http://127.0.0.1:9/', 'integrate');
    for (let i = 0; i < RECORDS; i++) await audit.append([auditEvent(r, new Date(), 'bench', { key: `bench-${i}` })]);
  });
  const final = await requests.get(ids[0]!);
  if (final?.version !== 3 + CONTENDED_WRITERS * CONTENDED_CHANGES) throw new Error(`contended updates lost: version ${final?.version}`);
  return out;
}

function approve(r: IntegrationRequest): IntegrationRequest | null {
  const moved = transition(r, 'approve', { by: requester, at: new Date() });
  return moved.ok ? moved.request : null;
}


function opsPerSecond(r: OpResult): number {
  return (r.count / r.ms) * 1000;
}

function fmt(value: Cell, digits: number): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '-';
}
