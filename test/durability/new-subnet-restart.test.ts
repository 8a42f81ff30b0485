/**
 * A bot process killed while ARM creates the new subnet (issue 6): the next process resumes the stored poller of
 * the subnet PUT instead of sending it again, then integrates the instance. One NSG PUT, one subnet PUT, one PATCH.
 * Runs the built bot and a standalone sandbox (`npm test` builds first).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openStores } from '../../src/requests/store/index.js';
import { isArmWrite, actionsOf, alice, approvalCard, BOB, bob, BotClient, cardOf, choicesOf, estateWithoutUsableSubnet, eventually, groupChat, invokeCard, REQUEST_ID, startBotProcess, startSandboxProcess, TENANT, textOf, told, useBotProcesses } from '../support/index.js';
import { sandboxRequests } from './helpers.js';

const bots = useBotProcesses();

describe('a bot killed while the new subnet is being created', () => {
  it('is finished by the next process without sending the subnet PUT again', async () => {
    const dir = await bots.tempDir('apim-new-subnet-restart-');
    const sandbox = await startSandboxProcess(estateWithoutUsableSubnet(), join(dir, 'seed.json'), { lroSeconds: 4 });
    bots.children.push(sandbox);
    const env: Record<string, string> = { ARM_ENDPOINT: sandbox.url, APPROVER_IDS: BOB, LEASE_SECONDS: '3', DATA_DIR: join(dir, 'data') };
    bots.stores = await openStores({ kind: 'file', dataDir: env.DATA_DIR! }, { owner: false, logger: silentLogger });

    const first = await startBotProcess(env);
    bots.children.push(first);
    const client = new BotClient(first.url, bots.connector, TENANT);
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
      const r = await bots.stores!.requests.get(requestId);
      return r?.apply?.pollerStep === 'createSubnet' && r.apply.pollerState ? r : null;
    }, 'the stored poller of the subnet creation');
    await first.kill('SIGKILL');
    expect(inFlight.apply?.created?.map((c) => c.type)).toEqual(['networkSecurityGroup']);

    const second = await startBotProcess(env);
    bots.children.push(second);
    await told(new BotClient(second.url, bots.connector, TENANT), chat.id, new RegExp(`${requestId} is done`));
    const finished = await eventually(async () => {
      const r = await bots.stores!.requests.get(requestId);
      return r?.state === 'succeeded' ? r : null;
    }, 'the request to succeed');
    expect(finished.apply?.created?.map((c) => c.type)).toEqual(['networkSecurityGroup', 'subnet']);
    const writes = (await sandboxRequests(sandbox.url)).filter((r) => isArmWrite(r)).map((r) => `${r.method} ${r.path.split('?')[0]!.split('/').slice(-2)[0]}`);
    expect(writes).toEqual(['PUT networkSecurityGroups', 'PUT subnets', 'PATCH service']);
    await second.kill('SIGTERM');
  }, 120_000);
});
