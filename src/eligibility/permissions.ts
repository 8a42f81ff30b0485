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
import { resourceIdKey } from './resource-id.js';

/** The actions the requester and the bot need on a subnet to join it (domain rule 10). */
export const SUBNET_JOIN_ACTIONS: readonly string[] = [
  'Microsoft.Network/virtualNetworks/read',
  'Microsoft.Network/virtualNetworks/subnets/read',
  'Microsoft.Network/virtualNetworks/subnets/join/action',
];
/** Needed to add a delegation to a subnet or associate an NSG with it. */
export const SUBNET_WRITE_ACTION = 'Microsoft.Network/virtualNetworks/subnets/write';
/** Needed on an NSG to create it, to associate it with a subnet, and to add a rule to it. */
export const NSG_WRITE_ACTION = 'Microsoft.Network/networkSecurityGroups/write';
export const NSG_JOIN_ACTION = 'Microsoft.Network/networkSecurityGroups/join/action';
export const NSG_RULE_WRITE_ACTION = 'Microsoft.Network/networkSecurityGroups/securityRules/write';
/**
 * Needed by the bot to undo what it made, when a disconnect removes it: delete the subnet it created, the NSG it
 * created, the dependency rules it added. The undo keeps (and says so) what the bot may not delete.
 */
export const SUBNET_DELETE_ACTION = 'Microsoft.Network/virtualNetworks/subnets/delete';
export const NSG_DELETE_ACTION = 'Microsoft.Network/networkSecurityGroups/delete';
export const NSG_RULE_DELETE_ACTION = 'Microsoft.Network/networkSecurityGroups/securityRules/delete';
/** Needed on the API Management instance by whoever re-networks it. */
export const INSTANCE_WRITE_ACTION = 'Microsoft.ApiManagement/service/write';
/** Needed by the bot at subscription scope to register the Microsoft.Web resource provider. */
export const WEB_REGISTER_ACTION = 'Microsoft.Web/register/action';

/**
 * Every action the bot's own checks ask of its identity, by where a deployment grants it (infra/azure.json): the
 * checks (the eligibility rules, and the undo a disconnect plans: apply/steps.ts names each undo step's action) name
 * the constants above, and this table is made of them, so the roles the template defines are exactly what the checks
 * require. Reads are Reader's (`*\/read` on each subscription searched).
 */
export const BOT_REQUIRED_ACTIONS = {
  /**
   * On the VNets (their resource groups) teams may use: join, delegate, give an NSG, write the dependency rules; and,
   * for a disconnect's undo, delete the subnet, the NSG and the rules the bot made.
   */
  network: [
    ...SUBNET_JOIN_ACTIONS,
    SUBNET_WRITE_ACTION,
    NSG_WRITE_ACTION,
    NSG_JOIN_ACTION,
    NSG_RULE_WRITE_ACTION,
    SUBNET_DELETE_ACTION,
    NSG_DELETE_ACTION,
    NSG_RULE_DELETE_ACTION,
  ],
  /** On the instances (their resource groups): API Management Service Contributor holds it. */
  instance: [INSTANCE_WRITE_ACTION],
  /** On each subscription, optional: register Microsoft.Web where it is not. */
  subscription: [WEB_REGISTER_ACTION],
} as const satisfies Record<string, readonly string[]>;

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

/** A grant prepared for repeated questions: its scope normalised once, its answers per action remembered. */
interface PreparedGrant {
  grant: RoleGrant;
  scopeKey: string;
  coversEverything: boolean;
  answers: Map<string, boolean>;
}

/**
 * Grants by normalised scope, and the grants that apply at each scope already asked about, so that finding
 * those above a resource costs one lookup once its parent has been seen.
 */
interface PreparedAccess {
  everywhere: PreparedGrant[];
  byScope: Map<string, PreparedGrant[]>;
  applying: Map<string, PreparedGrant[]>;
}

const prepared = new WeakMap<PrincipalAccess, PreparedAccess>();

function prepare(access: PrincipalAccess): PreparedAccess {
  let result = prepared.get(access);
  if (!result) {
    result = { everywhere: [], byScope: new Map(), applying: new Map() };
    for (const grant of access.grants) {
      const scopeKey = resourceIdKey(grant.scope);
      const coversEverything = scopeKey === '/' || scopeKey.startsWith('/providers/microsoft.management/managementgroups/');
      const entry: PreparedGrant = { grant, scopeKey, coversEverything, answers: new Map<string, boolean>() };
      if (coversEverything) result.everywhere.push(entry);
      else result.byScope.set(scopeKey, [...(result.byScope.get(scopeKey) ?? []), entry]);
    }
    prepared.set(access, result);
  }
  return result;
}

function preparedFor(access: PrincipalAccess, resourceId: string): PreparedGrant[] {
  return applyingAt(prepare(access), resourceIdKey(resourceId));
}

function applyingAt(access: PreparedAccess, key: string): PreparedGrant[] {
  let grants = access.applying.get(key);
  if (!grants) {
    const cut = key.lastIndexOf('/');
    const inherited = cut > 0 ? applyingAt(access, key.slice(0, cut)) : access.everywhere;
    const own = access.byScope.get(key);
    grants = own ? [...inherited, ...own] : inherited;
    access.applying.set(key, grants);
  }
  return grants;
}

function allows(g: PreparedGrant, action: string): boolean {
  let answer = g.answers.get(action);
  if (answer === undefined) {
    answer = grantAllows(g.grant, action);
    g.answers.set(action, answer);
  }
  return answer;
}

/** The grants whose scope is `resourceId` or one of its ancestors. */
export function applicableGrants(access: PrincipalAccess, resourceId: string): RoleGrant[] {
  return preparedFor(access, resourceId).map((g) => g.grant);
}

/** True when the principal may perform `action` on `resourceId`. */
export function hasAction(access: PrincipalAccess, action: string, resourceId: string): boolean {
  return preparedFor(access, resourceId).some((g) => allows(g, action));
}

/** The subset of `actions` the principal may perform on `resourceId`, in the given order. */
export function allowedActions(access: PrincipalAccess, actions: readonly string[], resourceId: string): string[] {
  const grants = preparedFor(access, resourceId);
  return actions.filter((action) => grants.some((g) => allows(g, action)));
}

/** The subset of `actions` the principal may NOT perform on `resourceId`, in the given order. */
export function missingActions(access: PrincipalAccess, actions: readonly string[], resourceId: string): string[] {
  const grants = preparedFor(access, resourceId);
  return actions.filter((action) => !grants.some((g) => allows(g, action)));
}
