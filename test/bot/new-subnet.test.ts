/**
 * A new subnet, requested, approved and built (issue 6, slices 2 and 3): the approval card says exactly what will
 * be created; on approval the bot re-checks the space, creates the NSG and the subnet (delegated, with the NSG)
 * and integrates the instance; space taken meanwhile is picked again. Over HTTP on the sandbox.
 */
import { describe, expect, it } from 'vitest';
import { isArmWrite, actionsOf, alice, approvalCard, BOB, bob, BotHarness, cardOf, choicesOf, estate, estateWithoutUsableSubnet, groupChat, instanceId, invokeCard, invokeMessage, REQUEST_ID, requestNewSubnet, rg, subnetId, TENANT, textOf, told, useBot, vnetId } from '../support/index.js';

const NSG_ID = `${rg('rg-net')}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim-contoso-apim-outbound`;
const NEW_SUBNET = subnetId('hub-vnet', 'snet-apim-contoso-apim-outbound');

const bot = useBot();
let h: BotHarness | null = null;

/** Someone else creates a subnet through ARM (as Bob, an owner). */
async function armPutSubnet(harness: BotHarness, id: string, prefix: string): Promise<void> {
  const response = await harness.armWrite('PUT', id, '2023-09-01', { properties: { addressPrefix: prefix } }, BOB);
  expect(response.status, await response.text()).toBeLessThan(300);
  for (let i = 0; i < 50; i++) {
    const vnet = await harness.armGet(vnetId('hub-vnet'));
    const subnet = vnet.properties.subnets.find((s: any) => s.id.toLowerCase() === id.toLowerCase());
    if (subnet?.properties.provisioningState === 'Succeeded') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a new subnet, requested and approved', () => {
  it('with OUTBOUND_DEPENDENCIES and DEPENDENCY_TAG_FORM changed, the NSG it creates holds exactly what they say', async () => {
    h = await bot.start({
      seed: estateWithoutUsableSubnet(),
      tenantId: TENANT,
      env: { APPROVER_IDS: BOB, OUTBOUND_DEPENDENCIES: 'AzureKeyVault,Storage', DEPENDENCY_TAG_FORM: 'regional' },
    });
    const chat = groupChat('new-subnet-settings');
    const requestId = await requestNewSubnet(h, alice, chat);
    const approval = await approvalCard(h, chat.id, requestId);
    expect(textOf(cardOf(approval.activity))).toContain(
      'with the rules AllowApimAzureKeyVaultOutbound: Outbound Allow TCP 443 from VirtualNetwork to AzureKeyVault.WestEurope, priority 100; AllowApimStorageOutbound: Outbound Allow TCP 443 from VirtualNetwork to Storage.WestEurope, priority 101.',
    );
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    const rules = (await h.armGet(NSG_ID)).properties.securityRules.map((r: any) => [r.name, r.properties.destinationAddressPrefix, r.properties.priority]);
    expect(rules).toEqual([
      ['AllowApimAzureKeyVaultOutbound', 'AzureKeyVault.WestEurope', 100],
      ['AllowApimStorageOutbound', 'Storage.WestEurope', 101],
    ]);
  });

  it('the approval card says what will be created; approved, the sandbox shows the NSG, the subnet and the instance on it', async () => {
    h = await bot.start({ seed: estateWithoutUsableSubnet(), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('new-subnet-1');
    const requestId = await requestNewSubnet(h, alice, chat);
    const approval = await approvalCard(h, chat.id, requestId);
    const plan = textOf(cardOf(approval.activity));
    expect(plan).toContain(
      '1. Create network security group nsg-apim-contoso-apim-outbound in resource group rg-net (westeurope) with the rule AllowApimAzureKeyVaultOutbound: Outbound Allow TCP 443 from VirtualNetwork to AzureKeyVault, priority 100.',
    );
    expect(plan).toContain(
      '2. Create subnet hub-vnet/snet-apim-contoso-apim-outbound: 10.0.0.0/24, delegated to Microsoft.Web/serverFarms, network security group nsg-apim-contoso-apim-outbound.',
    );
    expect(plan).toContain('3. Update contoso-apim: virtualNetworkType External, subnet hub-vnet/snet-apim-contoso-apim-outbound.');

    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();

    const nsg = await h.armGet(NSG_ID);
    // With the defaults (the documentation of 2026-08): an AzureKeyVault rule, and no Storage rule.
    expect(nsg.properties.securityRules.map((r: any) => r.name)).toEqual(['AllowApimAzureKeyVaultOutbound']);
    const rule = nsg.properties.securityRules.find((r: any) => r.name === 'AllowApimAzureKeyVaultOutbound');
    expect(rule.properties).toMatchObject({ direction: 'Outbound', access: 'Allow', protocol: 'Tcp', destinationPortRange: '443', destinationAddressPrefix: 'AzureKeyVault', priority: 100 });
    const vnet = await h.armGet(vnetId('hub-vnet'));
    const subnet = vnet.properties.subnets.find((s: any) => s.name === 'snet-apim-contoso-apim-outbound');
    expect(subnet.properties.addressPrefix).toBe('10.0.0.0/24');
    expect(subnet.properties.delegations.map((d: any) => d.properties?.serviceName ?? d.serviceName)).toEqual(['Microsoft.Web/serverFarms']);
    expect(subnet.properties.networkSecurityGroup.id.toLowerCase()).toBe(NSG_ID.toLowerCase());
    const instance = await h.armGet(instanceId('contoso-apim'));
    expect(instance.properties.virtualNetworkType).toBe('External');
    expect(instance.properties.virtualNetworkConfiguration.subnetResourceId.toLowerCase()).toBe(NEW_SUBNET.toLowerCase());

    const final = textOf(h.connector.latestCard(approval.activityId));
    expect(final).toContain('Created network security group nsg-apim-contoso-apim-outbound');
    expect(final).toContain('Created subnet hub-vnet/snet-apim-contoso-apim-outbound (10.0.0.0/24, delegated to Microsoft.Web/serverFarms');
    expect(final).toContain('contoso-apim is now integrated with hub-vnet/snet-apim-contoso-apim-outbound.');

    const writes = (await h.armRequests()).filter((r) => isArmWrite(r)).map((r) => `${r.method} ${r.path.split('?')[0]!.split('/').slice(-2).join('/')}`);
    expect(writes).toEqual([
      'PUT networkSecurityGroups/nsg-apim-contoso-apim-outbound',
      'PUT subnets/snet-apim-contoso-apim-outbound',
      'PATCH service/contoso-apim',
    ]);

    // The request records what the bot created, for undo.
    const stored = await h.storedRequest(requestId);
    expect(stored.kind).toBe('newSubnet');
    expect(stored.newSubnet.addressPrefix).toBe('10.0.0.0/24');
    expect(stored.apply.created.map((c: any) => [c.type, c.id.toLowerCase()])).toEqual([
      ['networkSecurityGroup', NSG_ID.toLowerCase()],
      ['subnet', NEW_SUBNET.toLowerCase()],
    ]);
  });

  it('space taken between proposal and approval: the bot picks the next free block in the same VNet', async () => {
    h = await bot.start({ seed: estateWithoutUsableSubnet(), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('new-subnet-2');
    const requestId = await requestNewSubnet(h, alice, chat);
    const approval = await approvalCard(h, chat.id, requestId);
    await armPutSubnet(h, subnetId('hub-vnet', 'someone-else'), '10.0.0.0/24');

    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();

    const vnet = await h.armGet(vnetId('hub-vnet'));
    const subnet = vnet.properties.subnets.find((s: any) => s.name === 'snet-apim-contoso-apim-outbound');
    expect(subnet.properties.addressPrefix).toBe('10.0.1.0/24');
    const instance = await h.armGet(instanceId('contoso-apim'));
    expect(instance.properties.virtualNetworkConfiguration.subnetResourceId.toLowerCase()).toBe(NEW_SUBNET.toLowerCase());
    const final = textOf(h.connector.latestCard(approval.activityId));
    expect(final).toMatch(/10\.0\.0\.0\/24 in 'hub-vnet' overlaps subnet 'someone-else', created since it was proposed\. Picked 10\.0\.1\.0\/24/);
    expect(final).toContain('subnet hub-vnet/snet-apim-contoso-apim-outbound: 10.0.1.0/24');
  });

  it('space taken and nothing else free: stops with a clear message and creates nothing', async () => {
    const seed = estateWithoutUsableSubnet();
    for (const resource of seed.resources as any[]) {
      if (resource.name === 'hub-vnet') resource.properties.addressSpace = { addressPrefixes: ['10.1.3.0/28', '10.1.4.0/24', '10.9.0.0/24'] };
    }
    h = await bot.start({ seed, tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('new-subnet-3');
    const requestId = await requestNewSubnet(h, alice, chat);
    const approval = await approvalCard(h, chat.id, requestId);
    expect(textOf(cardOf(approval.activity))).toContain('10.9.0.0/24');
    await armPutSubnet(h, subnetId('hub-vnet', 'someone-else'), '10.9.0.0/24');

    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    const message = await told(h, chat.id, new RegExp(`${requestId} failed`));
    expect(message.activity.text).toContain('ProposalNoLongerFits');
    await h.idle();
    const final = textOf(h.connector.latestCard(approval.activityId));
    expect(final).toMatch(/overlaps subnet 'someone-else'/);
    expect(final).toMatch(/No free address block of \/24 to \/27 is left in virtual network 'hub-vnet'/);
    const writes = (await h.armRequests()).filter((r) => isArmWrite(r) && !r.path.includes('someone-else'));
    expect(writes).toEqual([]);
  });

  it('a forged or stale choice is refused before anything is requested', async () => {
    h = await bot.start({ seed: estateWithoutUsableSubnet(), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('new-subnet-4');
    const check = await h.say(alice, chat, 'check contoso-apim');
    const options = cardOf(check.reply?.activity);
    const action = actionsOf(options).find((a) => a.verb === 'requestIntegration')!;
    const value = choicesOf(options, 'subnetId')[0]!.value;
    await armPutSubnet(h, subnetId('hub-vnet', 'someone-else'), '10.0.0.0/24');
    const stale = await h.click(alice, chat, 'requestIntegration', { ...action.data, subnetId: value }, check.reply!.activityId);
    expect(invokeMessage(stale)).toMatch(/overlaps subnet 'someone-else'.*Nothing was requested/);
  });
});

describe('undo on disconnect', () => {
  it('removes the subnet and NSG the bot created, once the instance has left, and nothing else', async () => {
    h = await bot.start({ seed: estateWithoutUsableSubnet(), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('undo-1');
    const requestId = await requestNewSubnet(h, alice, chat);
    const approval = await approvalCard(h, chat.id, requestId);
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();

    const disconnect = await h.say(alice, chat, 'disconnect contoso-apim');
    const undoId = REQUEST_ID.exec(textOf(disconnect.reply?.activity))?.[0];
    expect(undoId, textOf(disconnect.reply?.activity)).toBeTruthy();
    const undoApproval = await approvalCard(h, chat.id, undoId!);
    const plan = textOf(cardOf(undoApproval.activity));
    expect(plan).toContain('1. Update contoso-apim: virtualNetworkType None (it leaves hub-vnet/snet-apim-contoso-apim-outbound).');
    expect(plan).toContain(`2. Delete subnet hub-vnet/snet-apim-contoso-apim-outbound (created by the bot for ${requestId}), once the instance no longer uses it.`);
    expect(plan).toContain(`3. Delete network security group nsg-apim-contoso-apim-outbound (created by the bot for ${requestId}).`);

    await h.armRequests().then(() => fetch(`${h!.sandbox.url}/_sandbox/requests`, { method: 'DELETE' }));
    await h.click(bob, chat, 'approve', { requestId: undoId }, undoApproval.activityId);
    await told(h, chat.id, new RegExp(`${undoId} is done`));
    await h.idle();

    const instance = await h.armGet(instanceId('contoso-apim'));
    expect(instance.properties.virtualNetworkType).toBe('None');
    const vnet = await h.armGet(vnetId('hub-vnet'));
    expect(vnet.properties.subnets.map((s: any) => s.name).sort()).toEqual(['apim-integrated', 'apim-tiny']);
    const nsgResponse = await fetch(`${h.sandbox.url}/_sandbox/resources${NSG_ID}`);
    expect(nsgResponse.status).toBe(404);
    const shared = await h.armGet(`${rg('rg-net')}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim`);
    expect(shared.name).toBe('nsg-apim');
    const writes = (await h.armRequests()).filter((r) => isArmWrite(r)).map((r) => `${r.method} ${r.path.split('?')[0]!.split('/').slice(-2).join('/')}`);
    expect(writes).toEqual(['PATCH service/contoso-apim', 'DELETE subnets/snet-apim-contoso-apim-outbound', 'DELETE networkSecurityGroups/nsg-apim-contoso-apim-outbound']);
    const final = textOf(h.connector.latestCard(undoApproval.activityId));
    expect(final).toContain(`Removed subnet hub-vnet/snet-apim-contoso-apim-outbound (made by the bot for ${requestId}).`);
    expect(final).toContain(`Removed network security group nsg-apim-contoso-apim-outbound (made by the bot for ${requestId}).`);
  });

  it('on a subnet the bot only delegated, removes the delegation and keeps the subnet', async () => {
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('undo-2');
    const empty = subnetId('hub-vnet', 'apim-empty');
    const check = await h.say(alice, chat, 'check contoso-apim');
    const action = actionsOf(cardOf(check.reply?.activity)).find((a) => a.verb === 'requestIntegration')!;
    const result = await h.click(alice, chat, 'requestIntegration', { ...action.data, subnetId: empty }, check.reply!.activityId);
    const requestId = REQUEST_ID.exec(textOf(invokeCard(result)))![0];
    const approval = await approvalCard(h, chat.id, requestId);
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();

    const disconnect = await h.say(alice, chat, 'disconnect contoso-apim');
    const undoId = REQUEST_ID.exec(textOf(disconnect.reply?.activity))![0];
    const undoApproval = await approvalCard(h, chat.id, undoId);
    const plan = textOf(cardOf(undoApproval.activity));
    expect(plan).toContain(`2. Remove the delegation to Microsoft.Web/serverFarms from subnet hub-vnet/apim-empty (added by the bot for ${requestId}), once the instance no longer uses it.`);
    expect(plan).not.toMatch(/Delete subnet|Delete network security group/);
    await h.click(bob, chat, 'approve', { requestId: undoId }, undoApproval.activityId);
    await told(h, chat.id, new RegExp(`${undoId} is done`));
    await h.idle();

    const vnet = await h.armGet(vnetId('hub-vnet'));
    const subnet = vnet.properties.subnets.find((s: any) => s.name === 'apim-empty');
    expect(subnet.properties.delegations ?? []).toEqual([]);
    expect(subnet.properties.networkSecurityGroup.id).toMatch(/nsg-apim$/);
  });

  it('on a subnet the bot did not make or change, disconnect removes nothing else', async () => {
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('undo-3');
    const disconnect = await h.say(bob, chat, 'disconnect apim-on-vnet');
    const plan = textOf(cardOf(disconnect.reply?.activity));
    expect(plan).toMatch(REQUEST_ID);
    expect(plan).toContain('1. Update apim-on-vnet: virtualNetworkType None');
    expect(plan).not.toMatch(/Delete subnet|Remove the delegation|created by the bot/);
  });
});
