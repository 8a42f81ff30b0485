/** Facts about a subnet document the write validations need. */
import { cidrSize, isIpv6Prefix, parseIpv4Cidr, subnetPrefixes } from './cidr.js';
import { sameId } from './ids.js';
import type { ArmResource, JsonObject } from './types.js';

function list(v: unknown): JsonObject[] {
  return Array.isArray(v) ? v.filter((x): x is JsonObject => typeof x === 'object' && x !== null) : [];
}

/** Delegation service names (as written). */
export function delegationServices(props: JsonObject | undefined): string[] {
  return list(props?.['delegations']).map((d) => {
    const inner = d['properties'] as JsonObject | undefined;
    return String(inner?.['serviceName'] ?? d['serviceName'] ?? '');
  });
}

export function linkOf(l: JsonObject): string | undefined {
  const inner = l['properties'] as JsonObject | undefined;
  const link = inner?.['link'] ?? l['link'];
  return typeof link === 'string' ? link : undefined;
}

/** What occupies a subnet, ignoring links to `exceptLink` (the instance being integrated). */
export function subnetUsers(subnet: ArmResource, exceptLink?: string): string[] {
  const props = subnet.properties ?? {};
  const users: string[] = [];
  const ipc = list(props['ipConfigurations']).length;
  if (ipc > 0) users.push(`${ipc} IP configuration(s)`);
  const pe = list(props['privateEndpoints']).length;
  if (pe > 0) users.push(`${pe} private endpoint(s)`);
  for (const key of ['serviceAssociationLinks', 'resourceNavigationLinks']) {
    for (const l of list(props[key])) {
      const link = linkOf(l);
      if (exceptLink !== undefined && sameId(link, exceptLink)) continue;
      users.push(`${key === 'serviceAssociationLinks' ? 'service association link' : 'resource navigation link'} ${String(l['name'] ?? '')} to ${link ?? 'unknown'}`);
    }
  }
  return users;
}

/** Addresses in the largest IPv4 prefix of a subnet (0 when it has none). */
export function largestIpv4Size(props: JsonObject | undefined): number {
  let best = 0;
  for (const p of subnetPrefixes(props)) {
    if (isIpv6Prefix(p)) continue;
    const c = parseIpv4Cidr(p);
    if (c) best = Math.max(best, cidrSize(c));
  }
  return best;
}

export function serviceAssociationLinks(props: JsonObject): JsonObject[] {
  return list(props['serviceAssociationLinks']);
}

