/** A small seed covering every rule the sandbox validates. Built fresh per call so tests cannot share state. */
import { BUILT_IN_ROLE_IDS } from '../../src/sandbox/builtin-roles.js';
import type { ArmResource, SandboxSeed } from '../../src/sandbox/index.js';

export const SUB_A = '11111111-1111-4111-8111-111111111111';
export const SUB_B = '22222222-2222-4222-8222-222222222222';

export const BOT = 'b0b00000-0000-4000-8000-000000000001';
export const READER = 'aaaa0000-0000-4000-8000-000000000002';
export const APIM_ONLY = 'aaaa0000-0000-4000-8000-000000000003';
export const NET_ONLY = 'aaaa0000-0000-4000-8000-000000000004';
export const JOINER = 'aaaa0000-0000-4000-8000-000000000005';
export const SUBNET_WRITER = 'aaaa0000-0000-4000-8000-000000000006';
export const RULE_WRITER = 'aaaa0000-0000-4000-8000-000000000007';
export const NOBODY = 'aaaa0000-0000-4000-8000-00000000000f';
export const GROUP_INNER = '6a000000-0000-4000-8000-000000000001';
export const GROUP_OUTER = '6a000000-0000-4000-8000-000000000002';

export const ROLE = {
  owner: BUILT_IN_ROLE_IDS.owner,
  contributor: BUILT_IN_ROLE_IDS.contributor,
  reader: BUILT_IN_ROLE_IDS.reader,
  network: BUILT_IN_ROLE_IDS.networkContributor,
  apim: BUILT_IN_ROLE_IDS.apimContributor,
  joiner: 'c0ffee00-0000-4000-8000-00000000c001',
  subnetWriter: 'c0ffee00-0000-4000-8000-00000000c002',
  ruleWriter: 'c0ffee00-0000-4000-8000-00000000c003',
};

export const RG_APIM = `/subscriptions/${SUB_A}/resourceGroups/rg-apim`;
export const RG_NET = `/subscriptions/${SUB_A}/resourceGroups/rg-net`;
export const VNET = `${RG_NET}/providers/Microsoft.Network/virtualNetworks/vnet-weu`;
export const VNET_NEU = `${RG_NET}/providers/Microsoft.Network/virtualNetworks/vnet-neu`;
export const NSG = `${RG_NET}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim`;
export const VNET_B = `/subscriptions/${SUB_B}/resourceGroups/rg-b/providers/Microsoft.Network/virtualNetworks/vnet-b`;
export const subnet = (name: string, vnet = VNET): string => `${vnet}/subnets/${name}`;
export const apim = (name: string): string => `${RG_APIM}/providers/Microsoft.ApiManagement/service/${name}`;

const SERVER_FARMS = 'Microsoft.Web/serverFarms';

function subnetDoc(name: string, prefix: string | string[], extra: Record<string, unknown> = {}, delegation?: string): Record<string, unknown> {
  return {
    name,
    properties: {
      ...(Array.isArray(prefix) ? { addressPrefixes: prefix } : { addressPrefix: prefix }),
      ...(delegation ? { delegations: [{ name: 'delegation', properties: { serviceName: delegation } }] } : {}),
      ...extra,
    },
  };
}

function service(name: string, sku: string, location: string, props: Record<string, unknown> = {}): ArmResource {
  return {
    id: apim(name),
    name,
    type: 'Microsoft.ApiManagement/service',
    location,
    sku: { name: sku, capacity: 1 },
    properties: { publisherEmail: 'api@contoso.example', publisherName: 'Contoso', virtualNetworkType: 'None', provisioningState: 'Succeeded', ...props },
  };
}

function vnet(id: string, location: string, space: string, subnets: Record<string, unknown>[]): ArmResource {
  return {
    id,
    name: id.split('/').pop() ?? '',
    type: 'Microsoft.Network/virtualNetworks',
    location,
    properties: { addressSpace: { addressPrefixes: [space] }, subnets },
  };
}

function assignment(guid: string, scope: string, principalId: string, roleDefinitionId: string, principalType = 'ServicePrincipal'): ArmResource {
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${guid}`,
    name: guid,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: { roleDefinitionId, principalId, principalType, scope },
  };
}

const nsgRef = { networkSecurityGroup: { id: NSG } };

function customRole(guid: string, roleName: string, description: string, actions: string[], notActions: string[] = []): ArmResource {
  return {
    id: `/subscriptions/${SUB_A}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    name: guid,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: { roleName, type: 'CustomRole', description, assignableScopes: [`/subscriptions/${SUB_A}`], permissions: [{ actions, notActions, dataActions: [], notDataActions: [] }] },
  };
}

export function testSeed(): SandboxSeed {
  return {
    botPrincipalId: BOT,
    resources: [
      service('apim-std', 'StandardV2', 'West Europe'),
      service('apim-std2', 'StandardV2', 'westeurope'),
      service('apim-prem', 'PremiumV2', 'West Europe', {
        virtualNetworkType: 'Internal',
        virtualNetworkConfiguration: { subnetResourceId: subnet('snet-injected') },
      }),
      service('apim-basic', 'BasicV2', 'West Europe'),
      service('apim-dev', 'Developer', 'West Europe'),
      service('apim-neu', 'StandardV2', 'North Europe'),
      service('apim-busy', 'StandardV2', 'West Europe', { provisioningState: 'Updating' }),
      vnet(VNET, 'westeurope', '10.0.0.0/16', [
        subnetDoc('snet-good', '10.0.1.0/24', nsgRef, SERVER_FARMS),
        subnetDoc('snet-good2', '10.0.2.0/24', nsgRef, SERVER_FARMS),
        subnetDoc('snet-small', '10.0.3.0/28', nsgRef, SERVER_FARMS),
        subnetDoc('snet-nodeleg', '10.0.4.0/24', nsgRef),
        subnetDoc('snet-hosting', '10.0.5.0/24', {}, 'Microsoft.Web/hostingEnvironments'),
        subnetDoc('snet-nic', '10.0.6.0/24', { ipConfigurations: [{ id: `${RG_NET}/providers/Microsoft.Network/networkInterfaces/nic1/ipConfigurations/ipconfig1` }] }, SERVER_FARMS),
        subnetDoc('snet-pe', '10.0.7.0/24', { privateEndpoints: [{ id: `${RG_NET}/providers/Microsoft.Network/privateEndpoints/pe1` }] }),
        subnetDoc('snet-injected', '10.0.8.0/24', {
          serviceAssociationLinks: [{ name: 'legacy', properties: { linkedResourceType: 'Microsoft.ApiManagement/service', link: apim('apim-prem') } }],
        }, 'Microsoft.Web/hostingEnvironments'),
        subnetDoc('snet-multi', ['10.0.9.0/28', '10.0.10.0/26'], {}, SERVER_FARMS),
      ]),
      vnet(VNET_NEU, 'northeurope', '10.1.0.0/16', [subnetDoc('snet-neu', '10.1.1.0/24', {}, SERVER_FARMS)]),
      vnet(`/subscriptions/${SUB_A}/resourceGroups/rg-extra/providers/Microsoft.Network/virtualNetworks/vnet-x1`, 'westeurope', '10.10.0.0/16', []),
      vnet(`/subscriptions/${SUB_A}/resourceGroups/rg-extra/providers/Microsoft.Network/virtualNetworks/vnet-x2`, 'westeurope', '10.11.0.0/16', []),
      {
        id: NSG,
        name: 'nsg-apim',
        type: 'Microsoft.Network/networkSecurityGroups',
        location: 'westeurope',
        properties: {
          securityRules: [
            {
              name: 'AllowStorageOutbound',
              properties: { protocol: 'Tcp', sourcePortRange: '*', destinationPortRange: '443', sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'Storage', access: 'Allow', priority: 100, direction: 'Outbound' },
            },
          ],
        },
      },
      vnet(VNET_B, 'westeurope', '10.2.0.0/16', [subnetDoc('snet-b', '10.2.1.0/24', {}, SERVER_FARMS), subnetDoc('snet-b2', '10.2.2.0/24')]),
      customRole(ROLE.joiner, 'Subnet Joiner', 'Join subnets', ['Microsoft.Network/*/read', 'Microsoft.Network/virtualNetworks/subnets/join/action']),
      customRole(ROLE.subnetWriter, 'Subnet Writer', 'Write subnets, nothing else', ['Microsoft.Network/virtualNetworks/subnets/*'], ['Microsoft.Network/virtualNetworks/subnets/join/action']),
      customRole(ROLE.ruleWriter, 'NSG Rule Writer', 'Write and delete security rules of NSGs, nothing else', ['Microsoft.Network/networkSecurityGroups/read', 'Microsoft.Network/networkSecurityGroups/securityRules/*']),
      // the bot: Contributor on subscription A through two nested groups (tenant-level role id form)
      assignment('00000000-0000-4000-8000-0000000000a1', `/subscriptions/${SUB_A}`, GROUP_OUTER, `/providers/Microsoft.Authorization/roleDefinitions/${ROLE.contributor}`, 'Group'),
      // the bot: Contributor on subscription B directly (subscription-level role id form)
      assignment('00000000-0000-4000-8000-0000000000a2', `/subscriptions/${SUB_B}`, BOT, `/subscriptions/${SUB_B}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.contributor}`),
      // a reader on subscription A (bare GUID form)
      assignment('00000000-0000-4000-8000-0000000000a3', `/subscriptions/${SUB_A}`, READER, ROLE.reader, 'User'),
      // API Management Service Contributor on rg-apim only
      assignment('00000000-0000-4000-8000-0000000000a4', RG_APIM, APIM_ONLY, `/subscriptions/${SUB_A}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.apim}`, 'User'),
      // Network Contributor on rg-net only
      assignment('00000000-0000-4000-8000-0000000000a5', RG_NET, NET_ONLY, `/subscriptions/${SUB_A}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.network}`, 'User'),
      // APIM contributor on one instance plus the custom joiner role on one subnet
      assignment('00000000-0000-4000-8000-0000000000a6', apim('apim-std2'), JOINER, ROLE.apim, 'User'),
      assignment('00000000-0000-4000-8000-0000000000a7', subnet('snet-good2'), JOINER, `/subscriptions/${SUB_A}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.joiner}`, 'User'),
      // the custom subnet writer role on the VNet
      assignment('00000000-0000-4000-8000-0000000000a8', VNET, SUBNET_WRITER, ROLE.subnetWriter, 'User'),
      // the custom NSG rule writer role on rg-net
      assignment('00000000-0000-4000-8000-0000000000a9', RG_NET, RULE_WRITER, ROLE.ruleWriter, 'User'),
    ],
    providers: { [SUB_B]: { 'Microsoft.Web': 'NotRegistered' } },
    groups: {
      [GROUP_OUTER]: [GROUP_INNER],
      [GROUP_INNER]: [BOT, GROUP_OUTER],
    },
  };
}
