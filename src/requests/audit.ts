/**
 * The audit log: every state change of every request, appended and never rewritten (who, when, from, to,
 * details, ARM operation id). Entries come from the request's history (state changes) and from the apply
 * (ARM writes accepted, take-overs, reminders). Pure helpers; the stores keep the entries.
 */
import type { HistoryEntry, IntegrationRequest, Person, RequestState } from './request.js';

export interface AuditEntry {
  /** ISO 8601. */
  at: string;
  requestId: string;
  /** Who: "Bob (b0b0…)", or "bot" for the bot itself. */
  actor: string;
  /** Entra object id of the actor; null for the bot or when Teams sent none. */
  actorId: string | null;
  from: RequestState | null;
  to: RequestState;
  details: string | null;
  /** The ARM long-running operation a write started, when there is one. */
  armOperationId: string | null;
  /** Unique per entry: readers drop repeats (a retried append). */
  key: string;
}

/** What `audit --since` prints per line. */
export interface AuditExportLine {
  at: string;
  requestId: string;
  actor: string;
  from: RequestState | null;
  to: RequestState;
  details: string | null;
  armOperationId: string | null;
}

export function actorText(person: Person | null): string {
  if (!person) return 'bot';
  const name = person.name || person.teamsId || 'unknown';
  return person.aadObjectId ? `${name} (${person.aadObjectId})` : name;
}

export function historyEntryToAudit(requestId: string, index: number, entry: HistoryEntry): AuditEntry {
  return {
    at: entry.at,
    requestId,
    actor: actorText(entry.by),
    actorId: entry.by?.aadObjectId ?? null,
    from: entry.from,
    to: entry.to,
    details: entry.why,
    armOperationId: null,
    key: `${requestId}#${index}`,
  };
}

/** The history entries of `request` from index `from` on, as audit entries. */
export function auditEntriesOf(request: IntegrationRequest, from: number): AuditEntry[] {
  return request.history.slice(from).map((entry, i) => historyEntryToAudit(request.id, from + i, entry));
}

/** An event that is not a state change (the request stays in `state`). */
export function auditEvent(
  request: Pick<IntegrationRequest, 'id' | 'state'>,
  at: Date,
  details: string,
  options: { by?: Person | null; armOperationId?: string | null; key: string },
): AuditEntry {
  return {
    at: at.toISOString(),
    requestId: request.id,
    actor: actorText(options.by ?? null),
    actorId: options.by?.aadObjectId ?? null,
    from: request.state,
    to: request.state,
    details,
    armOperationId: options.armOperationId ?? null,
    key: `${request.id}@${options.key}`,
  };
}

export function toExportLine(entry: AuditEntry): AuditExportLine {
  const { at, requestId, actor, from, to, details, armOperationId } = entry;
  return { at, requestId, actor, from, to, details, armOperationId };
}

/** Oldest first (entries with the same time keep the order they were appended in), repeats (same key) dropped. */
export function orderAudit(entries: Iterable<AuditEntry>): AuditEntry[] {
  const seen = new Map<string, AuditEntry>();
  for (const entry of entries) if (!seen.has(entry.key)) seen.set(entry.key, entry);
  return [...seen.values()].sort((a, b) => a.at.localeCompare(b.at));
}
