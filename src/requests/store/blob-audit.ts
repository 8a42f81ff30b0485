/**
 * The blob store's audit log: one append blob per request (`audit/<request id>.jsonl`), one JSON line per
 * entry. Append blobs accept new blocks at the end only; nothing written can be changed through them. A line
 * that is not an entry is skipped when reading and reported, never repaired.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { silentLogger } from '../../log.js';
import { orderAudit, type AuditEntry } from '../audit.js';
import { parseAuditText } from './audit-text.js';
import { listBlobs, readBlobText, statusOf } from './blob-io.js';
import { isStorableId, safeFileName } from './json-files.js';
import { mapLimit } from '../../common/map-limit.js';
import { StoreHealthLedger } from './store-health-ledger.js';
import type { AuditLog } from './store.js';

const PREFIX = 'audit/';

export class BlobAuditLog implements AuditLog {
  constructor(
    private readonly container: ContainerClient,
    private readonly ledger = new StoreHealthLedger(silentLogger),
  ) {}

  private blob(requestId: string) {
    return this.container.getAppendBlobClient(`${PREFIX}${safeFileName(requestId).replace(/\.json$/, '.jsonl')}`);
  }

  async append(entries: readonly AuditEntry[]): Promise<void> {
    const byRequest = new Map<string, AuditEntry[]>();
    for (const entry of entries) byRequest.set(entry.requestId, [...(byRequest.get(entry.requestId) ?? []), entry]);
    await Promise.all(
      [...byRequest].map(async ([requestId, list]) => {
        const blob = this.blob(requestId);
        const body = list.map((e) => JSON.stringify(e) + '\n').join('');
        const length = Buffer.byteLength(body);
        // A request's first entry (its creation) starts its log: create the blob first rather than fail into it.
        if (list.some((e) => e.from === null)) await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
        try {
          await blob.appendBlock(body, length);
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
          await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
          await blob.appendBlock(body, length);
        }
      }),
    );
  }

  async forRequest(requestId: string): Promise<AuditEntry[]> {
    if (!isStorableId(requestId)) return [];
    return this.read(this.blob(requestId).name);
  }

  async since(from: Date): Promise<AuditEntry[]> {
    // Every request's log is read: entry times come from the bot's clock, which need not agree with the
    // storage account's, so a blob's last-modified time cannot rule it out.
    const names = (await listBlobs(this.container, PREFIX)).map((b) => b.name);
    const iso = from.toISOString();
    const lists = await mapLimit(names, 16, (name) => this.read(name));
    return orderAudit(lists.flat().filter((e) => e.at >= iso));
  }

  private async read(name: string): Promise<AuditEntry[]> {
    const read = await readBlobText(this.container.getBlobClient(name));
    if (!read) return [];
    const { entries, bad } = parseAuditText(read.text);
    for (const { line, reason } of bad) this.ledger.badAuditLine(name, line, reason);
    return orderAudit(entries);
  }
}
