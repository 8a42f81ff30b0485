/**
 * NSG fixes for existing subnets (issue 6): a subnet without an NSG gets a new one with the explicit dependency rule;
 * an NSG that allows the dependency (AzureKeyVault) only by default gets the explicit rule when the requester chooses it. Each fix is on
 * the approval card and in the request; a disconnect undoes what the bot changed, and only that. Over HTTP on the
 * sandbox.
 */
import { describe, expect, it } from 'vitest';
import { isArmWrite, actionsOf, alice, APIM_NO_NSG as NO_NSG, APIM_OPEN as OPEN, approvalCard, approveAndWait, askToDisconnect, BOB, bob, BotHarness, cardOf, type Chat, checkAndRequest, estateWithNsgGaps, groupChat, instanceId, invokeMessage, NSG_OPEN as OPEN_NSG, REQUEST_ID, rg, TENANT, textOf, told, useBot, vnetId } from '../support/index.js';

const NSG_TYPE = 'providers/Microsoft.Network/networkSecurityGroups';
const NEW_NSG = `${rg('rg-net')}/${NSG_TYPE}/nsg-apim-contoso-apim-outbound`;
const SHARED_NSG = `${rg('rg-net')}/${NSG_TYPE}/nsg-apim`;

const bot = useBot();
let h: BotHarness | null = null;

async function writes(harness: BotHarness): Promise<string[]> {
  return (await harness.armRequests()).filter((r) => isArmWrite(r)).map((r) => `${r.method} ${r.path.split('?')[0]!.split('/').slice(-2).join('/')}`);
}


describe('a subnet without an NSG', () => {
  it('gets a new NSG with the AzureKeyVault rule on approval, and loses it (and the delegation) again on disconnect', async () => {
    h = await bot.start({ seed: estateWithNsgGaps({ aliceOnGroup: true }), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('nsg-missing-1');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', NO_NSG);
    const approval = await approvalCard(h, chat.id, requestId);
    const plan = textOf(cardOf(approval.activity));
    expect(plan).toContain(
      '1. Create network security group nsg-apim-contoso-apim-outbound in resource group rg-net (westeurope) with the rule AllowApimAzureKeyVaultOutbound: Outbound Allow TCP 443 from VirtualNetwork to AzureKeyVault, priority 100.',
    );
    expect(plan).toContain('2. Associate network security group nsg-apim-contoso-apim-outbound with subnet hub-vnet/apim-no-nsg.');
    expect(plan).toContain('3. Delegate subnet hub-vnet/apim-no-nsg to Microsoft.Web/serverFarms.');
    expect(plan).toContain('4. Update contoso-apim: virtualNetworkType External, subnet hub-vnet/apim-no-nsg.');

    const recorded = await h.storedRequest(requestId);
    expect(recorded.fixes.map((f: any) => f.kind)).toEqual(['createNsg', 'attachNsg', 'addDelegation']);
    expect(recorded.findings.map((f: any) => `${f.code}:${f.severity}`)).toContain('NSG_MISSING:fixable');

    await fetch(`${h.sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
    await approveAndWait(h, chat, requestId);
    expect(await writes(h)).toEqual([
      'PUT networkSecurityGroups/nsg-apim-contoso-apim-outbound',
      'PUT subnets/apim-no-nsg',
      'PUT subnets/apim-no-nsg',
      'PATCH service/contoso-apim',
    ]);
    const nsg = await h.armGet(NEW_NSG);
    const rule = nsg.properties.securityRules.find((r: any) => r.name === 'AllowApimAzureKeyVaultOutbound');
    expect(rule.properties).toMatchObject({ direction: 'Outbound', access: 'Allow', protocol: 'Tcp', destinationPortRange: '443', destinationAddressPrefix: 'AzureKeyVault', priority: 100 });
    const subnet = (await h.armGet(vnetId('hub-vnet'))).properties.subnets.find((s: any) => s.name === 'apim-no-nsg');
    expect(subnet.properties.networkSecurityGroup.id.toLowerCase()).toBe(NEW_NSG.toLowerCase());
    expect(subnet.properties.delegations.map((d: any) => d.properties?.serviceName ?? d.serviceName)).toEqual(['Microsoft.Web/serverFarms']);
    const instance = await h.armGet(instanceId('contoso-apim'));
    expect(instance.properties.virtualNetworkConfiguration.subnetResourceId.toLowerCase()).toBe(NO_NSG.toLowerCase());
    const done = await h.storedRequest(requestId);
    expect(done.apply.created.map((c: any) => [c.type, c.id.toLowerCase()])).toEqual([['networkSecurityGroup', NEW_NSG.toLowerCase()]]);
    expect(done.apply.done.map((d: any) => `${d.step}:${d.changed}`)).toEqual([
      'recheck:false',
      'createNsg:true',
      'attachNsg:true',
      'addDelegation:true',
      'updateInstance:true',
    ]);

    const undoId = await askToDisconnect(h, alice, chat);
    const undoApproval = await approvalCard(h, chat.id, undoId);
    const undoPlan = textOf(cardOf(undoApproval.activity));
    expect(undoPlan).toContain(`2. Remove the delegation to Microsoft.Web/serverFarms from subnet hub-vnet/apim-no-nsg (added by the bot for ${requestId}), once the instance no longer uses it.`);
    expect(undoPlan).toContain(`3. Remove network security group nsg-apim-contoso-apim-outbound from subnet hub-vnet/apim-no-nsg (associated by the bot for ${requestId}).`);
    expect(undoPlan).toContain(`4. Delete network security group nsg-apim-contoso-apim-outbound (created by the bot for ${requestId}).`);
    expect(undoPlan).not.toMatch(/Delete subnet/);

    await fetch(`${h.sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
    await approveAndWait(h, chat, undoId);
    expect(await writes(h)).toEqual([
      'PATCH service/contoso-apim',
      'PUT subnets/apim-no-nsg',
      'PUT subnets/apim-no-nsg',
      'DELETE networkSecurityGroups/nsg-apim-contoso-apim-outbound',
    ]);
    const after = (await h.armGet(vnetId('hub-vnet'))).properties.subnets.find((s: any) => s.name === 'apim-no-nsg');
    expect(after.properties.networkSecurityGroup ?? null).toBeNull();
    expect(after.properties.delegations ?? []).toEqual([]);
    expect((await fetch(`${h.sandbox.url}/_sandbox/resources${NEW_NSG}`)).status).toBe(404);
    expect((await h.armGet(SHARED_NSG)).name).toBe('nsg-apim');
  });

  it("takes a new name when the pattern's name is taken in the resource group, and the configured NSG when there is one", async () => {
    const seed = estateWithNsgGaps({ aliceOnGroup: true });
    const taken = { ...(seed.resources as any[]).find((r) => r.name === 'nsg-open'), id: NEW_NSG, name: 'nsg-apim-contoso-apim-outbound' };
    (seed.resources as any[]).push(taken);
    h = await bot.start({ seed, tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('nsg-missing-3');
    const reply = await h.say(alice, chat, 'connect contoso-apim to hub-vnet/apim-no-nsg');
    const requestId = REQUEST_ID.exec(textOf(cardOf(reply.reply?.activity)))?.[0];
    expect(requestId, textOf(cardOf(reply.reply?.activity))).toBeTruthy();
    const plan = textOf(cardOf((await approvalCard(h, chat.id, requestId!)).activity));
    expect(plan).toContain('1. Create network security group nsg-apim-contoso-apim-outbound-2 in resource group rg-net');
    expect(plan).toContain('2. Associate network security group nsg-apim-contoso-apim-outbound-2 with subnet hub-vnet/apim-no-nsg.');
    await h.close();

    h = await bot.start({ seed: estateWithNsgGaps({ aliceOnGroup: true }), tenantId: TENANT, env: { APPROVER_IDS: BOB, NEW_SUBNET_NSG_ID: SHARED_NSG } });
    const other = groupChat('nsg-missing-4');
    const configured = await h.say(alice, other, 'connect contoso-apim to hub-vnet/apim-no-nsg');
    const configuredId = REQUEST_ID.exec(textOf(cardOf(configured.reply?.activity)))![0];
    const configuredPlan = textOf(cardOf((await approvalCard(h, other.id, configuredId)).activity));
    expect(configuredPlan).toContain('1. Associate network security group nsg-apim with subnet hub-vnet/apim-no-nsg.');
    expect(configuredPlan).not.toMatch(/Create network security group/);
  });

  it('a bot that may not list the NSGs of the resource group still gets a request (its name is checked when created)', async () => {
    h = await bot.start({ seed: estateWithNsgGaps({ aliceOnGroup: true }), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    await h.faults({ failNext: [{ method: 'GET', pathContains: '/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups?', status: 403, count: 10 }] });
    const chat = groupChat('nsg-missing-5');
    // By resource id: the check reads that one subnet, its VNet and the NSGs of its resource group.
    const reply = await h.say(alice, chat, `connect contoso-apim to ${NO_NSG}`);
    const text = textOf(cardOf(reply.reply?.activity));
    expect(text, reply.reply?.activity.text).toMatch(REQUEST_ID);
    expect(text).toContain('Create network security group nsg-apim-contoso-apim-outbound');
    const nsgReads = (await h.armRequests()).filter((r) => r.path.includes('/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups?'));
    expect(nsgReads.map((r) => r.status)).toEqual([403]);
  });

  it('stays blocking when the requester may not change the subnet: nothing is requested', async () => {
    h = await bot.start({ seed: estateWithNsgGaps({ aliceOnGroup: false }), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('nsg-missing-2');
    const reply = await h.say(alice, chat, 'connect contoso-apim to hub-vnet/apim-no-nsg');
    const text = textOf(cardOf(reply.reply?.activity)) || (reply.reply?.activity.text ?? '');
    expect(text).toMatch(/no network security group associated/);
    expect(text).toMatch(/the requester may not make that change themselves: they lack Microsoft\.Network\/networkSecurityGroups\/join\/action and Microsoft\.Network\/networkSecurityGroups\/write\./);
    expect(text).not.toMatch(REQUEST_ID);
    expect(await writes(h)).toEqual([]);
  });
});

describe('an NSG that allows AzureKeyVault only by default', () => {
  it('gets the explicit rule when the requester keeps the option on; disconnect deletes that rule and keeps the NSG', async () => {
    h = await bot.start({ seed: estateWithNsgGaps({ aliceOnGroup: true }), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('storage-rule-1');
    const check = await h.say(alice, chat, 'check contoso-apim');
    const options = cardOf(check.reply?.activity);
    const toggle = JSON.stringify(options).includes('"id":"addDependencyRules"');
    expect(toggle, textOf(options)).toBe(true);
    const action = actionsOf(options).find((a) => a.verb === 'requestIntegration')!;
    const result = await h.click(alice, chat, 'requestIntegration', { ...action.data, subnetId: OPEN, addDependencyRules: 'true' }, check.reply!.activityId);
    const requestId = REQUEST_ID.exec(JSON.stringify(result.body))![0];
    const approval = await approvalCard(h, chat.id, requestId);
    expect(textOf(cardOf(approval.activity))).toContain(
      "1. Add rule 'AllowApimAzureKeyVaultOutbound' (priority 100, outbound Allow TCP 443 to AzureKeyVault) to network security group nsg-open.",
    );
    expect((await h.storedRequest(requestId)).fixes).toEqual([
      { kind: 'addDependencyRules', nsgId: OPEN_NSG, rules: [expect.objectContaining({ name: 'AllowApimAzureKeyVaultOutbound', priority: 100, destinationAddressPrefix: 'AzureKeyVault' })] },
    ]);

    await fetch(`${h.sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
    await approveAndWait(h, chat, requestId);
    expect(await writes(h)).toEqual(['PUT securityRules/AllowApimAzureKeyVaultOutbound', 'PATCH service/contoso-apim']);
    const nsg = await h.armGet(OPEN_NSG);
    expect(nsg.properties.securityRules.map((r: any) => r.name).sort()).toEqual(['AllowApimAzureKeyVaultOutbound', 'allow-https-in']);

    const undoId = await askToDisconnect(h, alice, chat);
    const undoApproval = await approvalCard(h, chat.id, undoId);
    expect(textOf(cardOf(undoApproval.activity))).toContain(
      `2. Delete rule AllowApimAzureKeyVaultOutbound from network security group nsg-open (added by the bot for ${requestId}), unless the NSG serves other subnets by then.`,
    );
    await fetch(`${h.sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
    await approveAndWait(h, chat, undoId);
    expect(await writes(h)).toEqual(['PATCH service/contoso-apim', 'DELETE securityRules/AllowApimAzureKeyVaultOutbound']);
    const kept = await h.armGet(OPEN_NSG);
    expect(kept.properties.securityRules.map((r: any) => r.name)).toEqual(['allow-https-in']);
  });

  it('a typed request asks for the integration alone: the optional rule is chosen on the options card only', async () => {
    h = await bot.start({ seed: estateWithNsgGaps({ aliceOnGroup: true }), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('storage-rule-typed');
    const reply = await h.say(alice, chat, 'connect contoso-apim to hub-vnet/apim-open');
    const requestId = REQUEST_ID.exec(textOf(cardOf(reply.reply?.activity)))?.[0];
    expect(requestId, textOf(cardOf(reply.reply?.activity))).toBeTruthy();
    expect((await h.storedRequest(requestId!)).fixes).toEqual([]);
  });

  it('switched off, the request does not touch the NSG', async () => {
    h = await bot.start({ seed: estateWithNsgGaps({ aliceOnGroup: true }), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('storage-rule-2');
    const check = await h.say(alice, chat, 'check contoso-apim');
    const action = actionsOf(cardOf(check.reply?.activity)).find((a) => a.verb === 'requestIntegration')!;
    const result = await h.click(alice, chat, 'requestIntegration', { ...action.data, subnetId: OPEN, addDependencyRules: 'false' }, check.reply!.activityId);
    const requestId = REQUEST_ID.exec(JSON.stringify(result.body))?.[0];
    expect(requestId, invokeMessage(result) ?? undefined).toBeTruthy();
    const approval = await approvalCard(h, chat.id, requestId!);
    expect(textOf(cardOf(approval.activity))).not.toMatch(/AllowApimAzureKeyVaultOutbound/);
    expect((await h.storedRequest(requestId!)).fixes).toEqual([]);
    await fetch(`${h.sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
    await approveAndWait(h, chat, requestId!);
    expect(await writes(h)).toEqual(['PATCH service/contoso-apim']);
  });
});

describe('the approver keeps what the bot made', () => {
  it('"Approve, keep what the bot made" disconnects and removes nothing; only an approver can use it', async () => {
    h = await bot.start({ seed: estateWithNsgGaps({ aliceOnGroup: true }), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('keep-1');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OPEN, { addDependencyRules: 'true' });
    await approveAndWait(h, chat, requestId);
    expect((await h.armGet(OPEN_NSG)).properties.securityRules.map((r: any) => r.name)).toContain('AllowApimAzureKeyVaultOutbound');

    const undoId = await askToDisconnect(h, alice, chat);
    const approval = await approvalCard(h, chat.id, undoId);
    const keep = actionsOf(cardOf(approval.activity)).find((a) => a.verb === 'approveKeep');
    expect(keep?.title).toBe('Approve, keep what the bot made');
    const refused = await h.click(alice, chat, 'approveKeep', { requestId: undoId }, approval.activityId);
    expect(invokeMessage(refused)).toMatch(/Only the approvers of this request/);

    await fetch(`${h.sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
    await h.click(bob, chat, 'approveKeep', { requestId: undoId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${undoId} is done`));
    await h.idle();
    expect(await writes(h)).toEqual(['PATCH service/contoso-apim']);
    expect((await h.armGet(OPEN_NSG)).properties.securityRules.map((r: any) => r.name)).toContain('AllowApimAzureKeyVaultOutbound');
    const final = textOf(h.connector.latestCard(approval.activityId));
    expect(final).toContain(`Approved without the undo: what the bot made for ${requestId} stays.`);
    expect(final).not.toMatch(/Delete rule/);
    expect((await h.storedRequest(undoId)).undo).toBeNull();
  });
});

describe('undo on a shared NSG', () => {
  it('keeps the dependency rule when its NSG also serves another subnet, and says why', async () => {
    const seed = estateWithNsgGaps({ aliceOnGroup: true });
    const hub = (seed.resources as any[]).find((r) => r.name === 'hub-vnet');
    const neighbour = `${vnetId('hub-vnet')}/subnets/apim-open-neighbour`;
    hub.properties.subnets.push({ id: neighbour, name: 'apim-open-neighbour', properties: { addressPrefix: '10.1.7.0/24', networkSecurityGroup: { id: OPEN_NSG } } });
    h = await bot.start({ seed, tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('shared-nsg');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OPEN, { addDependencyRules: 'true' });
    expect((await h.storedRequest(requestId)).fixes.map((f: any) => f.kind)).toEqual(['addDependencyRules']);
    await approveAndWait(h, chat, requestId);

    const undoId = await askToDisconnect(h, alice, chat);
    const approval = await approveAndWait(h, chat, undoId);
    expect(await writes(h)).not.toContain('DELETE securityRules/AllowApimAzureKeyVaultOutbound');
    expect((await h.armGet(OPEN_NSG)).properties.securityRules.map((r: any) => r.name)).toContain('AllowApimAzureKeyVaultOutbound');
    expect(textOf(h.connector.latestCard(approval.activityId))).toContain(
      `Left rule AllowApimAzureKeyVaultOutbound of network security group nsg-open (made by the bot for ${requestId}) in place: network security group nsg-open also serves subnet 'apim-open-neighbour' in VNet 'hub-vnet'.`,
    );
  });
});

describe('the re-check before applying', () => {
  it('stops, changing nothing, when the bot would have to do something the approver did not see', async () => {
    h = await bot.start({ seed: estateWithNsgGaps({ aliceOnGroup: true }), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('plan-changed');
    const check = await h.say(alice, chat, 'check contoso-apim');
    const action = actionsOf(cardOf(check.reply?.activity)).find((a) => a.verb === 'requestIntegration')!;
    const result = await h.click(alice, chat, 'requestIntegration', { ...action.data, subnetId: OPEN, addDependencyRules: 'false' }, check.reply!.activityId);
    const requestId = REQUEST_ID.exec(JSON.stringify(result.body))![0];
    expect((await h.storedRequest(requestId)).fixes).toEqual([]);

    // Meanwhile someone removes the subnet's NSG: the bot would now have to create and associate one.
    const body = { properties: { addressPrefix: '10.1.6.0/24', delegations: [{ name: 'web', properties: { serviceName: 'Microsoft.Web/serverFarms' } }] } };
    const put = await h.armWrite('PUT', OPEN, '2023-09-01', body, BOB);
    expect(put.status, await put.text()).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 500));
    await fetch(`${h.sandbox.url}/_sandbox/requests`, { method: 'DELETE' });

    const approval = await approvalCard(h, chat.id, requestId);
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    const failed = await told(h, chat.id, new RegExp(`${requestId} failed`));
    expect(failed.activity.text).toContain('PlanChanged');
    await h.idle();
    expect(textOf(h.connector.latestCard(approval.activityId))).toContain('the bot would also have to do something the approver did not see: Create network security group');
    expect(await writes(h)).toEqual([]);
  });
});

describe('a new subnet with the configured NSG (NEW_SUBNET_NSG_ID)', () => {
  it('is proposed with that NSG only when the requester may join it; otherwise the card says why', async () => {
    h = await bot.start({ seed: estateWithNsgGaps({ aliceOnGroup: false }), tenantId: TENANT, env: { APPROVER_IDS: BOB, NEW_SUBNET_NSG_ID: SHARED_NSG } });
    const refused = textOf(cardOf((await h.say(alice, groupChat('configured-1'), 'integrate contoso-apim new subnet')).reply?.activity));
    expect(refused).toContain(
      "No new subnet offered: The requester may not associate the configured network security group 'nsg-apim' themselves: they lack Microsoft.Network/networkSecurityGroups/join/action on it.",
    );
    expect(refused).not.toMatch(/New subnet hub-vnet/);
    await h.close();

    h = await bot.start({ seed: estateWithNsgGaps({ aliceOnGroup: true }), tenantId: TENANT, env: { APPROVER_IDS: BOB, NEW_SUBNET_NSG_ID: SHARED_NSG } });
    const offered = textOf(cardOf((await h.say(alice, groupChat('configured-2'), 'integrate contoso-apim new subnet')).reply?.activity));
    expect(offered).toMatch(/New subnet hub-vnet\/snet-apim-contoso-apim-outbound · [\d./]+ · NSG nsg-apim ·/);
  });
});

describe('an NSG of the same name that is not the bot\'s', () => {
  it('is never taken over: the apply stops with NsgNameTaken and the NSG is left as it was, not recorded as created', async () => {
    const seed = estateWithNsgGaps({ aliceOnGroup: true });
    const foreign = {
      id: NEW_NSG,
      name: 'nsg-apim-contoso-apim-outbound',
      type: 'Microsoft.Network/networkSecurityGroups',
      location: 'westeurope',
      properties: {
        securityRules: [
          {
            name: 'AllowApimAzureKeyVaultOutbound',
            properties: { priority: 300, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: 'AzureKeyVault', destinationPortRange: '443' },
          },
        ],
      },
    };
    (seed.resources as any[]).push(foreign);
    h = await bot.start({ seed, tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    // The bot may not list the resource group's NSGs, so it cannot see that the name is taken until it creates it.
    await h.faults({ failNext: [{ method: 'GET', pathContains: '/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups?', status: 403, count: 10 }] });
    const chat = groupChat('nsg-name-taken');
    const reply = await h.say(alice, chat, `connect contoso-apim to ${NO_NSG}`);
    const requestId = REQUEST_ID.exec(textOf(cardOf(reply.reply?.activity)))![0];
    await fetch(`${h.sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
    const approval = await approvalCard(h, chat.id, requestId);
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    const failed = await told(h, chat.id, new RegExp(`${requestId} failed`));
    expect(failed.activity.text).toContain('NsgNameTaken');
    await h.idle();
    expect(await writes(h)).toEqual([]);
    const nsg = await h.armGet(NEW_NSG);
    expect(nsg.properties.securityRules.map((r: any) => [r.name, r.properties.priority])).toEqual([['AllowApimAzureKeyVaultOutbound', 300]]);
    expect((await h.storedRequest(requestId)).apply.created ?? []).toEqual([]);
  });
});

describe('a configured NSG the bot may not read', () => {
  it('is reported as not readable on the subnet, not as Azure being unavailable', async () => {
    h = await bot.start({ seed: estateWithNsgGaps({ aliceOnGroup: true }), tenantId: TENANT, env: { APPROVER_IDS: BOB, NEW_SUBNET_NSG_ID: SHARED_NSG } });
    await h.faults({
      failNext: [
        { method: 'GET', pathContains: '/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups?', status: 403, count: 10 },
        { method: 'GET', pathContains: '/networkSecurityGroups/nsg-apim?', status: 403, count: 10 },
      ],
    });
    const reply = await h.say(alice, groupChat('configured-403'), `connect contoso-apim to ${NO_NSG}`);
    const text = textOf(cardOf(reply.reply?.activity)) || (reply.reply?.activity.text ?? '');
    expect(text).toContain("The configured network security group 'nsg-apim' (NEW_SUBNET_NSG_ID) could not be read");
    expect(text).not.toMatch(/could not read Azure/);
  });
});
