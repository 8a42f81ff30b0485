/**
 * Finding instances by name through Azure Resource Graph, over real HTTP and the real SDK clients against the sandbox:
 * the number of ARM requests, the fallback's bound on requests in flight, the name cache, and names that would break
 * a carelessly built query.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findInstance, listInstances } from '../../src/azure/find-instance.js';
import { ErrorCode, isCodedError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { manyInstanceId, manySubscriptionsEstate, subscriptionOf } from '../support/index.js';
import { sandboxWithClients, type ClientOptions } from './harness.js';

type Harness = Awaited<ReturnType<typeof sandboxWithClients>>;
let harness: Harness | null = null;

async function start(seed: unknown, sandbox: Parameters<typeof sandboxWithClients>[1] = {}, clients: ClientOptions = {}, maxRetries = 2) {
  harness = await sandboxWithClients(seed, sandbox, maxRetries, clients);
  return harness;
}

afterEach(async () => {
  await harness?.sandbox.close();
  harness = null;
});

const isGraphQuery = (r: { method: string; path: string }) => r.method === 'POST' && r.path.toLowerCase().startsWith('/providers/microsoft.resourcegraph/resources');

/** A logger that keeps what it is told, to see which way a lookup went and why. */
function recordingLogger() {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, ...(fields ? { fields } : {}) });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

describe('findInstance through Azure Resource Graph', () => {
  it('finds a name among 400 subscriptions in at most 3 ARM requests: one query, one GET of the instance', async () => {
    const h = await start(manySubscriptionsEstate(400));
    const found = await findInstance(h.arm, 'APIM-317');
    expect(found).toMatchObject({ id: manyInstanceId(317), name: 'apim-317', subscriptionId: subscriptionOf(317), skuName: 'StandardV2', provisioningState: 'Succeeded' });
    const requests = await h.requests();
    expect(requests.length).toBeLessThanOrEqual(3);
    expect(requests.filter(isGraphQuery)).toHaveLength(1);
    expect(requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toContain(`GET ${manyInstanceId(317)}`);
    expect(requests.some((r) => r.path.startsWith('/subscriptions?') || r.path === '/subscriptions')).toBe(false);
  });

  it('sends the stable api-version and reads the instance fresh by id (Resource Graph may lag)', async () => {
    const h = await start(manySubscriptionsEstate(3));
    await findInstance(h.arm, 'apim-1');
    const query = (await h.requests()).find(isGraphQuery);
    expect(query?.path).toContain('api-version=2021-03-01');
  });

  it('an ambiguous name across subscriptions lists every match, from the one query', async () => {
    const h = await start(manySubscriptionsEstate(400, { shared: { name: 'payments', in: [12, 250, 399] } }));
    const error = await findInstance(h.arm, 'Payments').catch((e: unknown) => e);
    expect(isCodedError(error, ErrorCode.INSTANCE_AMBIGUOUS)).toBe(true);
    const matches = (error as { details: { matches: { id: string; subscriptionId: string }[] } }).details.matches;
    expect(matches.map((m) => m.id).sort()).toEqual([12, 250, 399].map((i) => manyInstanceId(i, 'payments')).sort());
    expect(matches.map((m) => m.subscriptionId).sort()).toEqual([12, 250, 399].map(subscriptionOf).sort());
    expect(await h.requests()).toHaveLength(1);
  });

  it('an unknown name is explained with near names, in at most 3 requests (the name query, then the list)', async () => {
    const h = await start(manySubscriptionsEstate(50), { pageSize: 1000 });
    const error = await findInstance(h.arm, 'apim-4x').catch((e: unknown) => e);
    expect(isCodedError(error, ErrorCode.INSTANCE_NOT_FOUND)).toBe(true);
    expect((error as Error).message).toMatch(/No API Management instance named apim-4x.*Did you mean: apim-4\b/s);
    expect((await h.requests()).filter(isGraphQuery)).toHaveLength(2);
  });

  it('lists every instance across Resource Graph pages ($skipToken)', async () => {
    const h = await start(manySubscriptionsEstate(25), { pageSize: 10 });
    const all = await listInstances(h.arm);
    expect(all.map((i) => i.name).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `apim-${i}`).sort());
    expect((await h.requests()).filter(isGraphQuery)).toHaveLength(3);
  });

  it("a name with a quote (or a backslash) cannot break the query: it is looked up and not found", async () => {
    const h = await start(manySubscriptionsEstate(3));
    for (const name of ["apim-1' or name != '", "apim-1\\' | project id", 'apim-"1"']) {
      const error = await findInstance(h.arm, name).catch((e: unknown) => e);
      expect(isCodedError(error, ErrorCode.INSTANCE_NOT_FOUND), name).toBe(true);
    }
    const statuses = (await h.requests()).filter(isGraphQuery).map((r) => r.status);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('a name on two lines is refused as input, without asking Azure', async () => {
    const h = await start(manySubscriptionsEstate(1));
    const error = await findInstance(h.arm, 'apim-0\n| project id').catch((e: unknown) => e);
    expect(isCodedError(error, ErrorCode.INVALID_INPUT)).toBe(true);
    expect(await h.requests()).toHaveLength(0);
  });
});

describe('the fallback when Resource Graph is refused or failing', () => {
  it('refused (403): lists subscription by subscription, never more than INSTANCE_LOOKUP_CONCURRENCY in flight, and says so once at warn', async () => {
    const { logger, lines } = recordingLogger();
    const h = await start(manySubscriptionsEstate(40), { resourceGraph: 'denied', latencyMs: 25, pageSize: 1000 }, { instanceLookup: { concurrency: 4 }, logger });
    expect((await findInstance(h.arm, 'apim-33')).id).toBe(manyInstanceId(33));
    const { maxInFlight } = await h.inFlight();
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThan(1);
    const requests = await h.requests();
    expect(requests.filter(isGraphQuery).map((r) => r.status)).toEqual([403]);
    expect(requests.filter((r) => r.path.includes('/providers/Microsoft.ApiManagement/service?'))).toHaveLength(40);

    await findInstance(h.arm, 'apim-34');
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({ concurrency: 4, reason: expect.stringContaining('AuthorizationFailed (HTTP 403)'), fix: expect.stringContaining('Reader') });
  });

  it('failing (500 after the retries): falls back too, and the answer is the same', async () => {
    const { logger, lines } = recordingLogger();
    const h = await start(manySubscriptionsEstate(6, { shared: { name: 'twin', in: [1, 4] } }), { resourceGraph: 'failing' }, { logger }, 1);
    const error = await findInstance(h.arm, 'twin').catch((e: unknown) => e);
    expect(isCodedError(error, ErrorCode.INSTANCE_AMBIGUOUS)).toBe(true);
    expect(lines.find((l) => l.level === 'warn')?.fields?.['reason']).toMatch(/InternalServerError \(HTTP 500\)/);
    expect((await h.requests()).filter(isGraphQuery).map((r) => r.status)).toEqual([500, 500]);
  });

  it('throttled lists are retried as ARM asks (Retry-After) inside their slot: still never more than the limit in flight', async () => {
    const h = await start(manySubscriptionsEstate(12), { resourceGraph: 'denied', latencyMs: 20 }, { instanceLookup: { concurrency: 3 } });
    await h.faults({ failNext: [{ pathContains: `/subscriptions/${subscriptionOf(5)}/providers/Microsoft.ApiManagement/service`, status: 429, retryAfter: 1, count: 1 }] });
    const started = Date.now();
    expect((await findInstance(h.arm, 'apim-11')).id).toBe(manyInstanceId(11));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect((await h.inFlight()).maxInFlight).toBeLessThanOrEqual(3);
    const lists = (await h.requests()).filter((r) => r.path.startsWith(`/subscriptions/${subscriptionOf(5)}/providers/Microsoft.ApiManagement/service`));
    expect(lists.map((r) => r.status)).toEqual([429, 200]);
    expect(Date.parse(lists[1]!.time) - Date.parse(lists[0]!.time)).toBeGreaterThanOrEqual(990);
  });

  it('a refusal of the bot itself (401) is not hidden behind the fallback', async () => {
    const h = await start(manySubscriptionsEstate(2));
    await h.faults({ failNext: [{ pathContains: 'Microsoft.ResourceGraph', status: 401, count: 1 }] });
    const error = await findInstance(h.arm, 'apim-1').catch((e: unknown) => e);
    expect((error as { statusCode?: number }).statusCode).toBe(401);
    expect((await h.requests()).some((r) => r.path.includes('Microsoft.ApiManagement/service?'))).toBe(false);
  });
});

describe('the name cache (INSTANCE_NAME_CACHE_SECONDS)', () => {
  function clock() {
    let now = Date.parse('2026-12-01T10:00:00Z');
    return { now: () => now, advance: (seconds: number) => void (now += seconds * 1000) };
  }

  it('two lookups within the TTL send one Resource Graph query; after the TTL, two; the instance is read fresh each time', async () => {
    const time = clock();
    const h = await start(manySubscriptionsEstate(5), {}, { instanceLookup: { nameCacheSeconds: 60, now: time.now } });
    await findInstance(h.arm, 'apim-2');
    time.advance(59);
    await findInstance(h.arm, 'APIM-2');
    const within = await h.requests();
    expect(within.filter(isGraphQuery)).toHaveLength(1);
    expect(within.filter((r) => r.method === 'GET' && r.path.startsWith(manyInstanceId(2)))).toHaveLength(2);
    time.advance(2);
    await findInstance(h.arm, 'apim-2');
    expect((await h.requests()).filter(isGraphQuery)).toHaveLength(2);
  });

  it('an ambiguous name is kept too, and its instances are read by id', async () => {
    const time = clock();
    const h = await start(manySubscriptionsEstate(5, { shared: { name: 'twin', in: [0, 3] } }), {}, { instanceLookup: { now: time.now } });
    for (let i = 0; i < 2; i++) expect(isCodedError(await findInstance(h.arm, 'twin').catch((e: unknown) => e), ErrorCode.INSTANCE_AMBIGUOUS)).toBe(true);
    const requests = await h.requests();
    expect(requests.filter(isGraphQuery)).toHaveLength(1);
    expect(requests.filter((r) => r.method === 'GET')).toHaveLength(2);
  });

  it('0 keeps nothing: every lookup asks Resource Graph', async () => {
    const h = await start(manySubscriptionsEstate(2), {}, { instanceLookup: { nameCacheSeconds: 0 } });
    await findInstance(h.arm, 'apim-1');
    await findInstance(h.arm, 'apim-1');
    expect((await h.requests()).filter(isGraphQuery)).toHaveLength(2);
  });

  it('a kept id whose instance is gone is asked again, not reported as the name being unknown', async () => {
    const time = clock();
    const seed = manySubscriptionsEstate(3, { shared: { name: 'moved', in: [0] } });
    const h = await start(seed, {}, { instanceLookup: { now: time.now } });
    expect((await findInstance(h.arm, 'moved')).subscriptionId).toBe(subscriptionOf(0));
    await h.faults({ failNext: [{ method: 'GET', pathContains: manyInstanceId(0, 'moved'), status: 404, code: 'ResourceNotFound', count: 1 }] });
    expect((await findInstance(h.arm, 'moved')).subscriptionId).toBe(subscriptionOf(0));
    expect((await h.requests()).filter(isGraphQuery)).toHaveLength(2);
  });
});
