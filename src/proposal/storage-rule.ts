/**
 * The NSG rule the integration asks for (domain rule 7): an explicit outbound Allow for TCP 443 to the
 * `Storage` service tag that wins over every Deny. Builders for the rule and for the NSG the bot creates,
 * and the choice of a free priority when the rule is added to an existing NSG. Judged with the same
 * semantics as the eligibility check (nsg-rules.ts), so what the bot adds is what the check wants. Pure.
 */
import type { NsgFacts, SecurityRuleFacts } from '../eligibility/facts.js';
import {
  destinationCoversStorage,
  outboundRulesInOrder,
  portRangesInclude,
  protocolMatchesTcp,
  sourceCoversSubnet,
  STORAGE_PORT,
} from '../eligibility/nsg-rules.js';
import { ipv4Cidrs } from '../eligibility/address.js';
import { uniqueName } from './names.js';

/** ARM's range for custom security rule priorities (lower number = evaluated first). */
export const MIN_RULE_PRIORITY = 100;
export const MAX_RULE_PRIORITY = 4096;

export const STORAGE_RULE_NAME = 'AllowApimStorageOutbound';
export const STORAGE_RULE_DESCRIPTION = 'API Management v2 outbound VNet integration needs TCP 443 to Azure Storage.';

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

export interface StorageRuleOptions {
  /** Default `AllowApimStorageOutbound`. */
  name?: string;
  /** Default 100. */
  priority?: number;
  /** `VirtualNetwork` (default) or the subnet's prefix, e.g. "10.70.2.0/24". */
  source?: string;
  /**
   * The instance's region for the regional tag `Storage.<Region>` (spaces removed: "West Europe" ->
   * `Storage.WestEurope`); omitted or null: the global `Storage` tag.
   */
  region?: string | null;
}

/** `Storage`, or `Storage.<Region>` with the region's spaces removed. */
export function storageServiceTag(region?: string | null): string {
  const compact = (region ?? '').replace(/\s+/g, '');
  return compact === '' ? 'Storage' : `Storage.${compact}`;
}

/** The explicit outbound Allow TCP 443 -> Storage rule. */
export function storageAllowRule(options: StorageRuleOptions = {}): SecurityRuleSpec {
  const priority = options.priority ?? MIN_RULE_PRIORITY;
  if (!Number.isInteger(priority) || priority < MIN_RULE_PRIORITY || priority > MAX_RULE_PRIORITY) {
    throw new RangeError(`security rule priority ${priority} is outside ${MIN_RULE_PRIORITY}-${MAX_RULE_PRIORITY}`);
  }
  return {
    name: options.name ?? STORAGE_RULE_NAME,
    description: STORAGE_RULE_DESCRIPTION,
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationPortRange: String(STORAGE_PORT),
    sourceAddressPrefix: options.source ?? 'VirtualNetwork',
    destinationAddressPrefix: storageServiceTag(options.region),
    access: 'Allow',
    priority,
    direction: 'Outbound',
  };
}

/** The NSG the bot creates for a new subnet, as a PUT body would carry it. */
export interface NsgSpec {
  id: string;
  name: string;
  location: string;
  securityRules: SecurityRuleSpec[];
}

export interface ApimOutboundNsgOptions extends Omit<StorageRuleOptions, 'priority' | 'name'> {
  /** The resource group's id, "/subscriptions/{s}/resourceGroups/{rg}". */
  resourceGroupId: string;
  name: string;
  location: string;
}

/**
 * A new NSG with a single custom rule: the Storage allow at priority 100. Nothing else is custom, so nothing
 * can beat it; ARM adds its six default rules.
 */
export function apimOutboundNsg(options: ApimOutboundNsgOptions): NsgSpec {
  const rule = storageAllowRule({
    priority: MIN_RULE_PRIORITY,
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
  });
  return {
    id: `${options.resourceGroupId.replace(/\/+$/, '')}/providers/Microsoft.Network/networkSecurityGroups/${options.name}`,
    name: options.name,
    location: options.location,
    securityRules: [rule],
  };
}

/**
 * True when the rule may decide TCP 443 from the subnet to Storage in `region` against us: a Deny whose
 * protocol, port, source and destination all match for certain or may match (uncertain counts, so the new
 * rule is certain to win).
 */
export function denyMayBlockStorage(rule: SecurityRuleFacts, subnetAddressPrefixes: readonly string[], region: string): boolean {
  if (rule.access.trim().toLowerCase() !== 'deny') return false;
  if (!protocolMatchesTcp(rule.protocol) || !portRangesInclude(rule.destinationPortRanges, STORAGE_PORT)) return false;
  if (sourceCoversSubnet(rule, ipv4Cidrs(subnetAddressPrefixes)).match === 'no') return false;
  return destinationCoversStorage(rule, region).match !== 'no';
}

/**
 * A free priority for an explicit Allow TCP 443 -> Storage rule that comes before (has a lower number than)
 * every outbound Deny that matches or may match that traffic (custom and default rules; defaults are assumed
 * when the list has none). Free means no other outbound custom rule has it (ARM refuses two rules with one
 * priority and direction; inbound rules do not count). Picks the lowest free priority from `preferred`
 * (default 100) up, else the highest free one below `preferred`; null when no priority in 100-4096 wins.
 */
export function pickStorageRulePriority(
  rules: readonly SecurityRuleFacts[],
  subnetAddressPrefixes: readonly string[],
  region: string,
  preferred = MIN_RULE_PRIORITY,
): number | null {
  let limit = MAX_RULE_PRIORITY + 1;
  for (const rule of outboundRulesInOrder(rules)) {
    if (denyMayBlockStorage(rule, subnetAddressPrefixes, region)) {
      limit = Math.min(limit, rule.priority);
      break; // ordered by priority: the first matching deny is the lowest
    }
  }
  const used = new Set(
    rules.filter((r) => !r.isDefault && r.direction.trim().toLowerCase() === 'outbound').map((r) => r.priority),
  );
  const top = Math.min(limit - 1, MAX_RULE_PRIORITY);
  const start = Math.max(MIN_RULE_PRIORITY, Math.min(preferred, top));
  for (let p = start; p <= top; p++) if (!used.has(p)) return p;
  for (let p = start - 1; p >= MIN_RULE_PRIORITY; p--) if (!used.has(p)) return p;
  return null;
}

export interface StorageRuleFixOptions {
  /** Default 100. */
  preferredPriority?: number;
  /** Default `AllowApimStorageOutbound`, made unique among the NSG's rule names. */
  name?: string;
  /** Default `VirtualNetwork`. */
  source?: string;
  /** Use the regional tag `Storage.<Region>` of the instance's region (default false: `Storage`). */
  regionalTag?: boolean;
}

/**
 * The rule to add to an existing NSG so that TCP 443 from the subnet to Storage in `region` is allowed
 * explicitly and wins (NSG_STORAGE_NOT_EXPLICIT's fix, or the NSG_BLOCKS_STORAGE remedy when a free priority
 * exists before the deny). Null when no priority in 100-4096 comes before the first matching deny.
 */
export function storageRuleFix(
  nsg: Pick<NsgFacts, 'rules'>,
  subnetAddressPrefixes: readonly string[],
  region: string,
  options: StorageRuleFixOptions = {},
): SecurityRuleSpec | null {
  const priority = pickStorageRulePriority(nsg.rules, subnetAddressPrefixes, region, options.preferredPriority);
  if (priority === null) return null;
  const taken = nsg.rules.filter((r) => !r.isDefault).map((r) => r.name);
  return storageAllowRule({
    name: uniqueName(options.name ?? STORAGE_RULE_NAME, taken),
    priority,
    ...(options.source !== undefined ? { source: options.source } : {}),
    region: options.regionalTag ? region : null,
  });
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
