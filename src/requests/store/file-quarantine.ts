/**
 * The file store's reads, and its quarantine: a document that is not a record of its kind (truncated, garbage,
 * empty, the wrong shape) is moved, by a rename that keeps its bytes, to DATA_DIR/quarantine/<its path>.<time>;
 * it is reported once and reads as absent, so everything else keeps working. Nothing is deleted.
 */
import { access, mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { quarantineName } from './quarantine-name.js';
import { parseRecord, type RecordKind, type RecordOfKind } from './record-shape.js';
import type { StoreHealthLedger } from './store-health-ledger.js';

async function readBytes(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const exists = (path: string) => access(path).then(() => true, () => false);

export class FileQuarantine {
  constructor(
    private readonly dataDir: string,
    private readonly ledger: StoreHealthLedger,
  ) {}

  /** The record at `name` (a path under DATA_DIR, `/`-separated), or null when there is none or it was moved aside. */
  async read<K extends RecordKind>(kind: K, name: string, storedId?: string): Promise<RecordOfKind[K] | null> {
    const bytes = await readBytes(join(this.dataDir, name));
    if (!bytes) return null;
    const parsed = parseRecord(kind, bytes.toString('utf8'), storedId);
    if (parsed.ok) return parsed.value;
    await this.moveAside(name, bytes, parsed.reason);
    return null;
  }

  /** Every record in a folder under DATA_DIR (`*.json`; temporary files are not records), each checked against its file name. */
  async readFolder<K extends RecordKind>(kind: K, folder: string): Promise<RecordOfKind[K][]> {
    let names: string[];
    try {
      names = await readdir(join(this.dataDir, folder));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => this.read(kind, `${folder}/${n}`, n.slice(0, -'.json'.length))));
    return records.filter((r): r is Awaited<RecordOfKind[K]> => r !== null);
  }

  private async moveAside(name: string, bytes: Buffer, reason: string): Promise<void> {
    const from = join(this.dataDir, name);
    // Only what was read is moved: a record written there meanwhile (or moved by a reader before us) stays.
    const current = await readBytes(from);
    if (!current?.equals(bytes)) return;
    const at = new Date();
    let to = quarantineName(name, at);
    for (let attempt = 1; await exists(join(this.dataDir, to)); attempt++) to = quarantineName(name, at, attempt);
    await mkdir(dirname(join(this.dataDir, to)), { recursive: true });
    try {
      await rename(from, join(this.dataDir, to));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    this.ledger.quarantined(name, reason, to);
  }
}
