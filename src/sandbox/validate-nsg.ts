/**
 * Validation of network security group writes, independent of the bot's own rules.
 * Codes (full list with ARM-real vs sandbox-own in errors.ts), in the order they are checked:
 *
 * PUT …/networkSecurityGroups/{n} (create or replace; the body's rules replace all custom rules):
 *   403 AuthorizationFailed (real)            caller lacks Microsoft.Network/networkSecurityGroups/write
 *   409 AnotherOperationInProgress (real)     an operation on the NSG or one of its rules is still running
 *   400 LocationRequired (real)               a new NSG without `location`
 *   400 InvalidResourceLocation (real)        `location` differs from the existing NSG's
 *   400 InvalidRequestContent (real)          `properties.securityRules` not an array, a rule not an object or without a name
 *   400 DuplicateSecurityRuleName (own)       two rules with one name (names compare case-insensitively)
 *   …                                         each rule, as below
 *   400 SecurityRuleConflict (real)           two rules with one priority and direction
 *
 * PUT …/networkSecurityGroups/{n}/securityRules/{r} (add or replace one rule):
 *   403 AuthorizationFailed (real)            caller lacks Microsoft.Network/networkSecurityGroups/securityRules/write
 *   404 ResourceNotFound (real)               the NSG does not exist
 *   409 AnotherOperationInProgress (real)     an operation on the NSG or one of its rules is still running
 *   …                                         the rule, as below
 *   400 SecurityRuleConflict (real)           another rule of the NSG has the same priority and direction
 *
 * Each rule:
 *   400 InvalidSecurityRule (own)             protocol, access or direction missing or not one of ARM's values;
 *                                             no source or no destination (prefix, prefixes or application security groups)
 *   400 SecurityRuleInvalidPriority (real)    priority missing or not an integer in 100-4096
 *   400 SecurityRuleInvalidPortRange (real)   no source or destination port, or one that is not `*`, a port or `a-b` in 0-65535
 *   400 SecurityRuleInvalidAddressPrefix (real)  an IPv4-looking prefix that is not a valid address or CIDR
 *                                             (service tags and IPv6 are not checked)
 */
import { isIpv6Prefix, parseIpv4Cidr } from './cidr.js';
import { ArmError } from './errors.js';
import type { ArmResource, JsonObject } from './types.js';

export const NSG_WRITE = 'Microsoft.Network/networkSecurityGroups/write';
export const NSG_DELETE = 'Microsoft.Network/networkSecurityGroups/delete';
export const RULE_WRITE = 'Microsoft.Network/networkSecurityGroups/securityRules/write';
export const RULE_DELETE = 'Microsoft.Network/networkSecurityGroups/securityRules/delete';

export const MIN_PRIORITY = 100;
export const MAX_PRIORITY = 4096;

const PROTOCOLS = ['Tcp', 'Udp', 'Icmp', 'Esp', 'Ah', '*'];
const ACCESS = ['Allow', 'Deny'];
const DIRECTIONS = ['Inbound', 'Outbound'];

function bad(code: string, message: string): ArmError {
  return new ArmError(400, code, message);
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** One of `allowed` (case-insensitive) in ARM's spelling, or undefined. */
function canonical(value: unknown, allowed: readonly string[]): string | undefined {
  return typeof value === 'string' ? allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase()) : undefined;
}

/** The rule's name from a body entry, or InvalidRequestContent. */
export function ruleNameOf(entry: unknown, index: number): string {
  if (!isObject(entry)) throw bad('InvalidRequestContent', `securityRules[${index}] must be an object.`);
  const name = entry['name'];
  if (typeof name !== 'string' || name.trim() === '') throw bad('InvalidRequestContent', `securityRules[${index}] has no name.`);
  return name;
}

/**
 * Validates one rule (`{ name, properties: {…} }`, or the properties flattened beside the name) and returns
 * it in ARM's shape with provisioningState `Updating`.
 */
export function planRule(nsgId: string, name: string, entry: JsonObject | undefined): ArmResource {
  const p = isObject(entry?.['properties']) ? (entry['properties'] as JsonObject) : (entry ?? {});
  const label = `Security rule ${name}`;
  const protocol = canonical(p['protocol'], PROTOCOLS);
  if (!protocol) throw bad('InvalidSecurityRule', `${label} has invalid protocol '${String(p['protocol'] ?? '')}'; allowed: ${PROTOCOLS.join(', ')}.`);
  const access = canonical(p['access'], ACCESS);
  if (!access) throw bad('InvalidSecurityRule', `${label} has invalid access '${String(p['access'] ?? '')}'; allowed: Allow, Deny.`);
  const direction = canonical(p['direction'], DIRECTIONS);
  if (!direction) throw bad('InvalidSecurityRule', `${label} has invalid direction '${String(p['direction'] ?? '')}'; allowed: Inbound, Outbound.`);
  const priority = p['priority'];
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
    throw bad('SecurityRuleInvalidPriority', `${label} has invalid Priority. Value provided: ${String(priority ?? 0)} Allowed range ${MIN_PRIORITY}-${MAX_PRIORITY}.`);
  }
  for (const side of ['source', 'destination'] as const) {
    const ports = [...strings([p[`${side}PortRange`]]), ...strings(p[`${side}PortRanges`])];
    if (ports.length === 0) throw bad('SecurityRuleInvalidPortRange', `${label} has invalid Port range. Value provided: (none) for the ${side} port.`);
    for (const port of ports) {
      if (!validPortRange(port)) {
        throw bad('SecurityRuleInvalidPortRange', `${label} has invalid Port range. Value provided: ${port}. Value should be an integer OR integer range with '-' delimiter. Valid range 0-65535.`);
      }
    }
    const prefixes = [...strings([p[`${side}AddressPrefix`]]), ...strings(p[`${side}AddressPrefixes`])].filter((x) => x.trim() !== '');
    const groups = Array.isArray(p[`${side}ApplicationSecurityGroups`]) ? (p[`${side}ApplicationSecurityGroups`] as unknown[]) : [];
    if (prefixes.length === 0 && groups.length === 0) throw bad('InvalidSecurityRule', `${label} has no ${side} address prefix or application security group.`);
    for (const prefix of prefixes) {
      if (!validAddressPrefix(prefix)) throw bad('SecurityRuleInvalidAddressPrefix', `${label} has invalid Address prefix. Value provided: ${prefix}.`);
    }
  }

  const props: JsonObject = { provisioningState: 'Updating' };
  if (typeof p['description'] === 'string') props['description'] = p['description'];
  props['protocol'] = protocol;
  for (const key of ['sourcePortRange', 'destinationPortRange', 'sourceAddressPrefix', 'destinationAddressPrefix']) {
    if (typeof p[key] === 'string') props[key] = p[key];
  }
  for (const key of ['sourceApplicationSecurityGroups', 'destinationApplicationSecurityGroups']) {
    if (Array.isArray(p[key])) props[key] = structuredClone(p[key]);
  }
  props['access'] = access;
  props['priority'] = priority;
  props['direction'] = direction;
  for (const key of ['sourcePortRanges', 'destinationPortRanges', 'sourceAddressPrefixes', 'destinationAddressPrefixes']) props[key] = strings(p[key]);
  return { name, id: `${nsgId}/securityRules/${name}`, type: 'Microsoft.Network/networkSecurityGroups/securityRules', properties: props };
}

/** SecurityRuleConflict when two of `rules` share priority and direction. */
export function checkPriorityConflicts(rules: readonly ArmResource[]): void {
  const seen = new Map<string, string>();
  for (const rule of rules) {
    const key = `${String(rule.properties?.['direction'] ?? '').toLowerCase()}/${String(rule.properties?.['priority'] ?? '')}`;
    const other = seen.get(key);
    if (other !== undefined) {
      throw bad('SecurityRuleConflict', `Security rule ${other} conflicts with rule ${rule.name}. Rules cannot have the same Priority and Direction. To learn more, see aka.ms/nsgrules.`);
    }
    seen.set(key, rule.name);
  }
}

/** The custom rules of an NSG PUT body, validated (names unique, each rule valid, priorities free). */
export function planRules(nsgId: string, body: JsonObject | undefined): ArmResource[] {
  const props = isObject(body?.['properties']) ? (body['properties'] as JsonObject) : {};
  const raw = props['securityRules'];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw bad('InvalidRequestContent', 'properties.securityRules must be an array.');
  const names = new Set<string>();
  const rules = raw.map((entry, i) => {
    const name = ruleNameOf(entry, i);
    if (names.has(name.toLowerCase())) throw bad('DuplicateSecurityRuleName', `Network security group ${nsgId} has two security rules named '${name}'.`);
    names.add(name.toLowerCase());
    return planRule(nsgId, name, entry as JsonObject);
  });
  checkPriorityConflicts(rules);
  return rules;
}

function validPortRange(text: string): boolean {
  const t = text.trim();
  if (t === '*') return true;
  const single = /^(\d{1,5})$/.exec(t);
  if (single) return Number(single[1]) <= 65535;
  const range = /^(\d{1,5})-(\d{1,5})$/.exec(t);
  return range !== null && Number(range[1]) <= Number(range[2]) && Number(range[2]) <= 65535;
}

function validAddressPrefix(text: string): boolean {
  const t = text.trim();
  if (isIpv6Prefix(t)) return true; // IPv6 is not modelled
  if (!/^[\d./]+$/.test(t)) return true; // a service tag, `*` or another name
  return parseIpv4Cidr(t.includes('/') ? t : `${t}/32`) !== undefined;
}
