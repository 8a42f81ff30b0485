/** What only the blob store promises: several processes (here: store instances) on one container, and a clear refusal when it cannot be reached. */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openBlobStores, updateWithRetry } from '../../src/requests/store/index.js';
import { transition } from '../../src/requests/lifecycle.js';
import { type RunningAzurite, startAzurite, uniqueContainer } from '../support/index.js';
import { bob, request } from './fixtures.js';

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

describe('blob store', () => {
  it('a locked section runs in one store instance at a time for a key; other keys are not held up', async () => {
    const container = uniqueContainer('locks');
    const instances = await Promise.all([0, 1, 2].map(() => openBlobStores({ connectionString: azurite.connectionString, container }, silentLogger)));
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        instances[i % 3]!.locks.run('instance:/x', async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 20));
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));

    // A section held in one instance does not stop another key elsewhere, and an error inside frees the key.
    let release: () => void = () => undefined;
    const held = instances[0]!.locks.run('instance:/a', () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 50));
    await expect(instances[1]!.locks.run('instance:/b', async () => 'b')).resolves.toBe('b');
    release();
    await held;
    await expect(instances[1]!.locks.run('instance:/a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(instances[2]!.locks.run('instance:/a', async () => 'free')).resolves.toBe('free');
  });

  it('a section held elsewhere (a process that died holding the lease) answers BUSY after the wait, not never', async () => {
    const { createHash } = await import('node:crypto');
    const { loadStorageBlob } = await import('../../src/azure/sdk.js');
    const { BlobSectionLocks } = await import('../../src/requests/store/index.js');
    const name = uniqueContainer('busy');
    await openBlobStores({ connectionString: azurite.connectionString, container: name }, silentLogger);
    const container = loadStorageBlob().BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(name);
    const blob = container.getBlockBlobClient(`locks/${createHash('sha256').update('instance:/x').digest('hex')}`);
    await blob.upload('', 0);
    await blob.getBlobLeaseClient().acquireLease(15);
    let ran = false;
    await expect(new BlobSectionLocks(container, 300).run('instance:/x', async () => (ran = true))).rejects.toMatchObject({ code: 'BUSY' });
    expect(ran).toBe(false);
  });

  it('compare-and-set holds across processes: of 24 approvals through 3 store instances, one is written', async () => {
    const container = uniqueContainer('procs');
    const instances = await Promise.all([0, 1, 2].map(() => openBlobStores({ connectionString: azurite.connectionString, container }, silentLogger)));
    expect(await instances[0]!.requests.create(request())).toBe(true);
    expect(await instances[1]!.requests.create(request())).toBe(false);
    const outcomes = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        updateWithRetry(instances[i % 3]!.requests, 'R-7K3QM', (r) => {
          const moved = transition(r, 'approve', { by: { ...bob, name: `Approver ${i}` }, at: new Date() });
          return moved.ok ? moved.request : null;
        }),
      ),
    );
    expect(outcomes.filter((o) => o.changed)).toHaveLength(1);
    for (const store of instances) expect((await store.requests.get('R-7K3QM'))?.version).toBe(2);
    expect((await instances[2]!.audit.forRequest('R-7K3QM')).map((e) => e.to)).toEqual(['pending', 'approved']);
    // Each instance remembers ETags: a stale one is refused by storage, not by the cache.
    const stale = await instances[0]!.requests.update('R-7K3QM', 1, { ...request(), routingNote: 'late' });
    expect(stale).toMatchObject({ ok: false, current: { version: 2 } });
  });

  it('an unreachable account stops the start with a clear message that never quotes the key', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const key = 'c2VjcmV0LWtleS1uZXZlci10by1iZS1wcmludGVk';
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=nowhere;AccountKey=${key};BlobEndpoint=http://127.0.0.1:${port}/nowhere;`;
    const error = await openBlobStores({ connectionString, container: 'apim-vnet-bot' }, silentLogger).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(error).toMatch(/^Cannot open the blob store \(account nowhere, container apim-vnet-bot\)/);
    expect(error).not.toContain(key);
    const bad = await openBlobStores({ connectionString: 'AccountName=x', container: 'apim-vnet-bot' }, silentLogger).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(bad).toMatch(/BLOB_CONNECTION_STRING is not a usable Azure Storage connection string/);
  });
});
