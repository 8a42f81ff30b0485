/**
 * Network security group rules (domain rule 7): an NSG must be associated, and outbound TCP 443 from the
 * subnet to the `Storage` service tag of the instance's region must not be denied. Only outbound rules count;
 * custom and default rules are evaluated together in priority order. Pure.
 */
import { type Cidr, cidrContains, cidrsOverlap, ipv4Cidrs, isNonPublicIpv4, parseCidr } from './address.js';
import { FindingCode } from './codes.js';
import type { NsgFacts, SecurityRuleFacts, SubnetFacts } from './facts.js';
import { describeSubnet, finding, listOf, nameFromId } from './messages.js';
import type { Finding } from './report.js';
import { normalizeLocation, resourceIdKey, sameResourceId } from './resource-id.js';

export const STORAGE_PORT = 443;

/** yes: certainly covers; no: certainly does not; uncertain: cannot be judged from the rule alone. */
export type MatchResult = { match: 'yes' } | { match: 'no' } | { match: 'uncertain'; reason: string };

export interface UncertainRule {
  rule: SecurityRuleFacts;
  reason: string;
}

export interface StorageDecision {
  /**
   * allowedExplicitly: a custom rule allows it first; allowedByDefault: only a default rule allows it;
   * denied: a Deny rule matches first; undecided: no rule matches for certain.
   */
  outcome: 'allowedExplicitly' | 'allowedByDefault' | 'denied' | 'undecided';
  decidingRule: SecurityRuleFacts | null;
  /** Deny rules before the deciding one that may or may not cover the traffic. */
  uncertainDenies: UncertainRule[];
}

/**
 * ARM's built-in outbound rules. They cannot be removed, so they are assumed when the facts carry no
 * default rules at all.
 */
export const DEFAULT_OUTBOUND_RULES: readonly SecurityRuleFacts[] = [
  defaultRule('AllowVnetOutBound', 65000, 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
  defaultRule('AllowInternetOutBound', 65001, 'Allow', '*', 'Internet'),
  defaultRule('DenyAllOutBound', 65500, 'Deny', '*', '*'),
];

function defaultRule(
  name: string,
  priority: number,
  access: 'Allow' | 'Deny',
  source: string,
  destination: string,
): SecurityRuleFacts {
  return {
    name,
    priority,
    direction: 'Outbound',
    access,
    protocol: '*',
    sourceAddressPrefixes: [source],
    sourceApplicationSecurityGroupIds: [],
    destinationAddressPrefixes: [destination],
    destinationApplicationSecurityGroupIds: [],
    destinationPortRanges: ['*'],
    isDefault: true,
  };
}

export function protocolMatchesTcp(protocol: string): boolean {
  const p = protocol.trim().toLowerCase();
  return p === 'tcp' || p === '*' || p === 'any';
}

/** True when any of the ranges ("*", "443", "400-500", or comma-separated lists of those) contains `port`. */
export function portRangesInclude(ranges: readonly string[], port: number): boolean {
  for (const entry of ranges) {
    for (const raw of entry.split(',')) {
      const part = raw.trim();
      if (part === '*') return true;
      if (/^\d+$/.test(part) && Number(part) === port) return true;
      const range = /^(\d+)\s*-\s*(\d+)$/.exec(part);
      if (range && Number(range[1]) <= port && port <= Number(range[2])) return true;
    }
  }
  return false;
}

function combine(results: readonly MatchResult[]): MatchResult {
  if (results.some((r) => r.match === 'yes')) return { match: 'yes' };
  const uncertain = results.find((r) => r.match === 'uncertain');
  return uncertain ?? { match: 'no' };
}

/** Does the rule's source cover traffic leaving the subnet (all of its IPv4 prefixes)? */
export function sourceCoversSubnet(rule: SecurityRuleFacts, subnetPrefixes: readonly Cidr[]): MatchResult {
  const results: MatchResult[] = [];
  for (const raw of rule.sourceAddressPrefixes) {
    const text = raw.trim();
    const lower = text.toLowerCase();
    if (lower === '*' || lower === 'any' || lower === 'virtualnetwork') {
      results.push({ match: 'yes' });
      continue;
    }
    const cidr = parseCidr(text);
    if (!cidr) {
      results.push({ match: 'no' }); // another service tag (Internet, AzureLoadBalancer, …): not the subnet
      continue;
    }
    if (cidr.family !== 4) {
      results.push({ match: 'no' });
    } else if (subnetPrefixes.length === 0) {
      results.push({ match: 'uncertain', reason: `its source ${text} cannot be compared with a subnet without an IPv4 prefix` });
    } else if (subnetPrefixes.every((s) => cidrContains(cidr, s))) {
      results.push({ match: 'yes' });
    } else if (subnetPrefixes.some((s) => cidrsOverlap(cidr, s))) {
      results.push({ match: 'uncertain', reason: `its source ${text} covers only part of the subnet` });
    } else {
      results.push({ match: 'no' });
    }
  }
  for (const asg of rule.sourceApplicationSecurityGroupIds) {
    results.push({ match: 'uncertain', reason: `its source is the application security group '${nameFromId(asg)}'` });
  }
  if (results.length === 0) return { match: 'uncertain', reason: 'its source could not be read' };
  return combine(results);
}

/** Does the rule's destination cover the Storage service tag of `region`? Remembered per rule and region. */
export function destinationCoversStorage(rule: SecurityRuleFacts, region: string): MatchResult {
  let byRegion = destinationAnswers.get(rule);
  if (!byRegion) {
    byRegion = new Map();
    destinationAnswers.set(rule, byRegion);
  }
  let answer = byRegion.get(region);
  if (!answer) {
    answer = judgeDestination(rule, region);
    byRegion.set(region, answer);
  }
  return answer;
}

const destinationAnswers = new WeakMap<SecurityRuleFacts, Map<string, MatchResult>>();

function judgeDestination(rule: SecurityRuleFacts, region: string): MatchResult {
  const results: MatchResult[] = [];
  const home = normalizeLocation(region);
  for (const raw of rule.destinationAddressPrefixes) {
    const text = raw.trim();
    const lower = text.toLowerCase();
    if (['*', 'any', 'internet', 'azurecloud', 'storage'].includes(lower)) {
      results.push({ match: 'yes' });
      continue;
    }
    const regional = /^(azurecloud|storage)\.(.+)$/i.exec(text);
    if (regional) {
      results.push({ match: normalizeLocation(regional[2]) === home ? 'yes' : 'no' });
      continue;
    }
    const cidr = parseCidr(text);
    if (!cidr || cidr.family !== 4) {
      results.push({ match: 'no' }); // another service tag (AzureKeyVault, Sql, VirtualNetwork, …) or IPv6
    } else if (cidr.prefixLength === 0) {
      results.push({ match: 'yes' });
    } else if (isNonPublicIpv4(cidr)) {
      results.push({ match: 'no' }); // private or reserved space never holds Storage's public addresses
    } else {
      results.push({ match: 'uncertain', reason: `its destination ${text} is an IP range that may include Storage addresses` });
    }
  }
  for (const asg of rule.destinationApplicationSecurityGroupIds) {
    results.push({ match: 'uncertain', reason: `its destination is the application security group '${nameFromId(asg)}'` });
  }
  if (results.length === 0) return { match: 'uncertain', reason: 'its destination could not be read' };
  return combine(results);
}

/**
 * Outbound rules (defaults assumed when absent), lowest priority number first; stable for equal priorities.
 * Remembered per rule list: every subnet behind one NSG asks again.
 */
export function outboundRulesInOrder(rules: readonly SecurityRuleFacts[]): SecurityRuleFacts[] {
  let ordered = orderedRules.get(rules);
  if (!ordered) {
    ordered = orderOutbound(rules);
    orderedRules.set(rules, ordered);
  }
  return ordered;
}

const orderedRules = new WeakMap<readonly SecurityRuleFacts[], SecurityRuleFacts[]>();

function orderOutbound(rules: readonly SecurityRuleFacts[]): SecurityRuleFacts[] {
  const outbound = rules.filter((r) => r.direction.trim().toLowerCase() === 'outbound');
  const withDefaults = rules.some((r) => r.isDefault) ? outbound : [...outbound, ...DEFAULT_OUTBOUND_RULES];
  return withDefaults.map((rule, index) => ({ rule, index })).sort((a, b) => a.rule.priority - b.rule.priority || a.index - b.index).map((x) => x.rule);
}

/** Walks the outbound rules in priority order for TCP 443 from the subnet to Storage of `region`. */
export function decideStorageAccess(
  rules: readonly SecurityRuleFacts[],
  subnetAddressPrefixes: readonly string[],
  region: string,
): StorageDecision {
  const subnetPrefixes = ipv4Cidrs(subnetAddressPrefixes);
  const uncertainDenies: UncertainRule[] = [];
  for (const rule of outboundRulesInOrder(rules)) {
    if (!protocolMatchesTcp(rule.protocol) || !portRangesInclude(rule.destinationPortRanges, STORAGE_PORT)) continue;
    const source = sourceCoversSubnet(rule, subnetPrefixes);
    if (source.match === 'no') continue;
    const destination = destinationCoversStorage(rule, region);
    if (destination.match === 'no') continue;
    if (source.match === 'yes' && destination.match === 'yes') {
      const deny = rule.access.trim().toLowerCase() === 'deny';
      return {
        outcome: deny ? 'denied' : rule.isDefault ? 'allowedByDefault' : 'allowedExplicitly',
        decidingRule: rule,
        uncertainDenies,
      };
    }
    if (rule.access.trim().toLowerCase() === 'deny') {
      const reasons = [source, destination].flatMap((r) => (r.match === 'uncertain' ? [r.reason] : []));
      uncertainDenies.push({ rule, reason: reasons.join(' and ') });
    }
    // An uncertain Allow decides nothing: later rules still apply to the traffic it may not cover.
  }
  return { outcome: 'undecided', decidingRule: null, uncertainDenies };
}

/** Looks an NSG up by id in the facts map (keyed by `resourceIdKey`), falling back to comparing the NSGs' own ids. */
export function findNsg(nsgs: ReadonlyMap<string, NsgFacts>, id: string): NsgFacts | undefined {
  return nsgs.get(resourceIdKey(id)) ?? [...nsgs.values()].find((nsg) => sameResourceId(nsg.id, id));
}

function ruleLabel(rule: SecurityRuleFacts): string {
  return `rule '${rule.name}' (priority ${rule.priority}, ${rule.access})`;
}

export const ADD_STORAGE_RULE = 'an outbound Allow rule for TCP 443 to the Storage service tag';

/** NSG_MISSING, NSG_BLOCKS_STORAGE and NSG_STORAGE_NOT_EXPLICIT for one subnet. */
export function nsgFindings(
  subnet: SubnetFacts,
  nsgs: ReadonlyMap<string, NsgFacts>,
  instanceLocation: string,
): Finding[] {
  const who = describeSubnet(subnet);
  if (!subnet.networkSecurityGroupId) {
    return [
      finding(
        FindingCode.NSG_MISSING,
        'blocking',
        `${who} has no network security group associated; integration requires one.`,
        `Associate a network security group with the subnet, with ${ADD_STORAGE_RULE}.`,
      ),
    ];
  }
  const nsg = findNsg(nsgs, subnet.networkSecurityGroupId);
  if (!nsg) {
    const name = nameFromId(subnet.networkSecurityGroupId);
    return [
      finding(
        FindingCode.NSG_STORAGE_NOT_EXPLICIT,
        'warning',
        `Network security group '${name}' of ${who} could not be read, so its rules for outbound TCP 443 to Storage could not be checked.`,
        `Make sure NSG '${name}' has ${ADD_STORAGE_RULE}.`,
      ),
    ];
  }

  const decision = decideStorageAccess(nsg.rules, subnet.addressPrefixes, instanceLocation);
  const nsgName = `network security group '${nsg.name}'`;
  const traffic = `outbound TCP 443 from ${who} to Storage in ${instanceLocation}`;
  const findings: Finding[] = [];
  const rule = decision.decidingRule;

  if (decision.outcome === 'denied' && rule) {
    findings.push(
      finding(
        FindingCode.NSG_BLOCKS_STORAGE,
        'blocking',
        `${nsgName} denies ${traffic}: ${ruleLabel(rule)} matches first.`,
        rule.priority > 100
          ? `Add ${ADD_STORAGE_RULE} to NSG '${nsg.name}' with a higher priority (a number lower than ${rule.priority}) than rule '${rule.name}'.`
          : `Change rule '${rule.name}' of NSG '${nsg.name}' so it no longer denies TCP 443 to Storage, or give it a higher number and add ${ADD_STORAGE_RULE} before it.`,
      ),
    );
    return findings;
  }

  if (decision.uncertainDenies.length > 0) {
    const described = decision.uncertainDenies.map((u) => `${ruleLabel(u.rule)}: ${u.reason}`);
    const names =
      (decision.uncertainDenies.length === 1 ? 'rule ' : 'rules ') +
      listOf(decision.uncertainDenies.map((u) => `'${u.rule.name}'`));
    const first = decision.uncertainDenies[0]?.rule.priority ?? 100;
    findings.push(
      finding(
        FindingCode.NSG_STORAGE_NOT_EXPLICIT,
        'warning',
        `${nsgName} may deny ${traffic}, which could not be checked: ${described.join('; ')}.`,
        first > 100
          ? `Make sure ${names} cannot deny Storage, or add ${ADD_STORAGE_RULE} with a number lower than ${first}.`
          : `Make sure ${names} cannot deny Storage.`,
      ),
    );
  }

  if (decision.outcome === 'allowedByDefault' && rule) {
    findings.push(
      finding(
        FindingCode.NSG_STORAGE_NOT_EXPLICIT,
        'warning',
        `${nsgName} allows ${traffic} only through the default rule '${rule.name}'; the documentation asks for an explicit rule.`,
        `Add ${ADD_STORAGE_RULE} to NSG '${nsg.name}'.`,
      ),
    );
  } else if (decision.outcome === 'undecided') {
    findings.push(
      finding(
        FindingCode.NSG_STORAGE_NOT_EXPLICIT,
        'warning',
        `No rule of ${nsgName} certainly decides ${traffic}.`,
        `Add ${ADD_STORAGE_RULE} to NSG '${nsg.name}'.`,
      ),
    );
  }
  return findings;
}
