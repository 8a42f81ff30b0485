import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileCheckStore, FileRequestStore, FileSettingsStore } from '../../src/requests/file-store.js';
import { updateWithRetry } from '../../src/requests/store.js';
import { conversation, request } from './fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apim-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileRequestStore', () => {
  it('creates once, reads back, and refuses a second create with the same id', async () => {
    const store = new FileRequestStore(dir);
    expect(await store.create(request())).toBe(true);
    expect(await store.create(request({ kind: 'disconnect' }))).toBe(false);
    expect(await store.get('R-7K3QM')).toMatchObject({ id: 'R-7K3QM', version: 1, kind: 'integrate' });
    expect(await store.get('R-NOPE1')).toBeNull();
  });

  it('compare-and-set: the stale writer gets a conflict and the current record', async () => {
    const store = new FileRequestStore(dir);
    await store.create(request());
    const first = await store.update('R-7K3QM', 1, { ...request(), state: 'approved' });
    expect(first).toMatchObject({ ok: true, request: { version: 2, state: 'approved' } });
    const stale = await store.update('R-7K3QM', 1, { ...request(), state: 'rejected' });
    expect(stale).toMatchObject({ ok: false, conflict: true, current: { version: 2, state: 'approved' } });
    expect((await store.get('R-7K3QM'))?.state).toBe('approved');
    expect(await store.update('R-NOPE1', 1, request())).toEqual({ ok: false, conflict: true, current: null });
  });

  it('lets exactly one of many simultaneous writers win', async () => {
    const store = new FileRequestStore(dir);
    await store.create(request());
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.update('R-7K3QM', 1, { ...request(), routingNote: `writer ${i}` })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await store.get('R-7K3QM'))?.version).toBe(2);
  });

  it('updateWithRetry applies every change when writers race', async () => {
    const store = new FileRequestStore(dir);
    await store.create(request());
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        updateWithRetry(store, 'R-7K3QM', (r) => ({ ...r, cards: [...r.cards, { role: 'approval', conversation: conversation(`c${i}`), activityId: `a${i}` }] }), 20),
      ),
    );
    const stored = await store.get('R-7K3QM');
    expect(stored?.cards).toHaveLength(10);
    expect(stored?.version).toBe(11);
  });

  it('writes atomically: no temp files are left, every file is whole JSON', async () => {
    const store = new FileRequestStore(dir);
    await store.create(request());
    await Promise.all(Array.from({ length: 10 }, () => updateWithRetry(store, 'R-7K3QM', (r) => ({ ...r, routingNote: 'x'.repeat(10_000) }), 20)));
    const files = await readdir(join(dir, 'requests'));
    expect(files).toEqual(['R-7K3QM.json']);
    expect(JSON.parse(await readFile(join(dir, 'requests', 'R-7K3QM.json'), 'utf8')).version).toBe(11);
  });

  it('lists by conversation, team, instance and state, newest first', async () => {
    const store = new FileRequestStore(dir);
    await store.create(request({ id: 'R-00001', createdAt: '2024-05-01T10:00:00.000Z', conversation: conversation('c1') }));
    await store.create(request({ id: 'R-00002', createdAt: '2024-05-01T11:00:00.000Z', conversation: conversation('c2', 'channel', 'team-1'), state: 'approved' }));
    await store.create(request({ id: 'R-00003', createdAt: '2024-05-01T12:00:00.000Z', conversation: conversation('c1') }));
    expect((await store.listByConversation('c1')).map((r) => r.id)).toEqual(['R-00003', 'R-00001']);
    expect((await store.listByTeam('team-1')).map((r) => r.id)).toEqual(['R-00002']);
    const instance = request().instance.id.toUpperCase();
    expect((await store.listByInstance(instance)).map((r) => r.id)).toEqual(['R-00003', 'R-00002', 'R-00001']);
    expect((await store.listByState(['approved'])).map((r) => r.id)).toEqual(['R-00002']);
    expect(await new FileRequestStore(join(dir, 'empty')).listByConversation('c1')).toEqual([]);
  });

  it('refuses ids that could leave its folder', async () => {
    const store = new FileRequestStore(dir);
    expect(await store.get('../settings')).toBeNull();
    await expect(store.create(request({ id: '../../evil' }))).rejects.toThrow(/storable/);
  });
});

describe('FileCheckStore', () => {
  it('stores and reads check records; unknown or malformed ids read as null', async () => {
    const store = new FileCheckStore(dir);
    const record = {
      kind: 'pickInstance' as const,
      checkId: 'c0ffee00-0000-4000-8000-000000000001',
      instanceIds: ['/x'],
      intent: { command: 'status' as const },
      askedBy: null,
      conversationId: 'c',
      createdAt: '2024-05-01T10:00:00.000Z',
    };
    await store.create(record);
    expect(await store.get(record.checkId)).toEqual(record);
    expect(await store.get('c0ffee00-0000-4000-8000-000000000002')).toBeNull();
    expect(await store.get('../../etc/passwd')).toBeNull();
    expect(await store.get(42 as unknown as string)).toBeNull();
    await expect(store.create(record)).rejects.toThrow(/exists/);
  });
});

describe('FileSettingsStore', () => {
  it('keeps the approvals channel and personal chats', async () => {
    const store = new FileSettingsStore(dir);
    expect(await store.get()).toEqual({ approvalsChannel: null });
    const channel = conversation('19:approvals', 'channel', 'team');
    await store.change((s) => ({ ...s, approvalsChannel: { conversation: channel, setBy: request().requester, setAt: 'now' } }));
    expect((await new FileSettingsStore(dir).get()).approvalsChannel?.conversation.conversationId).toBe('19:approvals');

    const aad = 'B0B00000-0000-4000-8000-000000000001';
    await store.rememberPersonalChat({ aadObjectId: aad, teamsId: '29:bob', name: 'Bob', conversation: conversation('a:1', 'personal'), updatedAt: 'now' });
    expect((await store.personalChat(aad.toLowerCase()))?.conversation.conversationId).toBe('a:1');
    expect(await store.personalChat('not-a-guid')).toBeNull();
  });
});
