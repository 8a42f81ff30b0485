/**
 * Writes: PATCH on an API Management service, PUT and DELETE on a subnet, all long-running.
 * APIM PATCH answers 202 with Azure-AsyncOperation, Location and Retry-After; the resource shows
 * `Updating` until the operation ends, then the merged properties and `Succeeded` (or, with failLro,
 * `Succeeded` with unchanged settings). Subnet PUT (create, or update when the name exists) answers 201/200
 * with the subnet (`Updating`) and Azure-AsyncOperation, as the Network provider does; the final GET is on the
 * subnet itself. Subnet DELETE answers 202 with Azure-AsyncOperation and Location (the subnet shows `Deleting`
 * until it is gone; NSG back-references follow), or 204 when there is no such subnet. Its refusals:
 *   404 ResourceNotFound (real)              the VNet does not exist
 *   403 AuthorizationFailed (real)           caller lacks Microsoft.Network/virtualNetworks/subnets/delete
 *   409 AnotherOperationInProgress (real)    an operation on the subnet is still running
 *   400 InUseSubnetCannotBeDeleted (real)    ip configurations, private endpoints, service association or resource
 *                                            navigation links (an integrated API Management instance) remain
 */
import { apiVersionOf, type RequestContext } from './context.js';
import { ArmError, authorizationFailed, resourceNotFound } from './errors.js';
import type { Reply } from './http.js';
import { normalizeLocation, sameId, type ParsedResourceId } from './ids.js';
import { lroHeaders } from './lro.js';
import { requireIdle, startNetworkOperation } from './network-ops.js';
import { hasPermission } from './rbac.js';
import { requireContainers, requireResource } from './scope-checks.js';
import { propsOf, type Store } from './store.js';
import { linkOf, serviceAssociationLinks, subnetUsers } from './subnet-facts.js';
import { checkApimWriteAllowed, planApimPatch, type ApimPatchPlan } from './validate-apim.js';
import { planSubnetPut } from './validate-subnet.js';
import type { ArmResource } from './types.js';

export function patchApim(ctx: RequestContext, parsed: ParsedResourceId): Reply {
  const { store, ops, faults, baseUrl } = ctx.state;
  const current = requireResource(store, ctx.path, parsed);
  checkApimWriteAllowed(store, ctx.caller, current);
  const plan = planApimPatch(store, ctx.caller, current, ctx.body);
  const before = structuredClone(current);
  propsOf(current)['provisioningState'] = 'Updating';
  const op = ops.start(
    {
      subscriptionId: parsed.subscriptionId ?? '',
      namespace: 'Microsoft.ApiManagement',
      statusSegment: 'operationsStatus',
      location: normalizeLocation(current.location) || 'global',
      resourceId: current.id,
      apiVersion: apiVersionOf(ctx, '2024-05-01'),
      durationMs: faults.knobs.lroSeconds * 1000,
      willFail: faults.knobs.failLro,
      onSucceed: () => applyApim(store, plan),
      onFail: () => {
        propsOf(before)['provisioningState'] = 'Succeeded';
        store.replace(before);
      },
    },
    ctx.now,
  );
  const body = structuredClone(current);
  return { status: 202, headers: lroHeaders(baseUrl, op, ctx.now, true), body };
}

function applyApim(store: Store, plan: ApimPatchPlan): void {
  const doc = plan.target;
  propsOf(doc)['provisioningState'] = 'Succeeded';
  store.replace(doc);
  if (!plan.networkChanged) return;
  for (const subnet of store.allSubnets()) {
    const props = propsOf(subnet);
    const links = serviceAssociationLinks(props);
    const kept = links.filter((l) => !sameId(linkOf(l), doc.id));
    if (kept.length === links.length) continue;
    if (kept.length > 0) props['serviceAssociationLinks'] = kept;
    else delete props['serviceAssociationLinks'];
  }
  if (plan.vnetType !== 'External' || plan.subnetId === undefined) return;
  const found = store.findSubnet(plan.subnetId);
  if (!found) return;
  const props = propsOf(found.subnet);
  const name = `apim-${doc.name}`;
  props['serviceAssociationLinks'] = [
    ...serviceAssociationLinks(props),
    {
      name,
      id: `${found.subnet.id}/serviceAssociationLinks/${name}`,
      type: 'Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks',
      properties: { provisioningState: 'Succeeded', linkedResourceType: 'Microsoft.ApiManagement/service', link: doc.id, allowDelete: false, locations: [] },
    },
  ];
}

/** The VNet a subnet path names, after its subscription and group: ResourceNotFound when it does not exist. */
function parentVnet(ctx: RequestContext, parsed: ParsedResourceId): ArmResource {
  const { store } = ctx.state;
  requireContainers(store, parsed);
  const vnetId = ctx.path.replace(/\/subnets\/[^/]+$/i, '');
  const vnet = store.raw(vnetId);
  if (!vnet) throw resourceNotFound(vnetId, 'Microsoft.Network/virtualNetworks', parsed.names[0] ?? '', parsed.resourceGroup);
  return vnet;
}

export function putSubnet(ctx: RequestContext, parsed: ParsedResourceId): Reply {
  const { store, baseUrl } = ctx.state;
  const vnet = parentVnet(ctx, parsed);
  const existing = store.findSubnet(ctx.path)?.subnet;
  const next = planSubnetPut(store, ctx.caller, vnet, existing, ctx.path, ctx.body);
  const previous = existing ? structuredClone(existing) : undefined;
  store.putSubnet(vnet.id, next);
  const op = startNetworkOperation(
    ctx,
    parsed,
    vnet.location,
    next.id,
    () => {
      const stored = store.findSubnet(next.id)?.subnet;
      if (stored) propsOf(stored)['provisioningState'] = 'Succeeded';
    },
    () => {
      if (previous) store.putSubnet(vnet.id, previous);
      else store.removeSubnet(next.id);
    },
  );
  return { status: existing ? 200 : 201, headers: lroHeaders(baseUrl, op, ctx.now, false), body: structuredClone(next) };
}

export const SUBNET_DELETE = 'Microsoft.Network/virtualNetworks/subnets/delete';

export function deleteSubnet(ctx: RequestContext, parsed: ParsedResourceId): Reply {
  const { store, baseUrl } = ctx.state;
  const vnet = parentVnet(ctx, parsed);
  if (!hasPermission(store, ctx.caller, ctx.path, SUBNET_DELETE)) throw authorizationFailed(ctx.caller, SUBNET_DELETE, ctx.path);
  const subnet = store.findSubnet(ctx.path)?.subnet;
  if (!subnet) return { status: 204 };
  requireIdle(subnet);
  const users = subnetUsers(subnet);
  if (users.length > 0) {
    throw new ArmError(
      400,
      'InUseSubnetCannotBeDeleted',
      `Subnet ${subnet.name} is in use by ${users.join(', ')} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.`,
    );
  }
  propsOf(subnet)['provisioningState'] = 'Deleting';
  const op = startNetworkOperation(
    ctx,
    parsed,
    vnet.location,
    subnet.id,
    () => store.removeSubnet(subnet.id),
    () => {
      const stored = store.findSubnet(subnet.id)?.subnet;
      if (stored) propsOf(stored)['provisioningState'] = 'Succeeded';
    },
  );
  return { status: 202, headers: lroHeaders(baseUrl, op, ctx.now, true) };
}
