/**
 * Network security groups: PUT (create or replace), DELETE, and PUT / DELETE of one security rule. All are
 * long-running, as the Network provider does them: a PUT answers 201 (created) or 200 (updated) with the
 * document in `Updating` and Azure-AsyncOperation; a DELETE answers 202 with Azure-AsyncOperation and Location,
 * the resource shows `Deleting` until the operation ends (204 when there is nothing to delete).
 * With failLro an operation ends Failed and the NSG goes back to what it was.
 * Validation codes: validate-nsg.ts; delete refusals:
 *   403 AuthorizationFailed (real)                        caller lacks …/networkSecurityGroups/delete (…/securityRules/delete)
 *   409 AnotherOperationInProgress (real)                 an operation on the NSG or one of its rules is still running
 *   400 InUseNetworkSecurityGroupCannotBeDeleted (real)   a subnet or network interface is still associated with the NSG
 */
import { randomUUID } from 'node:crypto';
import type { RequestContext } from './context.js';
import { ArmError, authorizationFailed, resourceNotFound } from './errors.js';
import type { Reply } from './http.js';
import { normalizeLocation, type ParsedResourceId } from './ids.js';
import { lroHeaders } from './lro.js';
import { withDefaultSecurityRules } from './nsg-defaults.js';
import { requireIdle, startNetworkOperation } from './network-ops.js';
import { hasPermission } from './rbac.js';
import { requireContainers } from './scope-checks.js';
import { propsOf, resourceTypeOf, rulesOf, TYPE, type Store } from './store.js';
import type { ArmResource, JsonObject } from './types.js';
import { checkPriorityConflicts, NSG_DELETE, NSG_WRITE, planRule, planRules, RULE_DELETE, RULE_WRITE } from './validate-nsg.js';

const NSG_TYPE = 'Microsoft.Network/networkSecurityGroups';

function setState(doc: ArmResource | undefined, state: string): void {
  if (doc) propsOf(doc)['provisioningState'] = state;
}

/** Marks the NSG and all its custom rules Succeeded (the end of a write). */
function settle(store: Store, nsgId: string): void {
  const nsg = store.raw(nsgId);
  if (!nsg) return;
  setState(nsg, 'Succeeded');
  for (const rule of rulesOf(nsg, 'securityRules')) setState(rule, 'Succeeded');
}

function nsgOf(store: Store, id: string): ArmResource | undefined {
  const doc = store.raw(id);
  return doc && resourceTypeOf(doc.id) === TYPE.nsg ? doc : undefined;
}

/** PUT …/networkSecurityGroups/{name}: create, or replace the custom rules (default rules are ARM's six). */
export function putNsg(ctx: RequestContext, parsed: ParsedResourceId): Reply {
  const { store, baseUrl } = ctx.state;
  requireContainers(store, parsed);
  if (!hasPermission(store, ctx.caller, ctx.path, NSG_WRITE)) throw authorizationFailed(ctx.caller, NSG_WRITE, ctx.path);
  const existing = nsgOf(store, ctx.path);
  if (existing) requireIdle(existing);
  const body = ctx.body ?? {};
  const location = typeof body['location'] === 'string' && body['location'].trim() !== '' ? body['location'] : undefined;
  if (!existing && !location) throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
  if (existing && location && normalizeLocation(location) !== normalizeLocation(existing.location)) {
    throw new ArmError(
      400,
      'InvalidResourceLocation',
      `The resource '${existing.name}' already exists in location '${existing.location ?? ''}' in resource group '${parsed.resourceGroup ?? ''}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
    );
  }
  const id = existing?.id ?? ctx.path;
  const name = existing?.name ?? parsed.names[0] ?? '';
  const securityRules = planRules(id, body);
  const before = existing?.properties ?? {};
  const doc: ArmResource = {
    id,
    name,
    type: NSG_TYPE,
    location: existing?.location ?? location ?? '',
    ...(typeof body['tags'] === 'object' && body['tags'] !== null ? { tags: structuredClone(body['tags']) } : {}),
    properties: {
      provisioningState: 'Updating',
      resourceGuid: typeof before['resourceGuid'] === 'string' ? before['resourceGuid'] : randomUUID(),
      securityRules,
      defaultSecurityRules: withDefaultSecurityRules(id, before['defaultSecurityRules']),
    },
  };
  const previous = existing ? structuredClone(existing) : undefined;
  store.replace(doc);
  const op = startNetworkOperation(
    ctx,
    parsed,
    doc.location,
    id,
    () => settle(store, id),
    () => (previous ? store.replace(previous) : store.remove(id)),
  );
  return { status: existing ? 200 : 201, headers: lroHeaders(baseUrl, op, ctx.now, false), body: store.render(doc) };
}

/** DELETE …/networkSecurityGroups/{name}: refused while a subnet or network interface uses it. */
export function deleteNsg(ctx: RequestContext, parsed: ParsedResourceId): Reply {
  const { store, baseUrl } = ctx.state;
  requireContainers(store, parsed);
  if (!hasPermission(store, ctx.caller, ctx.path, NSG_DELETE)) throw authorizationFailed(ctx.caller, NSG_DELETE, ctx.path);
  const nsg = nsgOf(store, ctx.path);
  if (!nsg) return { status: 204 };
  requireIdle(nsg);
  const users = store.nsgUsers(nsg.id);
  if (users.length > 0) {
    throw new ArmError(
      400,
      'InUseNetworkSecurityGroupCannotBeDeleted',
      `Network security group ${nsg.id} cannot be deleted because it is in use by the following resources: ${users.join(', ')}. In order to delete the Network security group, remove the association with the resource(s). To learn how to do this, see aka.ms/deletensg.`,
    );
  }
  setState(nsg, 'Deleting');
  const op = startNetworkOperation(
    ctx,
    parsed,
    nsg.location,
    nsg.id,
    () => store.remove(nsg.id),
    () => setState(store.raw(nsg.id), 'Succeeded'),
  );
  return { status: 202, headers: lroHeaders(baseUrl, op, ctx.now, true) };
}

function parentNsg(ctx: RequestContext, parsed: ParsedResourceId): ArmResource {
  const nsgId = ctx.path.replace(/\/securityRules\/[^/]+$/i, '');
  const nsg = nsgOf(ctx.state.store, nsgId);
  if (!nsg) throw resourceNotFound(nsgId, NSG_TYPE, parsed.names[0] ?? '', parsed.resourceGroup);
  return nsg;
}

/** PUT …/networkSecurityGroups/{nsg}/securityRules/{rule}: add or replace one rule, keeping its place. */
export function putSecurityRule(ctx: RequestContext, parsed: ParsedResourceId): Reply {
  const { store, baseUrl } = ctx.state;
  requireContainers(store, parsed);
  if (!hasPermission(store, ctx.caller, ctx.path, RULE_WRITE)) throw authorizationFailed(ctx.caller, RULE_WRITE, ctx.path);
  const nsg = parentNsg(ctx, parsed);
  requireIdle(nsg);
  const rules = rulesOf(nsg, 'securityRules');
  const wanted = (parsed.names[1] ?? '').toLowerCase();
  const at = rules.findIndex((r) => String(r.name).toLowerCase() === wanted);
  const name = rules[at]?.name ?? parsed.names[1] ?? '';
  const rule = planRule(nsg.id, name, ctx.body as JsonObject | undefined);
  checkPriorityConflicts([...rules.filter((_, i) => i !== at), rule]);
  const previous = structuredClone(nsg);
  const next = [...rules];
  if (at >= 0) next[at] = rule;
  else next.push(rule);
  propsOf(nsg)['securityRules'] = next;
  setState(nsg, 'Updating');
  store.replace(nsg);
  const op = startNetworkOperation(
    ctx,
    parsed,
    nsg.location,
    rule.id,
    () => settle(store, nsg.id),
    () => store.replace(previous),
  );
  return { status: at >= 0 ? 200 : 201, headers: lroHeaders(baseUrl, op, ctx.now, false), body: structuredClone(rule) };
}

/** DELETE …/networkSecurityGroups/{nsg}/securityRules/{rule}. */
export function deleteSecurityRule(ctx: RequestContext, parsed: ParsedResourceId): Reply {
  const { store, baseUrl } = ctx.state;
  requireContainers(store, parsed);
  if (!hasPermission(store, ctx.caller, ctx.path, RULE_DELETE)) throw authorizationFailed(ctx.caller, RULE_DELETE, ctx.path);
  const nsg = parentNsg(ctx, parsed);
  const found = store.findSecurityRule(ctx.path);
  if (!found) return { status: 204 };
  requireIdle(nsg);
  const previous = structuredClone(nsg);
  setState(found.rule, 'Deleting');
  setState(nsg, 'Updating');
  const ruleId = found.rule.id;
  const op = startNetworkOperation(
    ctx,
    parsed,
    nsg.location,
    ruleId,
    () => {
      const current = store.raw(nsg.id);
      if (!current) return;
      propsOf(current)['securityRules'] = rulesOf(current, 'securityRules').filter((r) => r !== found.rule);
      settle(store, current.id);
    },
    () => store.replace(previous),
  );
  return { status: 202, headers: lroHeaders(baseUrl, op, ctx.now, true) };
}
