import { describe, expect, it } from 'vitest';
import { FindingCode } from '../../src/eligibility/codes.js';
import { evaluateEligibility } from '../../src/eligibility/evaluate.js';
import {
  DEFAULT_NETWORK_FIX_SETTINGS,
  DEFAULT_SETTINGS,
  type EligibilitySettings,
  type NetworkFixSettings,
  type NsgFacts,
  type PrincipalAccess,
  type SecurityRuleFacts,
  type SubnetFacts,
} from '../../src/eligibility/facts.js';
import { dependencyAllowRule, ruleSpecFacts, ruleSpecText, serviceTagIn } from '../../src/eligibility/dependency-allow-rules.js';
import { judgeNsg } from '../../src/eligibility/nsg-fixes.js';
import {
  INSTANCE_WRITE_ACTION,
  NSG_JOIN_ACTION,
  NSG_RULE_WRITE_ACTION,
  NSG_WRITE_ACTION,
  SUBNET_JOIN_ACTIONS,
  SUBNET_WRITE_ACTION,
} from '../../src/eligibility/permissions.js';
import type { PlannedFix } from '../../src/eligibility/report.js';
import {
  access,
  allAccess,
  defaultRules,
  facts,
  findingOf,
  grant,
  nsg,
  nsgId,
  OTHER_SUB,
  RG_APIM,
  RG_NET,
  rule,
  KEYVAULT_ALLOW,
  STORAGE_ALLOW,
  SUB,
  subnet,
  subnetReport,
  summary,
  vnetId,
  type FactsOptions,
} from './facts-builder.js';

// ------------------------------------------------------------------------------------------------ helpers

const NEW_NAME = 'nsg-apim-apim-prod-outbound';
const NEW_ID = `${RG_NET}/providers/Microsoft.Network/networkSecurityGroups/${NEW_NAME}`;
const SHARED_ID = nsgId('nsg-shared');
const NO_NSG = subnet('apim-out', { networkSecurityGroupId: null });

/** Every action a check may ask about, so that only the removed ones are missing. */
const ALL_ACTIONS = [
  ...SUBNET_JOIN_ACTIONS,
  SUBNET_WRITE_ACTION,
  NSG_WRITE_ACTION,
  NSG_JOIN_ACTION,
  NSG_RULE_WRITE_ACTION,
  INSTANCE_WRITE_ACTION,
  'Microsoft.Network/networkSecurityGroups/read',
];

/** Explicit actions at subscription scope, without `missing`. */
function accessWithout(principalId: string, ...missing: string[]): PrincipalAccess {
  return access(principalId, grant(`/subscriptions/${SUB}`, ALL_ACTIONS.filter((a) => !missing.includes(a))));
}

/** AzureKeyVault required, no optional tag: the optional tags' warnings have tests of their own (nsg-rules.test.ts). */
const KEYVAULT_SETTINGS: EligibilitySettings = { ...DEFAULT_SETTINGS, dependencies: { required: ['AzureKeyVault'], optional: [] } };

function settings(overrides: Partial<Omit<EligibilitySettings, 'networkFixes'>> = {}, fixes: Partial<NetworkFixSettings> = {}): EligibilitySettings {
  return { ...KEYVAULT_SETTINGS, ...overrides, networkFixes: { ...DEFAULT_NETWORK_FIX_SETTINGS, ...fixes } };
}

/** The one subnet's report. */
function check(options: FactsOptions, with_: EligibilitySettings = KEYVAULT_SETTINGS) {
  return subnetReport(evaluateEligibility(facts(options), with_));
}

/** judgeNsg on the first subnet of the facts. */
function judge(options: FactsOptions, with_: EligibilitySettings = KEYVAULT_SETTINGS) {
  const f = facts(options);
  return judgeNsg(f.subnets[0] as SubnetFacts, f, with_);
}

const nsgCodes = (findings: readonly { code: string; severity: string }[]) =>
  summary(findings as Parameters<typeof summary>[0]).filter((s) => s.startsWith('NSG') || s.startsWith('REQUESTER'));

function createNsgOf(fixes: readonly PlannedFix[]): Extract<PlannedFix, { kind: 'createNsg' }> {
  const found = fixes.find((f): f is Extract<PlannedFix, { kind: 'createNsg' }> => f.kind === 'createNsg');
  if (!found) throw new Error(`no createNsg in ${JSON.stringify(fixes.map((f) => f.kind))}`);
  return found;
}

/** The offered addDependencyRules fix, with its only rule as `rule`. */
function rulesOf(fixes: readonly PlannedFix[]): Extract<PlannedFix, { kind: 'addDependencyRules' }> & { rule: Extract<PlannedFix, { kind: 'addDependencyRules' }>['rules'][number] } {
  const found = fixes.find((f): f is Extract<PlannedFix, { kind: 'addDependencyRules' }> => f.kind === 'addDependencyRules');
  if (!found) throw new Error(`no addDependencyRules in ${JSON.stringify(fixes.map((f) => f.kind))}`);
  const [rule, ...more] = found.rules;
  if (!rule || more.length > 0) throw new Error(`not exactly one rule in ${JSON.stringify(found.rules)}`);
  return { ...found, rule };
}

/** The rules of the offered addDependencyRules fix, however many. */
function offeredRules(fixes: readonly PlannedFix[]) {
  const found = fixes.find((f): f is Extract<PlannedFix, { kind: 'addDependencyRules' }> => f.kind === 'addDependencyRules');
  if (!found) throw new Error(`no addDependencyRules in ${JSON.stringify(fixes.map((f) => f.kind))}`);
  return found.rules;
}

const otherGroupNsg = (name: string, group = 'rg-other'): NsgFacts => ({
  id: `/subscriptions/${SUB}/resourceGroups/${group}/providers/Microsoft.Network/networkSecurityGroups/${name}`,
  name,
  location: 'westeurope',
  rules: defaultRules(),
});

/** Deny TCP 443 to a public range: may or may not cover AzureKeyVault. */
const uncertainDeny = (priority: number, name = 'deny-public'): SecurityRuleFacts =>
  rule({ name, priority, access: 'Deny', destinationAddressPrefixes: ['20.60.0.0/16'] });
/** Deny TCP 443 to the Internet: certainly covers AzureKeyVault. */
const certainDeny = (priority: number, name = 'deny-internet'): SecurityRuleFacts =>
  rule({ name, priority, access: 'Deny', destinationAddressPrefixes: ['Internet'] });
/** An outbound custom Allow that does not touch AzureKeyVault. */
const otherAllow = (priority: number, name = `allow-${priority}`, direction: 'Inbound' | 'Outbound' = 'Outbound'): SecurityRuleFacts =>
  rule({ name, priority, direction, destinationAddressPrefixes: ['10.9.0.0/16'] });

// --------------------------------------------------------------------------------------------------- ruleSpecText

describe('ruleSpecText', () => {
  it('describes name, priority, direction, access, protocol, port and destination', () => {
    expect(ruleSpecText(dependencyAllowRule('AzureKeyVault'))).toBe("rule 'AllowApimAzureKeyVaultOutbound' (priority 100, outbound Allow TCP 443 to AzureKeyVault)");
    expect(ruleSpecText({ name: 'r-2', priority: 4096, destinationPortRange: '443', destinationAddressPrefix: 'AzureKeyVault.WestEurope' })).toBe(
      "rule 'r-2' (priority 4096, outbound Allow TCP 443 to AzureKeyVault.WestEurope)",
    );
  });
});

// ------------------------------------------------------------------------------------------------ no NSG: a new one

describe('subnet without NSG: the bot creates one', () => {
  it('NSG_MISSING is fixable; createNsg then attachNsg; verdict fixable', () => {
    const s = check({ subnets: [NO_NSG] });
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
    expect(s.verdict).toBe('fixable');
    expect(s.fixes).toEqual([
      {
        kind: 'createNsg',
        nsgId: NEW_ID,
        name: NEW_NAME,
        location: 'westeurope',
        rules: [
          dependencyAllowRule('AzureKeyVault'),
        ],
      },
      { kind: 'attachNsg', subnetId: NO_NSG.id, nsgId: NEW_ID },
    ]);
    expect(s.optionalFixes).toEqual([]);
  });

  it("the finding names the new NSG and its rule, and says the bot does it on approval", () => {
    const f = findingOf(check({ subnets: [NO_NSG] }).findings, FindingCode.NSG_MISSING);
    expect(f.message).toBe("Subnet 'apim-out' in VNet 'hub-vnet' has no network security group associated; integration requires one. The bot can give it one on approval.");
    expect(f.fix).toBe(
      `On approval, the bot creates network security group '${NEW_NAME}' with rule 'AllowApimAzureKeyVaultOutbound' (priority 100, outbound Allow TCP 443 to AzureKeyVault), and associates it with the subnet.`,
    );
  });

  it('judgeNsg returns the same plan directly', () => {
    const j = judge({ subnets: [NO_NSG] });
    expect(summary(j.findings)).toEqual(['NSG_MISSING:fixable']);
    expect(j.fixes.map((f) => f.kind)).toEqual(['createNsg', 'attachNsg']);
    expect(j.optionalFixes).toEqual([]);
  });

  it('attachNsg associates exactly the NSG that createNsg creates', () => {
    const { fixes } = check({ subnets: [NO_NSG] });
    const created = createNsgOf(fixes);
    expect(fixes[1]).toEqual({ kind: 'attachNsg', subnetId: NO_NSG.id, nsgId: created.nsgId });
  });

  it("the name follows the instance's name", () => {
    const s = check({ subnets: [NO_NSG], instance: { name: 'contoso' } });
    expect(createNsgOf(s.fixes)).toMatchObject({
      name: 'nsg-apim-contoso-outbound',
      nsgId: `${RG_NET}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim-contoso-outbound`,
    });
  });

  it("the NSG is placed in the VNet's location, not the instance's", () => {
    const j = judge({ subnets: [subnet('apim-out', { networkSecurityGroupId: null, vnetLocation: 'West Europe' })] });
    expect(createNsgOf(j.fixes).location).toBe('West Europe');
    const far = judge({ subnets: [subnet('apim-out', { networkSecurityGroupId: null, vnetLocation: 'northeurope' })] });
    expect(createNsgOf(far.fixes).location).toBe('northeurope');
  });

  it("the NSG goes into the VNet's resource group and subscription", () => {
    const other = subnet('apim-out', { networkSecurityGroupId: null, subscriptionId: OTHER_SUB });
    const everywhere = access('p', grant('/', ['*']));
    const j = judge({ subnets: [other], bot: everywhere, requester: everywhere });
    expect(createNsgOf(j.fixes).nsgId).toBe(`/subscriptions/${OTHER_SUB}/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/${NEW_NAME}`);
  });

  it('fixes run in order with the other fixes: register provider, create, attach, delegate', () => {
    const s = check({ subnets: [subnet('apim-out', { networkSecurityGroupId: null, delegations: [] })], webProviderState: 'NotRegistered' });
    expect(s.verdict).toBe('fixable');
    expect(s.fixes.map((f) => f.kind)).toEqual(['registerProvider', 'createNsg', 'attachNsg', 'addDelegation']);
  });

  it('a requester of null is not checked: still fixable', () => {
    const s = check({ subnets: [NO_NSG], requester: null });
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
    expect(s.fixes.map((f) => f.kind)).toEqual(['createNsg', 'attachNsg']);
  });

  it('Network Contributor-like rights on the VNet resource group are enough for the bot', () => {
    const bot = access('bot', grant(RG_NET, ['Microsoft.Network/*']), grant(RG_APIM, [INSTANCE_WRITE_ACTION]));
    const s = check({ subnets: [NO_NSG], bot });
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
    expect(s.verdict).toBe('fixable');
  });

  it('rights on the VNet alone are not: the new NSG lies outside it', () => {
    const bot = access('bot', grant(vnetId(), ['Microsoft.Network/*']), grant(RG_APIM, [INSTANCE_WRITE_ACTION]));
    const s = check({ subnets: [NO_NSG], bot });
    const f = findingOf(s.findings, FindingCode.NSG_MISSING);
    expect(f.severity).toBe('blocking');
    expect(f.message).toContain(`it lacks ${NSG_JOIN_ACTION} and ${NSG_WRITE_ACTION}.`);
    expect(f.message).not.toContain(SUBNET_WRITE_ACTION);
    expect(s.fixes).toEqual([]);
  });

  it('creating the NSG does not need securityRules/write (rules go in the NSG PUT)', () => {
    const s = check({ subnets: [NO_NSG], bot: accessWithout('bot', NSG_RULE_WRITE_ACTION), requester: accessWithout('req', NSG_RULE_WRITE_ACTION) });
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
  });
});

describe('new NSG name', () => {
  it('is made unique when an NSG of that name exists in the VNet resource group', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([], NEW_NAME)] });
    const created = createNsgOf(s.fixes);
    expect(created.name).toBe(`${NEW_NAME}-2`);
    expect(created.nsgId).toBe(`${NEW_ID}-2`);
    expect(s.fixes[1]).toEqual({ kind: 'attachNsg', subnetId: NO_NSG.id, nsgId: `${NEW_ID}-2` });
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).fix).toContain(`'${NEW_NAME}-2'`);
  });

  it('compares names case-insensitively and skips every taken suffix', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([], NEW_NAME.toUpperCase()), nsg([], `${NEW_NAME}-2`)] });
    expect(createNsgOf(s.fixes).name).toBe(`${NEW_NAME}-3`);
  });

  it('is not changed by an NSG of that name in another resource group', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg(), otherGroupNsg(NEW_NAME), otherGroupNsg(NEW_NAME, 'rg-net2')] });
    expect(createNsgOf(s.fixes).name).toBe(NEW_NAME);
  });

  it('is judged per resource group when one check holds VNets in several groups', () => {
    const inOther: SubnetFacts = {
      ...NO_NSG,
      id: `/subscriptions/${SUB}/resourceGroups/rg-other/providers/Microsoft.Network/virtualNetworks/spoke/subnets/apim-out`,
      vnetId: `/subscriptions/${SUB}/resourceGroups/rg-other/providers/Microsoft.Network/virtualNetworks/spoke`,
      vnetName: 'spoke',
    };
    const f = facts({ subnets: [NO_NSG, inOther], nsgs: [nsg([], NEW_NAME)] });
    // Both orders, on the same facts: the names per group are remembered per NSG map.
    expect(createNsgOf(judgeNsg(inOther, f, DEFAULT_SETTINGS).fixes).name).toBe(NEW_NAME);
    expect(createNsgOf(judgeNsg(NO_NSG, f, DEFAULT_SETTINGS).fixes).name).toBe(`${NEW_NAME}-2`);
    expect(createNsgOf(judgeNsg(inOther, f, DEFAULT_SETTINGS).fixes).nsgId).toBe(
      `/subscriptions/${SUB}/resourceGroups/rg-other/providers/Microsoft.Network/networkSecurityGroups/${NEW_NAME}`,
    );
    const g = facts({ subnets: [NO_NSG, inOther], nsgs: [otherGroupNsg(NEW_NAME)] });
    expect(createNsgOf(judgeNsg(NO_NSG, g, DEFAULT_SETTINGS).fixes).name).toBe(NEW_NAME);
    expect(createNsgOf(judgeNsg(inOther, g, DEFAULT_SETTINGS).fixes).name).toBe(`${NEW_NAME}-2`);
  });

  it('follows networkFixes.nsgNamePattern', () => {
    const s = check({ subnets: [NO_NSG] }, settings({}, { nsgNamePattern: 'nsg-<instance>-egress' }));
    expect(createNsgOf(s.fixes)).toMatchObject({
      name: 'nsg-apim-prod-egress',
      nsgId: `${RG_NET}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim-prod-egress`,
    });
  });

  it('a pattern that yields no valid name falls back to the default one', () => {
    const s = check({ subnets: [NO_NSG] }, settings({}, { nsgNamePattern: '---' }));
    expect(createNsgOf(s.fixes).name).toBe(NEW_NAME);
  });

  it('the pattern name is made unique as well', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([], 'nsg-apim-prod-egress')] }, settings({}, { nsgNamePattern: 'nsg-<instance>-egress' }));
    expect(createNsgOf(s.fixes).name).toBe('nsg-apim-prod-egress-2');
  });
});

describe('new NSG tag form', () => {
  it("regional: AzureKeyVault.<instance region> (as serviceTagIn writes it)", () => {
    const s = check({ subnets: [NO_NSG] }, settings({}, { tagForm: 'regional' }));
    const dest = createNsgOf(s.fixes).rules[0]?.destinationAddressPrefix;
    expect(dest).toBe(serviceTagIn('AzureKeyVault', 'westeurope'));
    expect(dest).toBe('AzureKeyVault.westeurope');
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).fix).toContain('outbound Allow TCP 443 to AzureKeyVault.westeurope');
  });

  it("regional with a display-name location: AzureKeyVault.WestEurope", () => {
    const j = judge({ subnets: [NO_NSG], instance: { location: 'West Europe' } }, settings({}, { tagForm: 'regional' }));
    expect(createNsgOf(j.fixes).rules[0]?.destinationAddressPrefix).toBe('AzureKeyVault.WestEurope');
  });

  it('global (default): AzureKeyVault', () => {
    const j = judge({ subnets: [NO_NSG], instance: { location: 'West Europe' } });
    expect(createNsgOf(j.fixes).rules[0]?.destinationAddressPrefix).toBe('AzureKeyVault');
  });
});

// ------------------------------------------------------------------------------------------------ no NSG: rights

describe('subnet without NSG: the bot may not give it one', () => {
  it.each([
    ['subnets/write', SUBNET_WRITE_ACTION],
    ['networkSecurityGroups/write', NSG_WRITE_ACTION],
    ['networkSecurityGroups/join/action', NSG_JOIN_ACTION],
  ])('bot lacking %s: NSG_MISSING blocking, the action named, no fixes', (_label, action) => {
    const s = check({ subnets: [NO_NSG], bot: accessWithout('bot', action) });
    expect(nsgCodes(s.findings)).toEqual(['NSG_MISSING:blocking']);
    // nothing unrelated: the bot has every other right
    expect(summary(s.findings)).toEqual(['NSG_MISSING:blocking']);
    const f = findingOf(s.findings, FindingCode.NSG_MISSING);
    expect(f.message).toContain(`The bot may not associate one: it lacks ${action}.`);
    expect(f.fix).toContain("Network Contributor role on the resource group of VNet 'hub-vnet'");
    expect(s.verdict).toBe('ineligible');
    expect(s.fixes).toEqual([]);
    expect(s.optionalFixes).toEqual([]);
  });

  it('judgeNsg plans nothing either', () => {
    const j = judge({ subnets: [NO_NSG], bot: accessWithout('bot', NSG_WRITE_ACTION) });
    expect(j.fixes).toEqual([]);
    expect(j.optionalFixes).toEqual([]);
  });

  it('lists every missing action', () => {
    const f = findingOf(
      check({ subnets: [NO_NSG], bot: accessWithout('bot', SUBNET_WRITE_ACTION, NSG_WRITE_ACTION, NSG_JOIN_ACTION) }).findings,
      FindingCode.NSG_MISSING,
    );
    expect(f.message).toContain(`it lacks ${SUBNET_WRITE_ACTION}, ${NSG_JOIN_ACTION} and ${NSG_WRITE_ACTION}.`);
  });

  it('a notAction takes the right away', () => {
    const bot = access('bot', grant(`/subscriptions/${SUB}`, ['*'], [NSG_WRITE_ACTION]));
    const f = findingOf(check({ subnets: [NO_NSG], bot }).findings, FindingCode.NSG_MISSING);
    expect(f.severity).toBe('blocking');
    expect(f.message).toContain(NSG_WRITE_ACTION);
  });

  it('the bot is judged before the requester', () => {
    const s = check({ subnets: [NO_NSG], bot: accessWithout('bot', NSG_WRITE_ACTION), requester: accessWithout('req', SUBNET_WRITE_ACTION) });
    const f = findingOf(s.findings, FindingCode.NSG_MISSING);
    expect(f.message).toContain('The bot may not');
    expect(f.message).not.toContain('requester');
  });
});

describe('subnet without NSG: the requester', () => {
  it.each([SUBNET_WRITE_ACTION, NSG_WRITE_ACTION, NSG_JOIN_ACTION])('enforce, requester lacking %s: blocking, no fixes', (action) => {
    const s = check({ subnets: [NO_NSG], requester: accessWithout('req', action) });
    expect(summary(s.findings)).toEqual(['NSG_MISSING:blocking']);
    const f = findingOf(s.findings, FindingCode.NSG_MISSING);
    expect(f.message).toContain(`The bot could associate one, but the requester may not make that change themselves: they lack ${action}.`);
    expect(f.fix).toContain("Ask the owner of VNet 'hub-vnet'");
    expect(s.verdict).toBe('ineligible');
    expect(s.fixes).toEqual([]);
  });

  it.each([SUBNET_WRITE_ACTION, NSG_WRITE_ACTION, NSG_JOIN_ACTION])(
    'advisory, requester lacking %s: fixable plus a REQUESTER_PERMISSION_MISSING warning, fixes planned',
    (action) => {
      const s = check({ subnets: [NO_NSG], requester: accessWithout('req', action) }, settings({ requesterRbac: 'advisory' }));
      expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable', 'REQUESTER_PERMISSION_MISSING:warning']);
      const w = findingOf(s.findings, FindingCode.REQUESTER_PERMISSION_MISSING);
      expect(w.message).toBe(
        `The requester may not change the network security group of subnet 'apim-out' in VNet 'hub-vnet' themselves: they lack ${action}.`,
      );
      expect(w.fix).toContain('The approver should confirm');
      expect(s.verdict).toBe('fixable');
      expect(s.fixes.map((f) => f.kind)).toEqual(['createNsg', 'attachNsg']);
    },
  );

  it('advisory with a requester who may do everything: no warning', () => {
    const s = check({ subnets: [NO_NSG] }, settings({ requesterRbac: 'advisory' }));
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
  });

  it('enforce message lists every missing action', () => {
    const f = findingOf(check({ subnets: [NO_NSG], requester: accessWithout('req', SUBNET_WRITE_ACTION, NSG_JOIN_ACTION) }).findings, FindingCode.NSG_MISSING);
    expect(f.message).toContain(`they lack ${SUBNET_WRITE_ACTION} and ${NSG_JOIN_ACTION}.`);
  });
});

// ------------------------------------------------------------------------------------------------ no NSG: configured one

describe('subnet without NSG: the configured NSG (NEW_SUBNET_NSG_ID)', () => {
  const configured = settings({}, { nsgId: SHARED_ID });

  it('readable, same region, explicit AzureKeyVault allow: only attachNsg; the finding says "configured"', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([KEYVAULT_ALLOW], 'nsg-shared')] }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
    expect(s.verdict).toBe('fixable');
    expect(s.fixes).toEqual([{ kind: 'attachNsg', subnetId: NO_NSG.id, nsgId: SHARED_ID }]);
    expect(s.optionalFixes).toEqual([]);
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).fix).toBe(
      "On approval, the bot associates the configured network security group 'nsg-shared' with the subnet.",
    );
  });

  it("uses the NSG's own id spelling when the setting differs in case", () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([KEYVAULT_ALLOW], 'nsg-shared')] }, settings({}, { nsgId: SHARED_ID.toUpperCase() }));
    expect(s.fixes).toEqual([{ kind: 'attachNsg', subnetId: NO_NSG.id, nsgId: SHARED_ID }]);
  });

  it('the bot needs no networkSecurityGroups/write for it', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([KEYVAULT_ALLOW], 'nsg-shared')], bot: accessWithout('bot', NSG_WRITE_ACTION) }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
    expect(s.fixes.map((f) => f.kind)).toEqual(['attachNsg']);
  });

  it.each([SUBNET_WRITE_ACTION, NSG_JOIN_ACTION])('the bot lacking %s: blocking', (action) => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([KEYVAULT_ALLOW], 'nsg-shared')], bot: accessWithout('bot', action) }, configured);
    const f = findingOf(s.findings, FindingCode.NSG_MISSING);
    expect(f.severity).toBe('blocking');
    expect(f.message).toContain(`it lacks ${action}.`);
    expect(s.fixes).toEqual([]);
  });

  it('join/action only on the configured NSG itself is enough', () => {
    const bot = access(
      'bot',
      grant(`/subscriptions/${SUB}`, ALL_ACTIONS.filter((a) => a !== NSG_JOIN_ACTION)),
      grant(SHARED_ID, [NSG_JOIN_ACTION]),
    );
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([KEYVAULT_ALLOW], 'nsg-shared')], bot }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
  });

  it('enforce: a requester lacking join/action on it blocks', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([KEYVAULT_ALLOW], 'nsg-shared')], requester: accessWithout('req', NSG_JOIN_ACTION) }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:blocking']);
    expect(s.fixes).toEqual([]);
  });

  it('advisory: a requester lacking join/action on it is a warning', () => {
    const s = check(
      { subnets: [NO_NSG], nsgs: [nsg([KEYVAULT_ALLOW], 'nsg-shared')], requester: accessWithout('req', NSG_JOIN_ACTION) },
      settings({ requesterRbac: 'advisory' }, { nsgId: SHARED_ID }),
    );
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable', 'REQUESTER_PERMISSION_MISSING:warning']);
    expect(s.fixes).toEqual([{ kind: 'attachNsg', subnetId: NO_NSG.id, nsgId: SHARED_ID }]);
  });

  it('not in the facts: blocking, naming NEW_SUBNET_NSG_ID', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg()] }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:blocking']);
    const f = findingOf(s.findings, FindingCode.NSG_MISSING);
    expect(f.message).toContain("The configured network security group 'nsg-shared' (NEW_SUBNET_NSG_ID) could not be read");
    expect(f.fix).toContain('Associate a network security group with the subnet');
    expect(s.verdict).toBe('ineligible');
    expect(s.fixes).toEqual([]);
  });

  it('in another region than the VNet: blocking', () => {
    const far: NsgFacts = { ...nsg([KEYVAULT_ALLOW], 'nsg-shared'), location: 'northeurope' };
    const s = check({ subnets: [NO_NSG], nsgs: [far] }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:blocking']);
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).message).toContain(
      "The configured network security group 'nsg-shared' is in northeurope, not in westeurope with the VNet",
    );
    expect(s.fixes).toEqual([]);
  });

  it('a location written differently is the same region', () => {
    const spelled: NsgFacts = { ...nsg([KEYVAULT_ALLOW], 'nsg-shared'), location: 'West Europe' };
    const s = check({ subnets: [NO_NSG], nsgs: [spelled] }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
  });

  it('denying AzureKeyVault: blocking, with the reason', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([certainDeny(100)], 'nsg-shared')] }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:blocking']);
    const f = findingOf(s.findings, FindingCode.NSG_MISSING);
    expect(f.message).toContain("The configured network security group 'nsg-shared' cannot be used:");
    expect(f.message).toContain("rule 'deny-internet' (priority 100, Deny)");
    expect(s.fixes).toEqual([]);
    expect(s.optionalFixes).toEqual([]);
  });

  it('default rules only: attachNsg, plus the optional AzureKeyVault rule on the configured NSG', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([], 'nsg-shared')] }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable', 'NSG_DEPENDENCY_NOT_EXPLICIT:warning']);
    expect(s.verdict).toBe('fixable');
    expect(s.fixes).toEqual([{ kind: 'attachNsg', subnetId: NO_NSG.id, nsgId: SHARED_ID }]);
    expect(s.optionalFixes).toEqual([{ kind: 'addDependencyRules', nsgId: SHARED_ID, rules: [dependencyAllowRule('AzureKeyVault', { priority: 100 })] }]);
    const w = findingOf(s.findings, FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT);
    expect(w.message).toContain("Network security group 'nsg-shared' allows outbound TCP 443");
    expect(w.fix).toContain(
      "The bot can add rule 'AllowApimAzureKeyVaultOutbound' (priority 100, outbound Allow TCP 443 to AzureKeyVault) to NSG 'nsg-shared' on approval, as an optional fix.",
    );
  });

  it('default rules only, but the bot may not write its rules: attach only, no offer', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([], 'nsg-shared')], bot: accessWithout('bot', NSG_RULE_WRITE_ACTION) }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable', 'NSG_DEPENDENCY_NOT_EXPLICIT:warning']);
    expect(s.fixes.map((f) => f.kind)).toEqual(['attachNsg']);
    expect(s.optionalFixes).toEqual([]);
    expect(findingOf(s.findings, FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT).fix).not.toContain('The bot can add');
  });

  it('an uncertain deny on the configured NSG is a warning, with the offer before it', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([uncertainDeny(150)], 'nsg-shared')] }, configured);
    expect(nsgCodes(s.findings)).toEqual(['NSG_MISSING:fixable', 'NSG_DEPENDENCY_NOT_EXPLICIT:warning', 'NSG_DEPENDENCY_NOT_EXPLICIT:warning']);
    expect(rulesOf(s.optionalFixes).rule.priority).toBeLessThan(150);
  });

  it('the regional tag form applies to the offer on the configured NSG', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([], 'nsg-shared')] }, settings({}, { nsgId: SHARED_ID, tagForm: 'regional' }));
    expect(rulesOf(s.optionalFixes).rule.destinationAddressPrefix).toBe(serviceTagIn('AzureKeyVault', 'westeurope'));
  });

  it('does not apply to a subnet that has an NSG', () => {
    const s = check({ nsgs: [nsg(), nsg([KEYVAULT_ALLOW], 'nsg-shared')] }, configured);
    expect(summary(s.findings)).toEqual([]);
    expect(s.fixes).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------ optional dependency rules

describe('NSG allowing AzureKeyVault only by default: the optional rule', () => {
  it('is offered at priority 100; the warning stays a warning and names the offer; verdict eligible', () => {
    const s = check({ nsgs: [nsg([])] });
    expect(summary(s.findings)).toEqual(['NSG_DEPENDENCY_NOT_EXPLICIT:warning']);
    expect(s.verdict).toBe('eligible');
    expect(s.fixes).toEqual([]);
    expect(s.optionalFixes).toEqual([{ kind: 'addDependencyRules', nsgId: nsgId(), rules: [dependencyAllowRule('AzureKeyVault', { priority: 100 })] }]);
    expect(findingOf(s.findings, FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT).fix).toBe(
      "Add an outbound Allow rule for TCP 443 to AzureKeyVault to NSG 'nsg-apim'. " +
        "The bot can add rule 'AllowApimAzureKeyVaultOutbound' (priority 100, outbound Allow TCP 443 to AzureKeyVault) to NSG 'nsg-apim' on approval, as an optional fix.",
    );
  });

  it('judgeNsg: offer in optionalFixes, never in fixes', () => {
    const j = judge({ nsgs: [nsg([])] });
    expect(j.fixes).toEqual([]);
    expect(j.optionalFixes.map((f) => f.kind)).toEqual(['addDependencyRules']);
  });

  it('takes the next free priority when 100 is used by another outbound custom rule', () => {
    const s = check({ nsgs: [nsg([otherAllow(100), otherAllow(101)])] });
    expect(rulesOf(s.optionalFixes).rule.priority).toBe(102);
    expect(findingOf(s.findings, FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT).fix).toContain('(priority 102,');
  });

  it('an inbound rule at 100 does not take the priority', () => {
    const s = check({ nsgs: [nsg([otherAllow(100, 'in-100', 'Inbound')])] });
    expect(rulesOf(s.optionalFixes).rule.priority).toBe(100);
  });

  it('the rule name is made unique among the custom rules', () => {
    const s = check({ nsgs: [nsg([otherAllow(300, 'AllowApimAzureKeyVaultOutbound')])] });
    expect(rulesOf(s.optionalFixes).rule.name).toBe('AllowApimAzureKeyVaultOutbound-2');
  });

  it('regional tag form: AzureKeyVault.<instance region>', () => {
    const s = check({ nsgs: [nsg([])] }, settings({}, { tagForm: 'regional' }));
    expect(rulesOf(s.optionalFixes).rule.destinationAddressPrefix).toBe('AzureKeyVault.westeurope');
    const spaced = judge({ nsgs: [nsg([])], instance: { location: 'West Europe' } }, settings({}, { tagForm: 'regional' }));
    expect(rulesOf(spaced.optionalFixes).rule.destinationAddressPrefix).toBe('AzureKeyVault.WestEurope');
  });

  it('is not offered when the bot lacks securityRules/write', () => {
    const s = check({ nsgs: [nsg([])], bot: accessWithout('bot', NSG_RULE_WRITE_ACTION) });
    expect(summary(s.findings)).toEqual(['NSG_DEPENDENCY_NOT_EXPLICIT:warning']);
    expect(s.optionalFixes).toEqual([]);
    expect(findingOf(s.findings, FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT).fix).toBe(
      "Add an outbound Allow rule for TCP 443 to AzureKeyVault to NSG 'nsg-apim'.",
    );
  });

  it('is not offered when the bot may write rules only on another NSG', () => {
    const bot = access(
      'bot',
      grant(`/subscriptions/${SUB}`, ALL_ACTIONS.filter((a) => a !== NSG_RULE_WRITE_ACTION)),
      grant(nsgId('nsg-elsewhere'), [NSG_RULE_WRITE_ACTION]),
    );
    expect(check({ nsgs: [nsg([])], bot }).optionalFixes).toEqual([]);
    const scoped = access(
      'bot',
      grant(`/subscriptions/${SUB}`, ALL_ACTIONS.filter((a) => a !== NSG_RULE_WRITE_ACTION)),
      grant(nsgId(), [NSG_RULE_WRITE_ACTION]),
    );
    expect(check({ nsgs: [nsg([])], bot: scoped }).optionalFixes).toHaveLength(1);
  });

  it('enforce: not offered when the requester lacks securityRules/write', () => {
    const s = check({ nsgs: [nsg([])], requester: accessWithout('req', NSG_RULE_WRITE_ACTION) });
    expect(summary(s.findings)).toEqual(['NSG_DEPENDENCY_NOT_EXPLICIT:warning']);
    expect(s.optionalFixes).toEqual([]);
    expect(findingOf(s.findings, FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT).fix).not.toContain('The bot can add');
  });

  it('advisory: offered even when the requester lacks securityRules/write, with a warning for the approver', () => {
    const s = check({ nsgs: [nsg([])], requester: accessWithout('req', NSG_RULE_WRITE_ACTION) }, settings({ requesterRbac: 'advisory' }));
    expect(s.optionalFixes).toHaveLength(1);
    expect(findingOf(s.findings, FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT).fix).toContain('The bot can add');
    expect(findingOf(s.findings, FindingCode.REQUESTER_PERMISSION_MISSING)).toMatchObject({
      severity: 'warning',
      message: expect.stringContaining(`they lack ${NSG_RULE_WRITE_ACTION}`),
    });
    const allowed = check({ nsgs: [nsg([])] }, settings({ requesterRbac: 'advisory' }));
    expect(allowed.findings.map((f) => f.code)).not.toContain(FindingCode.REQUESTER_PERMISSION_MISSING);
  });

  it('offered when no requester is named', () => {
    expect(check({ nsgs: [nsg([])], requester: null }).optionalFixes).toHaveLength(1);
  });

  it('not offered when the NSG could not be read', () => {
    const s = check({ subnets: [subnet('apim-out', { networkSecurityGroupId: nsgId('nsg-hidden') })], nsgs: [nsg([])] });
    expect(summary(s.findings)).toEqual(['NSG_DEPENDENCY_NOT_EXPLICIT:warning']);
    expect(findingOf(s.findings, FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT).message).toContain('could not be read');
    expect(s.optionalFixes).toEqual([]);
    expect(s.fixes).toEqual([]);
  });

  it('found when the subnet spells the NSG id in another case', () => {
    const s = check({ subnets: [subnet('apim-out', { networkSecurityGroupId: nsgId().toUpperCase() })], nsgs: [nsg([])] });
    expect(rulesOf(s.optionalFixes).nsgId).toBe(nsgId());
  });

  it('not offered when the NSG denies AzureKeyVault (NSG_BLOCKS_DEPENDENCY)', () => {
    const s = check({ nsgs: [nsg([certainDeny(200)])] });
    expect(summary(s.findings)).toEqual(['NSG_BLOCKS_DEPENDENCY:blocking']);
    expect(s.optionalFixes).toEqual([]);
    expect(s.fixes).toEqual([]);
    const j = judge({ nsgs: [nsg([certainDeny(200)])] });
    expect(j.optionalFixes).toEqual([]);
  });

  it('not offered (no finding) on an NSG with an explicit allow', () => {
    const j = judge({ nsgs: [nsg([KEYVAULT_ALLOW])] });
    expect(j).toEqual({ findings: [], fixes: [], optionalFixes: [] });
  });

  it('an uncertain deny: the last of the two warnings names the offer, whose priority comes before the deny', () => {
    const s = check({ nsgs: [nsg([uncertainDeny(150)])] });
    expect(summary(s.findings)).toEqual(['NSG_DEPENDENCY_NOT_EXPLICIT:warning', 'NSG_DEPENDENCY_NOT_EXPLICIT:warning']);
    const offered = rulesOf(s.optionalFixes).rule;
    expect(offered.priority).toBe(100);
    expect(offered.priority).toBeLessThan(150);
    expect(s.optionalFixes).toHaveLength(1);
    expect(s.findings.map((f) => (f.fix ?? '').includes('The bot can add'))).toEqual([false, true]);
  });

  it('an uncertain deny before an explicit allow: the explicit rule is offered before the deny', () => {
    const s = check({ nsgs: [nsg([uncertainDeny(150), KEYVAULT_ALLOW])] });
    expect(summary(s.findings)).toEqual(['NSG_DEPENDENCY_NOT_EXPLICIT:warning']);
    expect(rulesOf(s.optionalFixes).rule.priority).toBeLessThan(150);
  });

  it('an uncertain deny with every priority before it taken: not offered', () => {
    const taken = Array.from({ length: 50 }, (_, i) => otherAllow(100 + i));
    const s = check({ nsgs: [nsg([...taken, uncertainDeny(150)])] });
    expect(s.optionalFixes).toEqual([]);
    for (const f of s.findings) expect(f.fix ?? '').not.toContain('The bot can add');
  });

  it('an uncertain deny at priority 100: no free priority before it, not offered', () => {
    const s = check({ nsgs: [nsg([uncertainDeny(100)])] });
    expect(summary(s.findings)).toEqual(['NSG_DEPENDENCY_NOT_EXPLICIT:warning', 'NSG_DEPENDENCY_NOT_EXPLICIT:warning']);
    expect(s.optionalFixes).toEqual([]);
    for (const f of s.findings) expect(f.fix ?? '').not.toContain('The bot can add');
  });

  it('a certain deny at priority 100: blocking, not offered', () => {
    const s = check({ nsgs: [nsg([certainDeny(100)])] });
    expect(summary(s.findings)).toEqual(['NSG_BLOCKS_DEPENDENCY:blocking']);
    expect(s.optionalFixes).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------ ineligible subnets

describe('an ineligible subnet plans nothing', () => {
  it('too small, without an NSG: NSG_MISSING stays blocking, with no offer, no fixes and no optional fixes', () => {
    const s = check({ subnets: [subnet('apim-out', { networkSecurityGroupId: null, addressPrefixes: ['10.0.1.0/28'] })] });
    expect(summary(s.findings)).toContain('SUBNET_TOO_SMALL:blocking');
    expect(summary(s.findings)).toContain('NSG_MISSING:blocking');
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).fix).not.toMatch(/On approval/);
    expect(s.verdict).toBe('ineligible');
    expect(s.fixes).toEqual([]);
    expect(s.optionalFixes).toEqual([]);
  });

  it('too small, with a default-only NSG: no optional fixes, and the warning offers nothing', () => {
    const s = check({ subnets: [subnet('apim-out', { addressPrefixes: ['10.0.1.0/28'] })], nsgs: [nsg([])] });
    expect(s.verdict).toBe('ineligible');
    expect(s.optionalFixes).toEqual([]);
    expect(findingOf(s.findings, FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT).fix).not.toMatch(/The bot can add/);
  });

  it('blocked by an instance-level finding: no fixes and no optional fixes', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([])], instance: { skuName: 'Developer' } });
    expect(s.verdict).toBe('ineligible');
    expect(s.fixes).toEqual([]);
    expect(s.optionalFixes).toEqual([]);
    const d = check({ nsgs: [nsg([])], instance: { skuName: 'Developer' } });
    expect(d.optionalFixes).toEqual([]);
  });

  it('a usable subnet beside an ineligible one keeps its own plan', () => {
    const report = evaluateEligibility(
      facts({
        subnets: [subnet('big', { networkSecurityGroupId: null }), subnet('tiny', { networkSecurityGroupId: null, addressPrefixes: ['10.0.2.0/28'] })],
        nsgs: [],
      }),
    );
    expect(subnetReport(report, 'big').fixes.map((f) => f.kind)).toEqual(['createNsg', 'attachNsg']);
    expect(subnetReport(report, 'tiny').fixes).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------ several dependencies

describe('several required dependencies', () => {
  const both = settings({ dependencies: { required: ['AzureKeyVault', 'Storage'], optional: [] } });

  it('a new NSG gets one rule per tag, at 100 and 101', () => {
    const j = judge({ subnets: [NO_NSG] }, both);
    expect(createNsgOf(j.fixes).rules.map((r) => [r.name, r.priority, r.destinationAddressPrefix])).toEqual([
      ['AllowApimAzureKeyVaultOutbound', 100, 'AzureKeyVault'],
      ['AllowApimStorageOutbound', 101, 'Storage'],
    ]);
  });

  it('the optional fix covers exactly the tags allowed only by default, at distinct priorities', () => {
    const onlyStorage = check({ nsgs: [nsg([KEYVAULT_ALLOW])] }, both);
    expect(onlyStorage.optionalFixes).toEqual([{ kind: 'addDependencyRules', nsgId: nsgId(), rules: [dependencyAllowRule('Storage', { priority: 100 })] }]);
    const neither = check({ nsgs: [nsg([])] }, both);
    const fix = neither.optionalFixes[0];
    expect(fix?.kind === 'addDependencyRules' && fix.rules.map((r) => [r.name, r.priority])).toEqual([
      ['AllowApimAzureKeyVaultOutbound', 100],
      ['AllowApimStorageOutbound', 101],
    ]);
    expect(findingOf(neither.findings, FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT).fix).not.toContain('The bot can add');
    expect(neither.findings.at(-1)?.fix).toContain(
      "The bot can add rule 'AllowApimAzureKeyVaultOutbound' (priority 100, outbound Allow TCP 443 to AzureKeyVault) and rule 'AllowApimStorageOutbound' (priority 101, outbound Allow TCP 443 to Storage)",
    );
  });

  it('nothing is offered when one of the tags is denied', () => {
    const s = check({ nsgs: [nsg([rule({ name: 'deny-storage', priority: 300, access: 'Deny', destinationAddressPrefixes: ['Storage'] })])] }, both);
    expect(summary(s.findings)).toEqual(['NSG_BLOCKS_DEPENDENCY:blocking', 'NSG_DEPENDENCY_NOT_EXPLICIT:warning']);
    expect(s.optionalFixes).toEqual([]);
  });

  it('no required tags: a new NSG has no custom rules and nothing is ever offered', () => {
    const none = settings({ dependencies: { required: [], optional: [] } });
    expect(createNsgOf(judge({ subnets: [NO_NSG] }, none).fixes).rules).toEqual([]);
    expect(check({ nsgs: [nsg([])] }, none)).toMatchObject({ findings: [], optionalFixes: [] });
  });

  it('the configured NSG must deny none of the required tags', () => {
    const denies = nsg([KEYVAULT_ALLOW, rule({ name: 'deny-storage', priority: 300, access: 'Deny', destinationAddressPrefixes: ['Storage'] })], 'nsg-shared');
    const s = check({ subnets: [NO_NSG], nsgs: [denies] }, settings({ dependencies: { required: ['AzureKeyVault', 'Storage'], optional: [] } }, { nsgId: SHARED_ID }));
    expect(nsgCodes(s.findings)).toEqual(['NSG_MISSING:blocking']);
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).message).toContain("The configured network security group 'nsg-shared' cannot be used");
    const fine = check({ subnets: [NO_NSG], nsgs: [denies] }, settings({}, { nsgId: SHARED_ID }));
    expect(nsgCodes(fine.findings)).toEqual(['NSG_MISSING:fixable']);
  });
});

describe('several required dependencies: the optional fix in detail', () => {
  const BOTH = { required: ['AzureKeyVault', 'Storage'], optional: [] };
  const both = settings({ dependencies: BOTH });
  const storageDeny = (priority: number, overrides: Partial<SecurityRuleFacts> = {}) =>
    rule({ name: 'deny-storage', priority, access: 'Deny', destinationAddressPrefixes: ['Storage'], ...overrides });

  /** The NSG of the subnet with the offered rules added, judged again: the offer must leave nothing to say. */
  function recheckedWithOffer(custom: SecurityRuleFacts[], with_: EligibilitySettings) {
    const first = check({ nsgs: [nsg(custom)] }, with_);
    const added = offeredRules(first.optionalFixes).map(ruleSpecFacts);
    return { first, again: check({ nsgs: [nsg([...custom, ...added])] }, with_) };
  }

  it('a new NSG: the fix names every rule it creates', () => {
    const f = findingOf(check({ subnets: [NO_NSG] }, both).findings, FindingCode.NSG_MISSING);
    expect(f.fix).toBe(
      `On approval, the bot creates network security group '${NEW_NAME}' with rule 'AllowApimAzureKeyVaultOutbound' (priority 100, outbound Allow TCP 443 to AzureKeyVault), ` +
        "rule 'AllowApimStorageOutbound' (priority 101, outbound Allow TCP 443 to Storage), and associates it with the subnet.",
    );
  });

  it('a new NSG with nothing required: createNsg with no custom rules, and the fix says so', () => {
    const none = settings({ dependencies: { required: [], optional: [] } });
    const s = check({ subnets: [NO_NSG] }, none);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
    expect(s.fixes).toEqual([
      { kind: 'createNsg', nsgId: NEW_ID, name: NEW_NAME, location: 'westeurope', rules: [] },
      { kind: 'attachNsg', subnetId: NO_NSG.id, nsgId: NEW_ID },
    ]);
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).fix).toBe(
      `On approval, the bot creates network security group '${NEW_NAME}' with no custom rules, and associates it with the subnet.`,
    );
  });

  it('the bot may not give the subnet an NSG: the manual fix asks for every required tag', () => {
    const s = check({ subnets: [NO_NSG], bot: accessWithout('bot', NSG_WRITE_ACTION) }, both);
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).fix).toContain('with outbound Allow rules for TCP 443 to AzureKeyVault and Storage.');
  });

  it('regional tag form, both tags: the new NSG and the offer write <tag>.WestEurope', () => {
    const regional = settings({ dependencies: BOTH }, { tagForm: 'regional' });
    const created = createNsgOf(judge({ subnets: [NO_NSG], instance: { location: 'West Europe' } }, regional).fixes);
    expect(created.rules.map((r) => r.destinationAddressPrefix)).toEqual(['AzureKeyVault.WestEurope', 'Storage.WestEurope']);
    const offered = offeredRules(judge({ nsgs: [nsg([])], instance: { location: 'West Europe' } }, regional).optionalFixes);
    expect(offered.map((r) => r.destinationAddressPrefix)).toEqual(['AzureKeyVault.WestEurope', 'Storage.WestEurope']);
  });

  it('the offer leaves nothing for the check to say once added', () => {
    for (const custom of [[], [otherAllow(100)], [KEYVAULT_ALLOW], [STORAGE_ALLOW], [uncertainDeny(150)], [otherAllow(100), uncertainDeny(103)]]) {
      const { first, again } = recheckedWithOffer(custom, both);
      expect(first.verdict, JSON.stringify(custom)).toBe('eligible');
      expect(again.findings, JSON.stringify(custom)).toEqual([]);
    }
  });

  it('two tags get distinct free priorities, each before the deny that may match', () => {
    const s = check({ nsgs: [nsg([otherAllow(100), uncertainDeny(103)])] }, both);
    expect(offeredRules(s.optionalFixes).map((r) => [r.destinationAddressPrefix, r.priority])).toEqual([
      ['AzureKeyVault', 101],
      ['Storage', 102],
    ]);
  });

  it('only one free priority before the deny, for two tags: nothing is offered (all or nothing)', () => {
    const s = check({ nsgs: [nsg([otherAllow(100), otherAllow(101), uncertainDeny(103)])] }, both);
    expect(nsgCodes(s.findings)).toEqual([
      'NSG_DEPENDENCY_NOT_EXPLICIT:warning',
      'NSG_DEPENDENCY_NOT_EXPLICIT:warning',
      'NSG_DEPENDENCY_NOT_EXPLICIT:warning',
      'NSG_DEPENDENCY_NOT_EXPLICIT:warning',
    ]);
    expect(s.optionalFixes).toEqual([]);
    for (const f of s.findings) expect(f.fix ?? '').not.toContain('The bot can add');
    // The same NSG with AzureKeyVault alone required has room for its one rule.
    expect(rulesOf(check({ nsgs: [nsg([otherAllow(100), otherAllow(101), uncertainDeny(103)])] }).optionalFixes).rule.priority).toBe(102);
  });

  it('one tag with no free priority (an uncertain Storage deny at 100): nothing is offered, not even for AzureKeyVault', () => {
    const s = check({ nsgs: [nsg([storageDeny(100, { sourceAddressPrefixes: ['10.0.1.0/25'] })])] }, both);
    expect(s.findings.map((f) => `${f.code}:${f.details?.tag}`)).toEqual([
      'NSG_DEPENDENCY_NOT_EXPLICIT:AzureKeyVault',
      'NSG_DEPENDENCY_NOT_EXPLICIT:Storage',
      'NSG_DEPENDENCY_NOT_EXPLICIT:Storage',
    ]);
    expect(s.optionalFixes).toEqual([]);
  });

  it('never overwrites a rule name: each name is new in the NSG, inbound rules included', () => {
    const s = check(
      { nsgs: [nsg([otherAllow(300, 'AllowApimAzureKeyVaultOutbound'), otherAllow(100, 'allowapimstorageoutbound', 'Inbound'), otherAllow(301, 'AllowApimStorageOutbound-2')])] },
      both,
    );
    expect(offeredRules(s.optionalFixes).map((r) => r.name)).toEqual(['AllowApimAzureKeyVaultOutbound-2', 'AllowApimStorageOutbound-3']);
  });

  it('an unreadable NSG: one warning per required tag, nothing offered', () => {
    const s = check({ subnets: [subnet('apim-out', { networkSecurityGroupId: nsgId('nsg-hidden') })] }, both);
    expect(s.findings.map((f) => `${f.code}:${f.severity}:${f.details?.tag}`)).toEqual([
      'NSG_DEPENDENCY_NOT_EXPLICIT:warning:AzureKeyVault',
      'NSG_DEPENDENCY_NOT_EXPLICIT:warning:Storage',
    ]);
    expect(s.optionalFixes).toEqual([]);
    expect(s.verdict).toBe('eligible');
  });
});

// ------------------------------------------------------------------------------------------ the default settings

describe('the default settings: AzureKeyVault required, Storage optional', () => {
  it('a new NSG carries the AzureKeyVault rule only', () => {
    const j = judge({ subnets: [NO_NSG] }, DEFAULT_SETTINGS);
    expect(createNsgOf(j.fixes).rules).toEqual([dependencyAllowRule('AzureKeyVault', { priority: 100 })]);
  });

  it('a default-only NSG: the offer is the AzureKeyVault rule only, never a Storage rule', () => {
    const s = check({ nsgs: [nsg([])] }, DEFAULT_SETTINGS);
    expect(summary(s.findings)).toEqual(['NSG_DEPENDENCY_NOT_EXPLICIT:warning']);
    expect(s.optionalFixes).toEqual([{ kind: 'addDependencyRules', nsgId: nsgId(), rules: [dependencyAllowRule('AzureKeyVault', { priority: 100 })] }]);
  });

  it('a Storage deny is a warning that does not stop the AzureKeyVault offer, whose rule comes before it', () => {
    const s = check({ nsgs: [nsg([rule({ name: 'deny-storage', priority: 150, access: 'Deny', destinationAddressPrefixes: ['Storage'] })])] }, DEFAULT_SETTINGS);
    expect(summary(s.findings)).toEqual(['NSG_DEPENDENCY_NOT_EXPLICIT:warning', 'NSG_BLOCKS_OPTIONAL_DEPENDENCY:warning']);
    expect(s.verdict).toBe('eligible');
    expect(rulesOf(s.optionalFixes).rule).toMatchObject({ name: 'AllowApimAzureKeyVaultOutbound', destinationAddressPrefix: 'AzureKeyVault', priority: 100 });
    expect(findingOf(s.findings, FindingCode.NSG_BLOCKS_OPTIONAL_DEPENDENCY).fix).not.toContain('The bot can add');
  });

  it('a deny-all at 4000: AzureKeyVault blocks, nothing is offered', () => {
    const denyAll = rule({ name: 'deny-all', priority: 4000, access: 'Deny', protocol: '*', sourceAddressPrefixes: ['*'], destinationAddressPrefixes: ['*'], destinationPortRanges: ['*'] });
    const s = check({ nsgs: [nsg([denyAll])] }, DEFAULT_SETTINGS);
    expect(summary(s.findings)).toEqual(['NSG_BLOCKS_DEPENDENCY:blocking', 'NSG_BLOCKS_OPTIONAL_DEPENDENCY:warning']);
    expect(s.optionalFixes).toEqual([]);
    expect(s.verdict).toBe('ineligible');
  });

  it('the configured NSG may deny Storage: it is associated, with the optional warning', () => {
    const denies = nsg([KEYVAULT_ALLOW, rule({ name: 'deny-storage', priority: 300, access: 'Deny', destinationAddressPrefixes: ['Storage'] })], 'nsg-shared');
    const s = check({ subnets: [NO_NSG], nsgs: [denies] }, { ...DEFAULT_SETTINGS, networkFixes: { ...DEFAULT_NETWORK_FIX_SETTINGS, nsgId: SHARED_ID } });
    expect(nsgCodes(s.findings)).toEqual(['NSG_MISSING:fixable', 'NSG_BLOCKS_OPTIONAL_DEPENDENCY:warning']);
    expect(s.fixes).toEqual([{ kind: 'attachNsg', subnetId: NO_NSG.id, nsgId: SHARED_ID }]);
    expect(s.optionalFixes).toEqual([]);
    expect(s.verdict).toBe('fixable');
  });

  it('the configured NSG denying AzureKeyVault cannot be used', () => {
    const denies = nsg([rule({ name: 'deny-kv', priority: 300, access: 'Deny' })], 'nsg-shared');
    const s = check({ subnets: [NO_NSG], nsgs: [denies] }, { ...DEFAULT_SETTINGS, networkFixes: { ...DEFAULT_NETWORK_FIX_SETTINGS, nsgId: SHARED_ID } });
    expect(summary(s.findings)).toEqual(['NSG_MISSING:blocking']);
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).message).toContain("rule 'deny-kv' (priority 300, Deny)");
    expect(s.fixes).toEqual([]);
  });
});
