import { describe, expect, it } from 'vitest';
import { isArmWrite, actionsOf, alice, approvalCard, BOB, bob, BotHarness, cardOf, checkAndRequest, estate, groupChat, instanceId, invokeCard, personalChat, subnetId, TENANT, textOf, told, useBot } from '../support/index.js';

const bot = useBot();
let h: BotHarness | null = null;

async function start(options: Parameters<typeof estate>[0] = {}, env: Record<string, string> = {}) {
  h = await bot.start({ seed: estate(options), tenantId: TENANT, env: { APPROVER_IDS: BOB, ...env } });
  return h;
}

describe('applying an approved request', () => {
  it('adds the missing delegation (and registers Microsoft.Web) before integrating', async () => {
    const h = await start({ webProvider: 'NotRegistered' });
    const chat = groupChat('fix');
    const empty = subnetId('hub-vnet', 'apim-empty');
    const { requestId, options } = await checkAndRequest(h, alice, chat, 'contoso-apim', empty);
    expect(textOf(options)).toContain('hub-vnet/apim-empty · 10.1.2.0/24 · bot registers Microsoft.Web and adds the delegation');
    const approval = await approvalCard(h, chat.id, requestId);
    const plan = textOf(cardOf(approval.activity));
    expect(plan).toContain('1. Register the Microsoft.Web resource provider');
    expect(plan).toContain('2. Delegate subnet hub-vnet/apim-empty to Microsoft.Web/serverFarms.');
    expect(plan).toContain('3. Update contoso-apim: virtualNetworkType External, subnet hub-vnet/apim-empty.');

    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();

    const vnet = await h.armGet(`/subscriptions/${empty.split('/')[2]}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub-vnet`);
    const subnet = vnet.properties.subnets.find((s: any) => s.name === 'apim-empty');
    expect(subnet.properties.delegations.map((d: any) => d.properties?.serviceName ?? d.serviceName)).toEqual(['Microsoft.Web/serverFarms']);
    const instance = await h.armGet(instanceId('contoso-apim'));
    expect(instance.properties.virtualNetworkConfiguration.subnetResourceId.toLowerCase()).toBe(empty.toLowerCase());

    const final = textOf(h.connector.latestCard(approval.activityId));
    for (const line of [
      'Registered Microsoft.Web',
      'Delegated subnet hub-vnet/apim-empty to Microsoft.Web/serverFarms.',
      'contoso-apim is now integrated with hub-vnet/apim-empty.',
      'Next steps',
      "• Backends behind private endpoints: link their privatelink.* private DNS zones to VNet 'hub-vnet'",
      '• Allow-list the whole range of hub-vnet/apim-empty',
    ]) {
      expect(final).toContain(line);
    }
    const updates = h.connector.sent.filter((s) => s.kind === 'update' && s.activityId === approval.activityId);
    expect(updates.length).toBeGreaterThanOrEqual(4);

    const requests = await h.armRequests();
    const writes = requests.filter((r) => isArmWrite(r)).map((r) => `${r.method} ${r.path.split('?')[0]!.split('/').slice(-2).join('/')}`);
    expect(writes).toEqual(['POST Microsoft.Web/register', 'PUT subnets/apim-empty', 'PATCH service/contoso-apim']);
  });

  it('an ARM failure during the update: the failed state, ARM\'s code and a plain explanation', async () => {
    const h = await start();
    const chat = groupChat('fail');
    const { requestId, optionsId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(h, chat.id, requestId);
    await h.faults({ failNext: [{ method: 'PATCH', pathContains: '/service/contoso-apim', status: 403, code: 'LinkedAuthorizationFailed', message: 'The client has no permission to perform action join/action.', count: 1 }] });
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    const message = await told(h, chat.id, new RegExp(`${requestId} failed`));
    expect(message.activity.text).toContain('LinkedAuthorizationFailed');
    expect(message.activity.text).toContain('subnets/join/action');
    await h.idle();
    const card = textOf(h.connector.latestCard(approval.activityId));
    expect(card).toContain('Failed: LinkedAuthorizationFailed');
    expect(card).toContain('Grant it the Network Contributor role');
    expect(textOf(h.connector.latestCard(optionsId))).toContain('Failed: LinkedAuthorizationFailed');
    const instance = await h.armGet(instanceId('contoso-apim'));
    expect(instance.properties.virtualNetworkType).toBe('None');
  });

  it('a long-running operation that fails shows the operation\'s code', async () => {
    const h = await start();
    const chat = groupChat('lro');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(h, chat.id, requestId);
    await h.faults({ failLro: true });
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    const message = await told(h, chat.id, new RegExp(`${requestId} failed`));
    expect(message.activity.text).toContain('InjectedOperationFailure');
    await h.idle();
    expect(textOf(h.connector.latestCard(approval.activityId))).toContain('Failed: InjectedOperationFailure');
  });

  it('stores the poller state as soon as ARM accepts the update', async () => {
    const h = await start();
    await h.faults({ lroSeconds: 1.5 });
    const chat = groupChat('poller');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(h, chat.id, requestId);
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    const store = h.app.bot.services.deps.stores.requests;
    let seen: string | null = null;
    const deadline = Date.now() + 10_000;
    while (!seen && Date.now() < deadline) {
      const r = await store.get(requestId);
      if (r?.apply?.pollerStep === 'updateInstance' && r.apply.pollerState) seen = r.apply.pollerState;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toBeTruthy();
    expect(JSON.parse(seen!).state.config.operationLocation).toContain('/');
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();
    expect((await store.get(requestId))?.apply?.pollerState).toBeNull();
  });

  it('disconnect goes through the same approval and sets virtualNetworkType None', async () => {
    const h = await start();
    const chat = personalChat(alice);
    await h.say(bob, personalChat(bob), 'hello');
    const asked = await h.say(alice, chat, 'disconnect apim-on-vnet');
    const requesterCard = cardOf(asked.reply?.activity);
    expect(textOf(requesterCard)).toContain('Leave the VNet: apim-on-vnet');
    expect(textOf(requesterCard)).toMatch(/personal chat with 1 approver/);
    const requestId = /R-[0-9A-Z]{5}/.exec(textOf(requesterCard))![0];
    const approval = await approvalCard(h, personalChat(bob).id, requestId);
    expect(textOf(cardOf(approval.activity))).toContain('virtualNetworkType None');

    const approved = await h.click(bob, personalChat(bob), 'approve', { requestId }, approval.activityId);
    expect(approved.ms).toBeLessThan(2_000);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();
    const instance = await h.armGet(instanceId('apim-on-vnet'));
    expect(instance.properties.virtualNetworkType).toBe('None');
    expect(textOf(h.connector.latestCard(asked.reply!.activityId))).toContain('Done');
    expect(textOf(h.connector.latestCard(asked.reply!.activityId))).not.toContain('Next steps');
    expect(textOf(h.connector.latestCard(approval.activityId))).not.toContain('Next steps');
    expect(actionsOf(h.connector.latestCard(asked.reply!.activityId))).toEqual([]);

    const nothing = await h.say(alice, chat, 'disconnect contoso-apim');
    expect(nothing.reply?.activity.text).toMatch(/not integrated/);
  });

  it('an update already running towards the same subnet is watched, not sent again', async () => {
    const h = await start();
    const chat = groupChat('watch');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(h, chat.id, requestId);
    // Someone else starts the very same update directly in Azure, with a slow operation.
    await h.faults({ lroSeconds: 1 });
    const patch = await h.armWrite(
      'PATCH',
      instanceId('contoso-apim'),
      '2024-05-01',
      { properties: { virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId: subnetId('hub-vnet', 'apim-outbound') } } },
      BOB,
    );
    expect(patch.status).toBeLessThan(300);
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    const message = await told(h, chat.id, new RegExp(`${requestId} is done`));
    expect(message.activity.text).toContain('nothing was sent twice');
    await h.idle();
    const patches = (await h.armRequests()).filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
  });

  it('the invoke that approves answers at once, with the request shown as applying', async () => {
    const h = await start();
    await h.faults({ lroSeconds: 2 });
    const chat = groupChat('fast');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(h, chat.id, requestId);
    const approved = await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    expect(approved.ms).toBeLessThan(2_000);
    const card = invokeCard(approved);
    expect(textOf(card)).toContain('Approved: applying');
    expect(actionsOf(card)).toEqual([]);
    await h.connector.waitFor(() => /Updating the instance/.test(textOf(h.connector.latestCard(approval.activityId))), 10_000, 'the applying card');
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();
  });
});
