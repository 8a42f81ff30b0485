/**
 * The quorum race: 30 simultaneous approvals by three approvers with a quorum of two make exactly one update of
 * the instance, on the file store (one process) and on Blob Storage (two processes behind one endpoint).
 * Runs the built bot for the processes (`npm test` builds first).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openBlobStores } from '../../src/requests/store/index.js';
import { startSandbox, type RunningSandbox, type SandboxSeed } from '../../src/sandbox/index.js';
import {
  alice,
  approvalCard,
  BOB,
  bob,
  BotClient,
  CAROL,
  carol,
  checkAndRequest,
  type ChildServer,
  DAVE,
  dave,
  estate,
  FakeConnector,
  groupChat,
  type RunningAzurite,
  startAzurite,
  startBotProcess,
  subnetId,
  TENANT,
  told,
  uniqueContainer,
  useBot,
} from '../support/index.js';
import { acceptedPatches } from '../durability/helpers.js';

const APPROVERS = [bob, carol, dave];
const CLICKS = 30;
let dir: string;
let policy: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quorum-race-'));
  policy = join(dir, 'approval-policy.json');
  await writeFile(policy, JSON.stringify({ default: { approvers: [BOB, CAROL, DAVE], quorum: 2 } }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** 30 approve clicks at once, by the three approvers in turn, spread over `clients`; then the request's end. */
async function race(clients: BotClient[], sandboxUrl: string) {
  const chat = groupChat('quorum-race');
  const { requestId } = await checkAndRequest(clients[0]!, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
  const card = await approvalCard(clients[0]!, chat.id, requestId);
  const clicks = await Promise.all(
    Array.from({ length: CLICKS }, (_, i) => clients[i % clients.length]!.click(APPROVERS[i % 3]!, chat, 'approve', { requestId }, card.activityId)),
  );
  expect(clicks.map((c) => c.status)).toEqual(Array(CLICKS).fill(200));
  await told(clients[0]!, chat.id, new RegExp(`${requestId} is done`));
  await new Promise((r) => setTimeout(r, 1_000));
  return { requestId, patches: await acceptedPatches(sandboxUrl, 'contoso-apim') };
}

describe('the quorum race on the file store', () => {
  const bot = useBot();

  it('30 simultaneous approvals by 3 approvers, quorum 2: exactly two approvals recorded and one update', async () => {
    const h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVAL_POLICY: policy } });
    const { requestId, patches } = await race([h], h.sandbox.url);
    expect(patches).toBe(1);
    const stored = await h.app.stores.requests.get(requestId);
    expect(stored?.approval?.approvals).toHaveLength(2);
    expect(new Set(stored?.approval?.approvals.map((a) => a.by.aadObjectId)).size).toBe(2);
    expect(stored?.history.filter((e) => e.to === 'approved')).toHaveLength(1);
  });
});

describe('the quorum race on Blob Storage, two processes', () => {
  let azurite: RunningAzurite;
  let sandbox: RunningSandbox;
  let connector: FakeConnector;
  let bots: ChildServer[] = [];
  let container: string;

  beforeAll(async () => {
    [azurite, sandbox, connector] = await Promise.all([startAzurite(), startSandbox({ seed: estate() as SandboxSeed, port: 0, lroSeconds: 0.5 }), FakeConnector.start()]);
    const env = {
      ARM_ENDPOINT: sandbox.url,
      APPROVAL_POLICY: policy,
      STORE: 'blob',
      BLOB_CONNECTION_STRING: azurite.connectionString,
      BLOB_CONTAINER: (container = uniqueContainer('quorum')),
      LEASE_SECONDS: '30',
    };
    bots = await Promise.all([startBotProcess(env), startBotProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(bots.map((b) => b.kill('SIGTERM')));
    await Promise.all([azurite?.stop(), sandbox?.close(), connector?.close()]);
  });

  it('30 simultaneous approvals over both processes, quorum 2: one update, one approved transition in the audit', async () => {
    const clients = bots.map((b) => new BotClient(b.url, connector, TENANT));
    const { requestId, patches } = await race(clients, sandbox.url);
    expect(patches).toBe(1);
    const stores = await openBlobStores({ connectionString: azurite.connectionString, container }, silentLogger);
    try {
      const audit = await stores.audit.forRequest(requestId);
      expect(audit.filter((e) => e.from === 'pending' && e.to === 'pending')).toHaveLength(1);
      expect(audit.filter((e) => e.to === 'approved')).toHaveLength(1);
    } finally {
      await stores.close();
    }
  });
});
