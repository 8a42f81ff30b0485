/**
 * The bot's own records behind one interface (`store.ts`), kept in files under DATA_DIR or in an Azure Blob Storage
 * container. Everything outside this folder imports from here.
 */
export * from './store.js';
export { describeStore, openStores, type OpenOptions } from './open-stores.js';
export { openFileStores, fileStores, FileRequestStore, FileCheckStore, FileSettingsStore } from './file-store.js';
export { FileAuditLog } from './file-audit.js';
export { openBlobStores } from './blob-stores.js';
export { BlobRequestStore } from './blob-request-store.js';
export { BlobAuditLog } from './blob-audit.js';
export { BlobSectionLocks } from './blob-lock.js';
export { lockDataDir, type DataDirLease } from './data-dir-lease.js';
export { repairAudit } from './audit-repair.js';
export { parseAuditText, type BadAuditLine } from './audit-text.js';
export { auditEntryProblem, parseRecord, recordProblem, type RecordKind } from './record-shape.js';
export { quarantineName } from './quarantine-name.js';
export { KeyedLock } from './keyed-lock.js';
