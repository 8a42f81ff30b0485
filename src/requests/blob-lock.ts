/**
 * A section that no two bot processes sharing the blob container run at once for one key: a blob lease on
 * `locks/<key hash>` is the mutex (inside a process, a keyed lock queues the callers first). A process that dies
 * holding it frees it when the lease runs out.
 */
import { createHash } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { KeyedLock } from './keyed-lock.js';
import { isConditionFailure, statusOf } from './blob-io.js';
import type { SectionLocks } from './store.js';

/** Seconds a lease lasts (Azure allows 15 to 60): longer than any section, short enough after a crash. */
export const LOCK_LEASE_SECONDS = 30;

export class BlobSectionLocks implements SectionLocks {
  private readonly local = new KeyedLock();

  constructor(
    private readonly container: ContainerClient,
    /** How long to wait for another process's section to end (more than a lease, so a dead holder's expires). */
    private readonly waitMs = (LOCK_LEASE_SECONDS + 10) * 1_000,
  ) {}

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      const blob = this.container.getBlockBlobClient(`locks/${createHash('sha256').update(key).digest('hex')}`);
      await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } }).catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
      const lease = blob.getBlobLeaseClient();
      const deadline = Date.now() + this.waitMs;
      for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
        try {
          await lease.acquireLease(LOCK_LEASE_SECONDS);
          break;
        } catch (error) {
          // 409: another process holds the lease.
          if (statusOf(error) !== 409 || Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
        }
      }
      try {
        return await work();
      } finally {
        await lease.releaseLease().catch(() => undefined);
      }
    });
  }
}
