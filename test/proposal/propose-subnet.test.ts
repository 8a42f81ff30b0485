import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROPOSAL_SETTINGS,
  proposalStillFits,
  proposeSubnet,
  requesterMayChange,
  type ProposalInput,
  type ProposalVnet,
  type SubnetProposal,
} from '../../src/proposal/propose-subnet.js';
import { dependencyAllowRule } from '../../src/eligibility/dependency-allow-rules.js';
import { access, grant } from '../eligibility/facts-builder.js';

const SUB = '189f6b01-5c3e-44f0-b915-6bbfe34712cc';
const OTHER_SUB = '9b0f14d9-1808-4489-a10b-cc02f606a0a3';
const rg = (name: string, sub = SUB) => `/subscriptions/${sub}/resourceGroups/${name}`;
const vnetId = (name: string, group = 'rg-network-apps', sub = SUB) => `${rg(group, sub)}/providers/Microsoft.Network/virtualNetworks/${name}`;

function vnet(name: string, space: string[], subnets: [string, ...string[]][] = [], extra: Partial<ProposalVnet> = {}): ProposalVnet {
  return {
    id: vnetId(name),
    name,
    location: 'westeurope',
    addressPrefixes: space,
    subnets: subnets.map(([subnetName, ...prefixes]) => ({ name: subnetName, addressPrefixes: prefixes })),
    ...extra,
  };
}

const INSTANCE = { name: 'contoso-apim', subscriptionId: SUB, location: 'West Europe' };
const APPS = vnet('apps-vnet', ['10.70.0.0/16'], [['web', '10.70.0.0/24'], ['data', '10.70.1.0/24']]);
const FULL = vnet('full-vnet', ['10.90.0.0/24'], [['a', '10.90.0.0/25'], ['b', '10.90.0.128/25']]);
const everything = (): boolean => true;

function propose(overrides: Partial<ProposalInput> = {}) {
  return proposeSubnet({ instance: INSTANCE, vnets: [APPS], mayChange: everything, ...overrides });
}
function proposal(overrides: Partial<ProposalInput> = {}): SubnetProposal {
  const outcome = propose(overrides);
  if (!outcome.proposal) throw new Error(`no proposal: ${JSON.stringify(outcome.reason)}`);
  return outcome.proposal;
}

describe('proposeSubnet: the proposal', () => {
  it('the first free /24 of the VNet, the default name, a new NSG, the delegation', () => {
    expect(propose()).toEqual({
      proposal: {
        vnetId: APPS.id,
        vnetName: 'apps-vnet',
        name: 'snet-apim-contoso-apim-outbound',
        subnetId: `${APPS.id}/subnets/snet-apim-contoso-apim-outbound`,
        addressPrefix: '10.70.2.0/24',
        prefixLength: 24,
        belowRecommended: false,
        nsg: {
          create: 'nsg-apim-contoso-apim-outbound',
          id: `${rg('rg-network-apps')}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim-contoso-apim-outbound`,
          location: 'westeurope',
          rules: [dependencyAllowRule('AzureKeyVault')],
        },
        delegation: 'Microsoft.Web/serverFarms',
      },
      reason: null,
    });
  });
  it('uses an existing NSG when configured', () => {
    const nsgId = `${rg('rg-network-hub')}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim-outbound`;
    expect(proposal({ settings: { nsg: { existingNsgId: nsgId } } }).nsg).toEqual({ id: nsgId });
  });
  it('a created NSG may use the regional tag and the subnet prefix as source', () => {
    const nsg = proposal({ settings: { tagForm: 'regional', ruleSource: 'subnet' } }).nsg;
    expect(nsg).toMatchObject({ rules: [{ sourceAddressPrefix: '10.70.2.0/24', destinationAddressPrefix: 'AzureKeyVault.WestEurope', priority: 100 }] });
  });

  it("a created NSG carries one rule per required dependency of the settings, and none when the list is empty", () => {
    const two = proposal({ settings: { dependencyTags: ['AzureKeyVault', 'Storage'] } }).nsg;
    expect('rules' in two && two.rules.map((r) => r.destinationAddressPrefix)).toEqual(['AzureKeyVault', 'Storage']);
    const none = proposal({ settings: { dependencyTags: [] } }).nsg;
    expect('rules' in none && none.rules).toEqual([]);
  });
  it("a created NSG's name follows its pattern and avoids NSGs of the same resource group", () => {
    const taken = [
      `${rg('rg-network-apps')}/providers/Microsoft.Network/networkSecurityGroups/nsg-contoso-apim`,
      `${rg('rg-other')}/providers/Microsoft.Network/networkSecurityGroups/nsg-contoso-apim-2`,
    ];
    const nsg = proposal({ settings: { nsg: { create: { name: 'nsg-<instance>' } } }, existingNsgIds: taken }).nsg;
    expect(nsg).toMatchObject({ create: 'nsg-contoso-apim-2' });
  });
  it('the name pattern is configurable', () => {
    expect(proposal({ settings: { namePattern: 'apim-<instance>' } }).name).toBe('apim-contoso-apim');
  });
  it('an invalid pattern falls back to the default', () => {
    expect(proposal({ settings: { namePattern: '///' } }).name).toBe('snet-apim-contoso-apim-outbound');
  });
  it('the name is unique in the VNet (-2, -3 …, case-insensitive)', () => {
    const busy = vnet('apps-vnet', ['10.70.0.0/16'], [
      ['SNET-APIM-CONTOSO-APIM-OUTBOUND', '10.70.0.0/24'],
      ['snet-apim-contoso-apim-outbound-2', '10.70.1.0/24'],
    ]);
    expect(proposal({ vnets: [busy] }).name).toBe('snet-apim-contoso-apim-outbound-3');
  });
  it('a name taken in another VNet does not matter', () => {
    const other = vnet('other-vnet', ['10.71.0.0/24'], [['snet-apim-contoso-apim-outbound', '10.71.0.0/24']]);
    expect(proposal({ vnets: [other, APPS] }).name).toBe('snet-apim-contoso-apim-outbound');
  });
  it('recommended and minimum sizes are settings', () => {
    expect(proposal({ settings: { recommendedPrefix: 26 } }).addressPrefix).toBe('10.70.2.0/26');
    const tight = vnet('apps-vnet', ['10.70.0.0/24'], [['a', '10.70.0.0/25']]);
    expect(propose({ vnets: [tight], settings: { recommendedPrefix: 24, minimumPrefix: 24 } }).reason?.code).toBe('NO_FREE_SPACE');
  });
});

describe('proposeSubnet: which VNet', () => {
  it('the first VNet (in the order given) with a free block of the recommended size', () => {
    const second = vnet('second-vnet', ['10.80.0.0/16']);
    expect(proposal({ vnets: [FULL, APPS, second] }).vnetName).toBe('apps-vnet');
    expect(proposal({ vnets: [FULL, second, APPS] }).vnetName).toBe('second-vnet');
  });
  it('a /24 in a later VNet beats a /25 in an earlier one', () => {
    const small = vnet('small-vnet', ['10.60.0.0/24'], [['a', '10.60.0.0/25']]);
    expect(proposal({ vnets: [small, APPS] })).toMatchObject({ vnetName: 'apps-vnet', addressPrefix: '10.70.2.0/24', belowRecommended: false });
  });
  it('else the largest free block no smaller than the minimum, across the VNets', () => {
    const s26 = vnet('vnet-26', ['10.60.0.0/24'], [['a', '10.60.0.0/25'], ['b', '10.60.0.128/26']]);
    const s25 = vnet('vnet-25', ['10.61.0.0/24'], [['a', '10.61.0.0/25']]);
    expect(proposal({ vnets: [s26, s25] })).toMatchObject({ vnetName: 'vnet-25', addressPrefix: '10.61.0.128/25', prefixLength: 25, belowRecommended: true });
    expect(proposal({ vnets: [s26] })).toMatchObject({ vnetName: 'vnet-26', addressPrefix: '10.60.0.192/26', prefixLength: 26, belowRecommended: true });
  });
  it('exactly the minimum', () => {
    const s27 = vnet('vnet-27', ['10.60.0.0/24'], [['a', '10.60.0.0/25'], ['b', '10.60.0.128/26'], ['c', '10.60.0.192/27']]);
    expect(proposal({ vnets: [s27] })).toMatchObject({ addressPrefix: '10.60.0.224/27', prefixLength: 27 });
  });
  it('VNets in other regions (normalised compare) and subscriptions are skipped', () => {
    const ne = vnet('ne-vnet', ['10.110.0.0/16'], [], { location: 'northeurope' });
    const otherSub = vnet('shared-vnet', ['10.130.0.0/16'], [], { id: vnetId('shared-vnet', 'rg-network-shared', OTHER_SUB) });
    const spaced = vnet('spoke-vnet', ['10.20.0.0/16'], [], { location: 'West Europe' });
    expect(proposal({ vnets: [ne, otherSub, spaced] }).vnetName).toBe('spoke-vnet');
  });
  it('several address prefixes of one VNet: the first with room', () => {
    const multi = vnet('multi-vnet', ['10.50.0.0/24', '10.51.0.0/16', 'fd00:50::/48'], [['a', '10.50.0.0/24'], ['v6', 'fd00:50::/64']]);
    expect(proposal({ vnets: [multi] }).addressPrefix).toBe('10.51.0.0/24');
  });
  it('only the named VNet, by name or id, when asked', () => {
    const second = vnet('second-vnet', ['10.80.0.0/16']);
    expect(proposal({ vnets: [APPS, second], vnet: 'SECOND-vnet' }).vnetName).toBe('second-vnet');
    expect(proposal({ vnets: [APPS, second], vnet: second.id.toUpperCase() }).vnetName).toBe('second-vnet');
  });
});

describe('proposeSubnet: why there is none', () => {
  it('no VNet in the subscription and region', () => {
    const ne = vnet('ne-vnet', ['10.110.0.0/16'], [], { location: 'northeurope' });
    const outcome = propose({ vnets: [ne] });
    expect(outcome.proposal).toBeNull();
    expect(outcome.reason).toEqual({ code: 'NO_VNET_IN_REGION', message: expect.stringContaining('West Europe') });
    expect(propose({ vnets: [] }).reason?.code).toBe('NO_VNET_IN_REGION');
  });
  it('the named VNet does not exist', () => {
    expect(propose({ vnet: 'nope' }).reason).toEqual({ code: 'VNET_NOT_FOUND', message: expect.stringContaining("'nope'") });
  });
  it('the named VNet is in another region', () => {
    const ne = vnet('ne-vnet', ['10.110.0.0/16'], [], { location: 'northeurope' });
    expect(propose({ vnets: [APPS, ne], vnet: 'ne-vnet' }).reason).toEqual({ code: 'NO_VNET_IN_REGION', message: expect.stringContaining("'ne-vnet'") });
  });
  it('no VNet the requester may change', () => {
    const outcome = propose({ vnets: [APPS, FULL], mayChange: () => false });
    expect(outcome.reason).toEqual({ code: 'NO_VNET_REQUESTER_MAY_CHANGE', message: expect.stringContaining('subnets/write') });
    expect(outcome.reason?.message).toContain("'apps-vnet'");
  });
  it('mayChange as a set or list of ids (case-insensitive)', () => {
    const second = vnet('second-vnet', ['10.80.0.0/16']);
    expect(proposal({ vnets: [APPS, second], mayChange: new Set([second.id.toLowerCase()]) }).vnetName).toBe('second-vnet');
    expect(proposal({ vnets: [APPS, second], mayChange: [`${second.id.toUpperCase()}/`] }).vnetName).toBe('second-vnet');
    expect(propose({ vnets: [APPS], mayChange: [] }).reason?.code).toBe('NO_VNET_REQUESTER_MAY_CHANGE');
  });
  it('every VNet the requester may change is full', () => {
    const almost = vnet('almost-vnet', ['10.91.0.0/24'], [['a', '10.91.0.0/25'], ['b', '10.91.0.128/26'], ['c', '10.91.0.192/27'], ['d', '10.91.0.224/28']]);
    const outcome = propose({ vnets: [FULL, almost, APPS], mayChange: (v) => v.name !== 'apps-vnet' });
    expect(outcome.reason).toEqual({ code: 'NO_FREE_SPACE', message: expect.stringContaining('/24 to /27') });
    expect(outcome.reason?.message).toContain("'full-vnet', 'almost-vnet'");
  });
  it('a VNet without IPv4 address space counts as full', () => {
    const v6 = vnet('v6-vnet', ['fd00:1::/48']);
    expect(propose({ vnets: [v6] }).reason?.code).toBe('NO_FREE_SPACE');
  });
  it('long lists of VNets are cut in the message', () => {
    const many = Array.from({ length: 8 }, (_, i) => vnet(`v${i}`, ['10.0.0.0/24'], [['a', '10.0.0.0/24']], { id: vnetId(`v${i}`) }));
    expect(propose({ vnets: many }).reason?.message).toContain('and 3 more');
  });
});

describe('requesterMayChange', () => {
  it('needs subnets/write at the VNet or above', () => {
    const onVnet = requesterMayChange(access('alice', grant(APPS.id, ['Microsoft.Network/virtualNetworks/subnets/write'])));
    const onGroup = requesterMayChange(access('alice', grant(rg('rg-network-apps'), ['Microsoft.Network/*'])));
    const joinOnly = requesterMayChange(access('alice', grant(rg('rg-network-apps'), ['Microsoft.Network/virtualNetworks/subnets/join/action'])));
    const onOtherSubnet = requesterMayChange(access('alice', grant(`${APPS.id}/subnets/web`, ['Microsoft.Network/virtualNetworks/subnets/write'])));
    expect(onVnet(APPS)).toBe(true);
    expect(onGroup(APPS)).toBe(true);
    expect(joinOnly(APPS)).toBe(false);
    expect(onOtherSubnet(APPS)).toBe(false);
  });
  it('drives the proposal', () => {
    const second = vnet('second-vnet', ['10.80.0.0/16'], [], { id: vnetId('second-vnet', 'rg-team') });
    const alice = access('alice', grant(rg('rg-team'), ['Microsoft.Network/virtualNetworks/subnets/write']));
    expect(proposal({ vnets: [APPS, second], mayChange: requesterMayChange(alice) }).vnetName).toBe('second-vnet');
  });
});

describe('proposalStillFits', () => {
  const made = proposal();
  it('ok against the same VNet', () => expect(proposalStillFits(made, [APPS])).toEqual({ ok: true }));
  it('the VNet is gone', () => expect(proposalStillFits(made, [FULL])).toMatchObject({ ok: false, code: 'VNET_GONE' }));
  it('someone took the space', () => {
    const taken = vnet('apps-vnet', ['10.70.0.0/16'], [['web', '10.70.0.0/24'], ['data', '10.70.1.0/24'], ['theirs', '10.70.2.128/25']]);
    expect(proposalStillFits(made, [taken])).toMatchObject({ ok: false, code: 'PREFIX_TAKEN', message: expect.stringContaining("'theirs'") });
    const bigger = vnet('apps-vnet', ['10.70.0.0/16'], [['web', '10.70.0.0/24'], ['data', '10.70.1.0/24'], ['big', '10.70.0.0/22']]);
    expect(proposalStillFits(made, [bigger])).toMatchObject({ ok: false, code: 'PREFIX_TAKEN' });
  });
  it('someone took the name', () => {
    const named = vnet('apps-vnet', ['10.70.0.0/16'], [['web', '10.70.0.0/24'], ['data', '10.70.1.0/24'], [made.name.toUpperCase(), '10.70.9.0/24']]);
    expect(proposalStillFits(made, [named])).toMatchObject({ ok: false, code: 'NAME_TAKEN' });
  });
  it('the address space shrank', () => {
    const shrunk = vnet('apps-vnet', ['10.70.0.0/23'], [['web', '10.70.0.0/24'], ['data', '10.70.1.0/24']]);
    expect(proposalStillFits(made, [shrunk])).toMatchObject({ ok: false, code: 'PREFIX_OUTSIDE_SPACE' });
  });
  it('after a fresh proposal the new one fits', () => {
    const taken = vnet('apps-vnet', ['10.70.0.0/16'], [['web', '10.70.0.0/24'], ['data', '10.70.1.0/24'], ['theirs', '10.70.2.0/24']]);
    const again = proposal({ vnets: [taken] });
    expect(again.addressPrefix).toBe('10.70.3.0/24');
    expect(proposalStillFits(again, [taken])).toEqual({ ok: true });
  });
});

describe('DEFAULT_PROPOSAL_SETTINGS', () => {
  it('recommends /24, accepts /27, names after the instance, creates an NSG', () => {
    expect(DEFAULT_PROPOSAL_SETTINGS).toEqual({
      recommendedPrefix: 24,
      minimumPrefix: 27,
      namePattern: 'snet-apim-<instance>-outbound',
      nsg: { create: { name: 'nsg-apim-<instance>-outbound' } },
      dependencyTags: ['AzureKeyVault'],
      tagForm: 'global',
      ruleSource: 'VirtualNetwork',
    });
  });
});
