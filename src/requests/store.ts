/**
 * Storage-neutral interfaces of the bot's own records. Every change to a request is a compare-and-set on its
 * `version`, so two people acting at once cannot both win. The file store is one implementation; a blob
 * store (ETags) is another.
 */
import type { CheckRecord } from './check-record.js';
import type { IntegrationRequest } from './request.js';
import type { BotSettingsRecord, PersonalChat } from './settings.js';

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
}

export interface SettingsStore {
  get(): Promise<BotSettingsRecord>;
  /** Applies `change` to the current settings and stores the result (last writer wins per field group). */
  change(change: (current: BotSettingsRecord) => BotSettingsRecord): Promise<BotSettingsRecord>;
  rememberPersonalChat(chat: PersonalChat): Promise<void>;
  personalChat(aadObjectId: string): Promise<PersonalChat | null>;
}

export interface Stores {
  requests: RequestStore;
  checks: CheckStore;
  settings: SettingsStore;
}

/**
 * Reads, changes and writes a request, retrying when someone else wrote in between. `change` returns null to
 * leave the request as it is (for example because its state no longer allows the change).
 */
export async function updateWithRetry(
  store: RequestStore,
  id: string,
  change: (current: IntegrationRequest) => IntegrationRequest | null,
  attempts = 8,
): Promise<{ request: IntegrationRequest | null; changed: boolean }> {
  for (let i = 0; i < attempts; i++) {
    const current = await store.get(id);
    if (!current) return { request: null, changed: false };
    const next = change(current);
    if (!next) return { request: current, changed: false };
    const result = await store.update(id, current.version, next);
    if (result.ok) return { request: result.request, changed: true };
  }
  throw new Error(`Request ${id} kept changing under ${attempts} attempts to update it.`);
}
