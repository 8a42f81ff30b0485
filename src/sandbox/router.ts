/** Dispatch of ARM requests (after auth) to the route modules. */
import type { RequestContext } from './context.js';
import { notImplemented } from './errors.js';
import type { Reply } from './http.js';
import { parseResourceId, typeKey } from './ids.js';
import { handleAuthorization } from './routes-authorization.js';
import { operationResult, operationStatus } from './routes-lro.js';
import { getProvider, listProviders, registerProvider } from './routes-providers.js';
import { getResourceGroup, getResourceOrCollection, getSubscription, listResourceGroups, listSubscriptions } from './routes-resources.js';
import { deleteNsg, deleteSecurityRule, putNsg, putSecurityRule } from './routes-nsg.js';
import { isResourceGraphQuery, queryResourceGraph } from './routes-resource-graph.js';
import { deleteSubnet, patchApim, putSubnet } from './routes-writes.js';
import { splitAuthorizationId } from './seed.js';
import { TYPE } from './store.js';

const STATUS_KINDS = ['operations', 'operationsstatus', 'operationstatuses', 'asyncoperations'];

export function route(ctx: RequestContext): Reply {
  const seg = ctx.segments;
  const lower = seg.map((s) => s.toLowerCase());
  const get = ctx.method === 'GET';
  if (seg.length === 1 && lower[0] === 'subscriptions' && get) return listSubscriptions(ctx);
  if (isResourceGraphQuery(lower)) return queryResourceGraph(ctx);

  const auth = splitAuthorizationId(ctx.path);
  if (auth) return handleAuthorization(ctx, auth);

  const sub = seg[1];
  if (lower[0] !== 'subscriptions' || sub === undefined) throw notImplemented(ctx.method, ctx.path);
  if (seg.length === 2 && get) return getSubscription(ctx, sub);

  if (lower[2] === 'providers') {
    const ns = seg[3];
    if (seg.length === 3 && get) return listProviders(ctx, sub);
    if (ns !== undefined && seg.length === 4 && get) return getProvider(ctx, sub, ns);
    if (ns !== undefined && seg.length === 5 && lower[4] === 'register' && ctx.method === 'POST') return registerProvider(ctx, sub, ns);
    const opId = seg[7];
    if (seg.length === 8 && lower[4] === 'locations' && opId !== undefined && get) {
      if (STATUS_KINDS.includes(lower[6] ?? '')) return operationStatus(ctx, sub, opId);
      if (lower[6] === 'operationresults') return operationResult(ctx, sub, opId);
    }
  }
  if (lower[2] === 'resourcegroups') {
    if (seg.length === 3 && get) return listResourceGroups(ctx, sub);
    const rg = seg[3];
    if (seg.length === 4 && rg !== undefined && get) return getResourceGroup(ctx, sub, rg);
  }

  const parsed = parseResourceId(ctx.path);
  if (!parsed || parsed.namespace === undefined || parsed.types.length === 0) throw notImplemented(ctx.method, ctx.path);
  if (get) return getResourceOrCollection(ctx, parsed);
  const full = parsed.names.length === parsed.types.length && parsed.resourceGroup !== undefined;
  if (ctx.method === 'PATCH' && full && typeKey(parsed) === TYPE.apim) return patchApim(ctx, parsed);
  const type = typeKey(parsed);
  if (ctx.method === 'PUT' && full && type === TYPE.subnet) return putSubnet(ctx, parsed);
  if (ctx.method === 'PUT' && full && type === TYPE.nsg) return putNsg(ctx, parsed);
  if (ctx.method === 'PUT' && full && type === TYPE.securityRule) return putSecurityRule(ctx, parsed);
  if (ctx.method === 'DELETE' && full && type === TYPE.subnet) return deleteSubnet(ctx, parsed);
  if (ctx.method === 'DELETE' && full && type === TYPE.nsg) return deleteNsg(ctx, parsed);
  if (ctx.method === 'DELETE' && full && type === TYPE.securityRule) return deleteSecurityRule(ctx, parsed);
  throw notImplemented(ctx.method, ctx.path);
}
