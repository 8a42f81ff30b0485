/** Picks the store the configuration names (STORE=file|blob). The blob store's SDK is loaded only when it is used. */
import { resolve } from 'node:path';
import type { StoreSettings } from '../config.js';
import type { Logger } from '../log.js';
import { fileStores, openFileStores } from './file-store.js';
import type { Stores } from './store.js';

export interface OpenOptions {
  /** The bot process: takes the DATA_DIR lock of the file store. Readers (the audit export) do not. */
  owner: boolean;
  logger: Logger;
}

export async function openStores(settings: StoreSettings, options: OpenOptions): Promise<Stores> {
  if (settings.kind === 'blob') {
    const { openBlobStores } = await import('./blob-stores.js');
    return openBlobStores(settings, options.logger);
  }
  const dataDir = resolve(settings.dataDir);
  return options.owner ? openFileStores(dataDir, options.logger) : fileStores(dataDir, options.logger);
}

export function describeStore(settings: StoreSettings): string {
  return settings.kind === 'blob' ? `Azure Blob Storage, container ${settings.container}` : `files in ${resolve(settings.dataDir)}`;
}
