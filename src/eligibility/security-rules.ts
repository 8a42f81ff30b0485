/**
 * What an NSG's outbound rules mean for one dependency of the gateway: TCP 443 from the subnet to a service tag
 * (domain rule 7). Custom and default rules are walked together in priority order; the first rule that certainly
 * matches decides. A leaf: the findings (nsg-rules.ts) and the rules the bot writes (dependency-allow-rules.ts)
 * both judge with this, so what the bot adds is what the check wants. Pure.
 */
import { type Cidr, cidrContains, cidrsOverlap, ipv4Cidrs, isNonPublicIpv4, parseCidr } from './address.js';
import type { NsgFacts, SecurityRuleFacts } from './facts.js';
import { nameFromId, normalizeLocation, resourceIdKey, sameResourceId } from './resource-id.js';

/** Every dependency of the gateway is reached over HTTPS. */
export const DEPENDENCY_PORT = 443;

/**
 * A custom security rule as ARM's PUT takes it, in the flattened shape of the SDK's `SecurityRule`
 * (`networkSecurityGroups.beginCreateOrUpdate` / `securityRules.beginCreateOrUpdate`).
 */
export interface SecurityRuleSpec {
  name: string;
  description: string;
  protocol: 'Tcp';
  sourcePortRange: '*';
  destinationPortRange: string;
  sourceAddressPrefix: string;
  destinationAddressPrefix: string;
  access: 'Allow';
  priority: number;
  direction: 'Outbound';
}

/** yes: certainly covers; no: certainly does not; uncertain: cannot be judged from the rule alone. */
export type MatchResult = { match: 'yes' } | { match: 'no' } | { match: 'uncertain'; reason: string };

export interface UncertainRule {
  rule: SecurityRuleFacts;
  reason: string;
}

export interface DependencyDecision {
  /**
   * allowedExplicitly: a custom rule allows it first; allowedByDefault: only a default rule allows it;
   * denied: a Deny rule matches first; undecided: no rule matches for certain.
   */
  outcome: 'allowedExplicitly' | 'allowedByDefault' | 'denied' | 'undecided';
  decidingRule: SecurityRuleFacts | null;
  /** Deny rules before the deciding one that may or may not cover the traffic. */
  uncertainDenies: UncertainRule[];
}

/** ARM's built-in outbound rules. They cannot be removed, so they are assumed when the facts carry no default rules at all. */
export const DEFAULT_OUTBOUND_RULES: readonly SecurityRuleFacts[] = [
  defaultRule('AllowVnetOutBound', 65000, 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
  defaultRule('AllowInternetOutBound', 65001, 'Allow', '*', 'Internet'),
  defaultRule('DenyAllOutBound', 65500, 'Deny', '*', '*'),
];

function defaultRule(name: string, priority: number, access: 'Allow' | 'Deny', source: string, destination: string): SecurityRuleFacts {
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

/**
 * Does the rule's destination cover service tag `tag` as seen from `region`: the tag itself, its regional form for
 * that region only, `AzureCloud` (or its form for that region), `Internet`, `*`, `0.0.0.0/0`? A public IP range may
 * hold the tag's addresses (uncertain); private space never does. Remembered per rule, tag and region.
 */
export function destinationCoversTag(rule: SecurityRuleFacts, tag: string, region: string): MatchResult {
  let byKey = destinationAnswers.get(rule);
  if (!byKey) {
    byKey = new Map();
    destinationAnswers.set(rule, byKey);
  }
  const key = `${tag}|${region}`.toLowerCase();
  let answer = byKey.get(key);
  if (!answer) {
    answer = judgeDestination(rule, tag.toLowerCase(), normalizeLocation(region));
    byKey.set(key, answer);
  }
  return answer;
}

const destinationAnswers = new WeakMap<SecurityRuleFacts, Map<string, MatchResult>>();

function judgeDestination(rule: SecurityRuleFacts, tag: string, home: string): MatchResult {
  const results: MatchResult[] = [];
  for (const raw of rule.destinationAddressPrefixes) {
    const text = raw.trim();
    const lower = text.toLowerCase();
    if (lower === '*' || lower === 'any' || lower === 'internet' || lower === 'azurecloud' || lower === tag) {
      results.push({ match: 'yes' });
      continue;
    }
    const dot = lower.indexOf('.');
    const base = dot > 0 ? lower.slice(0, dot) : null;
    if (base === 'azurecloud' || base === tag) {
      results.push({ match: normalizeLocation(lower.slice(dot + 1)) === home ? 'yes' : 'no' });
      continue;
    }
    const cidr = parseCidr(text);
    if (!cidr || cidr.family !== 4) {
      results.push({ match: 'no' }); // another service tag (Sql, VirtualNetwork, …) or IPv6
    } else if (cidr.prefixLength === 0) {
      results.push({ match: 'yes' });
    } else if (isNonPublicIpv4(cidr)) {
      results.push({ match: 'no' }); // private or reserved space never holds a service tag's public addresses
    } else {
      results.push({ match: 'uncertain', reason: `its destination ${text} is an IP range that may include addresses of the tag` });
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

const isDeny = (rule: SecurityRuleFacts) => rule.access.trim().toLowerCase() === 'deny';

/** Walks the outbound rules in priority order for TCP 443 from the subnet to `tag` in `region`. */
export function decideDependencyAccess(
  rules: readonly SecurityRuleFacts[],
  subnetAddressPrefixes: readonly string[],
  tag: string,
  region: string,
): DependencyDecision {
  const subnetPrefixes = ipv4Cidrs(subnetAddressPrefixes);
  const uncertainDenies: UncertainRule[] = [];
  for (const rule of outboundRulesInOrder(rules)) {
    if (!protocolMatchesTcp(rule.protocol) || !portRangesInclude(rule.destinationPortRanges, DEPENDENCY_PORT)) continue;
    const source = sourceCoversSubnet(rule, subnetPrefixes);
    if (source.match === 'no') continue;
    const destination = destinationCoversTag(rule, tag, region);
    if (destination.match === 'no') continue;
    if (source.match === 'yes' && destination.match === 'yes') {
      return { outcome: isDeny(rule) ? 'denied' : rule.isDefault ? 'allowedByDefault' : 'allowedExplicitly', decidingRule: rule, uncertainDenies };
    }
    if (isDeny(rule)) {
      const reasons = [source, destination].flatMap((r) => (r.match === 'uncertain' ? [r.reason] : []));
      uncertainDenies.push({ rule, reason: reasons.join(' and ') });
    }
    // An uncertain Allow decides nothing: later rules still apply to the traffic it may not cover.
  }
  return { outcome: 'undecided', decidingRule: null, uncertainDenies };
}

/**
 * True when the rule may decide TCP 443 from the subnet to `tag` in `region` against the gateway: a Deny whose
 * protocol, port, source and destination all match for certain or may match (an allow placed before it is then
 * certain to win).
 */
export function denyMayBlockDependency(rule: SecurityRuleFacts, subnetAddressPrefixes: readonly string[], tag: string, region: string): boolean {
  if (!isDeny(rule)) return false;
  if (!protocolMatchesTcp(rule.protocol) || !portRangesInclude(rule.destinationPortRanges, DEPENDENCY_PORT)) return false;
  if (sourceCoversSubnet(rule, ipv4Cidrs(subnetAddressPrefixes)).match === 'no') return false;
  return destinationCoversTag(rule, tag, region).match !== 'no';
}

/** Looks an NSG up by id in the facts map (keyed by `resourceIdKey`), falling back to comparing the NSGs' own ids. */
export function findNsg(nsgs: ReadonlyMap<string, NsgFacts>, id: string): NsgFacts | undefined {
  return nsgs.get(resourceIdKey(id)) ?? [...nsgs.values()].find((nsg) => sameResourceId(nsg.id, id));
}
