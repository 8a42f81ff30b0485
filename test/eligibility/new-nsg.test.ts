import { describe, expect, it } from 'vitest';
import { DEFAULT_NSG_NAME_PATTERN } from '../../src/eligibility/facts.js';
import { newApimNsg, nsgNamesInGroup, resourceGroupIdOf, type NewNsgInput } from '../../src/eligibility/new-nsg.js';
import { MAX_NAME_LENGTH } from '../../src/eligibility/names.js';
import { dependencyAllowRule, serviceTagIn } from '../../src/eligibility/dependency-allow-rules.js';
import { nsgId, OTHER_SUB, RG_NET, SUB, subnetId, vnetId } from '../eligibility/facts-builder.js';

const NSG_TYPE = 'providers/Microsoft.Network/networkSecurityGroups';

function input(overrides: Partial<NewNsgInput> = {}): NewNsgInput {
  return {
    instance: { name: 'apim-prod', subscriptionId: SUB, location: 'westeurope' },
    vnet: { id: vnetId(), location: 'westeurope' },
    namePattern: DEFAULT_NSG_NAME_PATTERN,
    takenNames: [],
    tags: ['AzureKeyVault'],
    tagForm: 'global',
    ...overrides,
  };
}

describe('resourceGroupIdOf', () => {
  it('is the resource group of a VNet id', () => {
    expect(resourceGroupIdOf(vnetId(), OTHER_SUB)).toBe(RG_NET);
  });

  it('works for any resource in the group (subnet, NSG)', () => {
    expect(resourceGroupIdOf(subnetId('apim-out'), OTHER_SUB)).toBe(RG_NET);
    expect(resourceGroupIdOf(nsgId('nsg-x'), OTHER_SUB)).toBe(RG_NET);
  });

  it("takes the subscription from the id, not the fallback", () => {
    expect(resourceGroupIdOf(vnetId('spoke', OTHER_SUB), SUB)).toBe(`/subscriptions/${OTHER_SUB}/resourceGroups/rg-net`);
  });

  it("keeps the id's spelling of the names, and writes the segment names ARM's way", () => {
    const id = `/SUBSCRIPTIONS/${SUB}/RESOURCEGROUPS/RG-Net/providers/Microsoft.Network/virtualNetworks/hub`;
    expect(resourceGroupIdOf(id, OTHER_SUB)).toBe(`/subscriptions/${SUB}/resourceGroups/RG-Net`);
  });

  it('ignores surrounding slashes', () => {
    expect(resourceGroupIdOf(`${vnetId()}/`, OTHER_SUB)).toBe(RG_NET);
    expect(resourceGroupIdOf(vnetId().slice(1), OTHER_SUB)).toBe(RG_NET);
  });

  it('falls back to the given subscription, with an empty group, when the id cannot be parsed', () => {
    // Garbage in: the result is not a usable resource group id (documents the current behaviour).
    expect(resourceGroupIdOf('not-a-resource-id', OTHER_SUB)).toBe(`/subscriptions/${OTHER_SUB}/resourceGroups/`);
  });
});

describe('nsgNamesInGroup', () => {
  const inGroup = (name: string, group = 'rg-net', subscription = SUB) =>
    `/subscriptions/${subscription}/resourceGroups/${group}/${NSG_TYPE}/${name}`;
  const lower = (names: string[]) => names.map((n) => n.toLowerCase());

  it('lists the names of the NSGs in the group, in the given order', () => {
    expect(lower(nsgNamesInGroup([nsgId('b'), nsgId('a')], RG_NET))).toEqual(['b', 'a']);
  });

  it('excludes NSGs of other groups, including a group whose name merely starts the same', () => {
    const ids = [nsgId('mine'), inGroup('other', 'rg-other'), inGroup('longer', 'rg-net2'), inGroup('sub', 'rg-net', OTHER_SUB)];
    expect(lower(nsgNamesInGroup(ids, RG_NET))).toEqual(['mine']);
  });

  it('compares ids case-insensitively (group id and NSG ids)', () => {
    const ids = [nsgId('one').toUpperCase(), `/subscriptions/${SUB}/resourcegroups/RG-NET/providers/microsoft.network/NETWORKSECURITYGROUPS/two`];
    expect(lower(nsgNamesInGroup(ids, RG_NET))).toEqual(['one', 'two']);
    expect(lower(nsgNamesInGroup([nsgId('three')], RG_NET.toUpperCase()))).toEqual(['three']);
  });

  it('ignores trailing slashes on the group id and the NSG ids', () => {
    expect(lower(nsgNamesInGroup([`${nsgId('one')}/`], `${RG_NET}/`))).toEqual(['one']);
  });

  it('ignores resources of other types in the group', () => {
    const ids = [vnetId(), subnetId('s'), `${RG_NET}/providers/Microsoft.Network/applicationSecurityGroups/asg`, nsgId('nsg')];
    expect(lower(nsgNamesInGroup(ids, RG_NET))).toEqual(['nsg']);
  });

  it('is empty without ids and accepts any iterable', () => {
    expect(nsgNamesInGroup([], RG_NET)).toEqual([]);
    expect(lower(nsgNamesInGroup(new Set([nsgId('x')]), RG_NET))).toEqual(['x']);
    function* ids() {
      yield nsgId('gen');
    }
    expect(lower(nsgNamesInGroup(ids(), RG_NET))).toEqual(['gen']);
  });
});

describe('newApimNsg', () => {
  it('names the NSG from the default pattern, in the VNet resource group and region, with the AzureKeyVault rule', () => {
    const created = newApimNsg(input());
    expect(created).toEqual({
      create: 'nsg-apim-apim-prod-outbound',
      id: `${RG_NET}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim-apim-prod-outbound`,
      location: 'westeurope',
      rules: [dependencyAllowRule('AzureKeyVault', { priority: 100 })],
    });
    expect(created.rules[0]).toMatchObject({
      name: 'AllowApimAzureKeyVaultOutbound',
      priority: 100,
      direction: 'Outbound',
      access: 'Allow',
      protocol: 'Tcp',
      sourcePortRange: '*',
      sourceAddressPrefix: 'VirtualNetwork',
      destinationPortRange: '443',
      destinationAddressPrefix: 'AzureKeyVault',
    });
  });

  it("uses the VNet's location, not the instance's", () => {
    const created = newApimNsg(input({ vnet: { id: vnetId(), location: 'West Europe' }, instance: { name: 'apim-prod', subscriptionId: SUB, location: 'northeurope' } }));
    expect(created.location).toBe('West Europe');
  });

  it("uses the VNet's subscription and group, not the instance's subscription", () => {
    const created = newApimNsg(input({ vnet: { id: vnetId('spoke', OTHER_SUB), location: 'westeurope' } }));
    expect(created.id).toBe(`/subscriptions/${OTHER_SUB}/resourceGroups/rg-net/${NSG_TYPE}/nsg-apim-apim-prod-outbound`);
  });

  it('expands <instance> in a custom pattern (case-insensitively)', () => {
    expect(newApimNsg(input({ namePattern: 'nsg-<instance>-egress' })).create).toBe('nsg-apim-prod-egress');
    expect(newApimNsg(input({ namePattern: '<INSTANCE>-nsg' })).create).toBe('apim-prod-nsg');
    expect(newApimNsg(input({ namePattern: 'shared-apim-nsg' })).create).toBe('shared-apim-nsg');
  });

  it('makes a pattern valid for ARM', () => {
    expect(newApimNsg(input({ namePattern: 'nsg apim/<instance>!' })).create).toBe('nsg-apim-apim-prod');
  });

  it('falls back to the default pattern when the pattern yields no valid name', () => {
    expect(newApimNsg(input({ namePattern: '---' })).create).toBe('nsg-apim-apim-prod-outbound');
    expect(newApimNsg(input({ namePattern: '' })).create).toBe('nsg-apim-apim-prod-outbound');
    expect(newApimNsg(input({ namePattern: '...' })).create).toBe('nsg-apim-apim-prod-outbound');
  });

  it('the id ends with the name actually chosen', () => {
    const created = newApimNsg(input({ namePattern: 'nsg <instance>', takenNames: ['nsg-apim-prod'] }));
    expect(created.create).toBe('nsg-apim-prod-2');
    expect(created.id).toBe(`${RG_NET}/${NSG_TYPE}/nsg-apim-prod-2`);
  });

  it('is unique among the taken names, case-insensitively', () => {
    expect(newApimNsg(input({ takenNames: ['NSG-APIM-APIM-PROD-OUTBOUND'] })).create).toBe('nsg-apim-apim-prod-outbound-2');
    expect(newApimNsg(input({ takenNames: ['nsg-apim-apim-prod-outbound', 'nsg-apim-apim-prod-outbound-2'] })).create).toBe(
      'nsg-apim-apim-prod-outbound-3',
    );
    expect(newApimNsg(input({ takenNames: ['unrelated', 'nsg-apim-apim-prod-outbound-2'] })).create).toBe('nsg-apim-apim-prod-outbound');
  });

  it('stays within 80 characters, also with a suffix', () => {
    const long = 'a'.repeat(90);
    const first = newApimNsg(input({ instance: { name: long, subscriptionId: SUB, location: 'westeurope' } }));
    expect(first.create.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    const second = newApimNsg(input({ instance: { name: long, subscriptionId: SUB, location: 'westeurope' }, takenNames: [first.create] }));
    expect(second.create).not.toBe(first.create);
    expect(second.create.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    expect(second.create.endsWith('-2')).toBe(true);
  });

  it('takes the taken names from nsgNamesInGroup of the VNet group', () => {
    const ids = [nsgId('NSG-APIM-APIM-PROD-OUTBOUND'), `/subscriptions/${SUB}/resourceGroups/rg-other/${NSG_TYPE}/nsg-apim-apim-prod-outbound-2`];
    const created = newApimNsg(input({ takenNames: nsgNamesInGroup(ids, resourceGroupIdOf(vnetId(), SUB)) }));
    expect(created.create).toBe('nsg-apim-apim-prod-outbound-2');
  });

  it('uses the given source for the rule', () => {
    expect(newApimNsg(input({ source: '10.0.1.0/24' })).rules[0]?.sourceAddressPrefix).toBe('10.0.1.0/24');
    expect(newApimNsg(input()).rules[0]?.sourceAddressPrefix).toBe('VirtualNetwork');
  });

  it("regional tag: AzureKeyVault.<instance region>, spaces removed; the instance's region, not the VNet's", () => {
    const westeurope = newApimNsg(input({ tagForm: 'regional' }));
    expect(westeurope.rules[0]?.destinationAddressPrefix).toBe(serviceTagIn('AzureKeyVault', 'westeurope'));
    expect(westeurope.rules[0]?.destinationAddressPrefix).toBe('AzureKeyVault.westeurope');
    const spaced = newApimNsg(
      input({ tagForm: 'regional', instance: { name: 'apim-prod', subscriptionId: SUB, location: 'West Europe' }, vnet: { id: vnetId(), location: 'northeurope' } }),
    );
    expect(spaced.rules[0]?.destinationAddressPrefix).toBe('AzureKeyVault.WestEurope');
  });

  it('global tag: the tag itself whatever the region', () => {
    const created = newApimNsg(input({ tagForm: 'global', instance: { name: 'apim-prod', subscriptionId: SUB, location: 'West Europe' } }));
    expect(created.rules[0]?.destinationAddressPrefix).toBe('AzureKeyVault');
  });

  it('has one rule per required tag, at 100, 101, …, and none when nothing is required', () => {
    expect(newApimNsg(input({ tagForm: 'regional', source: '10.0.0.0/24' })).rules).toHaveLength(1);
    const two = newApimNsg(input({ tags: ['AzureKeyVault', 'Storage'] })).rules;
    expect(two.map((r) => [r.name, r.destinationAddressPrefix, r.priority])).toEqual([
      ['AllowApimAzureKeyVaultOutbound', 'AzureKeyVault', 100],
      ['AllowApimStorageOutbound', 'Storage', 101],
    ]);
    expect(newApimNsg(input({ tags: [] })).rules).toEqual([]);
  });
});
