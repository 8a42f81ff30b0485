/**
 * The sandbox seed format, as the bench tools write and read it. Kept here (not imported from src/sandbox)
 * so the bench stays an outside client of the sandbox: it knows only the documented seed contract.
 *
 * Resources are ARM documents exactly as ARM's GET returns them; only the fields the tools touch are typed.
 */

export interface SandboxSeed {
  /** Keys starting with "_" are notes for people; the sandbox ignores them. */
  _readme?: string;
  _people?: Record<string, string>;
  /** Object id the bot runs as. */
  botPrincipalId: string;
  /** Optional subscription metadata (display names); subscriptions are otherwise derived from resource ids. */
  subscriptions?: { subscriptionId: string; displayName?: string; tenantId?: string }[];
  /** Optional tenant id reported for subscriptions. */
  tenantId?: string;
  resources: ArmResource[];
  /** subscription id -> provider namespace -> registration state (a namespace not listed is Registered). */
  providers: Record<string, Record<string, string>>;
  /** group object id -> member object ids (users, service principals or groups). */
  groups: Record<string, string[]>;
}

export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  tags?: Record<string, string>;
  sku?: { name: string; capacity?: number };
  properties: Record<string, unknown>;
}

export interface IdRef {
  id: string;
}

export interface LinkDoc {
  name: string;
  id: string;
  type?: string;
  properties: { linkedResourceType: string; link: string; provisioningState?: string; allowDelete?: boolean };
}

export interface DelegationDoc {
  name: string;
  id: string;
  type?: string;
  properties: { serviceName: string; actions?: string[]; provisioningState?: string };
}

export interface SubnetProperties {
  provisioningState: string;
  addressPrefix?: string;
  addressPrefixes?: string[];
  networkSecurityGroup?: IdRef;
  delegations: DelegationDoc[];
  ipConfigurations?: IdRef[];
  privateEndpoints?: IdRef[];
  serviceAssociationLinks?: LinkDoc[];
  resourceNavigationLinks?: LinkDoc[];
  privateEndpointNetworkPolicies?: string;
  privateLinkServiceNetworkPolicies?: string;
}

export interface SubnetDoc {
  id: string;
  name: string;
  type: 'Microsoft.Network/virtualNetworks/subnets';
  properties: SubnetProperties;
}

export interface SecurityRuleProperties {
  provisioningState?: string;
  description?: string;
  protocol: string;
  access: 'Allow' | 'Deny';
  priority: number;
  direction: 'Inbound' | 'Outbound';
  sourcePortRange?: string;
  sourcePortRanges?: string[];
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  destinationAddressPrefix?: string;
  destinationAddressPrefixes?: string[];
  destinationPortRange?: string;
  destinationPortRanges?: string[];
}

export interface SecurityRuleDoc {
  id: string;
  name: string;
  type: 'Microsoft.Network/networkSecurityGroups/securityRules';
  properties: SecurityRuleProperties;
}

export const TYPES = {
  apim: 'Microsoft.ApiManagement/service',
  vnet: 'Microsoft.Network/virtualNetworks',
  subnet: 'Microsoft.Network/virtualNetworks/subnets',
  nsg: 'Microsoft.Network/networkSecurityGroups',
  routeTable: 'Microsoft.Network/routeTables',
  natGateway: 'Microsoft.Network/natGateways',
  roleDefinition: 'Microsoft.Authorization/roleDefinitions',
  roleAssignment: 'Microsoft.Authorization/roleAssignments',
} as const;

/** Built-in roles the sandbox preloads (name -> role definition GUID). */
export const BUILT_IN_ROLES = {
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  NetworkContributor: '4d97b98b-1d4f-4787-a291-c67834d212e7',
  ApiManagementServiceContributor: '312a565d-c81f-4fd8-895a-4e21e48d571c',
} as const;

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
