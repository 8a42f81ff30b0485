/** Check records, settings and personal chats in Azure Blob Storage (see blob-request-store.ts for requests). */
import type { ContainerClient } from '@azure/storage-blob';
import { silentLogger } from '../../log.js';
import { isConditionFailure, listBlobs, statusOf, writeBlobJson } from './blob-io.js';
import { BlobQuarantine } from './blob-quarantine.js';
import type { CheckRecord } from '../check-record.js';
import { safeFileName } from './json-files.js';
import { mapLimit } from '../../common/map-limit.js';
import { DEFAULT_SETTINGS_RECORD, type BotSettingsRecord, type PersonalChat } from '../settings.js';
import { StoreHealthLedger } from './store-health-ledger.js';
import type { CheckStore, SettingsStore } from './store.js';

const CHECKS = 'checks/';

export class BlobCheckStore implements CheckStore {
  constructor(
    private readonly container: ContainerClient,
    private readonly records = new BlobQuarantine(container, new StoreHealthLedger(silentLogger)),
  ) {}

  async create(record: CheckRecord): Promise<void> {
    try {
      // The creation time by the bot's clock, in metadata: removeOlderThan then judges age from the listing alone.
      await writeBlobJson(this.container.getBlockBlobClient(`${CHECKS}${safeFileName(record.checkId)}`), record, { ifNoneMatch: '*' }, { created: record.createdAt });
    } catch (error) {
      if (isConditionFailure(error)) throw new Error(`Check record ${record.checkId} exists already.`);
      throw error;
    }
  }

  async get(checkId: string): Promise<CheckRecord | null> {
    if (typeof checkId !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(checkId)) return null;
    return (await this.records.read('check', `${CHECKS}${safeFileName(checkId)}`, checkId))?.value ?? null;
  }

  async removeOlderThan(cutoff: Date): Promise<number> {
    const old = (await listBlobs(this.container, CHECKS)).filter((b) => createdAt(b).getTime() < cutoff.getTime());
    const removed = await mapLimit(old, 16, async ({ name }) => {
      try {
        await this.container.getBlobClient(name).delete();
        return 1;
      } catch (error) {
        if (statusOf(error) === 404) return 0;
        throw error;
      }
    });
    return removed.reduce<number>((a, b) => a + b, 0);
  }
}

/** A check blob's creation as its metadata says, or its last change for blobs written without it. */
function createdAt(blob: { metadata: Record<string, string>; lastModified: Date }): Date {
  const created = new Date(blob.metadata.created ?? '');
  return Number.isFinite(created.getTime()) ? created : blob.lastModified;
}

export class BlobSettingsStore implements SettingsStore {
  constructor(
    private readonly container: ContainerClient,
    private readonly records = new BlobQuarantine(container, new StoreHealthLedger(silentLogger)),
  ) {}

  private get settingsBlob() {
    return this.container.getBlockBlobClient('settings.json');
  }

  async get(): Promise<BotSettingsRecord> {
    return { ...DEFAULT_SETTINGS_RECORD, ...(await this.records.read('settings', this.settingsBlob.name))?.value };
  }

  /** Compare-and-set on the settings blob's ETag, re-reading and applying `change` again when another process wrote first. */
  async change(change: (current: BotSettingsRecord) => BotSettingsRecord): Promise<BotSettingsRecord> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const doc = await this.records.read('settings', this.settingsBlob.name);
      const next = change({ ...DEFAULT_SETTINGS_RECORD, ...doc?.value });
      try {
        await writeBlobJson(this.settingsBlob, next, doc ? { ifMatch: doc.etag } : { ifNoneMatch: '*' });
        return next;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error('The settings kept changing under 10 attempts to update them.');
  }

  async rememberPersonalChat(chat: PersonalChat): Promise<void> {
    await writeBlobJson(this.container.getBlockBlobClient(`personal-chats/${safeFileName(chat.aadObjectId.toLowerCase())}`), chat, null);
  }

  async personalChat(aadObjectId: string): Promise<PersonalChat | null> {
    if (!/^[0-9a-f-]{36}$/i.test(aadObjectId)) return null;
    return (await this.records.read('personalChat', `personal-chats/${safeFileName(aadObjectId.toLowerCase())}`))?.value ?? null;
  }
}
