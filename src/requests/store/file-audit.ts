/**
 * The file store's audit log: one JSON line per entry, appended to DATA_DIR/audit.jsonl (opened for append
 * only, so earlier lines are never rewritten). Appends from this process are queued so lines never interleave;
 * a line that is not an entry (torn by a crash, or damaged) is skipped when reading and reported, never repaired.
 */
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { silentLogger } from '../../log.js';
import { orderAudit, type AuditEntry } from '../audit.js';
import { parseAuditText } from './audit-text.js';
import { StoreHealthLedger } from './store-health-ledger.js';
import type { AuditLog } from './store.js';
import { UNGUARDED, type WriteGuard } from './write-guard.js';

export class FileAuditLog implements AuditLog {
  private tail: Promise<unknown> = Promise.resolve();
  /** Whether the file's end has been checked for a line torn by a crash (checked once per process). */
  private endChecked = false;

  constructor(
    private readonly path: string,
    private readonly ledger = new StoreHealthLedger(silentLogger),
    private readonly guard: WriteGuard = UNGUARDED,
  ) {}

  append(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const text = entries.map((e) => JSON.stringify(e) + '\n').join('');
    const write = this.tail.then(async () => {
      await this.guard.assertHeld();
      await mkdir(dirname(this.path), { recursive: true });
      const prefix = this.endChecked ? '' : await this.newlineIfTorn();
      await appendFile(this.path, prefix + text, { encoding: 'utf8', flag: 'a' });
      this.endChecked = true;
    });
    this.tail = write.catch(() => undefined);
    return write;
  }

  async forRequest(requestId: string): Promise<AuditEntry[]> {
    return orderAudit((await this.all()).filter((e) => e.requestId === requestId));
  }

  async since(from: Date): Promise<AuditEntry[]> {
    const iso = from.toISOString();
    return orderAudit((await this.all()).filter((e) => e.at >= iso));
  }

  /** A newline when the file ends mid-line (a crash during an append), so the next entry starts a line of its own. */
  private async newlineIfTorn(): Promise<string> {
    let file;
    try {
      file = await open(this.path, 'r');
    } catch {
      return '';
    }
    try {
      const { size } = await file.stat();
      if (size === 0) return '';
      const last = Buffer.alloc(1);
      await file.read(last, 0, 1, size - 1);
      return last[0] === 0x0a ? '' : '\n';
    } finally {
      await file.close();
    }
  }

  private async all(): Promise<AuditEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const { entries, bad } = parseAuditText(text, { tailMayBeInProgress: true });
    for (const { line, reason } of bad) this.ledger.badAuditLine(basename(this.path), line, reason);
    return entries;
  }
}
