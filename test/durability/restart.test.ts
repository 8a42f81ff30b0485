/**
 * A bot process killed (SIGKILL) in the middle of an apply, then started again: the new process takes the
 * request over, resumes the stored poller without sending the PATCH again, and finishes the request: one
 * PATCH in total, cards updated, the requester told once. With the file store the restart takes over at once
 * (the dead process's DATA_DIR lock and lease are recognised); with the blob store, once the lease has run out.
 * Runs the built bot and a standalone sandbox (`npm test` builds first).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openStores } from '../../src/requests/store/index.js';
import { alice, approvalCard, BOB, bob, BotClient, checkAndRequest, estate, eventually, groupChat, type RunningAzurite, startAzurite, startBotProcess, startSandboxProcess, subnetId, TENANT, textOf, told, uniqueContainer, useBotProcesses } from '../support/index.js';
import { acceptedPatches, sandboxRequests } from './helpers.js';

const bots = useBotProcesses();
let azurite: RunningAzurite;

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

type StoreKind = 'file' | 'blob';

describe.each<StoreKind>(['file', 'blob'])('a bot killed in the middle of an apply (%s store)', (kind) => {
  it('is finished by the next process with one PATCH in total, and the requester is told once', async () => {
    const dir = await bots.tempDir('apim-restart-');
    const sandbox = await startSandboxProcess(estate(), join(dir, 'seed.json'), { lroSeconds: 4 });
    bots.children.push(sandbox);
    const store: Record<string, string> =
      kind === 'file'
        ? { DATA_DIR: join(dir, 'data') }
        : { STORE: 'blob', BLOB_CONNECTION_STRING: azurite.connectionString, BLOB_CONTAINER: uniqueContainer('restart') };
    const env: Record<string, string> = { ARM_ENDPOINT: sandbox.url, APPROVER_IDS: BOB, LEASE_SECONDS: '3', ...store };
    bots.stores = await openStores(
      kind === 'file' ? { kind, dataDir: env.DATA_DIR! } : { kind, connectionString: azurite.connectionString, container: env.BLOB_CONTAINER! },
      { owner: false, logger: silentLogger },
    );

    const first = await startBotProcess(env);
    bots.children.push(first);
    if (kind === 'file') {
      // A second bot on the same DATA_DIR is refused at start, saying why.
      const refused = await startBotProcess(env).then(
        (bot) => (bots.children.push(bot), 'started'),
        (error: Error) => error.message,
      );
      expect(refused).toMatch(/exited \(2\) before it was ready/);
      expect(refused).toContain(`is in use by another apim-vnet-bot (process ${first.pid} on`);
    }
    const client = new BotClient(first.url, bots.connector, TENANT);
    const chat = groupChat(`restart-${kind}`);
    const { requestId, optionsId } = await checkAndRequest(client, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(client, chat.id, requestId);
    await client.click(bob, chat, 'approve', { requestId }, approval.activityId);

    // As soon as ARM has accepted the PATCH and its poller state is stored: kill the bot.
    const inFlight = await eventually(async () => {
      const r = await bots.stores!.requests.get(requestId);
      return r?.apply?.pollerStep === 'updateInstance' && r.apply.pollerState ? r : null;
    }, 'the stored poller of the instance update');
    await first.kill('SIGKILL');
    expect(inFlight.state).toBe('applying');
    expect(inFlight.lease?.owner).toContain(`/${first.pid}/`);
    expect(await acceptedPatches(sandbox.url, 'contoso-apim')).toBe(1);
    const doneText = new RegExp(`${requestId} is done`);
    expect(bots.connector.messages(chat.id).some((s) => doneText.test(s.activity.text ?? ''))).toBe(false);

    const second = await startBotProcess(env);
    bots.children.push(second);
    await told(new BotClient(second.url, bots.connector, TENANT), chat.id, doneText);
    const finished = await eventually(async () => {
      const r = await bots.stores!.requests.get(requestId);
      return r?.state === 'succeeded' ? r : null;
    }, 'the request to succeed');
    expect(finished.apply?.done.at(-1)?.note).toContain('the update sent before a restart finished; nothing was sent twice');
    expect(finished.lease ?? null).toBeNull();

    // One PATCH was ever sent; the second process only polled the stored operation.
    const patches = (await sandboxRequests(sandbox.url)).filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.status)).toEqual([202]);
    await second.kill('SIGTERM');
    expect(bots.connector.messages(chat.id).filter((s) => doneText.test(s.activity.text ?? ''))).toHaveLength(1);
    expect(textOf(bots.connector.latestCard(approval.activityId))).toContain('Done');
    expect(textOf(bots.connector.latestCard(optionsId))).toContain('Done');

    const audit = await bots.stores.audit.forRequest(requestId);
    expect(audit.map((e) => `${e.from}>${e.to}`)).toEqual(['null>pending', 'pending>approved', 'approved>applying', 'applying>applying', 'applying>applying', 'applying>succeeded']);
    expect(audit[3]).toMatchObject({ actor: 'bot', armOperationId: expect.any(String) });
    expect(audit[4]!.details).toMatch(new RegExp(`^Taken over by .*/${second.pid}/.* from .*/${first.pid}/`));
  });
});
