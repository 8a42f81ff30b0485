/**
 * Azure RBAC as the sandbox evaluates it: role assignments at or above a scope apply to it; a principal
 * holds its own assignments and those of every group it is a transitive member of; within one role an
 * action is granted when it matches `actions` and no `notActions`; grants are the union across roles.
 * (Deny assignments are not modelled.)
 */
import type { RolePermission } from './builtin-roles.js';
import { isAtOrAbove } from './ids.js';
import type { Store } from './store.js';
import type { ArmResource } from './types.js';

const patternCache = new Map<string, RegExp>();

/** ARM action matching: case-insensitive, `*` matches any run of characters (including `/`). */
export function actionMatches(pattern: string, action: string): boolean {
  let re = patternCache.get(pattern);
  if (!re) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`, 'i');
    patternCache.set(pattern, re);
  }
  return re.test(action);
}

/** Whether one permission block grants the action. */
export function permissionGrants(p: RolePermission, action: string): boolean {
  return p.actions.some((a) => actionMatches(a, action)) && !p.notActions.some((n) => actionMatches(n, action));
}

export function assignmentScope(a: ArmResource): string {
  return String(a.properties?.['scope'] ?? '/');
}

export function assignmentPrincipal(a: ArmResource): string {
  return String(a.properties?.['principalId'] ?? '').toLowerCase();
}

/** Assignments whose scope is at or above `scope`, held by any of `principals` (lower-case ids). */
export function applicableAssignments(store: Store, principals: Set<string>, scope: string): ArmResource[] {
  return store.roleAssignments().filter((a) => principals.has(assignmentPrincipal(a)) && isAtOrAbove(assignmentScope(a), scope));
}

/** The permission blocks that apply to a principal at a scope (one per distinct role). */
export function effectivePermissions(store: Store, principalId: string, scope: string): RolePermission[] {
  const seen = new Set<string>();
  const out: RolePermission[] = [];
  for (const a of applicableAssignments(store, store.principalAndGroups(principalId), scope)) {
    const role = store.roleDefinition(String(a.properties?.['roleDefinitionId'] ?? ''));
    if (!role || seen.has(role.guid)) continue;
    seen.add(role.guid);
    out.push(...role.permissions);
  }
  return out;
}

export function hasPermission(store: Store, principalId: string, scope: string, action: string): boolean {
  return effectivePermissions(store, principalId, scope).some((p) => permissionGrants(p, action));
}
