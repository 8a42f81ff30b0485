/**
 * One contract for every store: the file store (DATA_DIR) and the blob store (Azure Blob Storage, here
 * Azurite started by this suite) must behave the same through the `Stores` interface, damaged records included.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { auditEvent } from '../../src/requests/audit.js';
import { fileStores, openBlobStores, type Stores, updateWithRetry } from '../../src/requests/store/index.js';
import { transition } from '../../src/requests/lifecycle.js';
import { mapLimit } from '../../src/common/map-limit.js';
import { type RunningAzurite, startAzurite, uniqueContainer } from '../support/index.js';
import { bob, conversation, request } from './fixtures.js';
import { openBlobForDamage, openFileForDamage, type OpenedStores, type RawStore } from './raw-stores.js';

let azurite: RunningAzurite;
const folders: string[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

const implementations: { name: string; open: () => Promise<Stores> }[] = [
  {
    name: 'file store',
    open: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'apim-contract-'));
      folders.push(dir);
      return fileStores(dir);
    },
  },
  {
    name: 'blob store',
    open: () => openBlobStores({ connectionString: azurite.connectionString, container: uniqueContainer('contract') }, silentLogger),
  },
];

describe.each(implementations)('$name', ({ open }) => {
  it('creates once, reads back, and refuses a second create with the same id', async () => {
    const { requests } = await open();
    expect(await requests.create(request())).toBe(true);
    expect(await requests.create(request({ kind: 'disconnect' }))).toBe(false);
    expect(await requests.get('R-7K3QM')).toMatchObject({ id: 'R-7K3QM', version: 1, kind: 'integrate' });
    expect(await requests.get('R-NOPE1')).toBeNull();
    expect(await requests.get('../settings')).toBeNull();
    await expect(requests.create(request({ id: '../../evil' }))).rejects.toThrow(/storable/);
  });

  it('compare-and-set: the stale writer gets a conflict and the current record', async () => {
    const { requests } = await open();
    await requests.create(request());
    const first = await requests.update('R-7K3QM', 1, { ...request(), state: 'approved' });
    expect(first).toMatchObject({ ok: true, request: { version: 2, state: 'approved' } });
    const stale = await requests.update('R-7K3QM', 1, { ...request(), state: 'rejected' });
    expect(stale).toMatchObject({ ok: false, conflict: true, current: { version: 2, state: 'approved' } });
    expect((await requests.get('R-7K3QM'))?.state).toBe('approved');
    expect(await requests.update('R-NOPE1', 1, request())).toEqual({ ok: false, conflict: true, current: null });
  });

  it('lets exactly one of many simultaneous writers win', async () => {
    const { requests } = await open();
    await requests.create(request());
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => requests.update('R-7K3QM', 1, { ...request(), routingNote: `writer ${i}` })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const winner = results.find((r) => r.ok);
    const stored = await requests.get('R-7K3QM');
    expect(stored?.version).toBe(2);
    expect(winner?.ok && stored?.routingNote).toBe(winner?.ok ? winner.request.routingNote : null);
  });

  it('updateWithRetry applies every change when writers race: losers re-read and decide again', async () => {
    const { requests } = await open();
    await requests.create(request());
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        updateWithRetry(requests, 'R-7K3QM', (r) => ({ ...r, cards: [...r.cards, { role: 'approval', conversation: conversation(`c${i}`), activityId: `a${i}` }] }), 30),
      ),
    );
    const stored = await requests.get('R-7K3QM');
    expect(stored?.cards).toHaveLength(10);
    expect(stored?.version).toBe(11);
  });

  it('one approval of many: a transition that is no longer allowed is not written', async () => {
    const { requests } = await open();
    await requests.create(request());
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        updateWithRetry(requests, 'R-7K3QM', (r) => {
          const moved = transition(r, i % 2 ? 'approve' : 'reject', { by: { ...bob, name: `Approver ${i}` }, at: new Date() });
          return moved.ok ? moved.request : null;
        }),
      ),
    );
    expect(outcomes.filter((o) => o.changed)).toHaveLength(1);
    const stored = await requests.get('R-7K3QM');
    expect(stored?.history).toHaveLength(2);
    expect(stored?.version).toBe(2);
  });

  it('lists by conversation, team, instance and state, newest first', async () => {
    const { requests } = await open();
    await requests.create(request({ id: 'R-00001', createdAt: '2024-05-01T10:00:00.000Z', conversation: conversation('19:c1@thread.v2') }));
    await requests.create(request({ id: 'R-00002', createdAt: '2024-05-01T11:00:00.000Z', conversation: conversation('c2', 'channel', '19:team;1'), state: 'approved' }));
    await requests.create(request({ id: 'R-00003', createdAt: '2024-05-01T12:00:00.000Z', conversation: conversation('19:c1@thread.v2') }));
    expect((await requests.listByConversation('19:c1@thread.v2')).map((r) => r.id)).toEqual(['R-00003', 'R-00001']);
    expect((await requests.listByTeam('19:team;1')).map((r) => r.id)).toEqual(['R-00002']);
    const instance = request().instance.id.toUpperCase();
    expect((await requests.listByInstance(instance)).map((r) => r.id)).toEqual(['R-00003', 'R-00002', 'R-00001']);
    expect((await requests.listByState(['approved'])).map((r) => r.id)).toEqual(['R-00002']);
    expect(await requests.listByState(['failed'])).toEqual([]);
    // A state change moves the record between lists.
    await requests.update('R-00001', 1, { ...(await requests.get('R-00001'))!, state: 'approved' });
    expect((await requests.listByState(['approved'])).map((r) => r.id)).toEqual(['R-00002', 'R-00001']);
  });

  it('stores check records once; unknown or malformed ids read as null', async () => {
    const { checks } = await open();
    const record = {
      kind: 'pickInstance' as const,
      checkId: 'c0ffee00-0000-4000-8000-000000000001',
      instanceIds: ['/x'],
      intent: { command: 'status' as const },
      askedBy: null,
      conversationId: 'c',
      createdAt: '2024-05-01T10:00:00.000Z',
    };
    await checks.create(record);
    expect(await checks.get(record.checkId)).toEqual(record);
    expect(await checks.get('c0ffee00-0000-4000-8000-000000000002')).toBeNull();
    expect(await checks.get('../../etc/passwd')).toBeNull();
    await expect(checks.create(record)).rejects.toThrow(/exists/);
  });

  it('keeps the approvals channel and personal chats; simultaneous setting changes all land', async () => {
    const { settings } = await open();
    expect(await settings.get()).toEqual({ approvalsChannel: null });
    const channel = conversation('19:approvals', 'channel', 'team');
    await settings.change((s) => ({ ...s, approvalsChannel: { conversation: channel, setBy: request().requester, setAt: 'now' } }));
    expect((await settings.get()).approvalsChannel?.conversation.conversationId).toBe('19:approvals');
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => settings.change((s) => ({ ...s, approvalsChannel: s.approvalsChannel && { ...s.approvalsChannel, setAt: `${s.approvalsChannel.setAt}+${i}` } }))),
    );
    expect((await settings.get()).approvalsChannel?.setAt.split('+')).toHaveLength(6);

    const aad = 'B0B00000-0000-4000-8000-000000000001';
    await settings.rememberPersonalChat({ aadObjectId: aad, teamsId: '29:bob', name: 'Bob', conversation: conversation('a:1', 'personal'), updatedAt: 'now' });
    expect((await settings.personalChat(aad.toLowerCase()))?.conversation.conversationId).toBe('a:1');
    expect(await settings.personalChat('not-a-guid')).toBeNull();
  });

  it('audits every state change once, from the writer that won; appends never rewrite earlier entries', async () => {
    const { requests, audit } = await open();
    await requests.create(request({ createdAt: '2024-05-01T10:00:00.000Z' }));
    const approvers = Array.from({ length: 6 }, (_, i) => ({ ...bob, name: `Approver ${i}`, aadObjectId: `b0b00000-0000-4000-8000-00000000000${i}` }));
    await Promise.all(
      approvers.map((by) =>
        updateWithRetry(requests, 'R-7K3QM', (r) => {
          const moved = transition(r, 'approve', { by, at: new Date('2024-05-01T10:05:00.000Z') });
          return moved.ok ? moved.request : null;
        }),
      ),
    );
    // A change that is not a transition adds nothing to the log.
    await updateWithRetry(requests, 'R-7K3QM', (r) => ({ ...r, routingNote: 'moved' }));
    const before = await audit.forRequest('R-7K3QM');
    expect(before.map((e) => [e.from, e.to])).toEqual([
      [null, 'pending'],
      ['pending', 'approved'],
    ]);
    const approval = before[1]!;
    const stored = await requests.get('R-7K3QM');
    expect(approval.actor).toBe(`${stored!.history[1]!.by!.name} (${stored!.history[1]!.by!.aadObjectId})`);

    await updateWithRetry(requests, 'R-7K3QM', (r) => {
      const moved = transition(r, 'startApply', { by: null, at: new Date('2024-05-01T10:05:01.000Z') });
      return moved.ok ? moved.request : null;
    });
    const applying = (await requests.get('R-7K3QM'))!;
    // The same entry appended twice (a retried append) is read once.
    await audit.append([auditEvent(applying, new Date('2024-05-01T10:05:02.000Z'), 'ARM accepted the instance update.', { key: 'op-1', armOperationId: 'op-1' })]);
    await audit.append([auditEvent(applying, new Date('2024-05-01T10:05:02.000Z'), 'ARM accepted the instance update.', { key: 'op-1', armOperationId: 'op-1' })]);
    const after = await audit.forRequest('R-7K3QM');
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.map((e) => `${e.from}>${e.to}:${e.actor}`).slice(2)).toEqual(['approved>applying:bot', 'applying>applying:bot']);
    expect(after.at(-1)).toMatchObject({ armOperationId: 'op-1', details: 'ARM accepted the instance update.' });

    await requests.create(request({ id: 'R-00009', createdAt: '2024-06-01T10:00:00.000Z', history: [{ at: '2024-06-01T10:00:00.000Z', from: null, to: 'pending', by: bob, why: null }] }));
    expect((await audit.since(new Date('2024-05-01T10:05:00.000Z'))).map((e) => `${e.requestId} ${e.to}`)).toEqual([
      'R-7K3QM approved',
      'R-7K3QM applying',
      'R-7K3QM applying',
      'R-00009 pending',
    ]);
    expect(await audit.since(new Date('2025-01-01T00:00:00.000Z'))).toEqual([]);
    expect(await audit.forRequest('R-NONE0')).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------ damaged records

const damaging: { name: string; open: () => Promise<OpenedStores> }[] = [
  { name: 'file store', open: () => openFileForDamage(folders) },
  { name: 'blob store', open: () => openBlobForDamage(azurite.connectionString, uniqueContainer('damage')) },
];

/** What a record can be turned into: each is moved to quarantine with its bytes, and nothing else stops. */
const DAMAGE: { shape: string; bytes: (whole: string) => Buffer }[] = [
  { shape: 'truncated JSON', bytes: (whole) => Buffer.from(whole.slice(0, Math.floor(whole.length / 2))) },
  { shape: 'garbage bytes', bytes: () => Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x7b, 0xc3, 0x28, 0x01, 0x80, 0x22]) },
  { shape: 'an empty file', bytes: () => Buffer.alloc(0) },
  { shape: 'valid JSON of the wrong shape', bytes: () => Buffer.from('{"approvalsChannel":"General","hello":"world","version":"one"}') },
  { shape: 'null', bytes: () => Buffer.from('null') },
  { shape: 'an array', bytes: (whole) => Buffer.from(`[${whole}]`) },
];

const check = (checkId: string, createdAt = '2024-05-01T10:00:00.000Z') => ({
  kind: 'pickInstance' as const,
  checkId,
  instanceIds: ['/x'],
  intent: { command: 'status' as const },
  askedBy: null,
  conversationId: 'c',
  createdAt,
});

const personalChatOf = (aadObjectId: string, id: string) => ({ aadObjectId, teamsId: `29:${id}`, name: id, conversation: conversation(id, 'personal'), updatedAt: 'now' });

/** Warnings of the log that name `name`. */
const warningsAbout = (log: Record<string, unknown>[], name: string) => log.filter((l) => l.level === 'warn' && JSON.stringify(l).includes(name));

/** The one quarantined copy of `name`, with its bytes. */
async function quarantined(raw: RawStore, name: string): Promise<Buffer> {
  const copies = (await raw.names(`quarantine/${name.slice(0, name.lastIndexOf('/') + 1)}`)).filter((n) => n.startsWith(`quarantine/${name}.`));
  expect(copies, `quarantined copies of ${name}`).toHaveLength(1);
  return (await raw.read(copies[0]!))!;
}

describe.each(damaging)('$name with a damaged record', ({ open }) => {
  describe.each(DAMAGE)('$shape', ({ shape, bytes }) => {
    it('a request: skipped by every list, read as absent, moved to quarantine with its bytes, reported and logged once; the rest works', async () => {
      const { stores, raw, log } = await open();
      const { requests } = stores;
      await requests.create(request({ id: 'R-00001' }));
      const damaged = bytes(JSON.stringify(request({ id: 'R-BAD01' })));
      await raw.write('requests/R-BAD01.json', damaged, request({ id: 'R-BAD01' }));

      expect((await requests.listByConversation('19:chat')).map((r) => r.id)).toEqual(['R-00001']);
      expect((await requests.listByInstance(request().instance.id)).map((r) => r.id)).toEqual(['R-00001']);
      expect((await requests.listByState(['pending'])).map((r) => r.id)).toEqual(['R-00001']);
      expect(await requests.get('R-BAD01')).toBeNull();
      expect(await requests.update('R-BAD01', 1, request({ id: 'R-BAD01' }))).toEqual({ ok: false, conflict: true, current: null });
      expect(await requests.create(request({ id: 'R-00002' }))).toBe(true);
      expect(await requests.update('R-00001', 1, { ...request({ id: 'R-00001' }), state: 'approved' })).toMatchObject({ ok: true, request: { version: 2 } });
      expect((await requests.listByState(['pending', 'approved'])).map((r) => r.id).sort()).toEqual(['R-00001', 'R-00002']);

      expect(await raw.read('requests/R-BAD01.json')).toBeNull();
      expect((await quarantined(raw, 'requests/R-BAD01.json')).equals(damaged)).toBe(true);
      const health = stores.health();
      expect(health).toMatchObject({ quarantined: 1, badAuditLines: 0, items: [{ name: 'requests/R-BAD01.json', reason: expect.any(String), at: expect.any(String) }] });
      expect(warningsAbout(log, 'requests/R-BAD01.json'), shape).toHaveLength(1);
      expect(warningsAbout(log, 'requests/R-BAD01.json')[0]).toMatchObject({ name: 'requests/R-BAD01.json', reason: health.items[0]!.reason });
      // The same id can be used again: the damaged bytes stay in quarantine.
      expect(await requests.create(request({ id: 'R-BAD01' }))).toBe(true);
      expect((await requests.get('R-BAD01'))?.version).toBe(1);
      expect(stores.health().quarantined).toBe(1);
    });

    it('a check record: read as absent, moved to quarantine with its bytes, reported and logged once; others read and new ones are stored', async () => {
      const { stores, raw, log } = await open();
      const good = check('c0ffee00-0000-4000-8000-000000000001');
      const bad = check('c0ffee00-0000-4000-8000-0000000000ba');
      await stores.checks.create(good);
      const name = `checks/${bad.checkId}.json`;
      const damaged = bytes(JSON.stringify(bad));
      await raw.write(name, damaged);

      expect(await stores.checks.get(bad.checkId)).toBeNull();
      expect(await stores.checks.get(bad.checkId)).toBeNull();
      expect(await stores.checks.get(good.checkId)).toEqual(good);
      const next = check('c0ffee00-0000-4000-8000-000000000002');
      await stores.checks.create(next);
      expect(await stores.checks.get(next.checkId)).toEqual(next);

      expect(await raw.read(name)).toBeNull();
      expect((await quarantined(raw, name)).equals(damaged)).toBe(true);
      expect(stores.health()).toMatchObject({ quarantined: 1, items: [{ name }] });
      expect(warningsAbout(log, name)).toHaveLength(1);
    });

    it('the settings: read as the defaults, moved to quarantine with the old bytes, reported and logged once; a change is stored', async () => {
      const { stores, raw, log } = await open();
      const channel = conversation('19:approvals', 'channel', 'team');
      await stores.settings.change((s) => ({ ...s, approvalsChannel: { conversation: channel, setBy: request().requester, setAt: 'before' } }));
      const damaged = bytes(JSON.stringify({ approvalsChannel: { conversation: channel, setBy: request().requester, setAt: 'before' } }));
      await raw.write('settings.json', damaged);

      expect(await stores.settings.get()).toEqual({ approvalsChannel: null });
      await stores.settings.change((s) => ({ ...s, approvalsChannel: { conversation: conversation('19:new', 'channel', 'team'), setBy: request().requester, setAt: 'after' } }));
      expect((await stores.settings.get()).approvalsChannel?.conversation.conversationId).toBe('19:new');

      expect((await quarantined(raw, 'settings.json')).equals(damaged)).toBe(true);
      expect(stores.health()).toMatchObject({ quarantined: 1, items: [{ name: 'settings.json' }] });
      expect(warningsAbout(log, 'settings.json')).toHaveLength(1);
    });

    it('a personal chat: read as absent, moved to quarantine with its bytes, reported and logged once; others read and it can be remembered again', async () => {
      const { stores, raw, log } = await open();
      const good = 'a11ce000-0000-4000-8000-000000000001';
      const bad = 'b0b00000-0000-4000-8000-000000000001';
      await stores.settings.rememberPersonalChat(personalChatOf(good, 'a:alice'));
      const name = `personal-chats/${bad}.json`;
      const damaged = bytes(JSON.stringify(personalChatOf(bad, 'a:bob')));
      await raw.write(name, damaged);

      expect(await stores.settings.personalChat(bad)).toBeNull();
      expect((await stores.settings.personalChat(good))?.conversation.conversationId).toBe('a:alice');
      await stores.settings.rememberPersonalChat(personalChatOf(bad, 'a:bob-again'));
      expect((await stores.settings.personalChat(bad))?.conversation.conversationId).toBe('a:bob-again');

      expect((await quarantined(raw, name)).equals(damaged)).toBe(true);
      expect(stores.health()).toMatchObject({ quarantined: 1, items: [{ name }] });
      expect(warningsAbout(log, name)).toHaveLength(1);
    });

    it('an audit line: skipped, counted and logged once, never rewritten; the entries around it read and new ones append', async () => {
      const { stores, raw, log } = await open();
      await stores.requests.create(request({ createdAt: '2024-05-01T10:00:00.000Z' }));
      const line = bytes(JSON.stringify(auditEvent(request(), new Date('2024-05-01T10:00:30.000Z'), 'damaged', { key: 'damaged' })));
      const blank = line.toString('utf8').trim() === '';
      await raw.appendAudit('R-7K3QM', Buffer.concat([line, Buffer.from('\n')]));
      const applying = { ...request(), state: 'applying' as const };
      await stores.audit.append([auditEvent(applying, new Date('2024-05-01T10:01:00.000Z'), 'after', { key: 'after' })]);

      expect((await stores.audit.forRequest('R-7K3QM')).map((e) => e.details ?? e.to)).toEqual(['pending', 'after']);
      expect((await stores.audit.since(new Date('2024-05-01T00:00:00.000Z'))).map((e) => e.details ?? e.to)).toEqual(['pending', 'after']);
      await stores.requests.create(request({ id: 'R-00002', history: [{ at: '2024-05-01T11:00:00.000Z', from: null, to: 'pending', by: bob, why: null }] }));
      expect((await stores.audit.forRequest('R-00002')).map((e) => e.to)).toEqual(['pending']);

      const stored = (await raw.read(raw.auditName('R-7K3QM')))!;
      expect(stored.includes(Buffer.concat([Buffer.from('\n'), line, Buffer.from('\n')])), 'the bad line is still in the log as it was').toBe(true);
      // An empty line is no entry and no damage.
      expect(stores.health()).toEqual({ quarantined: 0, items: [], badAuditLines: blank ? 0 : 1 });
      expect(warningsAbout(log, raw.auditName('R-7K3QM'))).toHaveLength(blank ? 0 : 1);
    });
  });

  it('many readers at once: the record is moved once, counted once and logged once', async () => {
    const { stores, raw, log } = await open();
    await stores.requests.create(request({ id: 'R-00001' }));
    await raw.write('requests/R-BAD01.json', '{"id":"R-BAD01","vers', request({ id: 'R-BAD01' }));
    const lists = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? stores.requests.listByState(['pending']) : stores.requests.get('R-BAD01').then((r) => (r ? [r] : [])))));
    expect(lists.flat().map((r) => r.id)).toEqual(['R-00001', 'R-00001', 'R-00001', 'R-00001']);
    expect(stores.health().quarantined).toBe(1);
    expect(warningsAbout(log, 'requests/R-BAD01.json')).toHaveLength(1);
    expect((await quarantined(raw, 'requests/R-BAD01.json')).toString()).toBe('{"id":"R-BAD01","vers');
  });

  it('a record stored under another record\'s name is quarantined, not read as that record', async () => {
    const { stores, raw } = await open();
    await raw.write('requests/R-00009.json', JSON.stringify(request({ id: 'R-00001' })), request({ id: 'R-00009' }));
    expect(await stores.requests.get('R-00009')).toBeNull();
    expect(stores.health().items).toEqual([expect.objectContaining({ name: 'requests/R-00009.json', reason: expect.stringContaining('is not the name it is stored under') })]);
  });

  it('a whole audit log of garbage is skipped and reported, line by line; the other logs read', async () => {
    const { stores, raw } = await open();
    await stores.requests.create(request({ createdAt: '2024-05-01T10:00:00.000Z' }));
    await raw.appendAudit('R-GARB1', Buffer.from('\u0000\u00ffnot a log\n{"broken":\n'));
    expect((await stores.audit.since(new Date('2024-01-01T00:00:00.000Z'))).map((e) => e.requestId)).toEqual(['R-7K3QM']);
    expect(stores.health().badAuditLines).toBe(2);
  });
});

// ------------------------------------------------------------------------------------------ check records expire

describe.each(damaging)('$name: check records past their time', ({ open }) => {
  it('are removed by age without being read; newer ones, other records and the quarantine stay', async () => {
    const { stores, raw } = await open();
    const now = new Date('2024-05-03T10:00:00.000Z');
    const cutoff = new Date(now.getTime() - 24 * 3_600_000);
    const old = Array.from({ length: 200 }, (_, i) => check(`0d000000-0000-4000-8000-${String(i).padStart(12, '0')}`, new Date(cutoff.getTime() - (i + 1) * 60_000).toISOString()));
    const fresh = Array.from({ length: 5 }, (_, i) => check(`f0000000-0000-4000-8000-${String(i).padStart(12, '0')}`, new Date(cutoff.getTime() + (i + 1) * 60_000).toISOString()));
    await mapLimit([...old, ...fresh], 16, (c) => stores.checks.create(c));
    await stores.requests.create(request());
    await raw.write('checks/0dbad000-0000-4000-8000-000000000000.json', 'garbage');
    expect(await stores.checks.get('0dbad000-0000-4000-8000-000000000000')).toBeNull();

    expect(await stores.checks.removeOlderThan(cutoff)).toBe(200);
    expect((await raw.names('checks/')).sort()).toEqual(fresh.map((c) => `checks/${c.checkId}.json`).sort());
    expect(await stores.checks.get(old[0]!.checkId)).toBeNull();
    for (const c of fresh) expect(await stores.checks.get(c.checkId)).toEqual(c);
    expect(await stores.requests.get('R-7K3QM')).not.toBeNull();
    expect(await raw.names('quarantine/checks/')).toHaveLength(1);
    expect(await stores.checks.removeOlderThan(cutoff)).toBe(0);
    expect(stores.health().quarantined).toBe(1);
  });

  it('a record written without its creation time is judged by when it was stored', async () => {
    const { stores, raw } = await open();
    const record = check('0e000000-0000-4000-8000-000000000001', '2024-05-01T10:00:00.000Z');
    await raw.write(`checks/${record.checkId}.json`, JSON.stringify(record));
    expect(await stores.checks.removeOlderThan(new Date(Date.now() - 3_600_000))).toBe(0);
    expect(await stores.checks.get(record.checkId)).toEqual(record);
    expect(await stores.checks.removeOlderThan(new Date(Date.now() + 60_000))).toBe(1);
    expect(await stores.checks.get(record.checkId)).toBeNull();
  });

  it('a store with no check records removes none', async () => {
    const { stores } = await open();
    expect(await stores.checks.removeOlderThan(new Date())).toBe(0);
  });
});
