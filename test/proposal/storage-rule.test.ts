import { describe, expect, it } from 'vitest';
import type { SecurityRuleFacts } from '../../src/eligibility/facts.js';
import { decideStorageAccess, nsgFindings } from '../../src/eligibility/nsg-rules.js';
import {
  apimOutboundNsg,
  pickStorageRulePriority,
  ruleSpecFacts,
  storageAllowRule,
  storageRuleFix,
  storageServiceTag,
} from '../../src/proposal/storage-rule.js';
import { defaultRules, nsg, nsgId, rule, subnet } from '../eligibility/facts-builder.js';

const SUBNET = ['10.0.1.0/24'];
const REGION = 'westeurope';

const deny = (name: string, priority: number, overrides: Partial<SecurityRuleFacts> = {}): SecurityRuleFacts =>
  rule({ name, priority, access: 'Deny', ...overrides });
const allow = (name: string, priority: number, overrides: Partial<SecurityRuleFacts> = {}): SecurityRuleFacts =>
  rule({ name, priority, access: 'Allow', destinationAddressPrefixes: ['10.9.0.0/16'], ...overrides });

/** The NSG with the fix added, judged by the eligibility rules: must be an explicit allow with nothing uncertain before it. */
function judgedWithFix(custom: SecurityRuleFacts[], region = REGION, prefixes = SUBNET): ReturnType<typeof decideStorageAccess> | null {
  const group = nsg(custom);
  const fix = storageRuleFix(group, prefixes, region);
  if (!fix) return null;
  return decideStorageAccess([...group.rules, ruleSpecFacts(fix)], prefixes, region);
}

describe('storageServiceTag', () => {
  it.each([
    [undefined, 'Storage'],
    [null, 'Storage'],
    ['', 'Storage'],
    ['West Europe', 'Storage.WestEurope'],
    ['westeurope', 'Storage.westeurope'],
    ['East US 2', 'Storage.EastUS2'],
  ])('%j -> %s', (region, tag) => expect(storageServiceTag(region)).toBe(tag));
});

describe('storageAllowRule', () => {
  it('is an outbound Allow TCP 443 from VirtualNetwork to Storage at 100 by default', () => {
    expect(storageAllowRule()).toEqual({
      name: 'AllowApimStorageOutbound',
      description: expect.stringContaining('Storage'),
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRange: '443',
      sourceAddressPrefix: 'VirtualNetwork',
      destinationAddressPrefix: 'Storage',
      access: 'Allow',
      priority: 100,
      direction: 'Outbound',
    });
  });
  it('takes a name, a priority, the subnet prefix as source and the regional tag', () => {
    expect(storageAllowRule({ name: 'x', priority: 4096, source: '10.70.0.0/24', region: 'West Europe' })).toMatchObject({
      name: 'x',
      priority: 4096,
      sourceAddressPrefix: '10.70.0.0/24',
      destinationAddressPrefix: 'Storage.WestEurope',
    });
  });
  it.each([99, 4097, 150.5, 0])('refuses priority %s', (priority) => expect(() => storageAllowRule({ priority })).toThrow(RangeError));
  it('is judged an explicit allow that wins, in a new NSG, by the eligibility rules', () => {
    for (const options of [{}, { source: '10.0.1.0/24' }, { region: 'West Europe' }, { region: 'westeurope', source: '10.0.0.0/16' }]) {
      const decision = decideStorageAccess([ruleSpecFacts(storageAllowRule(options)), ...defaultRules()], SUBNET, 'West Europe');
      expect(decision.outcome).toBe('allowedExplicitly');
      expect(decision.uncertainDenies).toEqual([]);
    }
  });
});

describe('apimOutboundNsg', () => {
  it('builds the NSG the bot creates: id in the resource group, location, one rule at 100', () => {
    const spec = apimOutboundNsg({ resourceGroupId: '/subscriptions/s1/resourceGroups/rg-net/', name: 'nsg-apim-x-outbound', location: 'westeurope' });
    expect(spec).toEqual({
      id: '/subscriptions/s1/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/nsg-apim-x-outbound',
      name: 'nsg-apim-x-outbound',
      location: 'westeurope',
      securityRules: [storageAllowRule()],
    });
  });
  it('passes the source and region to the rule', () => {
    const spec = apimOutboundNsg({ resourceGroupId: '/subscriptions/s1/resourceGroups/rg', name: 'n', location: 'westeurope', source: '10.1.0.0/24', region: 'West Europe' });
    expect(spec.securityRules[0]).toMatchObject({ sourceAddressPrefix: '10.1.0.0/24', destinationAddressPrefix: 'Storage.WestEurope', priority: 100 });
  });
  it('satisfies the NSG rule of the eligibility check for a subnet behind it', () => {
    const spec = apimOutboundNsg({ resourceGroupId: '/subscriptions/s1/resourceGroups/rg-net', name: 'nsg-apim', location: 'westeurope' });
    const facts = { id: nsgId('nsg-apim'), name: 'nsg-apim', location: 'westeurope', rules: [...spec.securityRules.map(ruleSpecFacts), ...defaultRules()] };
    const findings = nsgFindings(subnet('apim-out', { networkSecurityGroupId: facts.id }), new Map([[facts.id.toLowerCase(), facts]]), 'westeurope');
    expect(findings).toEqual([]);
  });
});

describe('pickStorageRulePriority', () => {
  it('100 in an NSG with default rules only', () => {
    expect(pickStorageRulePriority(defaultRules(), SUBNET, REGION)).toBe(100);
  });
  it('assumes the default rules when the list has none', () => {
    expect(pickStorageRulePriority([], SUBNET, REGION)).toBe(100);
  });
  it('skips priorities other outbound rules hold', () => {
    expect(pickStorageRulePriority([allow('a', 100), allow('b', 101), allow('c', 103)], SUBNET, REGION)).toBe(102);
  });
  it('inbound rules do not take a priority from it', () => {
    expect(pickStorageRulePriority([allow('in', 100, { direction: 'Inbound' })], SUBNET, REGION)).toBe(100);
  });
  it('comes before a deny that matches: Internet 443 at 300', () => {
    expect(pickStorageRulePriority([deny('deny-internet', 300, { destinationAddressPrefixes: ['Internet'] })], SUBNET, REGION)).toBe(100);
  });
  it('fills the only gap before a matching deny', () => {
    const taken = Array.from({ length: 9 }, (_, i) => allow(`a${i}`, 100 + i));
    expect(pickStorageRulePriority([...taken, deny('deny', 110, { destinationAddressPrefixes: ['*'] })], SUBNET, REGION)).toBe(109);
  });
  it('null when a matching deny holds 100', () => {
    expect(pickStorageRulePriority([deny('deny', 100, { destinationAddressPrefixes: ['Storage'] })], SUBNET, REGION)).toBeNull();
  });
  it('null when every priority before the matching deny is taken', () => {
    const taken = Array.from({ length: 20 }, (_, i) => allow(`a${i}`, 100 + i));
    expect(pickStorageRulePriority([...taken, deny('deny', 120, { destinationAddressPrefixes: ['Internet'] })], SUBNET, REGION)).toBeNull();
  });
  it.each([
    ['a deny to another region', { destinationAddressPrefixes: ['Storage.EastUS'] }],
    ['a deny of UDP only', { protocol: 'Udp', destinationAddressPrefixes: ['*'] }],
    ['a deny of port 80 only', { destinationPortRanges: ['80'], destinationAddressPrefixes: ['*'] }],
    ['a deny to private space', { destinationAddressPrefixes: ['10.0.0.0/8'] }],
    ['a deny from another subnet', { sourceAddressPrefixes: ['10.9.0.0/24'], destinationAddressPrefixes: ['*'] }],
    ['a deny to another service tag', { destinationAddressPrefixes: ['AzureKeyVault'] }],
  ])('ignores %s', (_label, overrides) => {
    expect(pickStorageRulePriority([deny('d', 100, overrides), allow('a', 101)], SUBNET, REGION)).toBe(102);
  });
  it('ignores an inbound deny, whose priority it may share', () => {
    expect(pickStorageRulePriority([deny('d', 100, { direction: 'Inbound', destinationAddressPrefixes: ['*'] })], SUBNET, REGION)).toBe(100);
  });
  it.each([
    ['the regional Storage tag', { destinationAddressPrefixes: ['Storage.WestEurope'] }],
    ['AzureCloud', { destinationAddressPrefixes: ['AzureCloud'] }],
    ['0.0.0.0/0', { destinationAddressPrefixes: ['0.0.0.0/0'] }],
    ['a port range holding 443', { destinationPortRanges: ['400-500'], destinationAddressPrefixes: ['*'] }],
    ['any protocol', { protocol: '*', destinationAddressPrefixes: ['Internet'] }],
    ['a source covering the subnet', { sourceAddressPrefixes: ['10.0.0.0/16'], destinationAddressPrefixes: ['*'] }],
  ])('comes before a deny matching through %s', (_label, overrides) => {
    expect(pickStorageRulePriority([allow('a', 100), deny('d', 102, overrides)], SUBNET, REGION)).toBe(101);
    expect(pickStorageRulePriority([deny('d', 100, overrides)], SUBNET, REGION)).toBeNull();
  });
  it.each([
    ['a public IP range that may hold Storage', { destinationAddressPrefixes: ['20.60.0.0/16'] }],
    ['an application security group destination', { destinationAddressPrefixes: [], destinationApplicationSecurityGroupIds: ['/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/applicationSecurityGroups/asg'] }],
    ['a source covering part of the subnet', { sourceAddressPrefixes: ['10.0.1.0/25'], destinationAddressPrefixes: ['*'] }],
  ])('comes before a deny that may match through %s (uncertain counts)', (_label, overrides) => {
    expect(pickStorageRulePriority([deny('d', 200, overrides)], SUBNET, REGION)).toBe(100);
    expect(pickStorageRulePriority([deny('d', 100, overrides)], SUBNET, REGION)).toBeNull();
  });
  it('the first matching deny decides the limit, not a later one', () => {
    const rules = [deny('late', 3000, { destinationAddressPrefixes: ['*'] }), deny('early', 150, { destinationAddressPrefixes: ['Internet'] })];
    expect(pickStorageRulePriority(rules, SUBNET, REGION, 200)).toBe(149);
  });
  it('starts from the preferred priority and goes up', () => {
    expect(pickStorageRulePriority([allow('a', 500)], SUBNET, REGION, 500)).toBe(501);
  });
  it('goes below the preferred priority when nothing above it wins', () => {
    expect(pickStorageRulePriority([deny('d', 300, { destinationAddressPrefixes: ['*'] })], SUBNET, REGION, 400)).toBe(299);
  });
  it('never above 4096', () => {
    expect(pickStorageRulePriority([], SUBNET, REGION, 5000)).toBe(4096);
    const full = Array.from({ length: 3997 }, (_, i) => allow(`a${i}`, 100 + i));
    expect(pickStorageRulePriority(full, SUBNET, REGION)).toBeNull();
  });
  it('a subnet without IPv4 prefix: a CIDR-sourced deny is uncertain and still counts', () => {
    expect(pickStorageRulePriority([deny('d', 200, { sourceAddressPrefixes: ['10.0.0.0/8'], destinationAddressPrefixes: ['*'] })], [], REGION)).toBe(100);
  });
});

describe('storageRuleFix', () => {
  it('after the fix the eligibility rules see an explicit allow that wins', () => {
    const cases: SecurityRuleFacts[][] = [
      [],
      [deny('deny-internet', 4000, { destinationAddressPrefixes: ['Internet'] })],
      [allow('a', 100), allow('b', 101), deny('deny-all', 103, { destinationAddressPrefixes: ['*'], protocol: '*', destinationPortRanges: ['*'] })],
      [deny('deny-ip', 200, { destinationAddressPrefixes: ['20.60.0.0/16'] })],
      [deny('deny-storage-range', 110, { protocol: '*', destinationPortRanges: ['400-500'], destinationAddressPrefixes: ['Storage.WestEurope'] })],
      [allow('in', 100, { direction: 'Inbound' }), deny('d', 105, { destinationAddressPrefixes: ['AzureCloud'] })],
    ];
    for (const custom of cases) {
      const decision = judgedWithFix(custom);
      expect(decision?.outcome, JSON.stringify(custom)).toBe('allowedExplicitly');
      expect(decision?.uncertainDenies).toEqual([]);
    }
  });
  it('null when a matching deny holds 100', () => {
    expect(judgedWithFix([deny('d', 100, { destinationAddressPrefixes: ['Internet'] })])).toBeNull();
  });
  it('makes the name unique among the NSG rule names', () => {
    const fix = storageRuleFix(nsg([allow('AllowApimStorageOutbound', 100), allow('allowapimstorageoutbound-2', 101)]), SUBNET, REGION);
    expect(fix).toMatchObject({ name: 'AllowApimStorageOutbound-3', priority: 102 });
  });
  it('takes a name, a source, a preferred priority and the regional tag', () => {
    const fix = storageRuleFix(nsg([]), SUBNET, 'West Europe', { name: 'allow-storage', source: '10.0.1.0/24', preferredPriority: 250, regionalTag: true });
    expect(fix).toMatchObject({ name: 'allow-storage', sourceAddressPrefix: '10.0.1.0/24', priority: 250, destinationAddressPrefix: 'Storage.WestEurope' });
  });
});
