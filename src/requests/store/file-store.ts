/**
 * The file-backed store under DATA_DIR: one JSON document per request, check record and personal chat, and an
 * append-only audit log. Writes are atomic (temp file + rename); request updates are compare-and-set on
 * `version`. The lock that makes compare-and-set atomic is per process, so `openFileStores` takes the DATA_DIR
 * lease: a second bot process on the same folder is refused at start (the blob store has no such limit), and
 * every write first asks the lease whether this process still holds the folder. A document that is not a record
 * of its kind is moved to DATA_DIR/quarantine/ and reads as absent (file-quarantine.ts).
 */
import { readdir, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../log.js';
import { AuditedRequestStore } from './audited-store.js';
import type { CheckRecord } from '../check-record.js';
import { FileAuditLog } from './file-audit.js';
import { FileQuarantine } from './file-quarantine.js';
import { createJsonExclusive, isStorableId, removeTempFiles, safeFileName, writeJsonAtomic } from './json-files.js';
import { KeyedLock } from './keyed-lock.js';
import { lockDataDir } from './data-dir-lease.js';
import { mapLimit } from '../../common/map-limit.js';
import type { IntegrationRequest } from '../request.js';
import { DEFAULT_SETTINGS_RECORD, type BotSettingsRecord, type PersonalChat } from '../settings.js';
import { StoreHealthLedger } from './store-health-ledger.js';
import type { CheckStore, RequestStore, SettingsStore, Stores, UpdateResult } from './store.js';
import { UNGUARDED, type WriteGuard } from './write-guard.js';
import type { CodedError } from '../../errors.js';
import { sameResourceId } from '../../eligibility/resource-id.js';
import { silentLogger } from '../../log.js';

export class FileRequestStore implements RequestStore {
  private readonly lock = new KeyedLock();
  private readonly folder: string;

  constructor(
    dataDir: string,
    private readonly records = new FileQuarantine(dataDir, new StoreHealthLedger(silentLogger)),
    private readonly guard: WriteGuard = UNGUARDED,
  ) {
    this.folder = join(dataDir, 'requests');
  }

  private path(id: string): string {
    return join(this.folder, safeFileName(id));
  }

  async get(id: string): Promise<IntegrationRequest | null> {
    if (!isStorableId(id)) return null;
    return this.records.read('request', `requests/${safeFileName(id)}`, id);
  }

  async create(request: IntegrationRequest): Promise<boolean> {
    return this.lock.run(request.id, async () => {
      await this.guard.assertHeld();
      return createJsonExclusive(this.path(request.id), { ...request, version: 1 });
    });
  }

  async update(id: string, expectedVersion: number, next: IntegrationRequest): Promise<UpdateResult> {
    return this.lock.run(id, async () => {
      const current = await this.get(id);
      if (!current || current.version !== expectedVersion) return { ok: false, conflict: true, current };
      const stored: IntegrationRequest = { ...next, id, version: expectedVersion + 1 };
      await this.guard.assertHeld();
      await writeJsonAtomic(this.path(id), stored);
      return { ok: true, request: stored };
    });
  }

  async listByConversation(conversationId: string): Promise<IntegrationRequest[]> {
    return this.list((r) => r.conversation.conversationId === conversationId);
  }

  async listByTeam(teamId: string): Promise<IntegrationRequest[]> {
    return this.list((r) => r.conversation.teamId === teamId);
  }

  async listByInstance(instanceId: string): Promise<IntegrationRequest[]> {
    return this.list((r) => sameResourceId(r.instance.id, instanceId));
  }

  async listByState(states: readonly IntegrationRequest['state'][]): Promise<IntegrationRequest[]> {
    return this.list((r) => states.includes(r.state));
  }

  /** Newest first. */
  private async list(keep: (request: IntegrationRequest) => boolean): Promise<IntegrationRequest[]> {
    const all = await this.records.readFolder('request', 'requests');
    return all.filter(keep).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}

export class FileCheckStore implements CheckStore {
  private readonly folder: string;

  constructor(
    dataDir: string,
    private readonly records = new FileQuarantine(dataDir, new StoreHealthLedger(silentLogger)),
    private readonly guard: WriteGuard = UNGUARDED,
  ) {
    this.folder = join(dataDir, 'checks');
  }

  async create(record: CheckRecord): Promise<void> {
    const path = join(this.folder, safeFileName(record.checkId));
    await this.guard.assertHeld();
    if (!(await createJsonExclusive(path, record))) {
      throw new Error(`Check record ${record.checkId} exists already.`);
    }
    // The file's time is the record's creation by the bot's clock: removeOlderThan then judges age without reading.
    const created = new Date(record.createdAt);
    if (Number.isFinite(created.getTime())) await utimes(path, created, created);
  }

  async get(checkId: string): Promise<CheckRecord | null> {
    if (typeof checkId !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(checkId)) return null;
    return this.records.read('check', `checks/${safeFileName(checkId)}`, checkId);
  }

  async removeOlderThan(cutoff: Date): Promise<number> {
    let names: string[];
    try {
      names = (await readdir(this.folder)).filter((n) => n.endsWith('.json'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    const removed = await mapLimit(names, 16, async (name) => {
      const path = join(this.folder, name);
      try {
        if ((await stat(path)).mtime.getTime() >= cutoff.getTime()) return 0;
        await unlink(path);
        return 1;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw error;
      }
    });
    return removed.reduce<number>((a, b) => a + b, 0);
  }
}

export class FileSettingsStore implements SettingsStore {
  private readonly lock = new KeyedLock();
  private readonly path: string;
  private readonly chats: string;

  constructor(
    dataDir: string,
    private readonly records = new FileQuarantine(dataDir, new StoreHealthLedger(silentLogger)),
    private readonly guard: WriteGuard = UNGUARDED,
  ) {
    this.path = join(dataDir, 'settings.json');
    this.chats = join(dataDir, 'personal-chats');
  }

  async get(): Promise<BotSettingsRecord> {
    return { ...DEFAULT_SETTINGS_RECORD, ...(await this.records.read('settings', 'settings.json')) };
  }

  async change(change: (current: BotSettingsRecord) => BotSettingsRecord): Promise<BotSettingsRecord> {
    return this.lock.run('settings', async () => {
      const next = change(await this.get());
      await this.guard.assertHeld();
      await writeJsonAtomic(this.path, next);
      return next;
    });
  }

  async rememberPersonalChat(chat: PersonalChat): Promise<void> {
    await this.guard.assertHeld();
    await writeJsonAtomic(join(this.chats, safeFileName(chat.aadObjectId.toLowerCase())), chat);
  }

  async personalChat(aadObjectId: string): Promise<PersonalChat | null> {
    if (!/^[0-9a-f-]{36}$/i.test(aadObjectId)) return null;
    return this.records.read('personalChat', `personal-chats/${safeFileName(aadObjectId.toLowerCase())}`);
  }
}

/** The file stores of a folder; without a guard (the DATA_DIR lease) for readers (the `audit` export) and tests. */
export function fileStores(dataDir: string, logger: Logger = silentLogger, guard: WriteGuard = UNGUARDED): Stores {
  const ledger = new StoreHealthLedger(logger);
  const records = new FileQuarantine(dataDir, ledger);
  const audit = new FileAuditLog(join(dataDir, 'audit.jsonl'), ledger, guard);
  return {
    kind: 'file',
    exclusive: false,
    requests: new AuditedRequestStore(new FileRequestStore(dataDir, records, guard), audit, logger),
    checks: new FileCheckStore(dataDir, records, guard),
    settings: new FileSettingsStore(dataDir, records, guard),
    audit,
    // One process owns a file store (the DATA_DIR lease), so a lock inside the process is enough.
    locks: new KeyedLock(),
    health: () => ledger.health(),
    close: async () => undefined,
  };
}

export interface OwnerOptions {
  /** Seconds the DATA_DIR lease may go unrenewed before another process takes it over (default 30). */
  leaseSeconds?: number;
  /** Another process took DATA_DIR over (this one was paused): every write is refused from now on; stop the process. */
  onLeaseLost?: (error: CodedError) => void;
}

/** The file stores for the bot process that owns DATA_DIR: refuses to open while another process holds it. */
export async function openFileStores(dataDir: string, logger: Logger, options: OwnerOptions = {}): Promise<Stores> {
  const lease = await lockDataDir(dataDir, {
    staleMs: options.leaseSeconds === undefined ? undefined : options.leaseSeconds * 1000,
    onLost: (error) => {
      logger.error('DATA_DIR lease lost: writing nothing more', { dataDir, ...error.details, error: error.message });
      options.onLeaseLost?.(error);
    },
  });
  const removed = (await Promise.all(['requests', 'checks', 'personal-chats', '.'].map((f) => removeTempFiles(join(dataDir, f))))).reduce((a, b) => a + b, 0);
  if (removed > 0) logger.info('removed temporary files an interrupted write left behind', { dataDir, removed });
  return { ...fileStores(dataDir, logger, lease), exclusive: true, close: () => lease.release() };
}
