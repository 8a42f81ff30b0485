/**
 * Writes: PATCH on an API Management service and PUT on a subnet, both long-running.
 * APIM PATCH answers 202 with Azure-AsyncOperation, Location and Retry-After; the resource shows
 * `Updating` until the operation ends, then the merged properties and `Succeeded` (or, with failLro,
 * `Succeeded` with unchanged settings). Subnet PUT answers 200/201 with the new subnet (`Updating`)
 * and Azure-AsyncOperation, as the Network provider does; the final GET is on the subnet itself.
 */
import { apiVersionOf, type RequestContext } from './context.js';
import { resourceNotFound } from './errors.js';
import type { Reply } from './http.js';
import { normalizeLocation, sameId, type ParsedResourceId } from './ids.js';
import { lroHeaders } from './lro.js';
import { requireContainers, requireResource } from './scope-checks.js';
import { propsOf, type Store } from './store.js';
import { linkOf, serviceAssociationLinks } from './subnet-facts.js';
import { checkApimWriteAllowed, planApimPatch, type ApimPatchPlan } from './validate-apim.js';
import { planSubnetPut } from './validate-subnet.js';

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

export function putSubnet(ctx: RequestContext, parsed: ParsedResourceId): Reply {
  const { store, ops, faults, baseUrl } = ctx.state;
  requireContainers(store, parsed);
  const vnetId = ctx.path.replace(/\/subnets\/[^/]+$/i, '');
  const vnet = store.raw(vnetId);
  if (!vnet) throw resourceNotFound(vnetId, 'Microsoft.Network/virtualNetworks', parsed.names[0] ?? '', parsed.resourceGroup);
  const existing = store.findSubnet(ctx.path)?.subnet;
  const next = planSubnetPut(store, ctx.caller, vnet, existing, ctx.path, ctx.body);
  const previous = existing ? structuredClone(existing) : undefined;
  store.putSubnet(vnet.id, next);
  const op = ops.start(
    {
      subscriptionId: parsed.subscriptionId ?? '',
      namespace: 'Microsoft.Network',
      statusSegment: 'operations',
      location: normalizeLocation(vnet.location) || 'global',
      resourceId: next.id,
      apiVersion: apiVersionOf(ctx, '2024-05-01'),
      durationMs: faults.knobs.lroSeconds * 1000,
      willFail: faults.knobs.failLro,
      onSucceed: () => {
        const stored = store.findSubnet(next.id)?.subnet;
        if (stored) propsOf(stored)['provisioningState'] = 'Succeeded';
      },
      onFail: () => {
        if (previous) store.putSubnet(vnet.id, previous);
        else store.removeSubnet(next.id);
      },
    },
    ctx.now,
  );
  return { status: existing ? 200 : 201, headers: lroHeaders(baseUrl, op, ctx.now, false), body: structuredClone(next) };
}

