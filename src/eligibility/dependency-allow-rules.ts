/**
 * The NSG rules the bot writes (domain rule 7): one explicit outbound Allow for TCP 443 per required dependency
 * tag, from `VirtualNetwork`, at a priority that wins over every Deny that may match. Builders for the rules of an
 * NSG the bot creates, and for the rules it adds to an existing NSG at free priorities. Judged with the same
 * semantics as the check (security-rules.ts), so what the bot adds is what the check wants. Pure.
 */
import type { NsgFacts, SecurityRuleFacts } from './facts.js';
import { uniqueName } from './names.js';
import { DEPENDENCY_PORT, denyMayBlockDependency, outboundRulesInOrder, type SecurityRuleSpec } from './security-rules.js';

/** ARM's range for custom security rule priorities (lower number = evaluated first). */
export const MIN_RULE_PRIORITY = 100;
export const MAX_RULE_PRIORITY = 4096;

export interface DependencyRuleOptions {
  /** Default: `AllowApim<Tag>Outbound`. */
  name?: string;
  /** Default 100. */
  priority?: number;
  /** `VirtualNetwork` (default) or the subnet's prefix, e.g. "10.70.2.0/24". */
  source?: string;
  /** The instance's region for the tag's regional form (`AzureKeyVault.WestEurope`); omitted or null: the tag itself. */
  region?: string | null;
}

/** `AllowApimAzureKeyVaultOutbound`: the name of the bot's rule for `tag` (letters and digits of the tag only). */
export function dependencyRuleName(tag: string): string {
  return `AllowApim${tag.replace(/[^A-Za-z0-9]/g, '')}Outbound`;
}

/** `tag`, or its regional form `tag.<Region>` with the region's spaces removed ("West Europe" -> `WestEurope`). */
export function serviceTagIn(tag: string, region?: string | null): string {
  const compact = (region ?? '').replace(/\s+/g, '');
  return compact === '' ? tag : `${tag}.${compact}`;
}

/** The explicit outbound Allow TCP 443 -> `tag` rule. */
export function dependencyAllowRule(tag: string, options: DependencyRuleOptions = {}): SecurityRuleSpec {
  const priority = options.priority ?? MIN_RULE_PRIORITY;
  if (!Number.isInteger(priority) || priority < MIN_RULE_PRIORITY || priority > MAX_RULE_PRIORITY) {
    throw new RangeError(`security rule priority ${priority} is outside ${MIN_RULE_PRIORITY}-${MAX_RULE_PRIORITY}`);
  }
  return {
    name: options.name ?? dependencyRuleName(tag),
    description: `API Management v2 outbound VNet integration needs TCP ${DEPENDENCY_PORT} to ${tag}.`,
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationPortRange: String(DEPENDENCY_PORT),
    sourceAddressPrefix: options.source ?? 'VirtualNetwork',
    destinationAddressPrefix: serviceTagIn(tag, options.region),
    access: 'Allow',
    priority,
    direction: 'Outbound',
  };
}

/**
 * The custom rules of a new NSG: one allow per required tag at priorities 100, 101, … Nothing else is custom, so
 * nothing can beat them; ARM adds its default rules.
 */
export function newNsgRules(tags: readonly string[], options: Pick<DependencyRuleOptions, 'source' | 'region'> = {}): SecurityRuleSpec[] {
  return tags.map((tag, i) => dependencyAllowRule(tag, { ...options, priority: MIN_RULE_PRIORITY + i }));
}

/**
 * A free priority for an explicit Allow TCP 443 -> `tag` rule that comes before (has a lower number than) every
 * outbound Deny that matches or may match that traffic (custom and default rules; defaults are assumed when the list
 * has none). Free means no other outbound custom rule has it, nor any in `alsoTaken` (ARM refuses two rules with one
 * priority and direction; inbound rules do not count). Picks the lowest free priority from `preferred` (default
 * 100) up, else the highest free one below `preferred`; null when no priority in 100-4096 wins.
 */
export function pickDependencyRulePriority(
  rules: readonly SecurityRuleFacts[],
  subnetAddressPrefixes: readonly string[],
  tag: string,
  region: string,
  alsoTaken: ReadonlySet<number> = new Set(),
  preferred = MIN_RULE_PRIORITY,
): number | null {
  let limit = MAX_RULE_PRIORITY + 1;
  for (const rule of outboundRulesInOrder(rules)) {
    if (denyMayBlockDependency(rule, subnetAddressPrefixes, tag, region)) {
      limit = Math.min(limit, rule.priority);
      break; // ordered by priority: the first matching deny is the lowest
    }
  }
  const used = new Set(rules.filter((r) => !r.isDefault && r.direction.trim().toLowerCase() === 'outbound').map((r) => r.priority));
  const free = (p: number) => !used.has(p) && !alsoTaken.has(p);
  const top = Math.min(limit - 1, MAX_RULE_PRIORITY);
  const start = Math.max(MIN_RULE_PRIORITY, Math.min(preferred, top));
  for (let p = start; p <= top; p++) if (free(p)) return p;
  for (let p = start - 1; p >= MIN_RULE_PRIORITY; p--) if (free(p)) return p;
  return null;
}

export interface DependencyRulesFixOptions {
  /** Default `VirtualNetwork`. */
  source?: string;
  /** Use the tags' regional form for the instance's region (default false). */
  regionalTag?: boolean;
}

/**
 * The rules to add to an existing NSG so that TCP 443 from the subnet to each of `tags` in `region` is allowed
 * explicitly and wins, at distinct free priorities and with names new in the NSG. Null when some tag has no
 * priority in 100-4096 before its first matching deny (then the bot offers nothing for the NSG).
 */
export function dependencyRulesFix(
  nsg: Pick<NsgFacts, 'rules'>,
  subnetAddressPrefixes: readonly string[],
  region: string,
  tags: readonly string[],
  options: DependencyRulesFixOptions = {},
): SecurityRuleSpec[] | null {
  const names = nsg.rules.filter((r) => !r.isDefault).map((r) => r.name);
  const priorities = new Set<number>();
  const specs: SecurityRuleSpec[] = [];
  for (const tag of tags) {
    const priority = pickDependencyRulePriority(nsg.rules, subnetAddressPrefixes, tag, region, priorities);
    if (priority === null) return null;
    priorities.add(priority);
    const name = uniqueName(dependencyRuleName(tag), names);
    names.push(name);
    specs.push(dependencyAllowRule(tag, { name, priority, ...(options.source !== undefined ? { source: options.source } : {}), region: options.regionalTag ? region : null }));
  }
  return specs;
}

/** The spec as the rule facts the eligibility rules read (to judge an NSG with the rule added). */
export function ruleSpecFacts(spec: SecurityRuleSpec): SecurityRuleFacts {
  return {
    name: spec.name,
    priority: spec.priority,
    direction: spec.direction,
    access: spec.access,
    protocol: spec.protocol,
    sourceAddressPrefixes: [spec.sourceAddressPrefix],
    sourceApplicationSecurityGroupIds: [],
    destinationAddressPrefixes: [spec.destinationAddressPrefix],
    destinationApplicationSecurityGroupIds: [],
    destinationPortRanges: [spec.destinationPortRange],
    isDefault: false,
  };
}

/** "rule 'X' (priority 100, outbound Allow TCP 443 to AzureKeyVault)", for messages and cards. */
export function ruleSpecText(rule: Pick<SecurityRuleSpec, 'name' | 'priority' | 'destinationPortRange' | 'destinationAddressPrefix'>): string {
  return `rule '${rule.name}' (priority ${rule.priority}, outbound Allow TCP ${rule.destinationPortRange} to ${rule.destinationAddressPrefix})`;
}
