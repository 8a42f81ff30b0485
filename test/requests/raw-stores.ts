/**
 * The stores opened for the damage tests: the `Stores` under test with a captured log, and raw access to what they
 * keep (files under DATA_DIR, blobs in the container) to damage records behind their back and look at the result.
 */
import { appendFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadStorageBlob } from '../../src/azure/sdk.js';
import { createLogger } from '../../src/log.js';
import { fileStores, openBlobStores, type Stores } from '../../src/requests/store/index.js';
import type { IntegrationRequest } from '../../src/requests/request.js';

export interface RawStore {
  /** Writes `bytes` as `name` (`requests/R-1.json`); `indexedAs` gives a blob the listing metadata of that request. */
  write(name: string, bytes: Buffer | string, indexedAs?: IntegrationRequest): Promise<void>;
  read(name: string): Promise<Buffer | null>;
  /** Names under `prefix`, with the prefix. */
  names(prefix: string): Promise<string[]>;
  /** Adds bytes at the end of request `requestId`'s audit log (the file store has one log for all). */
  appendAudit(requestId: string, bytes: Buffer | string): Promise<void>;
  /** The name of the audit log that holds `requestId`'s entries. */
  auditName(requestId: string): string;
}

export interface OpenedStores {
  stores: Stores;
  raw: RawStore;
  /** Every log line, parsed. */
  log: Record<string, unknown>[];
}

function capture(): { log: Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const log: Record<string, unknown>[] = [];
  return { log, logger: createLogger('debug', (line) => log.push(JSON.parse(line) as Record<string, unknown>)) };
}

export async function openFileForDamage(folders: string[]): Promise<OpenedStores> {
  const dir = await mkdtemp(join(tmpdir(), 'apim-damage-'));
  folders.push(dir);
  const { log, logger } = capture();
  const raw: RawStore = {
    async write(name, bytes) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), bytes);
    },
    read: (name) => readFile(join(dir, name)).catch(() => null),
    async names(prefix) {
      const folder = prefix.replace(/\/$/, '');
      const names = await readdir(join(dir, folder)).catch(() => [] as string[]);
      return names.map((n) => `${folder}/${n}`);
    },
    appendAudit: (_requestId, bytes) => appendFile(join(dir, 'audit.jsonl'), bytes),
    auditName: () => 'audit.jsonl',
  };
  return { stores: fileStores(dir, logger), raw, log };
}

const enc = (value: string | null) => (value === null ? '-' : encodeURIComponent(value));

export async function openBlobForDamage(connectionString: string, containerName: string): Promise<OpenedStores> {
  const { log, logger } = capture();
  const stores = await openBlobStores({ connectionString, container: containerName }, logger);
  const container = loadStorageBlob().BlobServiceClient.fromConnectionString(connectionString).getContainerClient(containerName);
  const raw: RawStore = {
    async write(name, bytes, indexedAs) {
      const body = Buffer.from(bytes);
      const metadata = indexedAs && {
        state: indexedAs.state,
        conversation: enc(indexedAs.conversation.conversationId),
        team: enc(indexedAs.conversation.teamId),
        instance: enc(indexedAs.instance.id.toLowerCase()),
      };
      await container.getBlockBlobClient(name).upload(body, body.length, metadata ? { metadata } : {});
    },
    async read(name) {
      try {
        return await container.getBlobClient(name).downloadToBuffer();
      } catch {
        return null;
      }
    },
    async names(prefix) {
      const out: string[] = [];
      for await (const item of container.listBlobsFlat({ prefix })) out.push(item.name);
      return out;
    },
    async appendAudit(requestId, bytes) {
      const body = Buffer.from(bytes);
      const blob = container.getAppendBlobClient(`audit/${requestId}.jsonl`);
      await blob.createIfNotExists();
      await blob.appendBlock(body, body.length);
    },
    auditName: (requestId) => `audit/${requestId}.jsonl`,
  };
  return { stores, raw, log };
}
