/**
 * The NSG the bot creates for a subnet (a new one, or one that has none): named from the pattern, unique in the
 * VNet's resource group, in the VNet's region, with the explicit Storage rule. Pure.
 */
import { DEFAULT_NSG_NAME_PATTERN } from '../eligibility/facts.js';
import { parseResourceId, resourceIdKey } from '../eligibility/resource-id.js';
import { nameFromPattern, uniqueName } from './names.js';
import { apimOutboundNsg, type SecurityRuleSpec } from './storage-rule.js';

export interface NewNsg {
  /** The name of the NSG to create. */
  create: string;
  id: string;
  location: string;
  rules: SecurityRuleSpec[];
}

export interface NewNsgInput {
  instance: { name: string; subscriptionId: string; location: string };
  vnet: { id: string; location: string };
  namePattern: string;
  /** Names of the NSGs already in the VNet's resource group. */
  takenNames: Iterable<string>;
  /** Destination of the rule: `Storage` (global) or `Storage.<instance region>`. */
  storageTag: 'global' | 'regional';
  /** Source of the rule: `VirtualNetwork` (default) or a subnet's prefix. */
  source?: string;
}

/** The resource group id of a VNet, "/subscriptions/{s}/resourceGroups/{rg}". */
export function resourceGroupIdOf(resourceId: string, fallbackSubscriptionId: string): string {
  const parsed = parseResourceId(resourceId);
  return `/subscriptions/${parsed?.subscriptionId ?? fallbackSubscriptionId}/resourceGroups/${parsed?.resourceGroup ?? ''}`;
}

export function newApimNsg(input: NewNsgInput): NewNsg {
  const { instance } = input;
  const name = uniqueName(
    nameFromPattern(input.namePattern, instance.name, nameFromPattern(DEFAULT_NSG_NAME_PATTERN, instance.name, 'nsg-apim-outbound')),
    input.takenNames,
  );
  const spec = apimOutboundNsg({
    resourceGroupId: resourceGroupIdOf(input.vnet.id, instance.subscriptionId),
    name,
    location: input.vnet.location,
    source: input.source ?? 'VirtualNetwork',
    region: input.storageTag === 'regional' ? instance.location : null,
  });
  return { create: spec.name, id: spec.id, location: spec.location, rules: spec.securityRules };
}

/** The names of the NSGs in `resourceGroupId`, among `nsgIds` (compared the way ARM compares ids). */
export function nsgNamesInGroup(nsgIds: Iterable<string>, resourceGroupId: string): string[] {
  return nsgNamesByGroup(nsgIds).get(resourceIdKey(resourceGroupId)) ?? [];
}

/** The names of the NSGs among `nsgIds`, by resource group (its `resourceIdKey`), in one pass. */
export function nsgNamesByGroup(nsgIds: Iterable<string>): Map<string, string[]> {
  const byGroup = new Map<string, string[]>();
  for (const id of nsgIds) {
    const match = /^(.*)\/providers\/microsoft\.network\/networksecuritygroups\/([^/]+)$/.exec(resourceIdKey(id));
    if (!match?.[1] || !match[2]) continue;
    const names = byGroup.get(match[1]);
    if (names) names.push(match[2]);
    else byGroup.set(match[1], [match[2]]);
  }
  return byGroup;
}
