import { describe, expect, it } from 'vitest';
import {
  dependencyAllowRule,
  dependencyRuleName,
  dependencyRulesFix,
  newNsgRules,
  pickDependencyRulePriority,
  ruleSpecFacts,
  ruleSpecText,
  serviceTagIn,
} from '../../src/eligibility/dependency-allow-rules.js';
import { DEFAULT_DEPENDENCIES, type SecurityRuleFacts } from '../../src/eligibility/facts.js';
import { nsgFindings } from '../../src/eligibility/nsg-rules.js';
import { decideDependencyAccess } from '../../src/eligibility/security-rules.js';
import { defaultRules, nsg, nsgId, rule, subnet } from '../eligibility/facts-builder.js';

const SUBNET = ['10.0.1.0/24'];
const REGION = 'westeurope';
const TAG = 'AzureKeyVault';

const deny = (name: string, priority: number, overrides: Partial<SecurityRuleFacts> = {}): SecurityRuleFacts =>
  rule({ name, priority, access: 'Deny', ...overrides });
const allow = (name: string, priority: number, overrides: Partial<SecurityRuleFacts> = {}): SecurityRuleFacts =>
  rule({ name, priority, access: 'Allow', destinationAddressPrefixes: ['10.9.0.0/16'], ...overrides });
const pick = (rules: SecurityRuleFacts[], prefixes = SUBNET, preferred?: number) => pickDependencyRulePriority(rules, prefixes, TAG, REGION, new Set(), preferred);

/** The NSG with the fix added, judged by the eligibility rules, per tag: each must be an explicit allow with nothing uncertain before it. */
function judgedWithFix(custom: SecurityRuleFacts[], tags = [TAG], region = REGION, prefixes = SUBNET) {
  const group = nsg(custom);
  const fix = dependencyRulesFix(group, prefixes, region, tags);
  if (!fix) return null;
  return tags.map((tag) => decideDependencyAccess([...group.rules, ...fix.map(ruleSpecFacts)], prefixes, tag, region));
}

describe('serviceTagIn', () => {
  it.each([
    [undefined, 'AzureKeyVault'],
    [null, 'AzureKeyVault'],
    ['', 'AzureKeyVault'],
    ['West Europe', 'AzureKeyVault.WestEurope'],
    ['westeurope', 'AzureKeyVault.westeurope'],
    ['East US 2', 'AzureKeyVault.EastUS2'],
  ])('%j -> %s', (region, tag) => expect(serviceTagIn(TAG, region)).toBe(tag));
  it('works for any tag', () => expect(serviceTagIn('Storage', 'West Europe')).toBe('Storage.WestEurope'));
});

describe('dependencyRuleName', () => {
  it.each([
    ['AzureKeyVault', 'AllowApimAzureKeyVaultOutbound'],
    ['Storage', 'AllowApimStorageOutbound'],
    ['AzureMonitor', 'AllowApimAzureMonitorOutbound'],
  ])('%s -> %s', (tag, name) => expect(dependencyRuleName(tag)).toBe(name));
});

describe('dependencyAllowRule', () => {
  it('is an outbound Allow TCP 443 from VirtualNetwork to the tag at 100 by default', () => {
    expect(dependencyAllowRule(TAG)).toEqual({
      name: 'AllowApimAzureKeyVaultOutbound',
      description: expect.stringContaining('AzureKeyVault'),
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRange: '443',
      sourceAddressPrefix: 'VirtualNetwork',
      destinationAddressPrefix: 'AzureKeyVault',
      access: 'Allow',
      priority: 100,
      direction: 'Outbound',
    });
  });
  it('takes a name, a priority, the subnet prefix as source and the regional tag', () => {
    expect(dependencyAllowRule(TAG, { name: 'x', priority: 4096, source: '10.70.0.0/24', region: 'West Europe' })).toMatchObject({
      name: 'x',
      priority: 4096,
      sourceAddressPrefix: '10.70.0.0/24',
      destinationAddressPrefix: 'AzureKeyVault.WestEurope',
    });
  });
  it.each([99, 4097, 150.5, 0])('refuses priority %s', (priority) => expect(() => dependencyAllowRule(TAG, { priority })).toThrow(RangeError));
  it('is judged an explicit allow that wins, in a new NSG, by the eligibility rules', () => {
    for (const options of [{}, { source: '10.0.1.0/24' }, { region: 'West Europe' }, { region: 'westeurope', source: '10.0.0.0/16' }]) {
      const decision = decideDependencyAccess([ruleSpecFacts(dependencyAllowRule(TAG, options)), ...defaultRules()], SUBNET, TAG, 'West Europe');
      expect(decision.outcome).toBe('allowedExplicitly');
      expect(decision.uncertainDenies).toEqual([]);
    }
  });
  it('says what it is in one phrase', () => {
    expect(ruleSpecText(dependencyAllowRule(TAG))).toBe("rule 'AllowApimAzureKeyVaultOutbound' (priority 100, outbound Allow TCP 443 to AzureKeyVault)");
  });
});

describe('newNsgRules', () => {
  it('one rule per tag, at 100, 101, …, with the source and region passed on', () => {
    expect(newNsgRules(['AzureKeyVault', 'Storage'], { source: '10.1.0.0/24', region: 'West Europe' }).map((r) => [r.name, r.priority, r.sourceAddressPrefix, r.destinationAddressPrefix])).toEqual([
      ['AllowApimAzureKeyVaultOutbound', 100, '10.1.0.0/24', 'AzureKeyVault.WestEurope'],
      ['AllowApimStorageOutbound', 101, '10.1.0.0/24', 'Storage.WestEurope'],
    ]);
    expect(newNsgRules([])).toEqual([]);
  });
  it('satisfies the NSG rule of the eligibility check for a subnet behind it, for every tag required', () => {
    for (const required of [['AzureKeyVault'], ['AzureKeyVault', 'Storage'], []]) {
      const rules = newNsgRules(required);
      const facts = { id: nsgId('nsg-apim'), name: 'nsg-apim', location: 'westeurope', rules: [...rules.map(ruleSpecFacts), ...defaultRules()] };
      const findings = nsgFindings(subnet('apim-out', { networkSecurityGroupId: facts.id }), new Map([[facts.id.toLowerCase(), facts]]), 'westeurope', { required, optional: ['Storage'] });
      expect(findings, JSON.stringify(required)).toEqual([]);
    }
  });
  it('with the default dependencies: an AzureKeyVault rule, no Storage rule', () => {
    expect(newNsgRules(DEFAULT_DEPENDENCIES.required).map((r) => r.destinationAddressPrefix)).toEqual(['AzureKeyVault']);
  });
});

describe('pickDependencyRulePriority', () => {
  it('100 in an NSG with default rules only', () => {
    expect(pick(defaultRules())).toBe(100);
  });
  it('assumes the default rules when the list has none', () => {
    expect(pick([])).toBe(100);
  });
  it('skips priorities other outbound rules hold', () => {
    expect(pick([allow('a', 100), allow('b', 101), allow('c', 103)])).toBe(102);
  });
  it('inbound rules do not take a priority from it', () => {
    expect(pick([allow('in', 100, { direction: 'Inbound' })])).toBe(100);
  });
  it('comes before a deny that matches: Internet 443 at 300', () => {
    expect(pick([deny('deny-internet', 300, { destinationAddressPrefixes: ['Internet'] })])).toBe(100);
  });
  it('fills the only gap before a matching deny', () => {
    const taken = Array.from({ length: 9 }, (_, i) => allow(`a${i}`, 100 + i));
    expect(pick([...taken, deny('deny', 110, { destinationAddressPrefixes: ['*'] })])).toBe(109);
  });
  it('null when a matching deny holds 100', () => {
    expect(pick([deny('deny', 100, { destinationAddressPrefixes: ['AzureKeyVault'] })])).toBeNull();
  });
  it('null when every priority before the matching deny is taken', () => {
    const taken = Array.from({ length: 20 }, (_, i) => allow(`a${i}`, 100 + i));
    expect(pick([...taken, deny('deny', 120, { destinationAddressPrefixes: ['Internet'] })])).toBeNull();
  });
  it.each([
    ['a deny to another region', { destinationAddressPrefixes: ['AzureKeyVault.EastUS'] }],
    ['a deny of UDP only', { protocol: 'Udp', destinationAddressPrefixes: ['*'] }],
    ['a deny of port 80 only', { destinationPortRanges: ['80'], destinationAddressPrefixes: ['*'] }],
    ['a deny to private space', { destinationAddressPrefixes: ['10.0.0.0/8'] }],
    ['a deny from another subnet', { sourceAddressPrefixes: ['10.9.0.0/24'], destinationAddressPrefixes: ['*'] }],
    ['a deny to another service tag', { destinationAddressPrefixes: ['Storage'] }],
  ])('ignores %s', (_label, overrides) => {
    expect(pick([deny('d', 100, overrides), allow('a', 101)])).toBe(102);
  });
  it('ignores an inbound deny, whose priority it may share', () => {
    expect(pick([deny('d', 100, { direction: 'Inbound', destinationAddressPrefixes: ['*'] })])).toBe(100);
  });
  it.each([
    ['the regional tag', { destinationAddressPrefixes: ['AzureKeyVault.WestEurope'] }],
    ['AzureCloud of the region', { destinationAddressPrefixes: ['AzureCloud.WestEurope'] }],
    ['Internet', { destinationAddressPrefixes: ['Internet'] }],
    ['AzureCloud', { destinationAddressPrefixes: ['AzureCloud'] }],
    ['0.0.0.0/0', { destinationAddressPrefixes: ['0.0.0.0/0'] }],
    ['a port range holding 443', { destinationPortRanges: ['400-500'], destinationAddressPrefixes: ['*'] }],
    ['any protocol', { protocol: '*', destinationAddressPrefixes: ['Internet'] }],
    ['a source covering the subnet', { sourceAddressPrefixes: ['10.0.0.0/16'], destinationAddressPrefixes: ['*'] }],
  ])('comes before a deny matching through %s', (_label, overrides) => {
    expect(pick([allow('a', 100), deny('d', 102, overrides)])).toBe(101);
    expect(pick([deny('d', 100, overrides)])).toBeNull();
  });
  it.each([
    ['a public IP range that may hold Key Vault addresses', { destinationAddressPrefixes: ['20.60.0.0/16'] }],
    ['an application security group destination', { destinationAddressPrefixes: [], destinationApplicationSecurityGroupIds: ['/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/applicationSecurityGroups/asg'] }],
    ['a source covering part of the subnet', { sourceAddressPrefixes: ['10.0.1.0/25'], destinationAddressPrefixes: ['*'] }],
  ])('comes before a deny that may match through %s (uncertain counts)', (_label, overrides) => {
    expect(pick([deny('d', 200, overrides)])).toBe(100);
    expect(pick([deny('d', 100, overrides)])).toBeNull();
  });
  it('the first matching deny decides the limit, not a later one', () => {
    const rules = [deny('late', 3000, { destinationAddressPrefixes: ['*'] }), deny('early', 150, { destinationAddressPrefixes: ['Internet'] })];
    expect(pick(rules, SUBNET, 200)).toBe(149);
  });
  it('starts from the preferred priority and goes up', () => {
    expect(pick([allow('a', 500)], SUBNET, 500)).toBe(501);
  });
  it('goes below the preferred priority when nothing above it wins', () => {
    expect(pick([deny('d', 300, { destinationAddressPrefixes: ['*'] })], SUBNET, 400)).toBe(299);
  });
  it('never above 4096', () => {
    expect(pick([], SUBNET, 5000)).toBe(4096);
    const full = Array.from({ length: 3997 }, (_, i) => allow(`a${i}`, 100 + i));
    expect(pick(full)).toBeNull();
  });
  it('a subnet without IPv4 prefix: a CIDR-sourced deny is uncertain and still counts', () => {
    expect(pick([deny('d', 200, { sourceAddressPrefixes: ['10.0.0.0/8'], destinationAddressPrefixes: ['*'] })], [])).toBe(100);
  });
});

describe('dependencyRulesFix', () => {
  it('after the fix the eligibility rules see an explicit allow that wins', () => {
    const cases: SecurityRuleFacts[][] = [
      [],
      [deny('deny-internet', 4000, { destinationAddressPrefixes: ['Internet'] })],
      [allow('a', 100), allow('b', 101), deny('deny-all', 103, { destinationAddressPrefixes: ['*'], protocol: '*', destinationPortRanges: ['*'] })],
      [deny('deny-ip', 200, { destinationAddressPrefixes: ['20.60.0.0/16'] })],
      [deny('deny-keyvault-range', 110, { protocol: '*', destinationPortRanges: ['400-500'], destinationAddressPrefixes: ['AzureKeyVault.WestEurope'] })],
      [allow('in', 100, { direction: 'Inbound' }), deny('d', 105, { destinationAddressPrefixes: ['AzureCloud'] })],
    ];
    for (const tags of [[TAG], ['AzureKeyVault', 'Storage']]) {
      for (const [i, custom] of cases.entries()) {
        const decisions = judgedWithFix(custom, tags);
        // One free priority (102) before the deny-all at 103: room for one rule, not two.
        if (i === 2 && tags.length === 2) {
          expect(decisions).toBeNull();
          continue;
        }
        expect(decisions?.map((d) => d.outcome), JSON.stringify({ tags, custom })).toEqual(tags.map(() => 'allowedExplicitly'));
        for (const d of decisions ?? []) expect(d.uncertainDenies).toEqual([]);
      }
    }
  });
  it('two tags get distinct free priorities, each before its first matching deny', () => {
    const fix = dependencyRulesFix(nsg([allow('a', 100), deny('deny-storage', 103, { destinationAddressPrefixes: ['Storage'] })]), SUBNET, REGION, ['AzureKeyVault', 'Storage']);
    expect(fix?.map((r) => [r.name, r.priority, r.destinationAddressPrefix])).toEqual([
      ['AllowApimAzureKeyVaultOutbound', 101, 'AzureKeyVault'],
      ['AllowApimStorageOutbound', 102, 'Storage'],
    ]);
  });
  it('null when a matching deny holds 100, for any of the tags', () => {
    expect(judgedWithFix([deny('d', 100, { destinationAddressPrefixes: ['Internet'] })])).toBeNull();
    expect(dependencyRulesFix(nsg([deny('d', 100, { destinationAddressPrefixes: ['Storage'] })]), SUBNET, REGION, ['AzureKeyVault', 'Storage'])).toBeNull();
    expect(dependencyRulesFix(nsg([deny('d', 100, { destinationAddressPrefixes: ['Storage'] })]), SUBNET, REGION, ['AzureKeyVault'])).toHaveLength(1);
  });
  it('makes the names unique among the NSG rule names (compared without case)', () => {
    const fix = dependencyRulesFix(nsg([allow('AllowApimAzureKeyVaultOutbound', 100), allow('allowapimazurekeyvaultoutbound-2', 101)]), SUBNET, REGION, [TAG]);
    expect(fix).toMatchObject([{ name: 'AllowApimAzureKeyVaultOutbound-3', priority: 102 }]);
  });
  it('never reuses a rule name of the NSG, inbound rules included (ARM names rules once per NSG)', () => {
    const fix = dependencyRulesFix(
      nsg([allow('allowapimazurekeyvaultoutbound', 100, { direction: 'Inbound' }), allow('AllowApimStorageOutbound', 300)]),
      SUBNET,
      REGION,
      ['AzureKeyVault', 'Storage'],
    );
    expect(fix?.map((r) => [r.name, r.priority])).toEqual([
      ['AllowApimAzureKeyVaultOutbound-2', 100],
      ['AllowApimStorageOutbound-2', 101],
    ]);
  });
  it('null as soon as one tag has no free priority, even when the others have one', () => {
    const taken = Array.from({ length: 3 }, (_, i) => allow(`a${i}`, 100 + i));
    const storageLocked = [...taken, deny('deny-storage', 103, { destinationAddressPrefixes: ['Storage'] })];
    expect(dependencyRulesFix(nsg(storageLocked), SUBNET, REGION, ['AzureKeyVault'])).toMatchObject([{ priority: 104 }]);
    expect(dependencyRulesFix(nsg(storageLocked), SUBNET, REGION, ['AzureKeyVault', 'Storage'])).toBeNull();
    expect(dependencyRulesFix(nsg(storageLocked), SUBNET, REGION, ['Storage', 'AzureKeyVault'])).toBeNull();
  });
  it('regional tag form for two tags: each tag in its form for the region', () => {
    const fix = dependencyRulesFix(nsg([]), SUBNET, 'West Europe', ['AzureKeyVault', 'Storage'], { regionalTag: true });
    expect(fix?.map((r) => r.destinationAddressPrefix)).toEqual(['AzureKeyVault.WestEurope', 'Storage.WestEurope']);
  });
  it('takes a source and the regional tag', () => {
    const fix = dependencyRulesFix(nsg([]), SUBNET, 'West Europe', [TAG], { source: '10.0.1.0/24', regionalTag: true });
    expect(fix).toMatchObject([{ name: 'AllowApimAzureKeyVaultOutbound', sourceAddressPrefix: '10.0.1.0/24', priority: 100, destinationAddressPrefix: 'AzureKeyVault.WestEurope' }]);
  });
  it('nothing to add for no tags', () => {
    expect(dependencyRulesFix(nsg([]), SUBNET, REGION, [])).toEqual([]);
  });
});
