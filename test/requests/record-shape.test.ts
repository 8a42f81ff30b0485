import { describe, expect, it } from 'vitest';
import { auditEntryProblem, parseAuditText, parseRecord, quarantineName, type RecordKind, recordProblem } from '../../src/requests/store/index.js';
import { conversation, request } from './fixtures.js';

const check = { kind: 'pickInstance', checkId: 'c0ffee00-0000-4000-8000-000000000001', instanceIds: ['/x'], intent: { command: 'status' }, askedBy: null, conversationId: 'c', createdAt: '2024-05-01T10:00:00.000Z' };
const chat = { aadObjectId: 'b0b00000-0000-4000-8000-000000000001', teamsId: '29:bob', name: 'Bob', conversation: conversation('a:1', 'personal'), updatedAt: 'now' };
const settings = { approvalsChannel: { conversation: conversation('19:approvals', 'channel', 'team'), setBy: request().requester, setAt: 'now' } };

const valid: Record<RecordKind, unknown> = { request: request(), check, settings, personalChat: chat };

/** Every record kind refuses what is not a JSON object. */
const NOT_OBJECTS: [string, string][] = [
  ['null', 'not a JSON object but null'],
  ['[]', 'not a JSON object but an array'],
  ['[{"id":"R-7K3QM"}]', 'not a JSON object but an array'],
  ['"R-7K3QM"', 'not a JSON object but a string'],
  ['42', 'not a JSON object but a number'],
  ['true', 'not a JSON object but a boolean'],
];

describe.each(Object.keys(valid) as RecordKind[])('a stored %s', (kind) => {
  it('reads back when it is whole', () => {
    expect(parseRecord(kind, JSON.stringify(valid[kind]))).toEqual({ ok: true, value: valid[kind] });
    expect(parseRecord(kind, JSON.stringify(valid[kind], null, 2) + '\n')).toMatchObject({ ok: true });
  });

  it('is refused, with the reason, when empty, truncated or garbage', () => {
    const text = JSON.stringify(valid[kind]);
    expect(parseRecord(kind, '')).toEqual({ ok: false, reason: 'empty' });
    expect(parseRecord(kind, ' \n\t')).toEqual({ ok: false, reason: 'empty' });
    expect(parseRecord(kind, text.slice(0, text.length / 2))).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) });
    expect(parseRecord(kind, '\u0000\u00ff\ufffd garbage')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) });
  });

  it.each(NOT_OBJECTS)('is refused when it is %s', (text, reason) => {
    expect(parseRecord(kind, text)).toEqual({ ok: false, reason });
  });
});

describe('the shape of a request', () => {
  const problem = (changes: Record<string, unknown>) => recordProblem('request', { ...request(), ...changes });

  it.each([
    [{ id: undefined }, 'the request has no string id'],
    [{ id: 7 }, 'the request has no string id'],
    [{ state: null }, 'the request has no string state'],
    [{ createdAt: 1714557600000 }, 'the request has no string createdAt'],
    [{ version: '1' }, 'the request has no numeric version'],
    [{ version: Number.NaN }, 'the request has no numeric version'],
    [{ instance: null }, 'the request has no instance with a string id'],
    [{ instance: '/subscriptions/s' }, 'the request has no instance with a string id'],
    [{ instance: { name: 'contoso-apim' } }, 'the request has no instance with a string id'],
    [{ conversation: undefined }, 'the request has no conversation with a string conversationId'],
    [{ conversation: { id: 'c' } }, 'the request has no conversation with a string conversationId'],
    [{ history: {} }, 'the request has no history list'],
    [{ history: null }, 'the request has no history list'],
  ])('%j: %s', (changes, reason) => {
    expect(problem(changes)).toBe(reason);
  });

  it('accepts what a newer bot may add (fields, states) and what older records lack (optional fields)', () => {
    expect(problem({ state: 'paused', somethingNew: { x: 1 } })).toBeNull();
    const { lease: _lease, remindedAt: _reminded, newSubnet: _new, ...old } = request();
    expect(recordProblem('request', old)).toBeNull();
  });

  it('must carry the id of the name it is stored under', () => {
    expect(recordProblem('request', request(), 'R-7K3QM')).toBeNull();
    expect(recordProblem('request', request(), 'R-OTHER')).toBe('its id "R-7K3QM" is not the name it is stored under (R-OTHER)');
  });
});

describe('the shape of a check record', () => {
  it.each([
    [{ kind: undefined }, 'the check record has no string kind'],
    [{ checkId: 12 }, 'the check record has no string checkId'],
    [{ createdAt: null }, 'the check record has no string createdAt'],
  ])('%j: %s', (changes, reason) => {
    expect(recordProblem('check', { ...check, ...changes })).toBe(reason);
  });

  it('must carry the check id it is stored under; a kind a newer bot added still reads', () => {
    expect(recordProblem('check', check, check.checkId)).toBeNull();
    expect(recordProblem('check', check, 'c0ffee00-0000-4000-8000-000000000002')).toMatch(/is not the name it is stored under/);
    expect(recordProblem('check', { ...check, kind: 'somethingNew' })).toBeNull();
  });
});

describe('the shape of the settings', () => {
  it('is an object; the approvals channel is absent, null or a conversation', () => {
    expect(recordProblem('settings', {})).toBeNull();
    expect(recordProblem('settings', { approvalsChannel: null })).toBeNull();
    expect(recordProblem('settings', { approvalsChannel: 'General' })).toBe('the approvals channel has no conversation with a string conversationId');
    expect(recordProblem('settings', { approvalsChannel: { conversation: {} } })).toBe('the approvals channel has no conversation with a string conversationId');
  });
});

describe('the shape of a personal chat', () => {
  it.each([
    [{ aadObjectId: null }, 'the personal chat has no string aadObjectId'],
    [{ teamsId: undefined }, 'the personal chat has no string teamsId'],
    [{ conversation: null }, 'the personal chat has no conversation with a string conversationId and a reference'],
    [{ conversation: { conversationId: 'a:1' } }, 'the personal chat has no conversation with a string conversationId and a reference'],
  ])('%j: %s', (changes, reason) => {
    expect(recordProblem('personalChat', { ...chat, ...changes })).toBe(reason);
  });
});

describe('audit lines', () => {
  const entry = { at: '2024-05-01T10:00:00.000Z', requestId: 'R-7K3QM', actor: 'bot', actorId: null, from: null, to: 'pending', details: null, armOperationId: null, key: 'R-7K3QM#0' };

  it('an entry needs its key, time and request id', () => {
    expect(auditEntryProblem(entry)).toBeNull();
    expect(auditEntryProblem({ ...entry, key: undefined })).toBe('the audit entry has no string key');
    expect(auditEntryProblem({ ...entry, at: 5 })).toBe('the audit entry has no string at');
    expect(auditEntryProblem({ ...entry, requestId: null })).toBe('the audit entry has no string requestId');
    expect(auditEntryProblem(null)).toBe('not a JSON object but null');
    expect(auditEntryProblem([entry])).toBe('not a JSON object but an array');
  });

  it('the text of a log: entries kept, bad lines numbered with their reason, blank lines ignored', () => {
    const text = [JSON.stringify(entry), '', '{"at":"2024-05-01T1', 'null', '[1,2]', '{"key":"k"}', '\u0000\u0001garbage', JSON.stringify({ ...entry, key: 'R-7K3QM#1' }), ''].join('\n');
    const { entries, bad } = parseAuditText(text);
    expect(entries.map((e) => e.key)).toEqual(['R-7K3QM#0', 'R-7K3QM#1']);
    expect(bad).toEqual([
      { line: 3, reason: 'not JSON' },
      { line: 4, reason: 'not a JSON object but null' },
      { line: 5, reason: 'not a JSON object but an array' },
      { line: 6, reason: 'the audit entry has no string at' },
      { line: 7, reason: 'not JSON' },
    ]);
  });

  it('a last line without its newline may still be being appended: skipped unreported when the writer may be mid-append', () => {
    const text = `${JSON.stringify(entry)}\n{"at":"2024-05-01T1`;
    expect(parseAuditText(text, { tailMayBeInProgress: true })).toEqual({ entries: [entry], bad: [] });
    expect(parseAuditText(text)).toEqual({ entries: [entry], bad: [{ line: 2, reason: 'not JSON' }] });
    // A whole last entry without its newline is read either way.
    expect(parseAuditText(JSON.stringify(entry), { tailMayBeInProgress: true }).entries).toEqual([entry]);
    expect(parseAuditText('', { tailMayBeInProgress: true })).toEqual({ entries: [], bad: [] });
  });
});

describe('quarantine names', () => {
  it('keep the record\'s path in the store and add the time (no colons), and a counter when taken', () => {
    const at = new Date('2024-05-01T10:00:00.123Z');
    expect(quarantineName('requests/R-7K3QM.json', at)).toBe('quarantine/requests/R-7K3QM.json.2024-05-01T10-00-00.123Z');
    expect(quarantineName('settings.json', at)).toBe('quarantine/settings.json.2024-05-01T10-00-00.123Z');
    expect(quarantineName('settings.json', at, 2)).toBe('quarantine/settings.json.2024-05-01T10-00-00.123Z-2');
  });
});
