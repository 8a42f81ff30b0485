/** Small seeds for integration tests, shaped as ARM's GET returns the resources. */
import { BUILT_IN_ROLE_IDS } from '../../src/sandbox/builtin-roles.js';

export const SUB = '11111111-1111-1111-1111-111111111111';
export const OTHER_SUB = '22222222-2222-2222-2222-222222222222';
export const BOT = 'b0b00000-0000-0000-0000-000000000001';
export const ALICE = 'a11ce000-0000-0000-0000-000000000001';
export const CAROL = 'ca201000-0000-0000-0000-000000000001';
export const GROUP = '90000000-0000-0000-0000-000000000001';

export const ROLE = BUILT_IN_ROLE_IDS;

export const rg = (sub: string, name: string) => `/subscriptions/${sub}/resourceGroups/${name}`;

export function apim(sub: string, group: string, name: string, sku = 'StandardV2', extra: Record<string, unknown> = {}) {
  return {
    id: `${rg(sub, group)}/providers/Microsoft.ApiManagement/service/${name}`,
    name,
    type: 'Microsoft.ApiManagement/service',
    location: 'West Europe',
    sku: { name: sku, capacity: 1 },
    properties: {
      provisioningState: 'Succeeded',
      publisherEmail: 'api@contoso.example',
      publisherName: 'Contoso',
      virtualNetworkType: 'None',
      ...extra,
    },
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

export function vnet(sub: string, group: string, name: string, location: string, subnets: SubnetSpec[]) {
  const id = `${rg(sub, group)}/providers/Microsoft.Network/virtualNetworks/${name}`;
  return {
    id,
    name,
    type: 'Microsoft.Network/virtualNetworks',
    location,
    properties: {
      provisioningState: 'Succeeded',
      addressSpace: { addressPrefixes: ['10.0.0.0/8'] },
      subnets: subnets.map((s) => ({
        id: `${id}/subnets/${s.name}`,
        name: s.name,
        type: 'Microsoft.Network/virtualNetworks/subnets',
        properties: {
          provisioningState: 'Succeeded',
          addressPrefix: s.prefix,
          delegations: s.delegated
            ? [{ name: 'web', id: `${id}/subnets/${s.name}/delegations/web`, properties: { serviceName: 'Microsoft.Web/serverFarms' } }]
            : [],
          ...(s.nsg ? { networkSecurityGroup: { id: s.nsg } } : {}),
          ...(s.routeTable ? { routeTable: { id: s.routeTable } } : {}),
          ...(s.natGateway ? { natGateway: { id: s.natGateway } } : {}),
          ...(s.links
            ? {
                serviceAssociationLinks: s.links.map(([linkedResourceType, link], i) => ({
                  name: `link-${i}`,
                  id: `${id}/subnets/${s.name}/serviceAssociationLinks/link-${i}`,
                  type: 'Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks',
                  properties: { linkedResourceType, link, provisioningState: 'Succeeded' },
                })),
              }
            : {}),
        },
      })),
    },
  };
}

export function nsg(sub: string, group: string, name: string, location: string, securityRules: unknown[] = []) {
  return {
    id: `${rg(sub, group)}/providers/Microsoft.Network/networkSecurityGroups/${name}`,
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

/** A route table as ARM's GET returns it (its `subnets` back-references are the sandbox's to fill in). */
export function routeTable(sub: string, group: string, name: string, location: string, routes: RouteSpec[]) {
  const id = `${rg(sub, group)}/providers/Microsoft.Network/routeTables/${name}`;
  return {
    id,
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

export const allowKeyVaultRule = {
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

export function assignment(scope: string, principalId: string, roleGuid: string, n: number, principalType = 'User') {
  const guid = `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${guid}`,
    name: guid,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`, principalId, principalType, scope },
  };
}

/** One subscription, one StandardV2 instance, `vnets` VNets of `subnetsPerVnet` delegated /24 subnets each. */
export function estate(vnets: number, subnetsPerVnet: number) {
  const nsgDoc = nsg(SUB, 'rg-net', 'nsg-apim', 'westeurope', [allowKeyVaultRule]);
  const resources: unknown[] = [apim(SUB, 'rg-apim', 'contoso-apim'), nsgDoc];
  for (let v = 0; v < vnets; v++) {
    const subnets = Array.from({ length: subnetsPerVnet }, (_, s) => ({
      name: `snet-${s}`,
      prefix: `10.${v}.${s}.0/24`,
      delegated: true,
      nsg: nsgDoc.id,
    }));
    resources.push(vnet(SUB, 'rg-net', `vnet-${v}`, 'westeurope', subnets));
  }
  resources.push(
    assignment(`/subscriptions/${SUB}`, BOT, ROLE.contributor, 1, 'ServicePrincipal'),
    assignment(`/subscriptions/${SUB}`, GROUP, ROLE.reader, 2, 'Group'),
    assignment(rg(SUB, 'rg-net'), ALICE, ROLE.networkContributor, 3),
    assignment(rg(SUB, 'rg-apim'), ALICE, ROLE.apimContributor, 4),
  );
  return { botPrincipalId: BOT, resources, providers: {}, groups: { [GROUP]: [CAROL] } };
}

export const instanceId = (name = 'contoso-apim') => `${rg(SUB, 'rg-apim')}/providers/Microsoft.ApiManagement/service/${name}`;
