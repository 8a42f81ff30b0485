/** ARM resource ids and locations, compared the way ARM compares them. Pure. */

export interface ParsedResourceId {
  subscriptionId: string;
  resourceGroup: string | null;
  /** e.g. "Microsoft.Network" */
  provider: string | null;
  /** Type segments, e.g. ["virtualNetworks", "subnets"] */
  types: string[];
  /** Name segments matching `types`, e.g. ["hub-vnet", "apim-outbound"] */
  names: string[];
}

export function sameResourceId(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  return trimSlashes(a).toLowerCase() === trimSlashes(b).toLowerCase();
}

export function resourceIdKey(id: string): string {
  return '/' + trimSlashes(id).toLowerCase();
}

/** True when `scope` is `id` itself or one of its ancestors ("/" and management groups cover everything). */
export function isWithinScope(id: string, scope: string): boolean {
  const s = resourceIdKey(scope);
  if (s === '/' || s.startsWith('/providers/microsoft.management/managementgroups/')) return true;
  const target = resourceIdKey(id);
  return target === s || target.startsWith(s + '/');
}

export function parseResourceId(id: string): ParsedResourceId | null {
  const parts = trimSlashes(id).split('/');
  if (parts.length < 2 || parts[0]?.toLowerCase() !== 'subscriptions' || !parts[1]) return null;
  const result: ParsedResourceId = { subscriptionId: parts[1], resourceGroup: null, provider: null, types: [], names: [] };
  let i = 2;
  if (parts[i]?.toLowerCase() === 'resourcegroups') {
    if (!parts[i + 1]) return null;
    result.resourceGroup = parts[i + 1] ?? null;
    i += 2;
  }
  if (i === parts.length) return result;
  if (parts[i]?.toLowerCase() !== 'providers' || !parts[i + 1]) return null;
  result.provider = parts[i + 1] ?? null;
  i += 2;
  while (i < parts.length) {
    const type = parts[i];
    const name = parts[i + 1];
    if (!type || !name) return null;
    result.types.push(type);
    result.names.push(name);
    i += 2;
  }
  return result;
}

export function subscriptionOf(id: string): string | null {
  return parseResourceId(id)?.subscriptionId ?? null;
}

/** The VNet id of a subnet id, or null when `id` is not a subnet id. */
export function vnetIdOfSubnet(id: string): string | null {
  const parts = trimSlashes(id).split('/');
  const at = parts.findIndex((p) => p.toLowerCase() === 'subnets');
  if (at < 0 || at !== parts.length - 2) return null;
  return '/' + parts.slice(0, at).join('/');
}

/** "West Europe", "westeurope" and "WestEurope" are one location. */
export function normalizeLocation(location: string | null | undefined): string {
  return (location ?? '').replace(/\s+/g, '').toLowerCase();
}

export function sameLocation(a: string | null | undefined, b: string | null | undefined): boolean {
  return normalizeLocation(a) === normalizeLocation(b) && normalizeLocation(a) !== '';
}

function trimSlashes(id: string): string {
  let start = 0;
  let end = id.length;
  while (start < end && (id.charCodeAt(start) === 47 || id.charCodeAt(start) <= 32)) start++;
  while (end > start && (id.charCodeAt(end - 1) === 47 || id.charCodeAt(end - 1) <= 32)) end--;
  return id.slice(start, end);
}

/** `…/networkSecurityGroups/{nsg}/securityRules/{rule}` as the NSG's id and the rule's name; null for any other id. */
export function securityRuleIdParts(ruleId: string): { nsgId: string; ruleName: string } | null {
  const match = /^(.*\/networkSecurityGroups\/[^/]+)\/securityRules\/([^/]+)$/i.exec(ruleId);
  return match?.[1] && match[2] ? { nsgId: match[1], ruleName: match[2] } : null;
}

/** The last name segment of a resource id ("…/subnets/apim" -> "apim"), or the id when it cannot be parsed. */
export function nameFromId(id: string | null | undefined): string {
  if (!id) return '(unknown)';
  const parsed = parseResourceId(id);
  const last = parsed?.names[parsed.names.length - 1];
  return last ?? id;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a GUID (object ids, tenant ids, subscription ids). */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}
