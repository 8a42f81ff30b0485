/**
 * The NSG the bot creates for a subnet (a new one, or one that has none): named from the pattern, unique in the
 * VNet's resource group, in the VNet's region, with one explicit allow per required dependency tag. Pure.
 */
import { newNsgRules } from './dependency-allow-rules.js';
import type { SecurityRuleSpec } from './security-rules.js';
import { DEFAULT_NSG_NAME_PATTERN } from './facts.js';
import { nameFromPattern, uniqueName } from './names.js';
import { parseResourceId, resourceIdKey } from './resource-id.js';

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
  /** The required dependency tags, one allow rule each. */
  tags: readonly string[];
  /** Each rule's destination: the tag (global) or its form for the instance's region. */
  tagForm: 'global' | 'regional';
  /** Source of the rules: `VirtualNetwork` (default) or a subnet's prefix. */
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
  const resourceGroupId = resourceGroupIdOf(input.vnet.id, instance.subscriptionId);
  return {
    create: name,
    id: `${resourceGroupId}/providers/Microsoft.Network/networkSecurityGroups/${name}`,
    location: input.vnet.location,
    rules: newNsgRules(input.tags, { source: input.source ?? 'VirtualNetwork', region: input.tagForm === 'regional' ? instance.location : null }),
  };
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
