/** Opens the blob store: one container holding requests, check records, settings, personal chats, the audit log and the quarantine of damaged records. */
import type { TokenCredential } from '@azure/core-auth';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { AzureIdentitySettings } from '../../config.js';
import type { Logger } from '../../log.js';
import { LazyAzureCredential } from '../../azure/credential.js';
import { loadStorageBlob } from '../../azure/sdk.js';
import { CodedError, ErrorCode } from '../../errors.js';
import { AuditedRequestStore } from './audited-store.js';
import { BlobAuditLog } from './blob-audit.js';
import { BlobSectionLocks } from './blob-lock.js';
import { BlobQuarantine } from './blob-quarantine.js';
import { BlobCheckStore, BlobSettingsStore } from './blob-records.js';
import { BlobRequestStore } from './blob-request-store.js';
import { StoreHealthLedger } from './store-health-ledger.js';
import type { Stores } from './store.js';

/** A container, reached by connection string (account key) or by account URL and the program's Azure identity. */
export type BlobStoreSettings = { container: string } & ({ connectionString: string } | { accountUrl: string; identity: AzureIdentitySettings });

const CLIENT_OPTIONS = {
  retryOptions: { maxTries: 4, retryDelayInMs: 200, maxRetryDelayInMs: 5_000, tryTimeoutInMs: 30_000 },
  userAgentOptions: { userAgentPrefix: 'apim-vnet-bot' },
};

/**
 * The blob service client of the settings. By account URL it signs in with `credential` (default: the identity the
 * settings name, the same kind of credential as ARM's), never with a key.
 */
export function blobServiceClient(settings: BlobStoreSettings, credential?: TokenCredential): BlobServiceClient {
  const { BlobServiceClient } = loadStorageBlob();
  if ('accountUrl' in settings) return new BlobServiceClient(settings.accountUrl, credential ?? new LazyAzureCredential(settings.identity), CLIENT_OPTIONS);
  try {
    return BlobServiceClient.fromConnectionString(settings.connectionString, CLIENT_OPTIONS);
  } catch {
    // The SDK's message may quote the connection string, key included: never pass it on.
    throw new CodedError(ErrorCode.CONFIG_INVALID, 'BLOB_CONNECTION_STRING is not a usable Azure Storage connection string (it needs the account name and key, or a SAS, and the blob endpoint).');
  }
}

export async function openBlobStores(settings: BlobStoreSettings, logger: Logger, credential?: TokenCredential): Promise<Stores> {
  const service = blobServiceClient(settings, credential);
  const container = service.getContainerClient(settings.container);
  try {
    await container.createIfNotExists();
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    const code = (error as { code?: string }).code;
    throw new CodedError(
      ErrorCode.CONFIG_INVALID,
      `Cannot open the blob store (account ${service.accountName}, container ${settings.container}): ${code ?? 'error'}${status ? ` (HTTP ${status})` : ''}. ` +
        ('accountUrl' in settings
          ? 'Check BLOB_ACCOUNT_URL, that the identity holds Storage Blob Data Contributor on the container, and that the account is reachable from here.'
          : 'Check BLOB_CONNECTION_STRING and that the storage account is reachable from here.'),
      { store: 'blob', reason: 'unreachable' },
    );
  }
  logger.info('blob store opened', { account: service.accountName, container: settings.container });
  const ledger = new StoreHealthLedger(logger);
  const records = new BlobQuarantine(container, ledger);
  const audit = new BlobAuditLog(container, ledger);
  return {
    kind: 'blob',
    exclusive: false,
    requests: new AuditedRequestStore(new BlobRequestStore(container, records), audit, logger),
    checks: new BlobCheckStore(container, records),
    settings: new BlobSettingsStore(container, records),
    audit,
    locks: new BlobSectionLocks(container),
    health: () => ledger.health(),
    close: async () => undefined,
  };
}
