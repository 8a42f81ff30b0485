/**
 * Requests in Azure Blob Storage, one blob each (`requests/<id>.json`), for several bot processes on one
 * store. Compare-and-set on `version` is made atomic by the blob's ETag: a write carries If-Match with the
 * ETag read together with that version (or If-None-Match: * to create), so of two writers only one succeeds.
 * Each write also stores a random `writeId`: when a retried upload finds its own earlier attempt stored, that
 * counts as success, not as a conflict. Listing filters on blob metadata, so only matching records are read.
 */
import { randomUUID } from 'node:crypto';
import type { ContainerClient, Metadata } from '@azure/storage-blob';
import { sameResourceId } from '../../eligibility/resource-id.js';
import { silentLogger } from '../../log.js';
import { isConditionFailure, listBlobs, statusOf, writeBlobJson } from './blob-io.js';
import { BlobQuarantine } from './blob-quarantine.js';
import { isStorableId, safeFileName } from './json-files.js';
import { mapLimit } from '../../common/map-limit.js';
import { StoreHealthLedger } from './store-health-ledger.js';
import type { IntegrationRequest, RequestState } from '../request.js';
import type { RequestStore, UpdateResult } from './store.js';

const PREFIX = 'requests/';
type Stored = IntegrationRequest & { writeId?: string };

const enc = (value: string | null) => (value === null ? '-' : encodeURIComponent(value));

function metadataOf(request: IntegrationRequest): Metadata {
  return {
    state: request.state,
    conversation: enc(request.conversation.conversationId),
    team: enc(request.conversation.teamId),
    instance: enc(request.instance.id.toLowerCase()),
  };
}

function strip(stored: Stored): IntegrationRequest {
  const { writeId: _writeId, ...request } = stored;
  return request;
}

export class BlobRequestStore implements RequestStore {
  /** The ETag seen with each request's latest known version: an update then needs no read first. */
  private readonly etags = new Map<string, { version: number; etag: string }>();

  constructor(
    private readonly container: ContainerClient,
    private readonly records = new BlobQuarantine(container, new StoreHealthLedger(silentLogger)),
  ) {}

  private blob(id: string) {
    return this.container.getBlockBlobClient(`${PREFIX}${safeFileName(id)}`);
  }

  private remember(id: string, version: number, etag: string): void {
    if (this.etags.size > 5_000) this.etags.clear();
    this.etags.set(id, { version, etag });
  }

  private async read(id: string): Promise<Stored | null> {
    const doc = await this.records.read('request', this.blob(id).name, id);
    if (!doc) return null;
    this.remember(id, doc.value.version, doc.etag);
    return doc.value;
  }

  async get(id: string): Promise<IntegrationRequest | null> {
    if (!isStorableId(id)) return null;
    const stored = await this.read(id);
    return stored && strip(stored);
  }

  async create(request: IntegrationRequest): Promise<boolean> {
    const writeId = randomUUID();
    const stored: Stored = { ...request, version: 1, writeId };
    try {
      this.remember(request.id, 1, await writeBlobJson(this.blob(request.id), stored, { ifNoneMatch: '*' }, metadataOf(stored)));
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.read(request.id))?.writeId === writeId;
    }
  }

  async update(id: string, expectedVersion: number, next: IntegrationRequest): Promise<UpdateResult> {
    if (!isStorableId(id)) return { ok: false, conflict: true, current: null };
    let known = this.etags.get(id);
    if (known?.version !== expectedVersion) {
      const current = await this.read(id);
      if (!current || current.version !== expectedVersion) return { ok: false, conflict: true, current: current && strip(current) };
      known = this.etags.get(id);
    }
    const writeId = randomUUID();
    const stored: Stored = { ...next, id, version: expectedVersion + 1, writeId };
    try {
      this.remember(id, stored.version, await writeBlobJson(this.blob(id), stored, { ifMatch: known?.etag ?? '' }, metadataOf(stored)));
      return { ok: true, request: strip(stored) };
    } catch (error) {
      if (!isConditionFailure(error) && statusOf(error) !== 404) throw error;
      const current = await this.read(id);
      if (current?.writeId === writeId) return { ok: true, request: strip(current) };
      return { ok: false, conflict: true, current: current && strip(current) };
    }
  }

  listByConversation(conversationId: string): Promise<IntegrationRequest[]> {
    return this.list((m) => m.conversation === enc(conversationId), (r) => r.conversation.conversationId === conversationId);
  }

  listByTeam(teamId: string): Promise<IntegrationRequest[]> {
    return this.list((m) => m.team === enc(teamId), (r) => r.conversation.teamId === teamId);
  }

  listByInstance(instanceId: string): Promise<IntegrationRequest[]> {
    return this.list((m) => m.instance === enc(instanceId.toLowerCase()), (r) => sameResourceId(r.instance.id, instanceId));
  }

  listByState(states: readonly RequestState[]): Promise<IntegrationRequest[]> {
    return this.list((m) => states.includes(m.state as RequestState), (r) => states.includes(r.state));
  }

  /** Newest first. Reads only the blobs whose metadata match, and checks the records themselves again. */
  private async list(match: (metadata: Metadata) => boolean, keep: (request: IntegrationRequest) => boolean): Promise<IntegrationRequest[]> {
    const ids = (await listBlobs(this.container, PREFIX))
      .filter((b) => b.name.endsWith('.json') && match(b.metadata))
      .map((b) => b.name.slice(PREFIX.length, -'.json'.length));
    const found = await mapLimit(ids, 16, (id) => this.get(id));
    return found.filter((r): r is IntegrationRequest => r !== null && keep(r)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}
