import { describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { SUB_A, apim, subnet } from './fixtures.js';
import { arm, authorize, clearLog, clientOptions, collect, errorCode, requestLog, sandboxToken, setFaults, start, unusedCredential, useFreshSandbox } from './helpers.js';

describe('knobs, fault injection and the request log', () => {
  const fresh = useFreshSandbox();
  const apimClient = () => fresh.apiManagement();


  it('logs ARM requests with method, path + query, status and ISO time; DELETE clears it', async () => {
    await apimClient().apiManagementService.get('rg-apim', 'apim-std');
    await sandboxToken(fresh.sandbox.url);
    const log = await requestLog(fresh.sandbox);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ method: 'GET', status: 200, path: `${apim('apim-std')}?api-version=2024-05-01` });
    expect(new Date(log[0]?.time ?? '').toISOString()).toBe(log[0]?.time);
    await clearLog(fresh.sandbox);
    expect(await requestLog(fresh.sandbox)).toEqual([]);
  });

  it('records the double slash the SDK builds for an empty parent path', async () => {
    const { AuthorizationManagementClient } = await import('@azure/arm-authorization');
    const auth = authorize(new AuthorizationManagementClient(unusedCredential, SUB_A, clientOptions(fresh.sandbox)), fresh.sandbox.url);
    await collect(auth.permissions.listForResource('rg-apim', 'Microsoft.ApiManagement', '', 'service', 'apim-std'));
    const log = await requestLog(fresh.sandbox);
    expect(log.at(-1)?.path).toContain('Microsoft.ApiManagement//service/apim-std/providers/Microsoft.Authorization/permissions');
    expect(log.at(-1)?.status).toBe(200);
  });

  it('failNext 429 with Retry-After is retried by the SDK and then expires', async () => {
    await setFaults(fresh.sandbox, { failNext: [{ method: 'GET', pathContains: 'apim-std', status: 429, retryAfter: 0, count: 2 }] });
    const svc = await apimClient().apiManagementService.get('rg-apim', 'apim-std');
    expect(svc.name).toBe('apim-std');
    expect((await requestLog(fresh.sandbox)).map((r) => r.status)).toEqual([429, 429, 200]);
    const snapshot = (await (await fetch(`${fresh.sandbox.url}/_sandbox/faults`)).json()) as { failNext: unknown[] };
    expect(snapshot.failNext).toEqual([]);
  });

  it('a default injected 429 carries Retry-After: 1 and TooManyRequests, and the SDK waits for it', async () => {
    await setFaults(fresh.sandbox, { failNext: [{ status: 429 }] });
    const raw = await arm(fresh.sandbox, 'GET', `${apim('apim-std')}?api-version=2024-05-01`);
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('1');
    expect(raw.body.error.code).toBe('TooManyRequests');
    await setFaults(fresh.sandbox, { failNext: [{ status: 429 }] });
    const t0 = Date.now();
    await apimClient().apiManagementService.get('rg-apim', 'apim-std');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it('failNext matches method and path, with a chosen code', async () => {
    await setFaults(fresh.sandbox, { failNext: [{ method: 'PATCH', pathContains: 'Microsoft.ApiManagement', status: 409, code: 'RetryableErrorDueToAnotherOperation' }] });
    const client = apimClient();
    await client.apiManagementService.get('rg-apim', 'apim-std');
    const patch = { virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId: subnet('snet-good') } };
    expect(await errorCode(client.apiManagementService.beginUpdate('rg-apim', 'apim-std', patch))).toEqual({ statusCode: 409, code: 'RetryableErrorDueToAnotherOperation' });
    const poller = await client.apiManagementService.beginUpdate('rg-apim', 'apim-std', patch, { updateIntervalInMs: 20 });
    expect((await poller.pollUntilDone()).virtualNetworkType).toBe('External');
  });

  it('errorRate 1 answers 500 InternalServerError to every ARM request; the SDK retries, then fails', async () => {
    await setFaults(fresh.sandbox, { errorRate: 1 });
    expect(await errorCode(apimClient().apiManagementService.get('rg-apim', 'apim-std'))).toEqual({ statusCode: 500, code: 'InternalServerError' });
    expect((await requestLog(fresh.sandbox)).map((r) => r.status)).toEqual([500, 500, 500, 500]);
    // control endpoints are never faulted
    expect((await fetch(`${fresh.sandbox.url}/_sandbox/token`)).status).toBe(200);
    await setFaults(fresh.sandbox, { errorRate: 0 });
    expect((await apimClient().apiManagementService.get('rg-apim', 'apim-std')).name).toBe('apim-std');
  });

  it('throttleRate is random but repeatable for the same random seed', async () => {
    const statuses = async (sb: RunningSandbox): Promise<number[]> => {
      const token = await sandboxToken(sb.url);
      const out: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await fetch(`${sb.url}${apim('apim-std')}?api-version=2024-05-01`, { headers: { authorization: `Bearer ${token}` } });
        out.push(res.status);
        if (res.status === 429) expect(res.headers.get('retry-after')).toBe('1');
        await res.arrayBuffer();
      }
      return out;
    };
    const other = await start({ throttleRate: 0.5, randomSeed: 7 });
    try {
      await setFaults(fresh.sandbox, { throttleRate: 0.5, randomSeed: 7 });
      const a = await statuses(fresh.sandbox);
      const b = await statuses(other);
      expect(a).toEqual(b);
      const throttled = a.filter((s) => s === 429).length;
      expect(throttled).toBeGreaterThan(5);
      expect(throttled).toBeLessThan(35);
      expect(a.every((s) => s === 200 || s === 429)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('adds latency to every request', async () => {
    await setFaults(fresh.sandbox, { latencyMs: 120 });
    const t0 = Date.now();
    await fetch(`${fresh.sandbox.url}/_sandbox/token`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
  });

  it('changes the page size at run time', async () => {
    await setFaults(fresh.sandbox, { pageSize: 3 });
    const network = fresh.network();
    const pages = await collect(network.subnets.list('rg-net', 'vnet-weu').byPage());
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3]);
  });

  it('rejects bad fault settings', async () => {
    const bad = await setFaults(fresh.sandbox, { throttleRate: 2 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('InvalidFaultSettings');
    expect((await setFaults(fresh.sandbox, { nonsense: true })).status).toBe(400);
    expect((await setFaults(fresh.sandbox, { failNext: [{ status: 200 }] })).status).toBe(400);
  });
});
