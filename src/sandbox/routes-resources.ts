/** Reads: subscriptions, resource groups, resources by id, lists by subscription / resource group / parent. Reads are not permission-checked. */
import type { RequestContext } from './context.js';
import { resourceGroupNotFound, resourceNotFound } from './errors.js';
import type { Reply } from './http.js';
import type { ParsedResourceId } from './ids.js';
import { pageOf } from './paging.js';
import { requireContainers, requireSubscription } from './scope-checks.js';
import type { SubscriptionInfo } from './store.js';

function subscriptionDoc(s: SubscriptionInfo): Record<string, unknown> {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    subscriptionId: s.subscriptionId,
    displayName: s.displayName,
    state: 'Enabled',
    tenantId: s.tenantId,
    authorizationSource: 'RoleBased',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}

export function listSubscriptions(ctx: RequestContext): Reply {
  return pageOf(ctx, ctx.state.store.listSubscriptions().map(subscriptionDoc));
}

export function getSubscription(ctx: RequestContext, subscriptionId: string): Reply {
  requireSubscription(ctx.state.store, subscriptionId);
  const s = ctx.state.store.subscription(subscriptionId);
  return { status: 200, body: s ? subscriptionDoc(s) : undefined };
}

function resourceGroupDoc(subscriptionId: string, name: string, location: string): Record<string, unknown> {
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${name}`,
    name,
    type: 'Microsoft.Resources/resourceGroups',
    location: location || 'westeurope',
    properties: { provisioningState: 'Succeeded' },
  };
}

export function listResourceGroups(ctx: RequestContext, subscriptionId: string): Reply {
  requireSubscription(ctx.state.store, subscriptionId);
  return pageOf(
    ctx,
    ctx.state.store.listResourceGroups(subscriptionId).map((rg) => resourceGroupDoc(rg.subscriptionId, rg.name, rg.location)),
  );
}

export function getResourceGroup(ctx: RequestContext, subscriptionId: string, name: string): Reply {
  requireSubscription(ctx.state.store, subscriptionId);
  const rg = ctx.state.store.resourceGroup(subscriptionId, name);
  if (!rg) throw resourceGroupNotFound(name);
  return { status: 200, body: resourceGroupDoc(rg.subscriptionId, rg.name, rg.location) };
}

/**
 * GET on a path under /subscriptions/{s}[/resourceGroups/{rg}]/providers/{ns}/…:
 * a full id returns the resource; an id ending in a type returns that collection.
 */
export function getResourceOrCollection(ctx: RequestContext, parsed: ParsedResourceId): Reply {
  const { store } = ctx.state;
  requireContainers(store, parsed);
  const sub = parsed.subscriptionId ?? '';
  const typeName = [parsed.namespace ?? '', ...parsed.types].join('/');
  if (parsed.names.length === parsed.types.length) {
    const doc = store.get(ctx.path);
    if (!doc) throw resourceNotFound(ctx.path, typeName, parsed.names.join('/'), parsed.resourceGroup);
    return { status: 200, body: doc };
  }
  if (parsed.types.length === 1) {
    return pageOf(ctx, store.list(sub, parsed.resourceGroup, typeName), (doc) => store.view(doc));
  }
  const parentId = ctx.path.slice(0, ctx.path.lastIndexOf('/'));
  const childType = parsed.types[parsed.types.length - 1] ?? '';
  if (!store.raw(parentId)) {
    const parentType = [parsed.namespace ?? '', ...parsed.types.slice(0, -1)].join('/');
    throw resourceNotFound(parentId, parentType, parsed.names.join('/'), parsed.resourceGroup);
  }
  return pageOf(ctx, store.listChildren(parentId, childType), (doc) => store.view(doc));
}
