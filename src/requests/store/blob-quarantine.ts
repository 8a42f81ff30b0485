/**
 * The blob store's reads, and its quarantine: a blob that is not a record of its kind (truncated, garbage, empty,
 * the wrong shape) is copied byte for byte to `quarantine/<its name>.<time>`, then removed from its place only if it
 * is still the version that was read (If-Match); it is reported once and reads as absent. The bytes are never lost:
 * the copy is written before the original goes.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { isConditionFailure, readBlobBytes, statusOf } from './blob-io.js';
import { quarantineName } from './quarantine-name.js';
import { parseRecord, type RecordKind, type RecordOfKind } from './record-shape.js';
import type { StoreHealthLedger } from './store-health-ledger.js';

export class BlobQuarantine {
  /** Moves started, by blob name and ETag: readers of the same version in this process share one move instead of copying it again. */
  private readonly moves = new Map<string, Promise<void>>();

  constructor(
    private readonly container: ContainerClient,
    private readonly ledger: StoreHealthLedger,
  ) {}

  /** The record in blob `name` with its ETag, or null when there is none or it was moved aside. */
  async read<K extends RecordKind>(kind: K, name: string, storedId?: string): Promise<{ value: RecordOfKind[K]; etag: string } | null> {
    const read = await readBlobBytes(this.container.getBlobClient(name));
    if (!read) return null;
    const parsed = parseRecord(kind, read.bytes.toString('utf8'), storedId);
    if (parsed.ok) return { value: parsed.value, etag: read.etag };
    const key = `${name} ${read.etag}`;
    let move = this.moves.get(key);
    if (!move) {
      if (this.moves.size >= 1_000) this.moves.clear();
      // A move that failed (storage unreachable) is tried again by the next reader.
      move = this.moveAside(name, read.bytes, read.etag, parsed.reason).catch((error: unknown) => {
        this.moves.delete(key);
        throw error;
      });
      this.moves.set(key, move);
    }
    await move;
    return null;
  }

  private async moveAside(name: string, bytes: Buffer, etag: string, reason: string): Promise<void> {
    const at = new Date();
    let to = quarantineName(name, at);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.container.getBlockBlobClient(to).upload(bytes, bytes.length, { conditions: { ifNoneMatch: '*' }, metadata: { etag: etag.replace(/"/g, '') } });
        break;
      } catch (error) {
        if (!isConditionFailure(error) || attempt >= 5) throw error;
        to = quarantineName(name, at, attempt);
      }
    }
    try {
      await this.container.getBlobClient(name).delete({ conditions: { ifMatch: etag } });
    } catch (error) {
      // 412: rewritten since it was read (the new version stays); 404: another process moved it first. The copy stays.
      if (statusOf(error) === 412 || statusOf(error) === 404) return;
      throw error;
    }
    this.ledger.quarantined(name, reason, to);
  }
}
