/**
 * Azure RBAC evaluation over resolved role grants. Pure.
 *
 * - A grant applies to a resource when its scope is the resource itself or an ancestor.
 * - Action patterns may carry `*` anywhere and compare case-insensitively.
 * - A role's `notActions` subtract only from that same role's `actions`: it is not a deny, so another
 *   applicable grant may allow the action again. Effective access is the union over grants.
 * - Deny assignments are not modelled here.
 */
import type { PrincipalAccess, RoleGrant } from './facts.js';
import { isWithinScope } from './resource-id.js';

/** The actions the requester and the bot need on a subnet to join it (domain rule 10). */
export const SUBNET_JOIN_ACTIONS: readonly string[] = [
  'Microsoft.Network/virtualNetworks/read',
  'Microsoft.Network/virtualNetworks/subnets/read',
  'Microsoft.Network/virtualNetworks/subnets/join/action',
];
/** Needed by the bot to add a delegation to a subnet. */
export const SUBNET_WRITE_ACTION = 'Microsoft.Network/virtualNetworks/subnets/write';
/** Needed on the API Management instance by whoever re-networks it. */
export const INSTANCE_WRITE_ACTION = 'Microsoft.ApiManagement/service/write';
/** Needed by the bot at subscription scope to register the Microsoft.Web resource provider. */
export const WEB_REGISTER_ACTION = 'Microsoft.Web/register/action';

const patternCache = new Map<string, RegExp>();

/** True when the RBAC action pattern covers `action`: `*` may stand anywhere (`Microsoft.Network/*`, or a leading `*` before `/read`). */
export function actionMatches(pattern: string, action: string): boolean {
  const key = pattern.trim().toLowerCase();
  let regex = patternCache.get(key);
  if (!regex) {
    const body = key
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    regex = new RegExp(`^${body}$`, 'i');
    patternCache.set(key, regex);
  }
  return regex.test(action.trim());
}

/** True when this one grant (ignoring its scope) allows `action`: some action matches and no notAction does. */
export function grantAllows(grant: RoleGrant, action: string): boolean {
  return (
    grant.actions.some((pattern) => actionMatches(pattern, action)) &&
    !grant.notActions.some((pattern) => actionMatches(pattern, action))
  );
}

/** The grants whose scope is `resourceId` or one of its ancestors. */
export function applicableGrants(access: PrincipalAccess, resourceId: string): RoleGrant[] {
  return access.grants.filter((grant) => isWithinScope(resourceId, grant.scope));
}

/** True when the principal may perform `action` on `resourceId`. */
export function hasAction(access: PrincipalAccess, action: string, resourceId: string): boolean {
  return applicableGrants(access, resourceId).some((grant) => grantAllows(grant, action));
}

/** The subset of `actions` the principal may perform on `resourceId`, in the given order. */
export function allowedActions(access: PrincipalAccess, actions: readonly string[], resourceId: string): string[] {
  const grants = applicableGrants(access, resourceId);
  return actions.filter((action) => grants.some((grant) => grantAllows(grant, action)));
}

/** The subset of `actions` the principal may NOT perform on `resourceId`, in the given order. */
export function missingActions(access: PrincipalAccess, actions: readonly string[], resourceId: string): string[] {
  const grants = applicableGrants(access, resourceId);
  return actions.filter((action) => !grants.some((grant) => grantAllows(grant, action)));
}
