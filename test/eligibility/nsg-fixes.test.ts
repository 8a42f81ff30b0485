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
import { judgeNsg, storageRuleText } from '../../src/eligibility/nsg-fixes.js';
import {
  INSTANCE_WRITE_ACTION,
  NSG_JOIN_ACTION,
  NSG_RULE_WRITE_ACTION,
  NSG_WRITE_ACTION,
  SUBNET_JOIN_ACTIONS,
  SUBNET_WRITE_ACTION,
} from '../../src/eligibility/permissions.js';
import type { PlannedFix } from '../../src/eligibility/report.js';
import { storageAllowRule, storageServiceTag } from '../../src/proposal/storage-rule.js';
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

function settings(overrides: Partial<Omit<EligibilitySettings, 'networkFixes'>> = {}, fixes: Partial<NetworkFixSettings> = {}): EligibilitySettings {
  return { ...DEFAULT_SETTINGS, ...overrides, networkFixes: { ...DEFAULT_NETWORK_FIX_SETTINGS, ...fixes } };
}

/** The one subnet's report. */
function check(options: FactsOptions, with_: EligibilitySettings = DEFAULT_SETTINGS) {
  return subnetReport(evaluateEligibility(facts(options), with_));
}

/** judgeNsg on the first subnet of the facts. */
function judge(options: FactsOptions, with_: EligibilitySettings = DEFAULT_SETTINGS) {
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

function storageRuleOf(fixes: readonly PlannedFix[]): Extract<PlannedFix, { kind: 'addStorageRule' }> {
  const found = fixes.find((f): f is Extract<PlannedFix, { kind: 'addStorageRule' }> => f.kind === 'addStorageRule');
  if (!found) throw new Error(`no addStorageRule in ${JSON.stringify(fixes.map((f) => f.kind))}`);
  return found;
}

const otherGroupNsg = (name: string, group = 'rg-other'): NsgFacts => ({
  id: `/subscriptions/${SUB}/resourceGroups/${group}/providers/Microsoft.Network/networkSecurityGroups/${name}`,
  name,
  location: 'westeurope',
  rules: defaultRules(),
});

/** Deny TCP 443 to a public range: may or may not cover Storage. */
const uncertainDeny = (priority: number, name = 'deny-public'): SecurityRuleFacts =>
  rule({ name, priority, access: 'Deny', destinationAddressPrefixes: ['20.60.0.0/16'] });
/** Deny TCP 443 to the Internet: certainly covers Storage. */
const certainDeny = (priority: number, name = 'deny-internet'): SecurityRuleFacts =>
  rule({ name, priority, access: 'Deny', destinationAddressPrefixes: ['Internet'] });
/** An outbound custom Allow that does not touch Storage. */
const otherAllow = (priority: number, name = `allow-${priority}`, direction: 'Inbound' | 'Outbound' = 'Outbound'): SecurityRuleFacts =>
  rule({ name, priority, direction, destinationAddressPrefixes: ['10.9.0.0/16'] });

// ------------------------------------------------------------------------------------------------ storageRuleText

describe('storageRuleText', () => {
  it('describes name, priority, direction, access, protocol, port and destination', () => {
    expect(storageRuleText(storageAllowRule())).toBe("rule 'AllowApimStorageOutbound' (priority 100, outbound Allow TCP 443 to Storage)");
    expect(storageRuleText({ name: 'r-2', priority: 4096, destinationPortRange: '443', destinationAddressPrefix: 'Storage.WestEurope' })).toBe(
      "rule 'r-2' (priority 4096, outbound Allow TCP 443 to Storage.WestEurope)",
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
          {
            name: 'AllowApimStorageOutbound',
            description: expect.any(String),
            protocol: 'Tcp',
            sourcePortRange: '*',
            destinationPortRange: '443',
            sourceAddressPrefix: 'VirtualNetwork',
            destinationAddressPrefix: 'Storage',
            access: 'Allow',
            priority: 100,
            direction: 'Outbound',
          },
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
      `On approval, the bot creates network security group '${NEW_NAME}' with rule 'AllowApimStorageOutbound' (priority 100, outbound Allow TCP 443 to Storage), and associates it with the subnet.`,
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

describe('new NSG storage tag', () => {
  it("regional: Storage.<instance region> (as storageServiceTag writes it)", () => {
    const s = check({ subnets: [NO_NSG] }, settings({}, { storageTag: 'regional' }));
    const dest = createNsgOf(s.fixes).rules[0]?.destinationAddressPrefix;
    expect(dest).toBe(storageServiceTag('westeurope'));
    expect(dest).toBe('Storage.westeurope');
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).fix).toContain('outbound Allow TCP 443 to Storage.westeurope');
  });

  it("regional with a display-name location: Storage.WestEurope", () => {
    const j = judge({ subnets: [NO_NSG], instance: { location: 'West Europe' } }, settings({}, { storageTag: 'regional' }));
    expect(createNsgOf(j.fixes).rules[0]?.destinationAddressPrefix).toBe('Storage.WestEurope');
  });

  it('global (default): Storage', () => {
    const j = judge({ subnets: [NO_NSG], instance: { location: 'West Europe' } });
    expect(createNsgOf(j.fixes).rules[0]?.destinationAddressPrefix).toBe('Storage');
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

  it('readable, same region, explicit Storage allow: only attachNsg; the finding says "configured"', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([STORAGE_ALLOW], 'nsg-shared')] }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
    expect(s.verdict).toBe('fixable');
    expect(s.fixes).toEqual([{ kind: 'attachNsg', subnetId: NO_NSG.id, nsgId: SHARED_ID }]);
    expect(s.optionalFixes).toEqual([]);
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).fix).toBe(
      "On approval, the bot associates the configured network security group 'nsg-shared' with the subnet.",
    );
  });

  it("uses the NSG's own id spelling when the setting differs in case", () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([STORAGE_ALLOW], 'nsg-shared')] }, settings({}, { nsgId: SHARED_ID.toUpperCase() }));
    expect(s.fixes).toEqual([{ kind: 'attachNsg', subnetId: NO_NSG.id, nsgId: SHARED_ID }]);
  });

  it('the bot needs no networkSecurityGroups/write for it', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([STORAGE_ALLOW], 'nsg-shared')], bot: accessWithout('bot', NSG_WRITE_ACTION) }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
    expect(s.fixes.map((f) => f.kind)).toEqual(['attachNsg']);
  });

  it.each([SUBNET_WRITE_ACTION, NSG_JOIN_ACTION])('the bot lacking %s: blocking', (action) => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([STORAGE_ALLOW], 'nsg-shared')], bot: accessWithout('bot', action) }, configured);
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
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([STORAGE_ALLOW], 'nsg-shared')], bot }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
  });

  it('enforce: a requester lacking join/action on it blocks', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([STORAGE_ALLOW], 'nsg-shared')], requester: accessWithout('req', NSG_JOIN_ACTION) }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:blocking']);
    expect(s.fixes).toEqual([]);
  });

  it('advisory: a requester lacking join/action on it is a warning', () => {
    const s = check(
      { subnets: [NO_NSG], nsgs: [nsg([STORAGE_ALLOW], 'nsg-shared')], requester: accessWithout('req', NSG_JOIN_ACTION) },
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
    const far: NsgFacts = { ...nsg([STORAGE_ALLOW], 'nsg-shared'), location: 'northeurope' };
    const s = check({ subnets: [NO_NSG], nsgs: [far] }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:blocking']);
    expect(findingOf(s.findings, FindingCode.NSG_MISSING).message).toContain(
      "The configured network security group 'nsg-shared' is in northeurope, not in westeurope with the VNet",
    );
    expect(s.fixes).toEqual([]);
  });

  it('a location written differently is the same region', () => {
    const spelled: NsgFacts = { ...nsg([STORAGE_ALLOW], 'nsg-shared'), location: 'West Europe' };
    const s = check({ subnets: [NO_NSG], nsgs: [spelled] }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable']);
  });

  it('denying Storage: blocking, with the reason', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([certainDeny(100)], 'nsg-shared')] }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:blocking']);
    const f = findingOf(s.findings, FindingCode.NSG_MISSING);
    expect(f.message).toContain("The configured network security group 'nsg-shared' cannot be used:");
    expect(f.message).toContain("rule 'deny-internet' (priority 100, Deny)");
    expect(s.fixes).toEqual([]);
    expect(s.optionalFixes).toEqual([]);
  });

  it('default rules only: attachNsg, plus the optional Storage rule on the configured NSG', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([], 'nsg-shared')] }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable', 'NSG_STORAGE_NOT_EXPLICIT:warning']);
    expect(s.verdict).toBe('fixable');
    expect(s.fixes).toEqual([{ kind: 'attachNsg', subnetId: NO_NSG.id, nsgId: SHARED_ID }]);
    expect(s.optionalFixes).toEqual([{ kind: 'addStorageRule', nsgId: SHARED_ID, rule: storageAllowRule({ priority: 100 }) }]);
    const w = findingOf(s.findings, FindingCode.NSG_STORAGE_NOT_EXPLICIT);
    expect(w.message).toContain("Network security group 'nsg-shared' allows outbound TCP 443");
    expect(w.fix).toContain(
      "The bot can add rule 'AllowApimStorageOutbound' (priority 100, outbound Allow TCP 443 to Storage) to NSG 'nsg-shared' on approval, as an optional fix.",
    );
  });

  it('default rules only, but the bot may not write its rules: attach only, no offer', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([], 'nsg-shared')], bot: accessWithout('bot', NSG_RULE_WRITE_ACTION) }, configured);
    expect(summary(s.findings)).toEqual(['NSG_MISSING:fixable', 'NSG_STORAGE_NOT_EXPLICIT:warning']);
    expect(s.fixes.map((f) => f.kind)).toEqual(['attachNsg']);
    expect(s.optionalFixes).toEqual([]);
    expect(findingOf(s.findings, FindingCode.NSG_STORAGE_NOT_EXPLICIT).fix).not.toContain('The bot can add');
  });

  it('an uncertain deny on the configured NSG is a warning, with the offer before it', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([uncertainDeny(150)], 'nsg-shared')] }, configured);
    expect(nsgCodes(s.findings)).toEqual(['NSG_MISSING:fixable', 'NSG_STORAGE_NOT_EXPLICIT:warning', 'NSG_STORAGE_NOT_EXPLICIT:warning']);
    expect(storageRuleOf(s.optionalFixes).rule.priority).toBeLessThan(150);
  });

  it('regional storage tag applies to the offer on the configured NSG', () => {
    const s = check({ subnets: [NO_NSG], nsgs: [nsg([], 'nsg-shared')] }, settings({}, { nsgId: SHARED_ID, storageTag: 'regional' }));
    expect(storageRuleOf(s.optionalFixes).rule.destinationAddressPrefix).toBe(storageServiceTag('westeurope'));
  });

  it('does not apply to a subnet that has an NSG', () => {
    const s = check({ nsgs: [nsg(), nsg([STORAGE_ALLOW], 'nsg-shared')] }, configured);
    expect(summary(s.findings)).toEqual([]);
    expect(s.fixes).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------ optional Storage rule

describe('NSG allowing Storage only by default: the optional Storage rule', () => {
  it('is offered at priority 100; the warning stays a warning and names the offer; verdict eligible', () => {
    const s = check({ nsgs: [nsg([])] });
    expect(summary(s.findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning']);
    expect(s.verdict).toBe('eligible');
    expect(s.fixes).toEqual([]);
    expect(s.optionalFixes).toEqual([{ kind: 'addStorageRule', nsgId: nsgId(), rule: storageAllowRule({ priority: 100 }) }]);
    expect(findingOf(s.findings, FindingCode.NSG_STORAGE_NOT_EXPLICIT).fix).toBe(
      "Add an outbound Allow rule for TCP 443 to the Storage service tag to NSG 'nsg-apim'. " +
        "The bot can add rule 'AllowApimStorageOutbound' (priority 100, outbound Allow TCP 443 to Storage) to NSG 'nsg-apim' on approval, as an optional fix.",
    );
  });

  it('judgeNsg: offer in optionalFixes, never in fixes', () => {
    const j = judge({ nsgs: [nsg([])] });
    expect(j.fixes).toEqual([]);
    expect(j.optionalFixes.map((f) => f.kind)).toEqual(['addStorageRule']);
  });

  it('takes the next free priority when 100 is used by another outbound custom rule', () => {
    const s = check({ nsgs: [nsg([otherAllow(100), otherAllow(101)])] });
    expect(storageRuleOf(s.optionalFixes).rule.priority).toBe(102);
    expect(findingOf(s.findings, FindingCode.NSG_STORAGE_NOT_EXPLICIT).fix).toContain('(priority 102,');
  });

  it('an inbound rule at 100 does not take the priority', () => {
    const s = check({ nsgs: [nsg([otherAllow(100, 'in-100', 'Inbound')])] });
    expect(storageRuleOf(s.optionalFixes).rule.priority).toBe(100);
  });

  it('the rule name is made unique among the custom rules', () => {
    const s = check({ nsgs: [nsg([otherAllow(300, 'AllowApimStorageOutbound')])] });
    expect(storageRuleOf(s.optionalFixes).rule.name).toBe('AllowApimStorageOutbound-2');
  });

  it('regional storage tag: Storage.<instance region>', () => {
    const s = check({ nsgs: [nsg([])] }, settings({}, { storageTag: 'regional' }));
    expect(storageRuleOf(s.optionalFixes).rule.destinationAddressPrefix).toBe('Storage.westeurope');
    const spaced = judge({ nsgs: [nsg([])], instance: { location: 'West Europe' } }, settings({}, { storageTag: 'regional' }));
    expect(storageRuleOf(spaced.optionalFixes).rule.destinationAddressPrefix).toBe('Storage.WestEurope');
  });

  it('is not offered when the bot lacks securityRules/write', () => {
    const s = check({ nsgs: [nsg([])], bot: accessWithout('bot', NSG_RULE_WRITE_ACTION) });
    expect(summary(s.findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning']);
    expect(s.optionalFixes).toEqual([]);
    expect(findingOf(s.findings, FindingCode.NSG_STORAGE_NOT_EXPLICIT).fix).toBe(
      "Add an outbound Allow rule for TCP 443 to the Storage service tag to NSG 'nsg-apim'.",
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
    expect(summary(s.findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning']);
    expect(s.optionalFixes).toEqual([]);
    expect(findingOf(s.findings, FindingCode.NSG_STORAGE_NOT_EXPLICIT).fix).not.toContain('The bot can add');
  });

  it('advisory: offered even when the requester lacks securityRules/write, with a warning for the approver', () => {
    const s = check({ nsgs: [nsg([])], requester: accessWithout('req', NSG_RULE_WRITE_ACTION) }, settings({ requesterRbac: 'advisory' }));
    expect(s.optionalFixes).toHaveLength(1);
    expect(findingOf(s.findings, FindingCode.NSG_STORAGE_NOT_EXPLICIT).fix).toContain('The bot can add');
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
    expect(summary(s.findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning']);
    expect(findingOf(s.findings, FindingCode.NSG_STORAGE_NOT_EXPLICIT).message).toContain('could not be read');
    expect(s.optionalFixes).toEqual([]);
    expect(s.fixes).toEqual([]);
  });

  it('found when the subnet spells the NSG id in another case', () => {
    const s = check({ subnets: [subnet('apim-out', { networkSecurityGroupId: nsgId().toUpperCase() })], nsgs: [nsg([])] });
    expect(storageRuleOf(s.optionalFixes).nsgId).toBe(nsgId());
  });

  it('not offered when the NSG denies Storage (NSG_BLOCKS_STORAGE)', () => {
    const s = check({ nsgs: [nsg([certainDeny(200)])] });
    expect(summary(s.findings)).toEqual(['NSG_BLOCKS_STORAGE:blocking']);
    expect(s.optionalFixes).toEqual([]);
    expect(s.fixes).toEqual([]);
    const j = judge({ nsgs: [nsg([certainDeny(200)])] });
    expect(j.optionalFixes).toEqual([]);
  });

  it('not offered (no finding) on an NSG with an explicit allow', () => {
    const j = judge({ nsgs: [nsg([STORAGE_ALLOW])] });
    expect(j).toEqual({ findings: [], fixes: [], optionalFixes: [] });
  });

  it('an uncertain deny: the last of the two warnings names the offer, whose priority comes before the deny', () => {
    const s = check({ nsgs: [nsg([uncertainDeny(150)])] });
    expect(summary(s.findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning', 'NSG_STORAGE_NOT_EXPLICIT:warning']);
    const offered = storageRuleOf(s.optionalFixes).rule;
    expect(offered.priority).toBe(100);
    expect(offered.priority).toBeLessThan(150);
    expect(s.optionalFixes).toHaveLength(1);
    expect(s.findings.map((f) => (f.fix ?? '').includes('The bot can add'))).toEqual([false, true]);
  });

  it('an uncertain deny before an explicit allow: the explicit rule is offered before the deny', () => {
    const s = check({ nsgs: [nsg([uncertainDeny(150), STORAGE_ALLOW])] });
    expect(summary(s.findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning']);
    expect(storageRuleOf(s.optionalFixes).rule.priority).toBeLessThan(150);
  });

  it('an uncertain deny with every priority before it taken: not offered', () => {
    const taken = Array.from({ length: 50 }, (_, i) => otherAllow(100 + i));
    const s = check({ nsgs: [nsg([...taken, uncertainDeny(150)])] });
    expect(s.optionalFixes).toEqual([]);
    for (const f of s.findings) expect(f.fix ?? '').not.toContain('The bot can add');
  });

  it('an uncertain deny at priority 100: no free priority before it, not offered', () => {
    const s = check({ nsgs: [nsg([uncertainDeny(100)])] });
    expect(summary(s.findings)).toEqual(['NSG_STORAGE_NOT_EXPLICIT:warning', 'NSG_STORAGE_NOT_EXPLICIT:warning']);
    expect(s.optionalFixes).toEqual([]);
    for (const f of s.findings) expect(f.fix ?? '').not.toContain('The bot can add');
  });

  it('a certain deny at priority 100: blocking, not offered', () => {
    const s = check({ nsgs: [nsg([certainDeny(100)])] });
    expect(summary(s.findings)).toEqual(['NSG_BLOCKS_STORAGE:blocking']);
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
    expect(findingOf(s.findings, FindingCode.NSG_STORAGE_NOT_EXPLICIT).fix).not.toMatch(/The bot can add/);
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
