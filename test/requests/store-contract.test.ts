/**
 * One contract for every store: the file store (DATA_DIR) and the blob store (Azure Blob Storage, here
 * Azurite started by this suite) must behave the same through the `Stores` interface.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { auditEvent } from '../../src/requests/audit.js';
import { openBlobStores } from '../../src/requests/blob-stores.js';
import { fileStores } from '../../src/requests/file-store.js';
import { transition } from '../../src/requests/lifecycle.js';
import { updateWithRetry, type Stores } from '../../src/requests/store.js';
import { startAzurite, uniqueContainer, type RunningAzurite } from '../support/azurite.js';
import { bob, conversation, request } from './fixtures.js';

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
