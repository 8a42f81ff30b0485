/** Azure's built-in role definitions the sandbox preloads (real GUIDs and permissions). */

export interface RolePermission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export interface RoleDefinitionData {
  /** The role's GUID (its `name`). */
  guid: string;
  roleName: string;
  /** `BuiltInRole` or `CustomRole`. */
  roleType: string;
  description: string;
  assignableScopes: string[];
  permissions: RolePermission[];
}

function builtIn(guid: string, roleName: string, description: string, actions: string[], notActions: string[] = []): RoleDefinitionData {
  return {
    guid,
    roleName,
    roleType: 'BuiltInRole',
    description,
    assignableScopes: ['/'],
    permissions: [{ actions, notActions, dataActions: [], notDataActions: [] }],
  };
}

/** The GUIDs of the built-in roles below, for seeds that assign them. */
export const BUILT_IN_ROLE_IDS = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  networkContributor: '4d97b98b-1d4f-4787-a291-c67834d212e7',
  apimContributor: '312a565d-c81f-4fd8-895a-4e21e48d571c',
} as const;

export const BUILT_IN_ROLES: readonly RoleDefinitionData[] = [
  builtIn(
    BUILT_IN_ROLE_IDS.owner,
    'Owner',
    'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    ['*'],
  ),
  builtIn(
    BUILT_IN_ROLE_IDS.contributor,
    'Contributor',
    'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    ['*'],
    [
      'Microsoft.Authorization/*/Delete',
      'Microsoft.Authorization/*/Write',
      'Microsoft.Authorization/elevateAccess/Action',
      'Microsoft.Blueprint/blueprintAssignments/write',
      'Microsoft.Blueprint/blueprintAssignments/delete',
      'Microsoft.Compute/galleries/share/action',
      'Microsoft.Purview/consents/write',
      'Microsoft.Purview/consents/delete',
      'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
      'Microsoft.Subscription/cancel/action',
      'Microsoft.Subscription/enable/action',
    ],
  ),
  builtIn(
    BUILT_IN_ROLE_IDS.reader,
    'Reader',
    'View all resources, but does not allow you to make any changes.',
    ['*/read'],
  ),
  builtIn(
    BUILT_IN_ROLE_IDS.networkContributor,
    'Network Contributor',
    'Lets you manage networks, but not access to them.',
    [
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Network/*',
      'Microsoft.ResourceHealth/availabilityStatuses/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
    ],
  ),
  builtIn(
    BUILT_IN_ROLE_IDS.apimContributor,
    'API Management Service Contributor',
    'Can manage service and the APIs',
    [
      'Microsoft.ApiManagement/service/*',
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.ResourceHealth/availabilityStatuses/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
    ],
  ),
];
