/**
 * Validation of PUT …/virtualNetworks/{v}/subnets/{s}, independent of the bot's own rules.
 * Codes (full list with ARM-real vs sandbox-own in errors.ts), in the order they are checked:
 *   403 AuthorizationFailed (real)             caller lacks Microsoft.Network/virtualNetworks/subnets/write
 *   409 AnotherOperationInProgress (real)      an operation on this subnet is still running
 *   400 InvalidRequestContent (real)           a delegation without serviceName
 *   400 InvalidSubnetAddressPrefix (own)       no addressPrefix/addressPrefixes, or one that is not a valid CIDR
 *   400 InvalidCIDRNotation (real)             an IPv4 prefix with host bits set ("10.0.1.7/24" instead of 10.0.1.0/24)
 *   400 NetcfgSubnetRangeOutsideVnet (real)    an IPv4 prefix outside the VNet's address space
 *   400 NetcfgSubnetRangesOverlap (real)       an IPv4 prefix overlapping a sibling subnet
 *   400 InvalidResourceReference (real)        networkSecurityGroup.id names no NSG, or routeTable.id no route table
 *   403 LinkedAuthorizationFailed (real)       NSG reference changed and caller lacks networkSecurityGroups/join/action on it
 *   429 RetryableError (real)                  the referenced NSG is not Succeeded (an operation on it runs), with the
 *                                              detail ReferencedResourceNotProvisioned and Retry-After: 1
 *   400 SubnetDelegationsCannotChangeWhenSubnetUsedByResource (real)  delegations change on a subnet with ip
 *                                              configurations, private endpoints or links
 *   409 MissingSubscriptionRegistration (real) a new delegation's provider (e.g. Microsoft.Web) is not Registered
 */
import { cidrContains, cidrOverlaps, formatIpv4Cidr, hasHostBits, isIpv6Prefix, parseIpv4Cidr, subnetPrefixes, type Ipv4Cidr } from './cidr.js';
import { anotherOperationInProgress, ArmError, authorizationFailed, linkedAuthorizationFailed } from './errors.js';
import { parseResourceId, sameId } from './ids.js';
import { hasPermission } from './rbac.js';
import { resourceTypeOf, TYPE, type Store } from './store.js';
import { delegationServices, subnetUsers } from './subnet-facts.js';
import type { ArmResource, JsonObject } from './types.js';

export const SUBNET_WRITE = 'Microsoft.Network/virtualNetworks/subnets/write';
export const NSG_JOIN = 'Microsoft.Network/networkSecurityGroups/join/action';
const READ_ONLY = ['ipConfigurations', 'ipConfigurationProfiles', 'privateEndpoints', 'serviceAssociationLinks', 'resourceNavigationLinks', 'purpose'];

function bad(code: string, message: string): ArmError {
  return new ArmError(400, code, message);
}

function ipv4Prefixes(prefixes: string[]): Ipv4Cidr[] {
  return prefixes.filter((p) => !isIpv6Prefix(p)).flatMap((p) => {
    const c = parseIpv4Cidr(p);
    return c ? [c] : [];
  });
}

function nsgIdOf(props: JsonObject | undefined): string | undefined {
  const ref = props?.['networkSecurityGroup'] as JsonObject | undefined | null;
  return typeof ref?.['id'] === 'string' ? ref['id'] : undefined;
}

/** Validates a subnet PUT and returns the subnet document to store (provisioningState `Updating`). */
export function planSubnetPut(
  store: Store,
  caller: string,
  vnet: ArmResource,
  existing: ArmResource | undefined,
  subnetId: string,
  body: JsonObject | undefined,
): ArmResource {
  if (!hasPermission(store, caller, subnetId, SUBNET_WRITE)) throw authorizationFailed(caller, SUBNET_WRITE, subnetId);
  if (existing && String(existing.properties?.['provisioningState'] ?? 'Succeeded').toLowerCase() !== 'succeeded') {
    throw anotherOperationInProgress(existing.id);
  }
  const name = existing?.name ?? subnetId.slice(subnetId.lastIndexOf('/') + 1);
  const id = existing?.id ?? `${vnet.id}/subnets/${name}`;
  const incoming = { ...((body?.['properties'] as JsonObject | undefined) ?? {}) };
  for (const key of [...READ_ONLY, 'provisioningState']) delete incoming[key];

  // delegations: normalised to ARM's shape
  const delegationsIn = Array.isArray(incoming['delegations']) ? (incoming['delegations'] as JsonObject[]) : [];
  const delegations = delegationsIn.map((d, i) => {
    const service = (d['properties'] as JsonObject | undefined)?.['serviceName'] ?? d['serviceName'];
    if (typeof service !== 'string' || service === '') throw new ArmError(400, 'InvalidRequestContent', `delegations[${i}] has no serviceName.`);
    const dName = typeof d['name'] === 'string' && d['name'] !== '' ? d['name'] : `delegation${i}`;
    return {
      name: dName,
      id: `${id}/delegations/${dName}`,
      type: 'Microsoft.Network/virtualNetworks/subnets/delegations',
      properties: { serviceName: service, actions: ['Microsoft.Network/virtualNetworks/subnets/action'], provisioningState: 'Succeeded' },
    };
  });
  if (incoming['delegations'] !== undefined) incoming['delegations'] = delegations;

  // address prefixes
  const prefixes = subnetPrefixes(incoming);
  if (prefixes.length === 0) throw bad('InvalidSubnetAddressPrefix', `Subnet '${name}' needs addressPrefix or addressPrefixes.`);
  for (const p of prefixes) {
    if (!isIpv6Prefix(p) && !parseIpv4Cidr(p)) throw bad('InvalidSubnetAddressPrefix', `'${p}' is not a valid CIDR prefix.`);
  }
  for (const p of prefixes) {
    const c = isIpv6Prefix(p) ? undefined : parseIpv4Cidr(p);
    if (c && hasHostBits(p)) {
      throw bad(
        'InvalidCIDRNotation',
        `The address prefix ${p} in resource ${id} has an invalid CIDR notation. For the given prefix length, the address prefix should be ${formatIpv4Cidr(c)}.`,
      );
    }
  }
  const mine = ipv4Prefixes(prefixes);
  const space = (vnet.properties?.['addressSpace'] as JsonObject | undefined)?.['addressPrefixes'];
  const vnetRanges = ipv4Prefixes(Array.isArray(space) ? space.filter((s): s is string => typeof s === 'string') : []);
  if (vnetRanges.length > 0) {
    for (const [i, c] of mine.entries()) {
      if (!vnetRanges.some((v) => cidrContains(v, c))) {
        throw bad('NetcfgSubnetRangeOutsideVnet', `Subnet '${name}' prefix ${ipv4Text(prefixes, i)} is not within the address space of virtual network '${vnet.name}'.`);
      }
    }
  }
  for (const sibling of store.subnetsOf(vnet.id)) {
    if (sameId(sibling.id, id)) continue;
    const theirs = ipv4Prefixes(subnetPrefixes(sibling.properties));
    if (mine.some((a) => theirs.some((b) => cidrOverlaps(a, b)))) {
      throw bad('NetcfgSubnetRangesOverlap', `Subnet '${name}' overlaps subnet '${sibling.name}' in virtual network '${vnet.name}'.`);
    }
  }

  // network security group reference
  const nsgId = nsgIdOf(incoming);
  if (nsgId !== undefined) {
    const nsg = store.raw(nsgId);
    if (!nsg || resourceTypeOf(nsg.id) !== TYPE.nsg) throw bad('InvalidResourceReference', `Resource ${nsgId} referenced by resource ${id} was not found.`);
    if (!sameId(nsgId, nsgIdOf(existing?.properties)) && !hasPermission(store, caller, nsg.id, NSG_JOIN)) {
      throw linkedAuthorizationFailed(caller, NSG_JOIN, nsg.id);
    }
    const nsgState = String(nsg.properties?.['provisioningState'] ?? 'Succeeded');
    if (nsgState.toLowerCase() !== 'succeeded') {
      const message = `Cannot proceed with operation because resource ${nsg.id} used by resource ${id} is not in Succeeded state. Resource is in ${nsgState} state.`;
      throw new ArmError(429, 'RetryableError', 'A retryable error occurred.', { 'Retry-After': '1' }, [{ code: 'ReferencedResourceNotProvisioned', message }]);
    }
    incoming['networkSecurityGroup'] = { id: nsg.id };
  }

  // route table reference (the bot never changes it, but a full-body PUT carries it back)
  const routeTableRef = incoming['routeTable'] as JsonObject | undefined | null;
  if (typeof routeTableRef?.['id'] === 'string') {
    const table = store.raw(routeTableRef['id']);
    if (!table || resourceTypeOf(table.id) !== TYPE.routeTable) {
      throw bad('InvalidResourceReference', `Resource ${routeTableRef['id']} referenced by resource ${id} was not found.`);
    }
    incoming['routeTable'] = { id: table.id };
  }

  // delegation changes
  const before = new Set(delegationServices(existing?.properties).map((s) => s.toLowerCase()));
  const after = new Set(delegations.map((d) => d.properties.serviceName.toLowerCase()));
  const changed = before.size !== after.size || [...after].some((s) => !before.has(s));
  if (changed && existing && subnetUsers(existing).length > 0) {
    throw bad(
      'SubnetDelegationsCannotChangeWhenSubnetUsedByResource',
      `Delegations of subnet '${name}' cannot change from [${[...before].join(', ')}] to [${[...after].join(', ')}] because it is in use: ${subnetUsers(existing).join('; ')}.`,
    );
  }
  const subscriptionId = parseResourceId(vnet.id)?.subscriptionId ?? '';
  for (const d of delegations) {
    const service = d.properties.serviceName;
    if (before.has(service.toLowerCase())) continue;
    const ns = service.split('/')[0] ?? service;
    if (store.providerState(subscriptionId, ns).state !== 'Registered') {
      throw new ArmError(
        409,
        'MissingSubscriptionRegistration',
        `The subscription is not registered to use namespace '${ns}'. See https://aka.ms/rps-not-found for how to register subscriptions.`,
      );
    }
  }

  const props: JsonObject = { ...incoming };
  for (const key of READ_ONLY) {
    const kept = existing?.properties?.[key];
    if (kept !== undefined) props[key] = structuredClone(kept);
  }
  props['provisioningState'] = 'Updating';
  return { name, id, type: 'Microsoft.Network/virtualNetworks/subnets', properties: props };
}

function ipv4Text(prefixes: string[], i: number): string {
  return prefixes.filter((p) => !isIpv6Prefix(p))[i] ?? '';
}

