/**
 * Two bot processes behind one endpoint, sharing the blob store (Azurite, started here): fifty simultaneous
 * approve clicks spread over both make one accepted PATCH, and every other clicker is told who approved and
 * when; a reject racing approvals across the processes either wins or is told it lost; twenty simultaneous
 * requests for one instance open exactly one request. Runs the built bot (`npm test` builds first).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox, type SandboxSeed } from '../../src/sandbox/index.js';
import { alice, approvalCard, BOB, bob, BotClient, cardOf, checkAndRequest, type ChildServer, DAVE, dave, estate, FakeConnector, groupChat, type HttpResult, instanceId, type RunningAzurite, startAzurite, startBotProcess, subnetId, TENANT, textOf, told, uniqueContainer } from '../support/index.js';
import { acceptedPatches, decisionTexts } from './helpers.js';

let azurite: RunningAzurite;
let sandbox: RunningSandbox;
let connector: FakeConnector;
let bots: ChildServer[] = [];
let clients: BotClient[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apim-two-'));
  [azurite, sandbox, connector] = await Promise.all([startAzurite(), startSandbox({ seed: estate() as SandboxSeed, port: 0, lroSeconds: 0.5 }), FakeConnector.start()]);
  const env = {
    ARM_ENDPOINT: sandbox.url,
    APPROVER_IDS: `${BOB},${DAVE}`,
    STORE: 'blob',
    BLOB_CONNECTION_STRING: azurite.connectionString,
    BLOB_CONTAINER: uniqueContainer('two'),
    // Neither process may pick up the other's work while it is alive; a long lease makes that visible.
    LEASE_SECONDS: '30',
  };
  bots = await Promise.all([startBotProcess(env), startBotProcess(env)]);
  clients = bots.map((b) => new BotClient(b.url, connector, TENANT));
}, 60_000);
afterAll(async () => {
  await Promise.all(bots.map((b) => b.kill('SIGTERM')));
  await Promise.all([azurite?.stop(), sandbox?.close(), connector?.close()]);
  await rm(dir, { recursive: true, force: true });
});

/** The i-th click goes to one process or the other, as a load balancer would send it. */
const via = (i: number) => clients[i % 2]!;

describe('exactly-once approval across two processes on the blob store', () => {
  it('50 simultaneous approve clicks on both processes: one accepted PATCH, everyone else told who approved and when', async () => {
    const chat = groupChat('two-fifty');
    const { requestId } = await checkAndRequest(via(0), alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(via(0), chat.id, requestId);
    const clicks = await Promise.all(Array.from({ length: 50 }, (_, i) => via(i).click(i % 4 < 2 ? bob : dave, chat, 'approve', { requestId }, approval.activityId)));
    expect(clicks.map((c) => c.status)).toEqual(Array(50).fill(200));
    const { winners, losers } = decisionTexts(clicks);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    for (const text of losers) expect(text).toMatch(/already approved: (Bob|Dave) approved it at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    const winner = /already approved: (Bob|Dave)/.exec(losers[0]!)?.[1];
    expect(losers.every((t) => t.includes(`already approved: ${winner} approved it`))).toBe(true);

    const doneText = new RegExp(`${requestId} is done`);
    await told(via(0), chat.id, doneText);
    // Give the other process time to do something it should not (a second apply, a second message).
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await acceptedPatches(sandbox.url, 'contoso-apim')).toBe(1);
    expect(connector.messages(chat.id).filter((s) => doneText.test(s.activity.text ?? ''))).toHaveLength(1);
  });

  it('reject racing approve across the processes: one wins, the other clickers are told', async () => {
    const chat = groupChat('two-race');
    const { requestId } = await checkAndRequest(via(1), alice, chat, instanceId('payments-apim'), subnetId('hub-vnet', 'apim-empty'));
    const approval = await approvalCard(via(1), chat.id, requestId);
    const clicks: Promise<HttpResult>[] = [];
    for (let i = 0; i < 20; i++) clicks.push(via(i).click(i % 2 ? dave : bob, chat, i % 4 < 2 ? 'approve' : 'reject', { requestId }, approval.activityId));
    const { winners, losers } = decisionTexts(await Promise.all(clicks));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    const verb = /already (approved|rejected)/.exec(losers[0]!)?.[1];
    expect(losers.every((t) => t.includes(`already ${verb}:`))).toBe(true);
    if (verb === 'rejected') {
      await told(via(0), chat.id, /rejected by/);
      expect(await acceptedPatches(sandbox.url, 'payments-apim')).toBe(0);
    } else {
      await told(via(0), chat.id, new RegExp(`${requestId} is done`));
      expect(await acceptedPatches(sandbox.url, 'payments-apim')).toBe(1);
    }
  });
});

describe('one open request per instance across two processes on the blob store', () => {
  it('20 simultaneous requests for one instance over both processes open exactly one; the others are told it is open', async () => {
    const chats = Array.from({ length: 20 }, (_, i) => groupChat(`two-open-${i}`));
    await Promise.all(chats.map((chat, i) => via(i).say(alice, chat, 'disconnect apim-on-vnet')));
    const replies = await Promise.all(
      chats.map((chat) =>
        connector.waitFor(() => connector.messages(chat.id).find((s) => s.kind === 'post'), 20_000, `the answer in ${chat.id}`).then((s) => textOf(cardOf(s.activity)) || (s.activity.text ?? '')),
      ),
    );
    const mentioned = new Set(replies.flatMap((text) => [...text.matchAll(/R-[0-9A-Z]{5}/g)].map((m) => m[0])));
    expect(mentioned.size, replies.join('\n---\n')).toBe(1);
    expect(replies.filter((text) => /is already open/.test(text))).toHaveLength(19);
  });
});
