/**
 * A section that no two bot processes sharing the blob container run at once for one key: a blob lease on
 * `locks/<key hash>` is the mutex (inside a process, a keyed lock queues the callers first). A process that dies
 * holding it frees it when the lease runs out; a caller that waits longer than a chat turn allows gets BUSY.
 */
import { createHash } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { CodedError, ErrorCode } from '../../errors.js';
import { KeyedLock } from './keyed-lock.js';
import { isConditionFailure, statusOf } from './blob-io.js';
import type { SectionLocks } from './store.js';

/** Seconds a lease lasts (Azure allows 15 to 60): longer than any section, short enough after a crash. */
export const LOCK_LEASE_SECONDS = 15;

export class BlobSectionLocks implements SectionLocks {
  private readonly local = new KeyedLock();

  constructor(
    private readonly container: ContainerClient,
    /** How long to wait for another process's section (under the ~15 s Teams waits for an answer); then BUSY. */
    private readonly waitMs = 10_000,
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
          if (statusOf(error) !== 409) throw error;
          if (Date.now() > deadline) throw new CodedError(ErrorCode.BUSY, 'Another request for this instance is being made right now. Nothing was requested; try again in a few seconds.');
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
