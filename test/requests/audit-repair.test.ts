/**
 * A process that dies between storing a change and appending its audit line: the next start appends the line
 * (file store and blob store), once, and only for requests changed lately.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { type AuditLog, BlobAuditLog, BlobRequestStore, FileAuditLog, FileRequestStore, fileStores, openBlobStores, repairAudit, type RequestStore, type Stores } from '../../src/requests/store/index.js';
import { transition } from '../../src/requests/lifecycle.js';
import type { IntegrationRequest } from '../../src/requests/request.js';
import { type RunningAzurite, startAzurite, uniqueContainer } from '../support/index.js';
import { bob, request } from './fixtures.js';

let azurite: RunningAzurite;
let dir: string;
beforeAll(async () => {
  azurite = await startAzurite();
  dir = await mkdtemp(join(tmpdir(), 'apim-audit-repair-'));
});
afterAll(async () => {
  await azurite?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The stores, and the raw request store under the audited one (a write through it is a change whose audit line was never written). */
type Setup = { stores: Stores; raw: RequestStore; audit: AuditLog };

const setups: [string, () => Promise<Setup>][] = [
  [
    'file',
    async () => {
      const folder = await mkdtemp(join(dir, 'file-'));
      return { stores: fileStores(folder, silentLogger), raw: new FileRequestStore(folder), audit: new FileAuditLog(join(folder, 'audit.jsonl')) };
    },
  ],
  [
    'blob',
    async () => {
      const settings = { connectionString: azurite.connectionString, container: uniqueContainer('repair') };
      const stores = await openBlobStores(settings, silentLogger);
      const { loadStorageBlob } = await import('../../src/azure/sdk.js');
      const container = loadStorageBlob().BlobServiceClient.fromConnectionString(settings.connectionString).getContainerClient(settings.container);
      return { stores, raw: new BlobRequestStore(container), audit: new BlobAuditLog(container) };
    },
  ],
];

/** Stores the approval through the raw store: the change is there, its audit line is not (as after a crash). */
async function approveWithoutAudit(raw: RequestStore, stored: IntegrationRequest, at: string): Promise<IntegrationRequest> {
  const moved = transition(stored, 'approve', { by: bob, at: new Date(at) });
  if (!moved.ok) throw new Error('could not approve');
  const result = await raw.update(stored.id, stored.version, { ...moved.request, updatedAt: at });
  if (!result.ok) throw new Error('could not store');
  return result.request;
}

describe.each(setups)('audit repair on the %s store', (_name, setup) => {
  it('appends the line a crash kept from the log, once; older requests are left alone', async () => {
    const { stores, raw, audit } = await setup();
    const recent = request({ id: 'R-RECNT', createdAt: '2026-11-20T10:00:00.000Z', updatedAt: '2026-11-20T10:00:00.000Z' });
    recent.history = [{ at: '2026-11-20T10:00:00.000Z', from: null, to: 'pending', by: recent.requester, why: null }];
    const old = request({ id: 'R-OLDER', createdAt: '2026-10-01T10:00:00.000Z', updatedAt: '2026-10-01T10:00:00.000Z' });
    old.history = [{ at: '2026-10-01T10:00:00.000Z', from: null, to: 'pending', by: old.requester, why: null }];
    expect(await stores.requests.create(recent)).toBe(true);
    expect(await stores.requests.create(old)).toBe(true);
    await approveWithoutAudit(raw, (await stores.requests.get('R-RECNT'))!, '2026-11-21T09:00:00.000Z');
    await approveWithoutAudit(raw, (await stores.requests.get('R-OLDER'))!, '2026-10-02T09:00:00.000Z');
    expect((await audit.forRequest('R-RECNT')).map((e) => e.to)).toEqual(['pending']);

    expect(await repairAudit(stores, new Date('2026-11-14T00:00:00.000Z'))).toBe(1);
    expect((await audit.forRequest('R-RECNT')).map((e) => `${e.from}→${e.to}`)).toEqual(['null→pending', 'pending→approved']);
    expect((await audit.forRequest('R-OLDER')).map((e) => e.to)).toEqual(['pending']);
    expect(await repairAudit(stores, new Date('2026-11-14T00:00:00.000Z'))).toBe(0);
  });
});
