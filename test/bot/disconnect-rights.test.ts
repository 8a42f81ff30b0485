/**
 * A disconnect's undo and the bot's own rights, with the bot holding the roles the deployment template grants
 * (withDeployedBotRoles: Reader, API Management Service Contributor, the custom network role) instead of Contributor.
 * The sandbox refuses a DELETE the caller may not make (AuthorizationFailed), as ARM does: without the delete actions
 * the approval card says what the undo keeps and why, and the apply succeeds without trying; with the template's role
 * in full, the undo removes what the bot made. Over HTTP on the sandbox.
 */
import { describe, expect, it } from 'vitest';
import { NSG_DELETE_ACTION, NSG_RULE_DELETE_ACTION, SUBNET_DELETE_ACTION } from '../../src/eligibility/permissions.js';
import {
  isArmWrite,
  actionsOf,
  alice,
  APIM_OPEN,
  approvalCard,
  approveAndWait,
  askToDisconnect,
  BOB,
  type BotHarness,
  cardOf,
  type Chat,
  checkAndRequest,
  estateWithNsgGaps,
  estateWithoutUsableSubnet,
  groupChat,
  instanceId,
  NSG_OPEN,
  requestNewSubnet,
  rg,
  subnetId,
  TENANT,
  textOf,
  useBot,
  vnetId,
  withDeployedBotRoles,
} from '../support/index.js';

const NEW_NSG = `${rg('rg-net')}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim-contoso-apim-outbound`;
const NEW_SUBNET = subnetId('hub-vnet', 'snet-apim-contoso-apim-outbound');
const DELETES = [SUBNET_DELETE_ACTION, NSG_DELETE_ACTION, NSG_RULE_DELETE_ACTION];

const bot = useBot();

async function writes(h: BotHarness): Promise<string[]> {
  return (await h.armRequests()).filter((r) => isArmWrite(r)).map((r) => `${r.method} ${r.path.split('?')[0]!.split('/').slice(-2).join('/')} ${r.status}`);
}

/** Alice asks for the disconnect: its id and its approval card. */
async function disconnect(h: BotHarness, chat: Chat) {
  const undoId = await askToDisconnect(h, alice, chat);
  return { undoId, approval: await approvalCard(h, chat.id, undoId) };
}

/** Whether the sandbox holds a resource (a subnet: in its VNet). */
async function exists(h: BotHarness, id: string): Promise<boolean> {
  if (id === NEW_SUBNET) return (await h.armGet(vnetId('hub-vnet'))).properties.subnets.some((s: any) => s.name === 'snet-apim-contoso-apim-outbound');
  return (await fetch(`${h.sandbox.url}/_sandbox/resources${id}`)).status === 200;
}

describe('a disconnect whose bot may not delete what it made', () => {
  it('says on the approval card what it keeps and why, sends no delete, and succeeds', async () => {
    const h = await bot.start({ seed: withDeployedBotRoles(estateWithoutUsableSubnet(), { without: DELETES }), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('undo-rights-1');
    const requestId = await requestNewSubnet(h, alice, chat);
    await approveAndWait(h, chat, requestId);
    expect((await h.storedRequest(requestId)).state).toBe('succeeded');

    const { undoId, approval } = await disconnect(h, chat);
    const plan = textOf(cardOf(approval.activity));
    expect(plan).toContain('1. Update contoso-apim: virtualNetworkType None (it leaves hub-vnet/snet-apim-contoso-apim-outbound).');
    expect(plan).toContain(
      `2. Leave subnet hub-vnet/snet-apim-contoso-apim-outbound (created by the bot for ${requestId}) in place: the bot's identity lacks ${SUBNET_DELETE_ACTION}.`,
    );
    expect(plan).toContain(
      `3. Leave network security group nsg-apim-contoso-apim-outbound (created by the bot for ${requestId}) in place: the bot's identity lacks ${NSG_DELETE_ACTION}.`,
    );
    expect(plan).toContain("remove it yourself once the instance has left, or grant the bot's identity what it lacks");
    expect(plan).not.toMatch(/Delete subnet|Delete network security group/);
    // Nothing is left to remove, so there is nothing to keep by choice either.
    expect(actionsOf(cardOf(approval.activity)).map((a) => a.verb)).not.toContain('approveKeep');
    expect((await h.storedRequest(undoId)).undo.kept).toEqual([
      { step: 'deleteSubnet', id: expect.stringMatching(/snet-apim-contoso-apim-outbound$/), lacks: SUBNET_DELETE_ACTION },
      { step: 'deleteNsg', id: expect.stringMatching(/nsg-apim-contoso-apim-outbound$/), lacks: NSG_DELETE_ACTION },
    ]);

    await fetch(`${h.sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
    await approveAndWait(h, chat, undoId);
    const done = await h.storedRequest(undoId);
    expect(done.state).toBe('succeeded');
    expect(await writes(h)).toEqual(['PATCH service/contoso-apim 202']);
    expect((await h.armGet(instanceId('contoso-apim'))).properties.virtualNetworkType).toBe('None');
    expect(await exists(h, NEW_SUBNET)).toBe(true);
    expect(await exists(h, NEW_NSG)).toBe(true);
    const final = textOf(h.connector.latestCard(approval.activityId));
    expect(final).toContain(
      `Left subnet hub-vnet/snet-apim-contoso-apim-outbound (made by the bot for ${requestId}) in place: the bot's identity lacks ${SUBNET_DELETE_ACTION}.`,
    );
    expect(final).toContain(`Left network security group nsg-apim-contoso-apim-outbound (made by the bot for ${requestId}) in place: the bot's identity lacks ${NSG_DELETE_ACTION}.`);
  });

  it('keeps the dependency rule it may not delete and undoes the rest', async () => {
    const h = await bot.start({ seed: withDeployedBotRoles(estateWithNsgGaps({ aliceOnGroup: true }), { without: [NSG_RULE_DELETE_ACTION] }), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('undo-rights-2');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', APIM_OPEN, { addDependencyRules: 'true' });
    await approveAndWait(h, chat, requestId);
    expect((await h.armGet(NSG_OPEN)).properties.securityRules.map((r: any) => r.name)).toContain('AllowApimAzureKeyVaultOutbound');

    const { undoId, approval } = await disconnect(h, chat);
    expect(textOf(cardOf(approval.activity))).toContain(
      `2. Leave rule AllowApimAzureKeyVaultOutbound of network security group nsg-open (added by the bot for ${requestId}) in place: the bot's identity lacks ${NSG_RULE_DELETE_ACTION}.`,
    );
    await fetch(`${h.sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
    await approveAndWait(h, chat, undoId);
    expect((await h.storedRequest(undoId)).state).toBe('succeeded');
    expect(await writes(h)).toEqual(['PATCH service/contoso-apim 202']);
    expect((await h.armGet(NSG_OPEN)).properties.securityRules.map((r: any) => r.name)).toContain('AllowApimAzureKeyVaultOutbound');
  });
});

describe('a disconnect whose bot holds the deployed network role in full', () => {
  it('removes the subnet and the NSG it made, as before', async () => {
    const h = await bot.start({ seed: withDeployedBotRoles(estateWithoutUsableSubnet()), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('undo-rights-3');
    const requestId = await requestNewSubnet(h, alice, chat);
    await approveAndWait(h, chat, requestId);

    const { undoId, approval } = await disconnect(h, chat);
    const plan = textOf(cardOf(approval.activity));
    expect(plan).toContain(`2. Delete subnet hub-vnet/snet-apim-contoso-apim-outbound (created by the bot for ${requestId}), once the instance no longer uses it.`);
    expect(plan).toContain(`3. Delete network security group nsg-apim-contoso-apim-outbound (created by the bot for ${requestId}).`);
    expect(plan).not.toMatch(/Leave .* in place/);
    expect((await h.storedRequest(undoId)).undo.kept).toBeUndefined();

    await fetch(`${h.sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
    await approveAndWait(h, chat, undoId);
    expect((await h.storedRequest(undoId)).state).toBe('succeeded');
    expect((await writes(h)).filter((w) => w.startsWith('DELETE')).map((w) => w.replace(/ \d+$/, ''))).toEqual([
      'DELETE subnets/snet-apim-contoso-apim-outbound',
      'DELETE networkSecurityGroups/nsg-apim-contoso-apim-outbound',
    ]);
    expect(await exists(h, NEW_SUBNET)).toBe(false);
    expect(await exists(h, NEW_NSG)).toBe(false);
    expect((await h.armGet(vnetId('hub-vnet'))).properties.subnets.map((s: any) => s.name).sort()).toEqual(['apim-integrated', 'apim-tiny']);
  });
});
