/** Check records, settings and personal chats in Azure Blob Storage (see blob-request-store.ts for requests). */
import type { ContainerClient } from '@azure/storage-blob';
import { isConditionFailure, readBlobJson, writeBlobJson } from './blob-io.js';
import type { CheckRecord } from './check-record.js';
import { safeFileName } from './json-files.js';
import { DEFAULT_SETTINGS_RECORD, type BotSettingsRecord, type PersonalChat } from './settings.js';
import type { CheckStore, SettingsStore } from './store.js';

export class BlobCheckStore implements CheckStore {
  constructor(private readonly container: ContainerClient) {}

  async create(record: CheckRecord): Promise<void> {
    try {
      await writeBlobJson(this.container.getBlockBlobClient(`checks/${safeFileName(record.checkId)}`), record, { ifNoneMatch: '*' });
    } catch (error) {
      if (isConditionFailure(error)) throw new Error(`Check record ${record.checkId} exists already.`);
      throw error;
    }
  }

  async get(checkId: string): Promise<CheckRecord | null> {
    if (typeof checkId !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(checkId)) return null;
    return (await readBlobJson<CheckRecord>(this.container.getBlockBlobClient(`checks/${safeFileName(checkId)}`)))?.value ?? null;
  }
}

export class BlobSettingsStore implements SettingsStore {
  constructor(private readonly container: ContainerClient) {}

  private get settingsBlob() {
    return this.container.getBlockBlobClient('settings.json');
  }

  async get(): Promise<BotSettingsRecord> {
    return { ...DEFAULT_SETTINGS_RECORD, ...(await readBlobJson<BotSettingsRecord>(this.settingsBlob))?.value };
  }

  /** Compare-and-set on the settings blob's ETag, re-reading and applying `change` again when another process wrote first. */
  async change(change: (current: BotSettingsRecord) => BotSettingsRecord): Promise<BotSettingsRecord> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const doc = await readBlobJson<BotSettingsRecord>(this.settingsBlob);
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
    return (await readBlobJson<PersonalChat>(this.container.getBlockBlobClient(`personal-chats/${safeFileName(aadObjectId.toLowerCase())}`)))?.value ?? null;
  }
}
