/** 404s in ARM's order: subscription, then resource group, then resource. */
import { resourceGroupNotFound, resourceNotFound, subscriptionNotFound } from './errors.js';
import type { ParsedResourceId } from './ids.js';
import type { Store } from './store.js';
import type { ArmResource } from './types.js';

export function requireSubscription(store: Store, subscriptionId: string): void {
  if (!store.subscription(subscriptionId)) throw subscriptionNotFound(subscriptionId);
}

/** Checks the subscription and resource group an id names. */
export function requireContainers(store: Store, parsed: ParsedResourceId): void {
  if (parsed.subscriptionId !== undefined) requireSubscription(store, parsed.subscriptionId);
  if (parsed.subscriptionId !== undefined && parsed.resourceGroup !== undefined && !store.resourceGroup(parsed.subscriptionId, parsed.resourceGroup)) {
    throw resourceGroupNotFound(parsed.resourceGroup);
  }
}

/** The stored document for a full resource id, or ARM's 404. */
export function requireResource(store: Store, id: string, parsed: ParsedResourceId): ArmResource {
  requireContainers(store, parsed);
  const doc = store.raw(id);
  if (!doc) {
    const typeName = [parsed.namespace ?? '', ...parsed.types].join('/');
    throw resourceNotFound(id, typeName, parsed.names.join('/'), parsed.resourceGroup);
  }
  return doc;
}
