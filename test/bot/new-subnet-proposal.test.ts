/**
 * The options card offers a new subnet (issue 6, first slice): when no subnet the person sees is usable, or on
 * `integrate <instance> new subnet [in <vnet>]`. Over HTTP on the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/bot/parse-command.js';
import { actionsOf, alice, BotHarness, cardOf, choicesOf, DAVE, dave, estate, estateWithoutUsableSubnet, groupChat, invokeCard, invokeMessage, subnetId, TENANT, textOf, vnetId } from '../support/index.js';

type Seed = ReturnType<typeof estate>;

/** The estate with hub-vnet keeping only subnets that cannot be used (too small, taken by another instance). */
function noUsableSubnet(addressSpace?: string[]): Seed {
  const seed = estateWithoutUsableSubnet();
  const hub = (seed.resources as any[]).find((resource) => resource.name === 'hub-vnet');
  if (addressSpace) hub.properties.addressSpace = { addressPrefixes: addressSpace };
  // Dave may change the instance and read hub-vnet, but not add subnets to it.
  const guid = '00000000-0000-4000-8000-00000000d0ae';
  const scope = vnetId('hub-vnet');
  (seed.resources as unknown[]).push({
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${guid}`,
    name: guid,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: { roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7', principalId: DAVE, principalType: 'User', scope },
  });
  return seed;
}

const NEW_TITLE = /^New subnet hub-vnet\/snet-apim-contoso-apim-outbound · 10\.0\.0\.0\/24 · new NSG nsg-apim-contoso-apim-outbound \(allows TCP 443 to AzureKeyVault\) · delegated to Microsoft\.Web\/serverFarms$/;

describe('parsing "new subnet"', () => {
  it('reads integrate <instance> new subnet [in <vnet>] in a few phrasings', () => {
    expect(parseCommand('integrate contoso-apim new subnet')).toEqual({ kind: 'integrate', instance: 'contoso-apim', target: { kind: 'new', vnet: null } });
    expect(parseCommand('please integrate contoso-apim with a new subnet in hub-vnet')).toEqual({
      kind: 'integrate',
      instance: 'contoso-apim',
      target: { kind: 'new', vnet: 'hub-vnet' },
    });
    expect(parseCommand('connect contoso-apim to a new subnet in the vnet hub-vnet')).toEqual({
      kind: 'integrate',
      instance: 'contoso-apim',
      target: { kind: 'new', vnet: 'hub-vnet' },
    });
    const bad = parseCommand('integrate contoso-apim new subnet next to hub-vnet');
    expect(bad.kind).toBe('help');
    expect(bad.kind === 'help' && bad.problem).toMatch(/new subnet in <vnet>/);
    // A subnet named "new" in a VNet is still a subnet target.
    expect(parseCommand('integrate contoso-apim to hub-vnet/new')).toEqual({
      kind: 'integrate',
      instance: 'contoso-apim',
      target: { kind: 'name', vnet: 'hub-vnet', subnet: 'new' },
    });
  });
});

describe('no usable subnet: the card proposes one', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start({ seed: noUsableSubnet(), tenantId: TENANT });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('offers the new subnet as the only choice, titled with what it creates', async () => {
    const chat = groupChat('proposal-1');
    const check = await h.say(alice, chat, 'check contoso-apim');
    const card = cardOf(check.reply?.activity);
    const choices = choicesOf(card, 'subnetId');
    expect(choices).toHaveLength(1);
    const [choice] = choices;
    expect(choice?.value).toMatch(/^new:[0-9a-f-]{36}$/);
    expect(choice?.title).toMatch(/^🆕 /);
    expect(choice?.title.replace(/\u200b/g, '').slice(3)).toMatch(NEW_TITLE);
    const text = textOf(card);
    expect(text).toMatch(/No existing subnet you can see can be used, so I propose a new one/);
    expect(text).not.toMatch(/secret-vnet/);
    expect(actionsOf(card).map((a) => a.verb)).toEqual(['requestIntegration']);
  });

  it('choosing it is checked against the server-side record; forged choices are refused', async () => {
    const chat = groupChat('proposal-2');
    const check = await h.say(alice, chat, 'check contoso-apim');
    const card = cardOf(check.reply?.activity);
    const action = actionsOf(card).find((a) => a.verb === 'requestIntegration')!;
    const value = choicesOf(card, 'subnetId')[0]!.value;
    for (const forged of ['new:', 'new:00000000-0000-4000-8000-000000000000', `new:${value.slice(4)}x`]) {
      const result = await h.click(alice, chat, 'requestIntegration', { ...action.data, subnetId: forged }, check.reply!.activityId);
      expect(invokeMessage(result)).toMatch(/not one of the options/);
    }
    const chosen = await h.click(alice, chat, 'requestIntegration', { ...action.data, subnetId: value }, check.reply!.activityId);
    const requestCard = textOf(invokeCard(chosen));
    expect(requestCard).toMatch(/R-[0-9A-Z]{5}/);
    expect(requestCard).toContain('VNet integration on a new subnet: contoso-apim → hub-vnet/snet-apim-contoso-apim-outbound (new)');
  });

  it('a requester who may not add subnets gets no proposal, and is told why', async () => {
    const check = await h.say(dave, groupChat('proposal-3'), 'check contoso-apim');
    const card = cardOf(check.reply?.activity);
    expect(choicesOf(card, 'subnetId')).toEqual([]);
    expect(textOf(card)).toMatch(/I cannot propose a new subnet: The requester may not add a subnet to virtual network 'hub-vnet' in West Europe/);
  });
});

describe('a full VNet', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start({ seed: noUsableSubnet(['10.1.3.0/28', '10.1.4.0/24']), tenantId: TENANT });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('gets no proposal and a clear message', async () => {
    const check = await h.say(alice, groupChat('full-1'), 'integrate contoso-apim');
    const card = cardOf(check.reply?.activity);
    expect(choicesOf(card, 'subnetId')).toEqual([]);
    expect(actionsOf(card)).toEqual([]);
    expect(textOf(card)).toMatch(/I cannot propose a new subnet: No free address block of \/24 to \/27 is left in virtual network 'hub-vnet'/);
  });
});

describe('integrate <instance> new subnet, with usable subnets around', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start({ seed: estate(), tenantId: TENANT });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a plain check offers no new subnet when one fits', async () => {
    const check = await h.say(alice, groupChat('new-1'), 'check contoso-apim');
    const choices = choicesOf(cardOf(check.reply?.activity), 'subnetId');
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.some((c) => c.value.startsWith('new:'))).toBe(false);
  });

  it('asked for, the new subnet comes after the existing choices of that VNet', async () => {
    const check = await h.say(alice, groupChat('new-2'), 'integrate contoso-apim new subnet in hub-vnet');
    const choices = choicesOf(cardOf(check.reply?.activity), 'subnetId');
    expect(choices.map((c) => c.value)).toContain(subnetId('hub-vnet', 'apim-outbound'));
    const last = choices[choices.length - 1]!;
    expect(last.value).toMatch(/^new:/);
    expect(last.title.replace(/\u200b/g, '')).toMatch(/New subnet hub-vnet\/snet-apim-contoso-apim-outbound · 10\.0\.0\.0\/24/);
    expect(choices.filter((c) => c.value.startsWith('new:'))).toHaveLength(1);
  });

  it('in a VNet the person cannot read, says so without naming what it cannot see', async () => {
    const check = await h.say(alice, groupChat('new-3'), 'integrate contoso-apim new subnet in secret-vnet');
    const card = cardOf(check.reply?.activity);
    expect(choicesOf(card, 'subnetId')).toEqual([]);
    expect(textOf(card)).toMatch(/No new subnet offered|I cannot propose a new subnet/);
    expect(textOf(card)).toMatch(/No virtual network named 'secret-vnet' was found/);
  });
});
