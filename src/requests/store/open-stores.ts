/** Picks the store the configuration names (STORE=file|blob). The blob store's SDK is loaded only when it is used. */
import { resolve } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import type { StoreSettings } from '../../config.js';
import type { CodedError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { fileStores, openFileStores } from './file-store.js';
import type { Stores } from './store.js';

export interface OpenOptions {
  /** The bot process: takes the DATA_DIR lock of the file store. Readers (the audit export) do not. */
  owner: boolean;
  logger: Logger;
  /** The owner's file store lost its DATA_DIR lease to another process: it writes nothing more; stop the process. */
  onLeaseLost?: (error: CodedError) => void;
  /** The blob store by account URL signs in with this (the bot passes its ARM credential); default: the settings' identity. */
  credential?: TokenCredential;
}

export async function openStores(settings: StoreSettings, options: OpenOptions): Promise<Stores> {
  if (settings.kind === 'blob') {
    const { openBlobStores } = await import('./blob-stores.js');
    return openBlobStores(settings, options.logger, options.credential);
  }
  const dataDir = resolve(settings.dataDir);
  if (!options.owner) return fileStores(dataDir, options.logger);
  return openFileStores(dataDir, options.logger, { leaseSeconds: settings.dataDirLeaseSeconds, onLeaseLost: options.onLeaseLost });
}

export function describeStore(settings: StoreSettings): string {
  if (settings.kind === 'file') return `files in ${resolve(settings.dataDir)}`;
  if (!('accountUrl' in settings)) return `Azure Blob Storage, container ${settings.container}`;
  const who = settings.identity.kind === 'managedIdentity' ? `managed identity ${settings.identity.clientId}` : 'DefaultAzureCredential';
  return `Azure Blob Storage ${settings.accountUrl}, container ${settings.container}, signed in as ${who}`;
}
