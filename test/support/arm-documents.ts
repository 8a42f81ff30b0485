/**
 * ARM resources as a GET returns them, for the sandbox seeds of tests and bench: the one place that knows their
 * shapes (the sandbox's own validation tests keep sparser documents of their own, to see it fill them in).
 */
export const resourceGroupId = (subscriptionId: string, group: string) => `/subscriptions/${subscriptionId}/resourceGroups/${group}`;

export function apimDocument(subscriptionId: string, group: string, name: string, sku = 'StandardV2', properties: Record<string, unknown> = {}) {
  return {
    id: `${resourceGroupId(subscriptionId, group)}/providers/Microsoft.ApiManagement/service/${name}`,
    name,
    type: 'Microsoft.ApiManagement/service',
    location: 'West Europe',
    sku: { name: sku, capacity: 1 },
    properties: { provisioningState: 'Succeeded', publisherEmail: 'api@contoso.example', publisherName: 'Contoso', virtualNetworkType: 'None', ...properties },
  };
}

export interface SubnetSpec {
  name: string;
  prefix: string;
  delegated?: boolean;
  nsg?: string | null;
  routeTable?: string;
  natGateway?: string;
  /** Service association links: [linkedResourceType, link]. */
  links?: [string, string][];
}

export function subnetDocument(vnetId: string, s: SubnetSpec) {
  const id = `${vnetId}/subnets/${s.name}`;
  return {
    id,
    name: s.name,
    type: 'Microsoft.Network/virtualNetworks/subnets',
    properties: {
      provisioningState: 'Succeeded',
      addressPrefix: s.prefix,
      delegations: s.delegated ? [{ name: 'web', id: `${id}/delegations/web`, properties: { serviceName: 'Microsoft.Web/serverFarms' } }] : [],
      ...(s.nsg ? { networkSecurityGroup: { id: s.nsg } } : {}),
      ...(s.routeTable ? { routeTable: { id: s.routeTable } } : {}),
      ...(s.natGateway ? { natGateway: { id: s.natGateway } } : {}),
      ...(s.links
        ? {
            serviceAssociationLinks: s.links.map(([linkedResourceType, link], i) => ({
              name: `link-${i}`,
              id: `${id}/serviceAssociationLinks/link-${i}`,
              type: 'Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks',
              properties: { linkedResourceType, link, provisioningState: 'Succeeded' },
            })),
          }
        : {}),
    },
  };
}

export function vnetDocument(subscriptionId: string, group: string, name: string, location: string, subnets: SubnetSpec[], addressSpace = '10.0.0.0/8') {
  const id = `${resourceGroupId(subscriptionId, group)}/providers/Microsoft.Network/virtualNetworks/${name}`;
  return {
    id,
    name,
    type: 'Microsoft.Network/virtualNetworks',
    location,
    properties: { provisioningState: 'Succeeded', addressSpace: { addressPrefixes: [addressSpace] }, subnets: subnets.map((s) => subnetDocument(id, s)) },
  };
}

export function nsgDocument(subscriptionId: string, group: string, name: string, location: string, securityRules: unknown[] = []) {
  return {
    id: `${resourceGroupId(subscriptionId, group)}/providers/Microsoft.Network/networkSecurityGroups/${name}`,
    name,
    type: 'Microsoft.Network/networkSecurityGroups',
    location,
    properties: { provisioningState: 'Succeeded', securityRules },
  };
}

export interface RouteSpec {
  name: string;
  addressPrefix: string;
  nextHopType: string;
  nextHopIpAddress?: string;
}

/** A route table (its `subnets` back-references are the sandbox's to fill in). */
export function routeTableDocument(subscriptionId: string, group: string, name: string, location: string, routes: RouteSpec[]) {
  return {
    id: `${resourceGroupId(subscriptionId, group)}/providers/Microsoft.Network/routeTables/${name}`,
    name,
    type: 'Microsoft.Network/routeTables',
    location,
    properties: {
      provisioningState: 'Succeeded',
      disableBgpRoutePropagation: false,
      routes: routes.map(({ name: routeName, ...properties }) => ({ name: routeName, properties })),
    },
  };
}

export const FORCED_TUNNEL: RouteSpec = { name: 'default-to-firewall', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.255.0.4' };

/** An explicit outbound allow of AzureKeyVault on 443, as a platform team writes it by hand. */
export const ALLOW_KEY_VAULT_RULE = {
  name: 'allow-keyvault-443',
  properties: {
    priority: 100,
    direction: 'Outbound',
    access: 'Allow',
    protocol: 'Tcp',
    sourceAddressPrefix: 'VirtualNetwork',
    sourcePortRange: '*',
    destinationAddressPrefix: 'AzureKeyVault',
    destinationPortRange: '443',
  },
};

/** A role assignment; `n` makes its GUID, unique within a seed. */
export function roleAssignmentDocument(scope: string, principalId: string, roleGuid: string, n: number, principalType = 'User') {
  const guid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${guid}`,
    name: guid,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`, principalId, principalType, scope },
  };
}
