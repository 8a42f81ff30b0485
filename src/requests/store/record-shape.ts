/**
 * Whether a stored document is a record of its kind, before anything uses it. Pure. Only what the bot relies on is
 * checked (ids, times, the fields lists sort and filter on), so a record written by a newer bot with more fields or
 * states still reads.
 */
import type { CheckRecord } from '../check-record.js';
import type { IntegrationRequest } from '../request.js';
import type { BotSettingsRecord, PersonalChat } from '../settings.js';

export interface RecordOfKind {
  request: IntegrationRequest;
  check: CheckRecord;
  settings: BotSettingsRecord;
  personalChat: PersonalChat;
}

export type RecordKind = keyof RecordOfKind;

export type ParsedRecord<T> = { ok: true; value: T } | { ok: false; reason: string };

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

function kindOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** The first field of `fields` that is not a string, as a problem; null when all are. */
function missingString(record: Fields, fields: readonly string[], what: string): string | null {
  const bad = fields.find((f) => typeof record[f] !== 'string');
  return bad === undefined ? null : `${what} has no string ${bad}`;
}

function requestProblem(value: Fields): string | null {
  return (
    missingString(value, ['id', 'state', 'createdAt'], 'the request') ??
    (typeof value.version !== 'number' || !Number.isFinite(value.version) ? 'the request has no numeric version' : null) ??
    (!isObject(value.instance) || typeof value.instance.id !== 'string' ? 'the request has no instance with a string id' : null) ??
    (!isObject(value.conversation) || typeof value.conversation.conversationId !== 'string' ? 'the request has no conversation with a string conversationId' : null) ??
    (!Array.isArray(value.history) ? 'the request has no history list' : null)
  );
}

function checkProblem(value: Fields): string | null {
  return missingString(value, ['kind', 'checkId', 'createdAt'], 'the check record');
}

function settingsProblem(value: Fields): string | null {
  const channel = value.approvalsChannel;
  if (channel === undefined || channel === null) return null;
  if (!isObject(channel) || !isObject(channel.conversation) || typeof channel.conversation.conversationId !== 'string') {
    return 'the approvals channel has no conversation with a string conversationId';
  }
  return null;
}

function personalChatProblem(value: Fields): string | null {
  return (
    missingString(value, ['aadObjectId', 'teamsId'], 'the personal chat') ??
    (!isObject(value.conversation) || typeof value.conversation.conversationId !== 'string' || !isObject(value.conversation.reference)
      ? 'the personal chat has no conversation with a string conversationId and a reference'
      : null)
  );
}

const PROBLEM_OF: Record<RecordKind, (value: Fields) => string | null> = {
  request: requestProblem,
  check: checkProblem,
  settings: settingsProblem,
  personalChat: personalChatProblem,
};

/** The field that must equal the name a record is stored under. */
const ID_FIELD: Partial<Record<RecordKind, string>> = { request: 'id', check: 'checkId' };

/** What is wrong with `value` as a record of `kind` stored under `storedId` (when given); null when nothing is. */
export function recordProblem(kind: RecordKind, value: unknown, storedId?: string): string | null {
  if (!isObject(value)) return `not a JSON object but ${kindOfValue(value)}`;
  const problem = PROBLEM_OF[kind](value);
  if (problem) return problem;
  const idField = ID_FIELD[kind];
  if (storedId !== undefined && idField && value[idField] !== storedId) return `its ${idField} ${JSON.stringify(value[idField])} is not the name it is stored under (${storedId})`;
  return null;
}

/** The record a stored document holds, or why it holds none (empty, not JSON, or not of the kind's shape). */
export function parseRecord<K extends RecordKind>(kind: K, text: string, storedId?: string): ParsedRecord<RecordOfKind[K]> {
  if (!text.trim()) return { ok: false, reason: 'empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  const problem = recordProblem(kind, value, storedId);
  return problem ? { ok: false, reason: problem } : { ok: true, value: value as RecordOfKind[K] };
}

/** What is wrong with one parsed audit line; null when it is an entry (the fields readers sort, filter and drop repeats by). */
export function auditEntryProblem(value: unknown): string | null {
  if (!isObject(value)) return `not a JSON object but ${kindOfValue(value)}`;
  return missingString(value, ['key', 'at', 'requestId'], 'the audit entry');
}
