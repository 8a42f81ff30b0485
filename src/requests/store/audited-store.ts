/**
 * Wraps a request store so that every state change reaches the audit log: after a create or a successful
 * compare-and-set, the history entries the write added are appended. The record counts how many of its
 * history entries are in the log (`auditedThrough`); a change is always made from the stored record, so the
 * count it carries says where the new entries start. Only the writer that won the compare-and-set appends;
 * a write the store refused (it throws, e.g. STORE_LEASE_LOST) appends nothing. Records in an older shape are
 * read as today's (legacy-records.ts). The same entries move the request counters of the telemetry, so each
 * transition is counted once, by the process that made it.
 */
import type { Logger } from '../../log.js';
import { auditEntriesOf } from '../audit.js';
import { upgradeRequest } from '../legacy-records.js';
import type { HistoryEntry, IntegrationRequest, RequestState } from '../request.js';
import type { AuditLog, RequestStore, UpdateResult } from './store.js';
import { messageOf } from '../../errors.js';
import { countRequest, type RequestMetric } from '../../telemetry/index.js';

/** The transitions counted, by the state they lead to. */
const COUNTED: Partial<Record<RequestState, RequestMetric>> = { pending: 'opened', approved: 'approved', succeeded: 'applied', failed: 'failed' };

function countTransitions(entries: readonly HistoryEntry[]): void {
  for (const { to } of entries) {
    const metric = COUNTED[to];
    if (metric) countRequest(metric);
  }
}

export class AuditedRequestStore implements RequestStore {
  constructor(
    private readonly inner: RequestStore,
    private readonly audit: AuditLog,
    private readonly logger: Logger,
  ) {}

  async get(id: string): Promise<IntegrationRequest | null> {
    const request = await this.inner.get(id);
    return request && upgradeRequest(request);
  }

  async create(request: IntegrationRequest): Promise<boolean> {
    const created = await this.inner.create({ ...request, auditedThrough: request.history.length });
    if (created) {
      countTransitions(request.history);
      await this.append(request, 0);
    }
    return created;
  }

  async update(id: string, expectedVersion: number, next: IntegrationRequest): Promise<UpdateResult> {
    const from = Math.min(next.auditedThrough ?? 0, next.history.length);
    const result = await this.inner.update(id, expectedVersion, { ...next, auditedThrough: next.history.length });
    if (result.ok && from < result.request.history.length) {
      countTransitions(result.request.history.slice(from));
      await this.append(result.request, from);
    }
    return result.ok || !result.current ? result : { ...result, current: upgradeRequest(result.current) };
  }

  async listByConversation(conversationId: string): Promise<IntegrationRequest[]> {
    return (await this.inner.listByConversation(conversationId)).map(upgradeRequest);
  }

  async listByTeam(teamId: string): Promise<IntegrationRequest[]> {
    return (await this.inner.listByTeam(teamId)).map(upgradeRequest);
  }

  async listByInstance(instanceId: string): Promise<IntegrationRequest[]> {
    return (await this.inner.listByInstance(instanceId)).map(upgradeRequest);
  }

  async listByState(states: readonly IntegrationRequest['state'][]): Promise<IntegrationRequest[]> {
    return (await this.inner.listByState(states)).map(upgradeRequest);
  }

  /** The change is stored either way; a log that cannot be written is reported loudly, not turned into a failed change. */
  private async append(request: IntegrationRequest, from: number): Promise<void> {
    try {
      await this.audit.append(auditEntriesOf(request, from));
    } catch (error) {
      this.logger.error('could not append to the audit log', { requestId: request.id, from, error: messageOf(error) });
    }
  }
}
