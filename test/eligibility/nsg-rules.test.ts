import { describe, expect, it } from 'vitest';
import { FindingCode } from '../../src/eligibility/codes.js';
import { evaluateEligibility } from '../../src/eligibility/evaluate.js';
import type { NsgFacts, SecurityRuleFacts } from '../../src/eligibility/facts.js';
import { decideStorageAccess, portRangesInclude, protocolMatchesTcp } from '../../src/eligibility/nsg-rules.js';
import { defaultRules, facts, findingOf, nsg, nsgId, rule, STORAGE_ALLOW, subnet, subnetReport, summary } from './facts-builder.js';

const SUBNET_PREFIXES = ['10.0.1.0/24'];
const ASG = '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/asg-web';

function checkWith(custom: SecurityRuleFacts[], options: { location?: string; nsgs?: NsgFacts[] } = {}) {
  const report = evaluateEligibility(
    facts({ instance: options.location ? { location: options.location } : {}, nsgs: options.nsgs ?? [nsg(custom)] }),
  );
  return subnetReport(report);
}

const deny = (overrides: Partial<SecurityRuleFacts> = {}) =>
  rule({ name: 'deny-out', priority: 100, access: 'Deny', destinationAddressPrefixes: ['Internet'], ...overrides });

describe('protocol and ports', () => {
  it.each([
    ['Tcp', true],
    ['TCP', true],
    ['*', true],
    ['Any', true],
    ['Udp', false],
    ['Icmp', false],
  ])('protocol %s: %s', (p, expected) => expect(protocolMatchesTcp(p)).toBe(expected));

  it.each<[string[], boolean]>([
    [['*'], true],
    [['443'], true],
    [['440-450'], true],
    [['443-443'], true],
    [['400 - 500'], true],
    [['80'], false],
    [['444-500'], false],
    [['80', '443'], true],
    [['80', '8080'], false],
    [['80,443'], true],
    [['22', '1000-2000'], false],
    [[], false],
    [['abc'], false],
  ])('ports %j include 443: %s', (ranges, expected) => expect(portRangesInclude(ranges, 443)).toBe(expected));
});

describe('NSG association', () => {
  it('NSG_MISSING when no NSG is associated and the bot may not give it one', () => {
    const report = evaluateEligibility(facts({ subnets: [subnet('s', { networkSecurityGroupId: null })], bot: { principalId: 'bot', grants: [] } }));
    const s = subnetReport(report);
    expect(summary(s.findings).filter((f) => f.startsWith('NSG'))).toEqual(['NSG_MISSING:blocking']);
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).message).toContain("Subnet 's'");
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).fix).toMatch(/Storage/);
    expect(s.verdict).toBe('ineligible');
  });

  it('an NSG that could not be read is a warning', () => {
    const report = evaluateEligibility(facts({ subnets: [subnet('s', { networkSecurityGroupId: nsgId('nsg-hidden') })] }));
    const s = subnetReport(report);
    expect(summary(s.findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning']);
    expect(s.findings[0]?.message).toContain('nsg-hidden');
    expect(s.findings[0]?.message).toMatch(/could not be read/);
    expect(s.verdict).toBe('eligible');
  });

  it('finds the NSG whatever the casing of the id', () => {
    const report = evaluateEligibility(facts({ subnets: [subnet('s', { networkSecurityGroupId: nsgId().toUpperCase() })] }));
    expect(subnetReport(report).findings).toEqual([]);
  });

  it('finds an NSG stored under a key without a leading slash', () => {
    const n = nsg();
    const f = facts();
    const report = evaluateEligibility({ ...f, networkSecurityGroups: new Map([[n.id.toLowerCase().slice(1), n]]) });
    expect(subnetReport(report).findings).toEqual([]);
  });
});

describe('Storage 443 outcome', () => {
  it('an explicit allow is fine', () => {
    expect(checkWith([STORAGE_ALLOW]).findings).toEqual([]);
  });

  it('only the default AllowInternetOutBound is a warning', () => {
    const s = checkWith([]);
    expect(summary(s.findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning']);
    expect(s.findings[0]?.message).toContain('AllowInternetOutBound');
    expect(s.findings[0]?.fix).toMatch(/Storage service tag/);
    expect(s.verdict).toBe('eligible');
  });

  it('deny at 100 before allow at 200 blocks, naming the rule and priority', () => {
    const s = checkWith([deny({ priority: 100 }), rule({ name: 'allow-storage', priority: 200 })]);
    expect(summary(s.findings)).toEqual(['NSG_BLOCKS_STORAGE:blocking']);
    const f = findingOf(s.findings, FindingCode.NSG_BLOCKS_STORAGE);
    expect(f.message).toContain("'deny-out'");
    expect(f.message).toContain('priority 100');
    expect(f.message).toContain("'nsg-apim'");
    expect(s.verdict).toBe('ineligible');
  });

  it('the fix asks for an allow with a lower number than the deny', () => {
    const f = checkWith([deny({ priority: 300 })]).findings[0];
    expect(f?.fix).toMatch(/lower than 300/);
    expect(f?.fix).toMatch(/Allow/);
  });

  it('allow at 100 before deny at 200 is fine', () => {
    const s = checkWith([rule({ name: 'allow-storage', priority: 100 }), deny({ priority: 200 })]);
    expect(s.findings).toEqual([]);
  });

  it('order in the facts does not matter, priority does', () => {
    const s = checkWith([rule({ name: 'allow-storage', priority: 300 }), deny({ priority: 250 })]);
    expect(summary(s.findings)).toEqual(['NSG_BLOCKS_STORAGE:blocking']);
  });

  it('inbound rules are ignored', () => {
    const s = checkWith([deny({ direction: 'Inbound' })]);
    expect(summary(s.findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning']); // default allow only
    expect(s.findings[0]?.message).toContain('AllowInternetOutBound');
  });

  it('a Udp deny does not match', () => {
    expect(checkWith([deny({ protocol: 'Udp' }), STORAGE_ALLOW]).findings).toEqual([]);
  });

  it.each(['*', 'TCP'])('a deny with protocol %s matches', (protocol) => {
    expect(summary(checkWith([deny({ protocol }), STORAGE_ALLOW]).findings)).toEqual(['NSG_BLOCKS_STORAGE:blocking']);
  });

  it.each<[string[], boolean]>([
    [['440-450'], true],
    [['80', '443'], true],
    [['*'], true],
    [['80'], false],
    [['8443'], false],
  ])('a deny on ports %j blocks: %s', (destinationPortRanges, blocks) => {
    const s = checkWith([deny({ destinationPortRanges }), STORAGE_ALLOW]);
    expect(summary(s.findings)).toEqual(blocks ? ['NSG_BLOCKS_STORAGE:blocking'] : []);
  });

  it('an allow on port 80 only is not an explicit allow', () => {
    expect(summary(checkWith([rule({ name: 'allow-80', priority: 100, destinationPortRanges: ['80'] })]).findings)).toEqual([
      'NSG_STORAGE_NOT_EXPLICIT:warning',
    ]);
  });

  it('a custom deny-all without explicit allow blocks (default allow never reached)', () => {
    const s = checkWith([deny({ name: 'deny-all', priority: 4096, protocol: '*', destinationAddressPrefixes: ['*'], destinationPortRanges: ['*'], sourceAddressPrefixes: ['*'] })]);
    expect(summary(s.findings)).toEqual(['NSG_BLOCKS_STORAGE:blocking']);
  });
});

describe('destination forms (deny at 100, explicit allow at 200)', () => {
  it.each<[string, string, string[]]>([
    ['Storage', 'westeurope', ['NSG_BLOCKS_STORAGE:blocking']],
    ['storage', 'westeurope', ['NSG_BLOCKS_STORAGE:blocking']],
    ['Storage.WestEurope', 'westeurope', ['NSG_BLOCKS_STORAGE:blocking']],
    ['Storage.WestEurope', 'West Europe', ['NSG_BLOCKS_STORAGE:blocking']],
    ['Storage.westeurope', 'WestEurope', ['NSG_BLOCKS_STORAGE:blocking']],
    ['Storage.EastUS', 'westeurope', []],
    ['Internet', 'westeurope', ['NSG_BLOCKS_STORAGE:blocking']],
    ['AzureCloud', 'westeurope', ['NSG_BLOCKS_STORAGE:blocking']],
    ['AzureCloud.WestEurope', 'westeurope', ['NSG_BLOCKS_STORAGE:blocking']],
    ['AzureCloud.EastUS', 'westeurope', []],
    ['*', 'westeurope', ['NSG_BLOCKS_STORAGE:blocking']],
    ['Any', 'westeurope', ['NSG_BLOCKS_STORAGE:blocking']],
    ['0.0.0.0/0', 'westeurope', ['NSG_BLOCKS_STORAGE:blocking']],
    ['AzureKeyVault', 'westeurope', []],
    ['Sql', 'westeurope', []],
    ['VirtualNetwork', 'westeurope', []],
    ['10.0.0.0/8', 'westeurope', []],
    ['192.168.10.0/24', 'westeurope', []],
    ['fd00::/8', 'westeurope', []],
    ['20.38.0.0/16', 'westeurope', ['NSG_STORAGE_NOT_EXPLICIT:warning']],
    ['52.0.0.0/8', 'westeurope', ['NSG_STORAGE_NOT_EXPLICIT:warning']],
  ])('deny to %s with the instance in %s', (destination, location, expected) => {
    const s = checkWith([deny({ destinationAddressPrefixes: [destination] }), STORAGE_ALLOW], { location });
    expect(summary(s.findings)).toEqual(expected);
  });

  it('an IP range deny is a warning that names the rule and the range', () => {
    const s = checkWith([deny({ name: 'deny-range', priority: 150, destinationAddressPrefixes: ['20.38.0.0/16'] }), STORAGE_ALLOW]);
    const f = findingOf(s.findings, FindingCode.NSG_STORAGE_NOT_EXPLICIT);
    expect(f.message).toContain("'deny-range'");
    expect(f.message).toContain('priority 150');
    expect(f.message).toContain('20.38.0.0/16');
    expect(s.verdict).toBe('eligible');
  });

  it('an ASG destination deny is a warning naming the ASG', () => {
    const s = checkWith([deny({ destinationAddressPrefixes: [], destinationApplicationSecurityGroupIds: [ASG] }), STORAGE_ALLOW]);
    expect(summary(s.findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning']);
    expect(s.findings[0]?.message).toContain('asg-web');
  });

  it('an uncertain deny before the default allow gives both warnings', () => {
    const s = checkWith([deny({ destinationAddressPrefixes: ['20.38.0.0/16'] })]);
    expect(summary(s.findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning', 'NSG_STORAGE_NOT_EXPLICIT:warning']);
  });

  it('an uncertain deny after the deciding allow is not reported', () => {
    const s = checkWith([rule({ name: 'allow-storage', priority: 100 }), deny({ priority: 200, destinationAddressPrefixes: ['20.38.0.0/16'] })]);
    expect(s.findings).toEqual([]);
  });

  it('an uncertain allow decides nothing: a later deny still blocks', () => {
    const s = checkWith([
      rule({ name: 'allow-range', priority: 100, destinationAddressPrefixes: ['20.38.0.0/16'] }),
      deny({ priority: 200 }),
    ]);
    expect(summary(s.findings)).toEqual(['NSG_BLOCKS_STORAGE:blocking']);
  });

  it('an allow to another region only is not an explicit allow', () => {
    const s = checkWith([rule({ name: 'allow-eastus', priority: 100, destinationAddressPrefixes: ['Storage.EastUS'] })]);
    expect(summary(s.findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning']);
  });

  it('an explicit allow to the regional tag is fine', () => {
    expect(checkWith([rule({ name: 'allow', priority: 100, destinationAddressPrefixes: ['Storage.WestEurope'] })]).findings).toEqual([]);
  });

  it('an allow listing several prefixes matches when one of them covers Storage', () => {
    expect(
      checkWith([rule({ name: 'allow', priority: 100, destinationAddressPrefixes: ['AzureKeyVault', 'Storage'] })]).findings,
    ).toEqual([]);
  });

  it('no AzureKeyVault finding is ever produced', () => {
    const s = checkWith([deny({ destinationAddressPrefixes: ['AzureKeyVault'] }), STORAGE_ALLOW]);
    expect(s.findings).toEqual([]);
  });
});

describe('source forms (deny at 100, explicit allow at 200; subnet 10.0.1.0/24)', () => {
  it.each<[string[], string[], string[]]>([
    [['*'], [], ['NSG_BLOCKS_STORAGE:blocking']],
    [['VirtualNetwork'], [], ['NSG_BLOCKS_STORAGE:blocking']],
    [['Any'], [], ['NSG_BLOCKS_STORAGE:blocking']],
    [['10.0.0.0/16'], [], ['NSG_BLOCKS_STORAGE:blocking']],
    [['10.0.1.0/24'], [], ['NSG_BLOCKS_STORAGE:blocking']],
    [['0.0.0.0/0'], [], ['NSG_BLOCKS_STORAGE:blocking']],
    [['10.0.2.0/24'], [], []],
    [['10.0.1.0/25'], [], ['NSG_STORAGE_NOT_EXPLICIT:warning']],
    [['10.0.1.5'], [], ['NSG_STORAGE_NOT_EXPLICIT:warning']],
    [['Internet'], [], []],
    [['AzureLoadBalancer'], [], []],
    [[], [ASG], ['NSG_STORAGE_NOT_EXPLICIT:warning']],
    [['10.0.2.0/24', '10.0.0.0/16'], [], ['NSG_BLOCKS_STORAGE:blocking']],
  ])('source %j / ASGs %j', (sourceAddressPrefixes, sourceApplicationSecurityGroupIds, expected) => {
    const s = checkWith([deny({ sourceAddressPrefixes, sourceApplicationSecurityGroupIds }), STORAGE_ALLOW]);
    expect(summary(s.findings)).toEqual(expected);
  });

  it('a partly overlapping source says so', () => {
    const s = checkWith([deny({ sourceAddressPrefixes: ['10.0.1.0/25'] }), STORAGE_ALLOW]);
    expect(s.findings[0]?.message).toMatch(/part of the subnet/);
  });
});

describe('decideStorageAccess', () => {
  it('explicit allow', () => {
    const d = decideStorageAccess([STORAGE_ALLOW, ...defaultRules()], SUBNET_PREFIXES, 'westeurope');
    expect(d.outcome).toBe('allowedExplicitly');
    expect(d.decidingRule?.name).toBe('allow-storage');
  });

  it('default allow', () => {
    const d = decideStorageAccess(defaultRules(), SUBNET_PREFIXES, 'westeurope');
    expect(d.outcome).toBe('allowedByDefault');
    expect(d.decidingRule?.name).toBe('AllowInternetOutBound');
  });

  it('assumes ARM defaults when the facts carry none', () => {
    expect(decideStorageAccess([], SUBNET_PREFIXES, 'westeurope').outcome).toBe('allowedByDefault');
  });

  it('collects uncertain denies before the deciding rule', () => {
    const d = decideStorageAccess(
      [deny({ name: 'a', priority: 110, destinationAddressPrefixes: ['20.0.0.0/8'] }), deny({ name: 'b', priority: 120 }), ...defaultRules()],
      SUBNET_PREFIXES,
      'westeurope',
    );
    expect(d.outcome).toBe('denied');
    expect(d.decidingRule?.name).toBe('b');
    expect(d.uncertainDenies.map((u) => u.rule.name)).toEqual(['a']);
  });

  it('is undecided when defaults are present but none matches', () => {
    const onlyInbound = defaultRules().filter((r) => r.direction === 'Inbound');
    expect(decideStorageAccess(onlyInbound, SUBNET_PREFIXES, 'westeurope').outcome).toBe('undecided');
  });

  it('an undecided NSG is a warning', () => {
    const odd: NsgFacts = { ...nsg([]), rules: defaultRules().filter((r) => r.direction === 'Inbound') };
    expect(summary(checkWith([], { nsgs: [odd] }).findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning']);
  });

  it('equal priorities keep their order', () => {
    const d = decideStorageAccess([deny({ name: 'x', priority: 100 }), rule({ name: 'y', priority: 100 })], SUBNET_PREFIXES, 'westeurope');
    expect(d.decidingRule?.name).toBe('x');
  });
});
