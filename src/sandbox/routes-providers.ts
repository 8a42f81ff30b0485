/**
 * Resource providers: GET /subscriptions/{s}/providers[/{ns}], POST …/{ns}/register.
 * Registration needs `{ns}/register/action` at subscription scope; the state is `Registering` for
 * lroSeconds, then `Registered` (or back to `NotRegistered` when failLro is set).
 */
import { apiVersionOf, type RequestContext } from './context.js';
import { authorizationFailed } from './errors.js';
import type { Reply } from './http.js';
import { hasPermission } from './rbac.js';
import { requireSubscription } from './scope-checks.js';
import type { Store } from './store.js';

const RESOURCE_TYPES: Record<string, { resourceType: string; locations: string[]; apiVersions: string[] }[]> = {
  'microsoft.web': [
    { resourceType: 'serverFarms', locations: ['West Europe', 'North Europe', 'East US'], apiVersions: ['2024-04-01', '2023-12-01', '2022-09-01'] },
    { resourceType: 'sites', locations: ['West Europe', 'North Europe', 'East US'], apiVersions: ['2024-04-01', '2023-12-01', '2022-09-01'] },
    { resourceType: 'hostingEnvironments', locations: ['West Europe', 'North Europe', 'East US'], apiVersions: ['2024-04-01', '2023-12-01'] },
  ],
  'microsoft.network': [
    { resourceType: 'virtualNetworks', locations: ['West Europe', 'North Europe', 'East US'], apiVersions: ['2024-05-01', '2024-03-01'] },
    { resourceType: 'networkSecurityGroups', locations: ['West Europe', 'North Europe', 'East US'], apiVersions: ['2024-05-01', '2024-03-01'] },
  ],
  'microsoft.apimanagement': [
    { resourceType: 'service', locations: ['West Europe', 'North Europe', 'East US'], apiVersions: ['2024-05-01', '2023-05-01-preview'] },
  ],
};

function providerDoc(store: Store, subscriptionId: string, namespace: string): Record<string, unknown> {
  const p = store.providerState(subscriptionId, namespace);
  return {
    id: `/subscriptions/${subscriptionId}/providers/${p.namespace}`,
    namespace: p.namespace,
    registrationState: p.state,
    registrationPolicy: 'RegistrationRequired',
    resourceTypes: RESOURCE_TYPES[p.namespace.toLowerCase()] ?? [],
  };
}

export function listProviders(ctx: RequestContext, subscriptionId: string): Reply {
  const { store } = ctx.state;
  requireSubscription(store, subscriptionId);
  const names = new Map<string, string>();
  for (const ns of ['Microsoft.ApiManagement', 'Microsoft.Network', 'Microsoft.Web', ...store.providerNamespaces(subscriptionId)]) {
    names.set(ns.toLowerCase(), ns);
  }
  return { status: 200, body: { value: [...names.values()].map((ns) => providerDoc(store, subscriptionId, ns)) } };
}

export function getProvider(ctx: RequestContext, subscriptionId: string, namespace: string): Reply {
  requireSubscription(ctx.state.store, subscriptionId);
  return { status: 200, body: providerDoc(ctx.state.store, subscriptionId, namespace) };
}

export function registerProvider(ctx: RequestContext, subscriptionId: string, namespace: string): Reply {
  const { store, ops, faults } = ctx.state;
  requireSubscription(store, subscriptionId);
  const scope = `/subscriptions/${subscriptionId}`;
  const action = `${store.providerState(subscriptionId, namespace).namespace}/register/action`;
  if (!hasPermission(store, ctx.caller, scope, action)) throw authorizationFailed(ctx.caller, action, scope);
  const current = store.providerState(subscriptionId, namespace).state;
  if (current === 'NotRegistered' || current === 'Unregistering') {
    store.setProviderState(subscriptionId, namespace, 'Registering');
    ops.start(
      {
        subscriptionId,
        namespace: 'Microsoft.Resources',
        statusSegment: 'operations',
        location: 'global',
        resourceId: `${scope}/providers/${namespace}`,
        apiVersion: apiVersionOf(ctx, '2021-04-01'),
        durationMs: faults.knobs.lroSeconds * 1000,
        willFail: faults.knobs.failLro,
        onSucceed: () => store.setProviderState(subscriptionId, namespace, 'Registered'),
        onFail: () => store.setProviderState(subscriptionId, namespace, 'NotRegistered'),
      },
      ctx.now,
    );
  }
  return { status: 200, body: providerDoc(store, subscriptionId, namespace) };
}
