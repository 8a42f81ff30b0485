/**
 * {scope}/providers/Microsoft.Authorization/{roleAssignments|roleDefinitions|permissions}[/{name}] at
 * tenant, subscription, resource group or resource scope. Reads are not permission-checked (ARM lets
 * any principal with read access list assignments; the sandbox does not model read denials).
 * Resource scopes are not checked for existence: ARM's authorization APIs evaluate the scope string.
 */
import type { RoleDefinitionData } from './builtin-roles.js';
import type { RequestContext } from './context.js';
import { ArmError, notImplemented } from './errors.js';
import type { Reply } from './http.js';
import { idKey, isAtOrAbove, parseResourceId, sameId } from './ids.js';
import { pageOf } from './paging.js';
import { assignmentPrincipal, assignmentScope, effectivePermissions } from './rbac.js';
import { requireContainers } from './scope-checks.js';
import type { Store } from './store.js';
import type { ArmResource } from './types.js';

const ROLE_DEFINITIONS = 'Microsoft.Authorization/roleDefinitions';

export function handleAuthorization(ctx: RequestContext, split: { scope: string; kind: string; name?: string }): Reply {
  const { scope, name } = split;
  const kind = split.kind.toLowerCase();
  if (ctx.method !== 'GET') throw notImplemented(ctx.method, ctx.path);
  checkScope(ctx.state.store, scope, ctx.path);
  if (kind === 'roleassignments') return name === undefined ? listAssignments(ctx, scope) : getAssignment(ctx, name);
  if (kind === 'roledefinitions') return name === undefined ? listRoleDefinitions(ctx, scope) : getRoleDefinition(ctx, scope, name);
  if (kind === 'permissions' && name === undefined) {
    return pageOf(ctx, effectivePermissions(ctx.state.store, ctx.caller, scope));
  }
  throw notImplemented(ctx.method, ctx.path);
}

function checkScope(store: Store, scope: string, path: string): void {
  if (idKey(scope) === '') return;
  const parsed = parseResourceId(scope);
  if (!parsed) throw notImplemented('GET', path);
  requireContainers(store, parsed);
}

function unsupportedFilter(filter: string, clause: string): ArmError {
  return new ArmError(400, 'UnsupportedQueryFilter', `The sandbox does not support the filter clause '${clause}' in '${filter}'.`);
}

function listAssignments(ctx: RequestContext, scope: string): Reply {
  const { store } = ctx.state;
  const filter = ctx.query.get('$filter') ?? '';
  let atScopeOnly = false;
  let principals: Set<string> | undefined;
  for (const raw of filter.split(/\s+and\s+/i)) {
    const clause = raw.trim();
    if (clause === '') continue;
    let m: RegExpExecArray | null;
    if (/^atScope\(\)$/i.test(clause)) atScopeOnly = true;
    else if ((m = /^assignedTo\('([^']*)'\)$/i.exec(clause)) && m[1] !== undefined) principals = store.principalAndGroups(m[1]);
    else if ((m = /^principalId\s+eq\s+'([^']*)'$/i.exec(clause)) && m[1] !== undefined) principals = new Set([m[1].toLowerCase()]);
    else throw unsupportedFilter(filter, clause);
  }
  const found = store
    .roleAssignments()
    .filter((a) => (principals === undefined || principals.has(assignmentPrincipal(a))) && inScope(assignmentScope(a), scope, atScopeOnly))
    .map((a) => structuredClone(a));
  return pageOf(ctx, found);
}

/** listForScope returns assignments at and above the scope, and below it unless `atScope()` is given. */
function inScope(assignmentAt: string, scope: string, atScopeOnly: boolean): boolean {
  return isAtOrAbove(assignmentAt, scope) || (!atScopeOnly && isAtOrAbove(scope, assignmentAt));
}

function getAssignment(ctx: RequestContext, name: string): Reply {
  const found = ctx.state.store.roleAssignments().find((a) => sameId(a.id, ctx.path));
  if (!found) throw new ArmError(404, 'RoleAssignmentNotFound', `The role assignment '${name}' is not found.`);
  return { status: 200, body: structuredClone(found) };
}

function roleDefinitionDoc(role: RoleDefinitionData, scope: string): ArmResource {
  const sub = parseResourceId(scope)?.subscriptionId;
  const prefix = sub === undefined ? '' : `/subscriptions/${sub}`;
  return {
    id: `${prefix}/providers/${ROLE_DEFINITIONS}/${role.guid}`,
    name: role.guid,
    type: ROLE_DEFINITIONS,
    properties: {
      roleName: role.roleName,
      type: role.roleType,
      description: role.description,
      assignableScopes: role.assignableScopes,
      permissions: role.permissions,
    },
  };
}

function listRoleDefinitions(ctx: RequestContext, scope: string): Reply {
  const filter = ctx.query.get('$filter') ?? '';
  let roleName: string | undefined;
  let roleType: string | undefined;
  for (const raw of filter.split(/\s+and\s+/i)) {
    const clause = raw.trim();
    if (clause === '') continue;
    const m = /^(roleName|type)\s+eq\s+'([^']*)'$/i.exec(clause);
    if (!m || m[2] === undefined) throw unsupportedFilter(filter, clause);
    if (m[1]?.toLowerCase() === 'rolename') roleName = m[2];
    else roleType = m[2];
  }
  const roles = ctx.state.store
    .roleDefinitions()
    .filter((r) => r.assignableScopes.some((s) => isAtOrAbove(s, scope) || isAtOrAbove(scope, s)))
    .filter((r) => roleName === undefined || r.roleName.toLowerCase() === roleName.toLowerCase())
    .filter((r) => roleType === undefined || r.roleType.toLowerCase() === roleType.toLowerCase())
    .map((r) => roleDefinitionDoc(r, scope));
  return pageOf(ctx, roles);
}

function getRoleDefinition(ctx: RequestContext, scope: string, guid: string): Reply {
  const role = ctx.state.store.roleDefinition(guid);
  if (!role) throw new ArmError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${guid}' does not exist.`);
  return { status: 200, body: roleDefinitionDoc(role, scope) };
}
