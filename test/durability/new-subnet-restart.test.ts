/**
 * A bot process killed while ARM creates the new subnet (issue 6): the next process resumes the stored poller of
 * the subnet PUT instead of sending it again, then integrates the instance. One NSG PUT, one subnet PUT, one PATCH.
 * Runs the built bot and a standalone sandbox (`npm test` builds first).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openStores } from '../../src/requests/open-stores.js';
import type { Stores } from '../../src/requests/store.js';
import { BotClient } from '../support/bot-client.js';
import { BOB, TENANT, estate } from '../support/estate.js';
import { actionsOf, cardOf, choicesOf, FakeConnector, textOf } from '../support/fake-connector.js';
import { invokeCard } from '../support/bot-harness.js';
import { approvalCard, REQUEST_ID, told } from '../support/flows.js';
import { eventually, startBotProcess, startSandboxProcess, type ChildServer } from '../support/processes.js';
import { groupChat } from '../support/teams.js';
import { sandboxRequests } from './helpers.js';
import { alice, bob } from '../support/people.js';

let dir: string;
let connector: FakeConnector;
const children: ChildServer[] = [];
let stores: Stores | null = null;

beforeAll(async () => {
  connector = await FakeConnector.start();
});
afterAll(async () => {
  await connector?.close();
});
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.kill('SIGKILL')));
  await stores?.close();
  stores = null;
  if (dir) await rm(dir, { recursive: true, force: true });
});

function noUsableSubnet() {
  const seed = estate();
  for (const resource of seed.resources as any[]) {
    if (resource.name === 'hub-vnet') {
      resource.properties.subnets = resource.properties.subnets.filter((s: any) => ['apim-tiny', 'apim-integrated'].includes(s.name));
    }
  }
  return seed;
}

describe('a bot killed while the new subnet is being created', () => {
  it('is finished by the next process without sending the subnet PUT again', async () => {
    dir = await mkdtemp(join(tmpdir(), 'apim-new-subnet-restart-'));
    const sandbox = await startSandboxProcess(noUsableSubnet(), join(dir, 'seed.json'), { lroSeconds: 4 });
    children.push(sandbox);
    const env: Record<string, string> = { ARM_ENDPOINT: sandbox.url, APPROVER_IDS: BOB, LEASE_SECONDS: '3', DATA_DIR: join(dir, 'data') };
    stores = await openStores({ kind: 'file', dataDir: env.DATA_DIR! }, { owner: false, logger: silentLogger });

    const first = await startBotProcess(env);
    children.push(first);
    const client = new BotClient(first.url, connector, TENANT);
    const chat = groupChat('new-subnet-restart');
    const check = await client.say(alice, chat, 'check contoso-apim');
    const options = cardOf(check.reply?.activity);
    const action = actionsOf(options).find((a) => a.verb === 'requestIntegration')!;
    const choice = choicesOf(options, 'subnetId').find((c) => c.value.startsWith('new:'))!;
    const result = await client.click(alice, chat, 'requestIntegration', { ...action.data, subnetId: choice.value }, check.reply!.activityId);
    const requestId = REQUEST_ID.exec(textOf(invokeCard(result)))![0];
    const approval = await approvalCard(client, chat.id, requestId);
    await client.click(bob, chat, 'approve', { requestId }, approval.activityId);

    const inFlight = await eventually(async () => {
      const r = await stores!.requests.get(requestId);
      return r?.apply?.pollerStep === 'createSubnet' && r.apply.pollerState ? r : null;
    }, 'the stored poller of the subnet creation');
    await first.kill('SIGKILL');
    expect(inFlight.apply?.created?.map((c) => c.type)).toEqual(['networkSecurityGroup']);

    const second = await startBotProcess(env);
    children.push(second);
    await told(new BotClient(second.url, connector, TENANT), chat.id, new RegExp(`${requestId} is done`));
    const finished = await eventually(async () => {
      const r = await stores!.requests.get(requestId);
      return r?.state === 'succeeded' ? r : null;
    }, 'the request to succeed');
    expect(finished.apply?.created?.map((c) => c.type)).toEqual(['networkSecurityGroup', 'subnet']);
    const writes = (await sandboxRequests(sandbox.url)).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.split('?')[0]!.split('/').slice(-2)[0]}`);
    expect(writes).toEqual(['PUT networkSecurityGroups', 'PUT subnets', 'PATCH service']);
    await second.kill('SIGTERM');
  }, 120_000);
});
