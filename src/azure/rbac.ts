import type { RoleAssignment, RoleDefinition } from '@azure/arm-authorization';
import type { PrincipalAccess, RoleGrant } from '../eligibility/facts.js';
import type { ArmClients } from './arm-clients.js';

/** Role definitions by lower-cased GUID (the last segment of any of the id forms ARM uses). */
export type RoleDefinitionIndex = Map<string, RoleDefinition>;

export async function readRoleDefinitions(arm: ArmClients, subscriptionId: string): Promise<RoleDefinitionIndex> {
  const index: RoleDefinitionIndex = new Map();
  for await (const definition of arm.authorization(subscriptionId).roleDefinitions.list(`subscriptions/${subscriptionId}`)) {
    const key = roleDefinitionKey(definition.id ?? definition.name ?? '');
    if (key) index.set(key, definition);
  }
  return index;
}

/**
 * A principal's grants in a subscription: one `assignedTo` listing (ARM includes assignments through groups,
 * transitively, and those at, above and below the subscription), resolved against the role definitions.
 */
export async function readPrincipalAccess(
  arm: ArmClients,
  subscriptionId: string,
  principalId: string,
  definitions: Promise<RoleDefinitionIndex>,
): Promise<PrincipalAccess> {
  const assignments: RoleAssignment[] = [];
  const listing = arm
    .authorization(subscriptionId)
    .roleAssignments.listForScope(`subscriptions/${subscriptionId}`, { filter: `assignedTo('${principalId}')` });
  for await (const assignment of listing) assignments.push(assignment);
  const index = await definitions;
  const grants = await Promise.all(assignments.map((a) => grantsOf(arm, subscriptionId, a, index)));
  return { principalId, grants: grants.flat() };
}

async function grantsOf(arm: ArmClients, subscriptionId: string, assignment: RoleAssignment, index: RoleDefinitionIndex): Promise<RoleGrant[]> {
  const key = roleDefinitionKey(assignment.roleDefinitionId ?? '');
  if (!key || !assignment.scope) return [];
  let definition = index.get(key);
  if (!definition) {
    definition = await arm
      .authorization(subscriptionId)
      .roleDefinitions.get(`subscriptions/${subscriptionId}`, key);
    index.set(key, definition);
  }
  return (definition.permissions ?? []).map((permission) => ({
    scope: assignment.scope ?? '',
    roleName: definition?.roleName ?? key,
    actions: permission.actions ?? [],
    notActions: permission.notActions ?? [],
  }));
}

function roleDefinitionKey(id: string): string | null {
  const last = id.split('/').filter(Boolean).pop();
  return last ? last.toLowerCase() : null;
}
