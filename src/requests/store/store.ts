/**
 * Storage-neutral interfaces of the bot's own records. Every change to a request is a compare-and-set on its
 * `version`, so two people (or two processes) acting at once cannot both win: the loser re-reads and decides
 * again. Two implementations: the file store (one process per DATA_DIR) and the blob store (ETags, any number
 * of processes); both pass one contract test suite.
 */
import type { AuditEntry } from '../audit.js';
import type { CheckRecord } from '../check-record.js';
import type { IntegrationRequest } from '../request.js';
import type { BotSettingsRecord, PersonalChat } from '../settings.js';

export type UpdateResult =
  | { ok: true; request: IntegrationRequest }
  /** Someone else changed it first (or it is gone: `current` null). Nothing was written. */
  | { ok: false; conflict: true; current: IntegrationRequest | null };

export interface RequestStore {
  get(id: string): Promise<IntegrationRequest | null>;
  /** Stores a new request with version 1; false when the id is taken. */
  create(request: IntegrationRequest): Promise<boolean>;
  /** Writes `next` (with version expectedVersion + 1) only if the stored version is still `expectedVersion`. */
  update(id: string, expectedVersion: number, next: IntegrationRequest): Promise<UpdateResult>;
  listByConversation(conversationId: string): Promise<IntegrationRequest[]>;
  listByTeam(teamId: string): Promise<IntegrationRequest[]>;
  listByInstance(instanceId: string): Promise<IntegrationRequest[]>;
  listByState(states: readonly IntegrationRequest['state'][]): Promise<IntegrationRequest[]>;
}

export interface CheckStore {
  create(record: CheckRecord): Promise<void>;
  get(checkId: string): Promise<CheckRecord | null>;
  /** Removes the check records created before `cutoff` (judged without reading them); returns how many. */
  removeOlderThan(cutoff: Date): Promise<number>;
}

export interface SettingsStore {
  get(): Promise<BotSettingsRecord>;
  /** Applies `change` to the current settings and stores the result (compare-and-set, retried). */
  change(change: (current: BotSettingsRecord) => BotSettingsRecord): Promise<BotSettingsRecord>;
  rememberPersonalChat(chat: PersonalChat): Promise<void>;
  personalChat(aadObjectId: string): Promise<PersonalChat | null>;
}

/** Append-only: entries are added, never changed or removed. */
export interface AuditLog {
  append(entries: readonly AuditEntry[]): Promise<void>;
  /** One request's entries, oldest first. */
  forRequest(requestId: string): Promise<AuditEntry[]>;
  /** Every entry at or after `from`, oldest first. */
  since(from: Date): Promise<AuditEntry[]>;
}

/** A stored record that could not be read and was moved aside. */
export interface QuarantinedItem {
  /** Where it was, relative to the store (`requests/R-7K3QM.json`). */
  name: string;
  reason: string;
  /** ISO 8601. */
  at: string;
}

/** What this process found damaged in the store since it opened it. */
export interface StoreHealth {
  quarantined: number;
  /** The latest few quarantined records, oldest first. */
  items: QuarantinedItem[];
  /** Lines of the audit log that are not entries (skipped when reading; the log itself is never rewritten). */
  badAuditLines: number;
}

export interface SectionLocks {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export interface Stores {
  kind: 'file' | 'blob';
  /**
   * True when this process is known to be the only one using the store (the file store holds the DATA_DIR
   * lock): a lease held by any other owner then belongs to a process that is gone.
   */
  exclusive: boolean;
  requests: RequestStore;
  checks: CheckStore;
  settings: SettingsStore;
  audit: AuditLog;
  /** Sections that no two processes using the store run at once for one key (one open request per instance). */
  locks: SectionLocks;
  /** Records quarantined and audit lines skipped so far. */
  health(): StoreHealth;
  /** Releases what the store holds (the DATA_DIR lock). */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads, changes and writes a request, retrying when someone else wrote in between: `change` is called again
 * on what is stored now. `change` returns null to leave the request as it is (for example because its state no
 * longer allows the change); it may throw to stop.
 */
export async function updateWithRetry(
  store: RequestStore,
  id: string,
  change: (current: IntegrationRequest) => IntegrationRequest | null,
  attempts = 12,
): Promise<{ request: IntegrationRequest | null; changed: boolean }> {
  let current = await store.get(id);
  for (let i = 0; i < attempts; i++) {
    if (!current) return { request: null, changed: false };
    const next = change(current);
    if (!next) return { request: current, changed: false };
    const result = await store.update(id, current.version, next);
    if (result.ok) return { request: result.request, changed: true };
    current = result.current;
    // Many writers on one record: spread the retries so they do not collide again in lock step.
    if (i >= 2) await sleep(Math.random() * 5 * i);
  }
  throw new Error(`Request ${id} kept changing under ${attempts} attempts to update it.`);
}
