import { describe, expect, it } from 'vitest';
import { FindingCode } from '../../src/eligibility/codes.js';
import { evaluateEligibility } from '../../src/eligibility/evaluate.js';
import { DEFAULT_DEPENDENCIES, DEFAULT_SETTINGS, type NsgFacts, type OutboundDependencySettings, type SecurityRuleFacts } from '../../src/eligibility/facts.js';
import { allowRulesText, nsgFindings } from '../../src/eligibility/nsg-rules.js';
import type { Finding } from '../../src/eligibility/report.js';
import {
  decideDependencyAccess,
  denyMayBlockDependency,
  destinationCoversTag,
  portRangesInclude,
  protocolMatchesTcp,
  sourceCoversSubnet,
} from '../../src/eligibility/security-rules.js';
import { ipv4Cidrs } from '../../src/eligibility/address.js';
import { defaultRules, facts, findingOf, KEYVAULT_ALLOW, nsg, nsgId, rule, STORAGE_ALLOW, subnet, subnetReport, summary } from './facts-builder.js';

const SUBNET_PREFIXES = ['10.0.1.0/24'];
const ASG = '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/asg-web';
const KV = 'AzureKeyVault';

/** The settings the issue names: the default (Key Vault required, Storage optional), both required, nothing at all. */
const DEFAULT_DEPS: OutboundDependencySettings = DEFAULT_DEPENDENCIES;
const BOTH: OutboundDependencySettings = { required: [KV, 'Storage'], optional: [] };
const NONE: OutboundDependencySettings = { required: [], optional: [] };
const only = (tag: string): OutboundDependencySettings => ({ required: [tag], optional: [] });

const BLOCKS = 'NSG_BLOCKS_DEPENDENCY:blocking';
const NOT_EXPLICIT = 'NSG_DEPENDENCY_NOT_EXPLICIT:warning';
const OPTIONAL = 'NSG_BLOCKS_OPTIONAL_DEPENDENCY:warning';

interface CheckOptions {
  location?: string;
  nsgs?: NsgFacts[];
  dependencies?: OutboundDependencySettings;
}

function checkWith(custom: SecurityRuleFacts[], options: CheckOptions = {}) {
  const report = evaluateEligibility(
    facts({
      instance: options.location ? { location: options.location } : {},
      // the VNet in the instance's region, so that only the NSG is judged
      subnets: [subnet('apim-out', options.location ? { vnetLocation: options.location } : {})],
      nsgs: options.nsgs ?? [nsg(custom)],
    }),
    { ...DEFAULT_SETTINGS, dependencies: options.dependencies ?? DEFAULT_DEPS },
  );
  return subnetReport(report);
}

/** "CODE:severity:tag" per finding, to see which tag each NSG finding is about. */
const tagged = (findings: readonly Finding[]) => findings.map((f) => `${f.code}:${f.severity}:${f.details?.tag ?? '-'}`);

/** A Deny TCP 443 from VirtualNetwork to AzureKeyVault at 100 unless told otherwise. */
const deny = (overrides: Partial<SecurityRuleFacts> = {}) => rule({ name: 'deny-out', priority: 100, access: 'Deny', ...overrides });
/** Deny everything outbound, the way owners lock an NSG down. */
const denyAll = (priority = 4000, name = 'deny-all') =>
  deny({ name, priority, protocol: '*', sourceAddressPrefixes: ['*'], destinationAddressPrefixes: ['*'], destinationPortRanges: ['*'] });

describe('protocol and ports', () => {
  it.each([
    ['Tcp', true],
    ['TCP', true],
    [' tcp ', true],
    ['*', true],
    ['Any', true],
    ['Udp', false],
    ['Icmp', false],
    ['Esp', false],
  ])('protocol %j: %s', (p, expected) => expect(protocolMatchesTcp(p)).toBe(expected));

  it.each<[string[], boolean]>([
    [['*'], true],
    [['443'], true],
    [['440-450'], true],
    [['443-443'], true],
    [['400 - 500'], true],
    [['1-65535'], true],
    [['80'], false],
    [['444-500'], false],
    [['1-442'], false],
    [['80', '443'], true],
    [['80', '8080'], false],
    [['80,443'], true],
    [['80, 443'], true],
    [['22,400-450'], true],
    [['80,8080'], false],
    [['1-442,444-65535'], false],
    [['22', '1000-2000'], false],
    [['4430'], false],
    [[], false],
    [['abc'], false],
  ])('ports %j include 443: %s', (ranges, expected) => expect(portRangesInclude(ranges, 443)).toBe(expected));
});

describe('allowRulesText', () => {
  it('names the tags to allow, one phrase', () => {
    expect(allowRulesText([KV])).toBe('an outbound Allow rule for TCP 443 to AzureKeyVault');
    expect(allowRulesText([KV, 'Storage'])).toBe('outbound Allow rules for TCP 443 to AzureKeyVault and Storage');
    expect(allowRulesText([])).toBe('the outbound rules your backends need');
  });
});

describe('NSG association', () => {
  const noNsg = (dependencies: OutboundDependencySettings) =>
    subnetReport(
      evaluateEligibility(facts({ subnets: [subnet('s', { networkSecurityGroupId: null })], bot: { principalId: 'bot', grants: [] } }), {
        ...DEFAULT_SETTINGS,
        dependencies,
      }),
    );

  it('NSG_MISSING when no NSG is associated and the bot may not give it one; the fix asks for the AzureKeyVault allow', () => {
    const s = noNsg(DEFAULT_DEPS);
    expect(summary(s.findings).filter((f) => f.startsWith('NSG'))).toEqual(['NSG_MISSING:blocking']);
    const f = findingOf(s.findings, FindingCode.NSG_MISSING);
    expect(f.message).toContain("Subnet 's'");
    expect(f.fix).toContain('an outbound Allow rule for TCP 443 to AzureKeyVault');
    expect(f.fix).not.toMatch(/Storage/); // optional: not asked for
    expect(s.verdict).toBe('ineligible');
  });

  it('NSG_MISSING is blocking whatever the dependencies; the fix follows them', () => {
    const both = noNsg(BOTH);
    expect(findingOf(both.findings, FindingCode.NSG_MISSING).fix).toContain('outbound Allow rules for TCP 443 to AzureKeyVault and Storage');
    const none = noNsg(NONE);
    expect(findingOf(none.findings, FindingCode.NSG_MISSING).severity).toBe('blocking');
    expect(findingOf(none.findings, FindingCode.NSG_MISSING).fix).toContain('the outbound rules your backends need');
    expect(none.verdict).toBe('ineligible');
  });

  it('an NSG that could not be read is one warning per required tag, each naming its tag', () => {
    const unread = (dependencies: OutboundDependencySettings) =>
      subnetReport(
        evaluateEligibility(facts({ subnets: [subnet('s', { networkSecurityGroupId: nsgId('nsg-hidden') })] }), { ...DEFAULT_SETTINGS, dependencies }),
      );
    const s = unread(DEFAULT_DEPS);
    expect(tagged(s.findings)).toEqual([`${NOT_EXPLICIT}:AzureKeyVault`]); // nothing for the optional Storage
    expect(s.findings[0]?.message).toContain('nsg-hidden');
    expect(s.findings[0]?.message).toMatch(/could not be read/);
    expect(s.findings[0]?.message).toContain('AzureKeyVault');
    expect(s.findings[0]?.fix).toContain('AzureKeyVault');
    expect(s.verdict).toBe('eligible');

    const both = unread(BOTH);
    expect(tagged(both.findings)).toEqual([`${NOT_EXPLICIT}:AzureKeyVault`, `${NOT_EXPLICIT}:Storage`]);
    expect(both.findings[1]?.message).toContain('to Storage could not be checked');
    expect(both.verdict).toBe('eligible');

    const none = unread(NONE);
    expect(none.findings).toEqual([]);
    expect(none.verdict).toBe('eligible');
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

describe('AzureKeyVault 443 outcome (the default: AzureKeyVault required, Storage optional)', () => {
  it('an explicit allow is fine', () => {
    expect(checkWith([KEYVAULT_ALLOW]).findings).toEqual([]);
  });

  it('only the default AllowInternetOutBound is a warning naming the tag', () => {
    const s = checkWith([]);
    expect(tagged(s.findings)).toEqual([`${NOT_EXPLICIT}:AzureKeyVault`]);
    expect(s.findings[0]?.details).toEqual({ tag: KV });
    expect(s.findings[0]?.message).toContain('AllowInternetOutBound');
    expect(s.findings[0]?.message).toContain('to AzureKeyVault');
    expect(s.findings[0]?.fix).toMatch(/^Add an outbound Allow rule for TCP 443 to AzureKeyVault to NSG 'nsg-apim'\./);
    expect(s.verdict).toBe('eligible');
  });

  it('default-only with both required: one warning per tag; with nothing required: nothing', () => {
    expect(tagged(checkWith([], { dependencies: BOTH }).findings)).toEqual([`${NOT_EXPLICIT}:AzureKeyVault`, `${NOT_EXPLICIT}:Storage`]);
    expect(checkWith([], { dependencies: NONE }).findings).toEqual([]);
  });

  it('an explicit Storage allow does not make AzureKeyVault explicit', () => {
    expect(tagged(checkWith([STORAGE_ALLOW]).findings)).toEqual([`${NOT_EXPLICIT}:AzureKeyVault`]);
    expect(checkWith([KEYVAULT_ALLOW, STORAGE_ALLOW], { dependencies: BOTH }).findings).toEqual([]);
    expect(tagged(checkWith([KEYVAULT_ALLOW], { dependencies: BOTH }).findings)).toEqual([`${NOT_EXPLICIT}:Storage`]);
  });

  it('deny at 100 before allow at 200 blocks, naming the rule, the priority and the tag', () => {
    const s = checkWith([deny({ priority: 100 }), KEYVAULT_ALLOW]);
    expect(tagged(s.findings)).toEqual([`${BLOCKS}:AzureKeyVault`]);
    const f = findingOf(s.findings, FindingCode.NSG_BLOCKS_DEPENDENCY);
    expect(f.details).toEqual({ tag: KV });
    expect(f.message).toContain("'deny-out'");
    expect(f.message).toContain('priority 100');
    expect(f.message).toContain("'nsg-apim'");
    expect(f.message).toContain('to AzureKeyVault');
    expect(s.verdict).toBe('ineligible');
  });

  it('the fix asks for an allow with a lower number than the deny', () => {
    const f = checkWith([deny({ priority: 300 })]).findings[0];
    expect(f?.fix).toMatch(/lower than 300/);
    expect(f?.fix).toContain('an outbound Allow rule for TCP 443 to AzureKeyVault');
  });

  it('a deny at 100 cannot be beaten: the fix asks to change it', () => {
    const f = checkWith([deny({ priority: 100 })]).findings[0];
    expect(f?.fix).toMatch(/^Change rule 'deny-out' of NSG 'nsg-apim' so it no longer denies TCP 443 to AzureKeyVault/);
  });

  it('allow at 100 before deny at 200 is fine', () => {
    expect(checkWith([rule({ name: 'allow-kv', priority: 100 }), deny({ priority: 200 })]).findings).toEqual([]);
  });

  it('order in the facts does not matter, priority does', () => {
    const s = checkWith([rule({ name: 'allow-kv', priority: 300 }), deny({ priority: 250 })]);
    expect(summary(s.findings)).toEqual([BLOCKS]);
  });

  it('inbound rules are ignored', () => {
    const s = checkWith([deny({ direction: 'Inbound' }), { ...denyAll(150, 'deny-all-in'), direction: 'Inbound' }]);
    expect(summary(s.findings)).toEqual([NOT_EXPLICIT]); // default allow only
    expect(s.findings[0]?.message).toContain('AllowInternetOutBound');
  });

  it('a UDP deny does not match, even a UDP deny-all', () => {
    expect(checkWith([deny({ protocol: 'Udp' }), KEYVAULT_ALLOW]).findings).toEqual([]);
    const udpAll = { ...denyAll(100), protocol: 'Udp' };
    expect(checkWith([udpAll, KEYVAULT_ALLOW]).findings).toEqual([]);
    expect(summary(checkWith([udpAll]).findings)).toEqual([NOT_EXPLICIT]);
  });

  it.each(['*', 'TCP', 'Any'])('a deny with protocol %s matches', (protocol) => {
    expect(summary(checkWith([deny({ protocol }), KEYVAULT_ALLOW]).findings)).toEqual([BLOCKS]);
  });

  it.each<[string[], boolean]>([
    [['440-450'], true],
    [['80', '443'], true],
    [['80,443'], true],
    [['22,400-450'], true],
    [['*'], true],
    [['80'], false],
    [['8443'], false],
    [['80,8080'], false],
    [['1-442,444-65535'], false],
  ])('a deny on ports %j blocks: %s', (destinationPortRanges, blocks) => {
    const s = checkWith([deny({ destinationPortRanges }), KEYVAULT_ALLOW]);
    expect(summary(s.findings)).toEqual(blocks ? [BLOCKS] : []);
  });

  it.each<[string[], boolean]>([
    [['443'], true],
    [['400-500'], true],
    [['80,443'], true],
    [['80'], false],
    [['80,8080'], false],
  ])('an allow on ports %j is an explicit allow: %s', (destinationPortRanges, explicit) => {
    const s = checkWith([rule({ name: 'allow-kv', priority: 100, destinationPortRanges })]);
    expect(summary(s.findings)).toEqual(explicit ? [] : [NOT_EXPLICIT]);
  });

  it('a deny-all at 4000 beats the default allow: blocking for the required tag, a warning for the optional one', () => {
    const s = checkWith([denyAll(4000)]);
    expect(tagged(s.findings)).toEqual([`${BLOCKS}:AzureKeyVault`, `${OPTIONAL}:Storage`]);
    expect(findingOf(s.findings, FindingCode.NSG_BLOCKS_DEPENDENCY).message).toContain("rule 'deny-all' (priority 4000, Deny)");
    expect(s.verdict).toBe('ineligible');
  });

  it('a deny-all at 4000, both required: blocking per tag; nothing required: nothing', () => {
    const both = checkWith([denyAll(4000)], { dependencies: BOTH });
    expect(tagged(both.findings)).toEqual([`${BLOCKS}:AzureKeyVault`, `${BLOCKS}:Storage`]);
    expect(both.verdict).toBe('ineligible');
    const none = checkWith([denyAll(4000)], { dependencies: NONE });
    expect(none.findings).toEqual([]);
    expect(none.verdict).toBe('eligible');
  });

  it('an explicit allow then a deny-all is fine for the required tag', () => {
    const s = checkWith([KEYVAULT_ALLOW, denyAll(4000)]);
    // The deny-all still denies the optional Storage: a warning, no more.
    expect(tagged(s.findings)).toEqual([`${OPTIONAL}:Storage`]);
    expect(s.verdict).toBe('eligible');
    expect(checkWith([KEYVAULT_ALLOW, denyAll(4000)], { dependencies: only(KV) }).findings).toEqual([]);
    expect(checkWith([KEYVAULT_ALLOW, STORAGE_ALLOW, denyAll(4000)], { dependencies: BOTH }).findings).toEqual([]);
    expect(checkWith([KEYVAULT_ALLOW, STORAGE_ALLOW, denyAll(4000)]).findings).toEqual([]);
  });

  it('an NSG that allows only Storage and denies the rest: blocking for AzureKeyVault, nothing for Storage', () => {
    const s = checkWith([STORAGE_ALLOW, denyAll(4000)]);
    expect(tagged(s.findings)).toEqual([`${BLOCKS}:AzureKeyVault`]);
    expect(s.verdict).toBe('ineligible');
    const both = checkWith([STORAGE_ALLOW, denyAll(4000)], { dependencies: BOTH });
    expect(tagged(both.findings)).toEqual([`${BLOCKS}:AzureKeyVault`]);
    expect(checkWith([STORAGE_ALLOW, denyAll(4000)], { dependencies: NONE }).findings).toEqual([]);
  });

  it('a Storage deny is only a NSG_BLOCKS_OPTIONAL_DEPENDENCY warning: the subnet stays eligible', () => {
    const s = checkWith([deny({ name: 'deny-storage', destinationAddressPrefixes: ['Storage'] }), KEYVAULT_ALLOW]);
    expect(tagged(s.findings)).toEqual([`${OPTIONAL}:Storage`]);
    const f = findingOf(s.findings, FindingCode.NSG_BLOCKS_OPTIONAL_DEPENDENCY);
    expect(f.details).toEqual({ tag: 'Storage' });
    expect(f.message).toContain("rule 'deny-storage' (priority 100, Deny)");
    expect(f.message).toContain('Storage');
    expect(f.fix).toMatch(/^Nothing is required\./);
    expect(s.verdict).toBe('eligible');
  });

  it('a Storage deny without an AzureKeyVault allow: the AzureKeyVault warning and the optional one', () => {
    const s = checkWith([deny({ name: 'deny-storage', destinationAddressPrefixes: ['Storage'] })]);
    expect(tagged(s.findings)).toEqual([`${NOT_EXPLICIT}:AzureKeyVault`, `${OPTIONAL}:Storage`]);
    expect(s.verdict).toBe('eligible');
  });

  it('a Storage deny with Storage required blocks; with nothing configured it is not reported', () => {
    const storageDeny = deny({ name: 'deny-storage', destinationAddressPrefixes: ['Storage'] });
    expect(tagged(checkWith([storageDeny, KEYVAULT_ALLOW, STORAGE_ALLOW], { dependencies: BOTH }).findings)).toEqual([`${BLOCKS}:Storage`]);
    expect(checkWith([storageDeny], { dependencies: NONE }).findings).toEqual([]);
  });

  it('an optional tag is reported only when denied: neither default-only nor an uncertain deny', () => {
    expect(checkWith([KEYVAULT_ALLOW]).findings).toEqual([]); // Storage allowed by default only
    expect(checkWith([KEYVAULT_ALLOW, deny({ priority: 300, destinationAddressPrefixes: ['20.38.0.0/16'] })]).findings).toEqual([]);
    const odd: NsgFacts = { ...nsg([KEYVAULT_ALLOW]), rules: [KEYVAULT_ALLOW, ...defaultRules().filter((r) => r.direction === 'Inbound')] };
    expect(checkWith([], { nsgs: [odd] }).findings).toEqual([]); // Storage undecided
  });

  it('an AzureKeyVault deny blocks; an allow to AzureKeyVault of another region does not help', () => {
    expect(tagged(checkWith([deny({ destinationAddressPrefixes: ['AzureKeyVault'] })]).findings)).toEqual([`${BLOCKS}:AzureKeyVault`]);
    const s = checkWith([rule({ name: 'allow-eastus', priority: 100, destinationAddressPrefixes: ['AzureKeyVault.EastUS'] }), denyAll(4000)]);
    expect(tagged(s.findings)).toEqual([`${BLOCKS}:AzureKeyVault`, `${OPTIONAL}:Storage`]);
  });
});

// ------------------------------------------------------------------------------------------ destination forms

type Match = 'yes' | 'no' | 'maybe';

/**
 * A Deny TCP 443 at 100 to `destination`, before explicit allows for AzureKeyVault (200) and Storage (210): what it
 * means for each tag, with the instance in `location`.
 */
const DESTINATIONS: [destination: string, location: string, keyVault: Match, storage: Match][] = [
  ['AzureKeyVault', 'westeurope', 'yes', 'no'],
  ['azurekeyvault', 'westeurope', 'yes', 'no'],
  ['AzureKeyVault.WestEurope', 'westeurope', 'yes', 'no'],
  ['AzureKeyVault.WestEurope', 'West Europe', 'yes', 'no'],
  ['AzureKeyVault.westeurope', 'WestEurope', 'yes', 'no'],
  ['AzureKeyVault.EastUS', 'westeurope', 'no', 'no'],
  ['AzureKeyVault.WestEurope', 'northeurope', 'no', 'no'],
  ['AzureKeyVault.WestEurope2', 'westeurope', 'no', 'no'],
  ['Storage', 'westeurope', 'no', 'yes'],
  ['storage', 'westeurope', 'no', 'yes'],
  ['Storage.WestEurope', 'westeurope', 'no', 'yes'],
  ['Storage.WestEurope', 'West Europe', 'no', 'yes'],
  ['Storage.EastUS', 'westeurope', 'no', 'no'],
  ['StorageSyncService', 'westeurope', 'no', 'no'],
  ['Internet', 'westeurope', 'yes', 'yes'],
  ['AzureCloud', 'westeurope', 'yes', 'yes'],
  ['AzureCloud.WestEurope', 'westeurope', 'yes', 'yes'],
  ['AzureCloud.westeurope', 'West Europe', 'yes', 'yes'],
  ['AzureCloud.EastUS', 'westeurope', 'no', 'no'],
  ['*', 'westeurope', 'yes', 'yes'],
  ['Any', 'westeurope', 'yes', 'yes'],
  ['0.0.0.0/0', 'westeurope', 'yes', 'yes'],
  ['Sql', 'westeurope', 'no', 'no'],
  ['VirtualNetwork', 'westeurope', 'no', 'no'],
  ['10.0.0.0/8', 'westeurope', 'no', 'no'],
  ['192.168.10.0/24', 'westeurope', 'no', 'no'],
  ['fd00::/8', 'westeurope', 'no', 'no'],
  ['20.38.0.0/16', 'westeurope', 'maybe', 'maybe'],
  ['52.0.0.0/8', 'westeurope', 'maybe', 'maybe'],
];

const requiredOutcome = (m: Match, tag: string) => (m === 'yes' ? [`${BLOCKS}:${tag}`] : m === 'maybe' ? [`${NOT_EXPLICIT}:${tag}`] : []);

describe('destination forms (deny at 100, explicit allows at 200 and 210)', () => {
  const denyTo = (destination: string, location: string, dependencies: OutboundDependencySettings) =>
    checkWith([deny({ destinationAddressPrefixes: [destination] }), KEYVAULT_ALLOW, STORAGE_ALLOW], { location, dependencies });

  it.each(DESTINATIONS)('deny to %s, instance in %s: AzureKeyVault required -> %s', (destination, location, keyVault) => {
    expect(tagged(denyTo(destination, location, only(KV)).findings)).toEqual(requiredOutcome(keyVault, KV));
  });

  it.each(DESTINATIONS)('deny to %s, instance in %s: Storage required -> %s', (destination, location, _keyVault, storage) => {
    expect(tagged(denyTo(destination, location, only('Storage')).findings)).toEqual(requiredOutcome(storage, 'Storage'));
  });

  it.each(DESTINATIONS)('deny to %s, instance in %s: both required', (destination, location, keyVault, storage) => {
    const s = denyTo(destination, location, BOTH);
    expect(tagged(s.findings)).toEqual([...requiredOutcome(keyVault, KV), ...requiredOutcome(storage, 'Storage')]);
    expect(s.verdict).toBe(keyVault === 'yes' || storage === 'yes' ? 'ineligible' : 'eligible');
  });

  it.each(DESTINATIONS)('deny to %s, instance in %s: the default settings (Storage optional)', (destination, location, keyVault, storage) => {
    const s = denyTo(destination, location, DEFAULT_DEPS);
    // Blocking findings sort first; an optional tag is reported only when certainly denied.
    expect(tagged(s.findings)).toEqual([...requiredOutcome(keyVault, KV), ...(storage === 'yes' ? [`${OPTIONAL}:Storage`] : [])]);
    expect(s.verdict).toBe(keyVault === 'yes' ? 'ineligible' : 'eligible');
  });

  it.each(DESTINATIONS)('deny to %s, instance in %s: nothing required -> no finding', (destination, location) => {
    const s = denyTo(destination, location, NONE);
    expect(s.findings).toEqual([]);
    expect(s.verdict).toBe('eligible');
  });

  it.each(DESTINATIONS)('destinationCoversTag(%s) from %s', (destination, location, keyVault, storage) => {
    const r = deny({ destinationAddressPrefixes: [destination] });
    const as = (m: Match) => (m === 'maybe' ? 'uncertain' : m);
    expect(destinationCoversTag(r, KV, location).match).toBe(as(keyVault));
    expect(destinationCoversTag(r, 'Storage', location).match).toBe(as(storage));
  });

  it('an IP range deny is a warning that names the rule and the range', () => {
    const s = checkWith([deny({ name: 'deny-range', priority: 150, destinationAddressPrefixes: ['20.38.0.0/16'] }), KEYVAULT_ALLOW]);
    const f = findingOf(s.findings, FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT);
    expect(f.details).toEqual({ tag: KV });
    expect(f.message).toContain("'deny-range'");
    expect(f.message).toContain('priority 150');
    expect(f.message).toContain('20.38.0.0/16');
    expect(f.fix).toContain('lower than 150');
    expect(s.verdict).toBe('eligible');
  });

  it('an ASG destination deny is a warning naming the ASG, per required tag', () => {
    const asgDeny = deny({ destinationAddressPrefixes: [], destinationApplicationSecurityGroupIds: [ASG] });
    const s = checkWith([asgDeny, KEYVAULT_ALLOW]);
    expect(tagged(s.findings)).toEqual([`${NOT_EXPLICIT}:AzureKeyVault`]);
    expect(s.findings[0]?.message).toContain('asg-web');
    expect(tagged(checkWith([asgDeny, KEYVAULT_ALLOW, STORAGE_ALLOW], { dependencies: BOTH }).findings)).toEqual([
      `${NOT_EXPLICIT}:AzureKeyVault`,
      `${NOT_EXPLICIT}:Storage`,
    ]);
    expect(checkWith([asgDeny], { dependencies: NONE }).findings).toEqual([]);
  });

  it('an uncertain deny before the default allow gives both warnings, each for the tag', () => {
    const s = checkWith([deny({ destinationAddressPrefixes: ['20.38.0.0/16'] })]);
    expect(tagged(s.findings)).toEqual([`${NOT_EXPLICIT}:AzureKeyVault`, `${NOT_EXPLICIT}:AzureKeyVault`]);
    const both = checkWith([deny({ destinationAddressPrefixes: ['20.38.0.0/16'] })], { dependencies: BOTH });
    expect(tagged(both.findings)).toEqual([
      `${NOT_EXPLICIT}:AzureKeyVault`,
      `${NOT_EXPLICIT}:AzureKeyVault`,
      `${NOT_EXPLICIT}:Storage`,
      `${NOT_EXPLICIT}:Storage`,
    ]);
  });

  it('an uncertain deny after the deciding allow is not reported', () => {
    const s = checkWith([rule({ name: 'allow-kv', priority: 100 }), deny({ priority: 200, destinationAddressPrefixes: ['20.38.0.0/16'] })]);
    expect(s.findings).toEqual([]);
  });

  it('an uncertain allow decides nothing: a later deny still blocks', () => {
    const s = checkWith([rule({ name: 'allow-range', priority: 100, destinationAddressPrefixes: ['20.38.0.0/16'] }), deny({ priority: 200 })]);
    expect(summary(s.findings)).toEqual([BLOCKS]);
  });

  it('an allow to another region only is not an explicit allow', () => {
    const s = checkWith([rule({ name: 'allow-eastus', priority: 100, destinationAddressPrefixes: ['AzureKeyVault.EastUS'] })]);
    expect(tagged(s.findings)).toEqual([`${NOT_EXPLICIT}:AzureKeyVault`]);
  });

  it.each(['AzureKeyVault.WestEurope', 'AzureCloud', 'AzureCloud.WestEurope', 'Internet', '*', '0.0.0.0/0'])(
    'an explicit allow to %s is fine for AzureKeyVault',
    (destination) => {
      expect(checkWith([rule({ name: 'allow', priority: 100, destinationAddressPrefixes: [destination] })]).findings).toEqual([]);
    },
  );

  it('an explicit allow to AzureCloud.WestEurope covers both tags in West Europe, not in North Europe', () => {
    const allowCloud = rule({ name: 'allow', priority: 100, destinationAddressPrefixes: ['AzureCloud.WestEurope'] });
    expect(checkWith([allowCloud], { dependencies: BOTH }).findings).toEqual([]);
    expect(tagged(checkWith([allowCloud], { dependencies: BOTH, location: 'northeurope' }).findings)).toEqual([
      `${NOT_EXPLICIT}:AzureKeyVault`,
      `${NOT_EXPLICIT}:Storage`,
    ]);
  });

  it('an allow listing several prefixes matches when one of them covers the tag', () => {
    expect(checkWith([rule({ name: 'allow', priority: 100, destinationAddressPrefixes: ['Sql', 'AzureKeyVault'] })]).findings).toEqual([]);
    expect(checkWith([rule({ name: 'allow', priority: 100, destinationAddressPrefixes: ['Storage', 'AzureKeyVault'] })], { dependencies: BOTH }).findings).toEqual([]);
  });

  it('a deny to another tag only is not reported', () => {
    expect(checkWith([deny({ destinationAddressPrefixes: ['Sql'] }), KEYVAULT_ALLOW]).findings).toEqual([]);
  });
});

describe('source forms (deny at 100, explicit allow at 200; subnet 10.0.1.0/24)', () => {
  it.each<[string[], string[], string[]]>([
    [['*'], [], [BLOCKS]],
    [['VirtualNetwork'], [], [BLOCKS]],
    [['Any'], [], [BLOCKS]],
    [['10.0.0.0/16'], [], [BLOCKS]],
    [['10.0.1.0/24'], [], [BLOCKS]],
    [['0.0.0.0/0'], [], [BLOCKS]],
    [['10.0.2.0/24'], [], []],
    [['10.0.1.0/25'], [], [NOT_EXPLICIT]],
    [['10.0.1.5'], [], [NOT_EXPLICIT]],
    [['Internet'], [], []],
    [['AzureLoadBalancer'], [], []],
    [['fd00::/8'], [], []],
    [[], [ASG], [NOT_EXPLICIT]],
    [['10.0.2.0/24', '10.0.0.0/16'], [], [BLOCKS]],
  ])('source %j / ASGs %j', (sourceAddressPrefixes, sourceApplicationSecurityGroupIds, expected) => {
    const s = checkWith([deny({ sourceAddressPrefixes, sourceApplicationSecurityGroupIds }), KEYVAULT_ALLOW]);
    expect(summary(s.findings)).toEqual(expected);
    for (const f of s.findings) expect(f.details).toEqual({ tag: KV });
  });

  it('a partly overlapping source says so', () => {
    const s = checkWith([deny({ sourceAddressPrefixes: ['10.0.1.0/25'] }), KEYVAULT_ALLOW]);
    expect(s.findings[0]?.message).toMatch(/part of the subnet/);
  });

  it('sourceCoversSubnet on its own', () => {
    const prefixes = ipv4Cidrs(SUBNET_PREFIXES);
    expect(sourceCoversSubnet(deny({ sourceAddressPrefixes: ['10.0.0.0/8'] }), prefixes).match).toBe('yes');
    expect(sourceCoversSubnet(deny({ sourceAddressPrefixes: ['10.9.0.0/16'] }), prefixes).match).toBe('no');
    expect(sourceCoversSubnet(deny({ sourceAddressPrefixes: ['10.0.1.0/26'] }), prefixes).match).toBe('uncertain');
    expect(sourceCoversSubnet(deny({ sourceAddressPrefixes: ['10.0.0.0/8'] }), []).match).toBe('uncertain');
  });
});

describe('decideDependencyAccess', () => {
  const decide = (rules: SecurityRuleFacts[], tag = KV, region = 'westeurope') => decideDependencyAccess(rules, SUBNET_PREFIXES, tag, region);

  it('explicit allow', () => {
    const d = decide([KEYVAULT_ALLOW, ...defaultRules()]);
    expect(d.outcome).toBe('allowedExplicitly');
    expect(d.decidingRule?.name).toBe('allow-keyvault');
  });

  it('is per tag: the AzureKeyVault allow leaves Storage to the default rule', () => {
    const d = decide([KEYVAULT_ALLOW, ...defaultRules()], 'Storage');
    expect(d.outcome).toBe('allowedByDefault');
    expect(decide([STORAGE_ALLOW, ...defaultRules()], 'Storage').decidingRule?.name).toBe('allow-storage');
  });

  it('default allow', () => {
    const d = decide(defaultRules());
    expect(d.outcome).toBe('allowedByDefault');
    expect(d.decidingRule?.name).toBe('AllowInternetOutBound');
  });

  it('assumes ARM defaults when the facts carry none', () => {
    expect(decide([]).outcome).toBe('allowedByDefault');
    expect(decide([denyAll(4000)]).outcome).toBe('denied');
  });

  it('collects uncertain denies before the deciding rule', () => {
    const d = decide([deny({ name: 'a', priority: 110, destinationAddressPrefixes: ['20.0.0.0/8'] }), deny({ name: 'b', priority: 120 }), ...defaultRules()]);
    expect(d.outcome).toBe('denied');
    expect(d.decidingRule?.name).toBe('b');
    expect(d.uncertainDenies.map((u) => u.rule.name)).toEqual(['a']);
  });

  it('is undecided when defaults are present but none matches', () => {
    const onlyInbound = defaultRules().filter((r) => r.direction === 'Inbound');
    expect(decide(onlyInbound).outcome).toBe('undecided');
  });

  it('an undecided NSG is one warning per required tag', () => {
    const odd: NsgFacts = { ...nsg([]), rules: defaultRules().filter((r) => r.direction === 'Inbound') };
    const s = checkWith([], { nsgs: [odd] });
    expect(tagged(s.findings)).toEqual([`${NOT_EXPLICIT}:AzureKeyVault`]);
    expect(s.findings[0]?.message).toMatch(/No rule of network security group 'nsg-apim' certainly decides/);
    expect(tagged(checkWith([], { nsgs: [odd], dependencies: BOTH }).findings)).toEqual([`${NOT_EXPLICIT}:AzureKeyVault`, `${NOT_EXPLICIT}:Storage`]);
    expect(checkWith([], { nsgs: [odd], dependencies: NONE }).findings).toEqual([]);
  });

  it('equal priorities keep their order', () => {
    const d = decide([deny({ name: 'x', priority: 100 }), rule({ name: 'y', priority: 100 })]);
    expect(d.decidingRule?.name).toBe('x');
  });

  it('a regional tag is judged against the region asked about', () => {
    const regional = [rule({ name: 'allow-we', priority: 100, destinationAddressPrefixes: ['AzureKeyVault.WestEurope'] }), denyAll(4000)];
    expect(decide(regional, KV, 'West Europe').outcome).toBe('allowedExplicitly');
    expect(decide(regional, KV, 'eastus').outcome).toBe('denied');
  });
});

describe('denyMayBlockDependency', () => {
  it.each<[string, Partial<SecurityRuleFacts>, boolean]>([
    ['a certain deny', {}, true],
    ['an uncertain deny (public range)', { destinationAddressPrefixes: ['20.38.0.0/16'] }, true],
    ['an uncertain deny (ASG)', { destinationAddressPrefixes: [], destinationApplicationSecurityGroupIds: [ASG] }, true],
    ['an allow', { access: 'Allow' }, false],
    ['a UDP deny', { protocol: 'Udp' }, false],
    ['a deny of port 80', { destinationPortRanges: ['80'] }, false],
    ['a deny to Storage', { destinationAddressPrefixes: ['Storage'] }, false],
    ['a deny from another subnet', { sourceAddressPrefixes: ['10.9.0.0/16'] }, false],
  ])('%s for AzureKeyVault: %s', (_label, overrides, expected) => {
    expect(denyMayBlockDependency(deny(overrides), SUBNET_PREFIXES, KV, 'westeurope')).toBe(expected);
  });
});

describe('nsgFindings directly', () => {
  it('takes the dependencies as an argument, whatever DEFAULT_SETTINGS says', () => {
    const n = nsg([]);
    const map = new Map([[n.id.toLowerCase(), n]]);
    expect(nsgFindings(subnet(), map, 'westeurope', NONE)).toEqual([]);
    expect(tagged(nsgFindings(subnet(), map, 'westeurope', { required: ['AzureMonitor'], optional: [] }))).toEqual([`${NOT_EXPLICIT}:AzureMonitor`]);
    expect(tagged(nsgFindings(subnet(), map, 'westeurope', DEFAULT_DEPS))).toEqual([`${NOT_EXPLICIT}:AzureKeyVault`]);
  });
});
