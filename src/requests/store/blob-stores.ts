/** Opens the blob store: one container holding requests, check records, settings, personal chats, the audit log and the quarantine of damaged records. */
import type { Logger } from '../../log.js';
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

export interface BlobStoreSettings {
  connectionString: string;
  container: string;
}

export async function openBlobStores(settings: BlobStoreSettings, logger: Logger): Promise<Stores> {
  const { BlobServiceClient } = loadStorageBlob();
  let service;
  try {
    service = BlobServiceClient.fromConnectionString(settings.connectionString, {
      retryOptions: { maxTries: 4, retryDelayInMs: 200, maxRetryDelayInMs: 5_000, tryTimeoutInMs: 30_000 },
      userAgentOptions: { userAgentPrefix: 'apim-vnet-bot' },
    });
  } catch {
    // The SDK's message may quote the connection string, key included: never pass it on.
    throw new CodedError(ErrorCode.CONFIG_INVALID, 'BLOB_CONNECTION_STRING is not a usable Azure Storage connection string (it needs the account name and key, or a SAS, and the blob endpoint).');
  }
  const container = service.getContainerClient(settings.container);
  try {
    await container.createIfNotExists();
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    const code = (error as { code?: string }).code;
    throw new CodedError(
      ErrorCode.CONFIG_INVALID,
      `Cannot open the blob store (account ${service.accountName}, container ${settings.container}): ${code ?? 'error'}${status ? ` (HTTP ${status})` : ''}. ` +
        'Check BLOB_CONNECTION_STRING and that the storage account is reachable from here.',
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
