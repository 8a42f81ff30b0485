import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileCheckStore, FileRequestStore, FileSettingsStore, updateWithRetry } from '../../src/requests/store/index.js';
import { conversation, request } from './fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apim-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What only the file store does; what every store does is in store-contract.test.ts. */
describe('FileRequestStore', () => {
  it('writes atomically: no temp files are left, every file is whole JSON', async () => {
    const store = new FileRequestStore(dir);
    await store.create(request());
    await Promise.all(Array.from({ length: 10 }, () => updateWithRetry(store, 'R-7K3QM', (r) => ({ ...r, routingNote: 'x'.repeat(10_000) }), 20)));
    const files = await readdir(join(dir, 'requests'));
    expect(files).toEqual(['R-7K3QM.json']);
    expect(JSON.parse(await readFile(join(dir, 'requests', 'R-7K3QM.json'), 'utf8')).version).toBe(11);
  });

  it('refuses ids that could leave its folder', async () => {
    const store = new FileRequestStore(dir);
    expect(await store.get('../settings')).toBeNull();
    await expect(store.create(request({ id: '../../evil' }))).rejects.toThrow(/storable/);
    expect(await new FileCheckStore(dir).get('../../etc/passwd')).toBeNull();
    expect(await new FileCheckStore(dir).get(42 as unknown as string)).toBeNull();
  });

  it('lists nothing from a folder that does not exist yet', async () => {
    expect(await new FileRequestStore(join(dir, 'empty')).listByConversation('c1')).toEqual([]);
  });
});

describe('FileSettingsStore', () => {
  it('reads what another instance on the same folder wrote', async () => {
    const channel = conversation('19:approvals', 'channel', 'team');
    await new FileSettingsStore(dir).change((s) => ({ ...s, approvalsChannel: { conversation: channel, setBy: request().requester, setAt: 'now' } }));
    expect((await new FileSettingsStore(dir).get()).approvalsChannel?.conversation.conversationId).toBe('19:approvals');
  });
});
