/**
 * A small estate for the bot's tests, written as ARM returns the resources: one subscription with a StandardV2
 * instance, an integrated one, two instances sharing a name, subnets for every verdict, and the people.
 */
import { BUILT_IN_ROLE_IDS } from '../../src/sandbox/builtin-roles.js';

export const TENANT = '0c0a0b0d-1111-4222-8333-944445555666';
export const OTHER_TENANT = '0c0a0b0d-9999-4999-8999-999999999999';
export const SUB = '5b6f0c55-0000-4000-8000-000000000001';
export const BOT = 'b0700000-0000-4000-8000-000000000001';
export const ALICE = 'a11ce000-0000-4000-8000-000000000001';
export const BOB = 'b0b00000-0000-4000-8000-000000000001';
export const CAROL = 'ca201000-0000-4000-8000-000000000001';
export const DAVE = 'da7e0000-0000-4000-8000-000000000001';

const ROLE = BUILT_IN_ROLE_IDS;

export const rg = (name: string, sub = SUB) => `/subscriptions/${sub}/resourceGroups/${name}`;
export const instanceId = (name: string, group = 'rg-apim') => `${rg(group)}/providers/Microsoft.ApiManagement/service/${name}`;
export const vnetId = (name: string, group = 'rg-net') => `${rg(group)}/providers/Microsoft.Network/virtualNetworks/${name}`;
export const subnetId = (vnet: string, subnet: string, group = 'rg-net') => `${vnetId(vnet, group)}/subnets/${subnet}`;
const NSG_ID = `${rg('rg-net')}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim`;

function apim(name: string, group: string, extra: Record<string, unknown> = {}) {
  return {
    id: instanceId(name, group),
    name,
    type: 'Microsoft.ApiManagement/service',
    location: 'West Europe',
    sku: { name: 'StandardV2', capacity: 1 },
    properties: { provisioningState: 'Succeeded', publisherEmail: 'api@contoso.example', publisherName: 'Contoso', virtualNetworkType: 'None', ...extra },
  };
}

interface SubnetSpec {
  name: string;
  prefix: string;
  delegated?: boolean;
  nsg?: boolean;
  /** An API Management instance linked to the subnet (it is integrated there). */
  linkedApim?: string;
}

function vnet(name: string, group: string, location: string, space: string, subnets: SubnetSpec[]) {
  const id = vnetId(name, group);
  return {
    id,
    name,
    type: 'Microsoft.Network/virtualNetworks',
    location,
    properties: {
      provisioningState: 'Succeeded',
      addressSpace: { addressPrefixes: [space] },
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
          ...(s.nsg === false ? {} : { networkSecurityGroup: { id: NSG_ID } }),
          ...(s.linkedApim
            ? {
                serviceAssociationLinks: [
                  {
                    name: 'apim-link',
                    id: `${id}/subnets/${s.name}/serviceAssociationLinks/apim-link`,
                    properties: { linkedResourceType: 'Microsoft.ApiManagement/service', link: s.linkedApim },
                  },
                ],
              }
            : {}),
        },
      })),
    },
  };
}

let assignmentCounter = 0;
function assignment(scope: string, principalId: string, roleGuid: string, principalType = 'User') {
  const guid = `00000000-0000-4000-8000-${String(++assignmentCounter).padStart(12, '0')}`;
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${guid}`,
    name: guid,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`, principalId, principalType, scope },
  };
}

export interface EstateOptions {
  /** Extra subnets in hub-vnet (e.g. thousands for the size test). */
  extraHubSubnets?: number;
  /** Registration state of Microsoft.Web (default Registered). */
  webProvider?: 'Registered' | 'NotRegistered';
}

export function estate(options: EstateOptions = {}) {
  assignmentCounter = 0;
  const hubSubnets: SubnetSpec[] = [
    { name: 'apim-outbound', prefix: '10.1.1.0/24', delegated: true },
    { name: 'apim-empty', prefix: '10.1.2.0/24' },
    { name: 'apim-tiny', prefix: '10.1.3.0/28', delegated: true },
    { name: 'apim-integrated', prefix: '10.1.4.0/24', delegated: true, linkedApim: instanceId('apim-on-vnet') },
  ];
  // Bulk subnets from 10.64.0.0 on, 64 addresses apart: every 4th a delegated /26 (usable), every 4th+1 an
  // undelegated /26 (fixable), the rest /28 (too small).
  for (let i = 0; i < (options.extraHubSubnets ?? 0); i++) {
    const address = (10 << 24) + (64 << 16) + i * 64;
    const ip = [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
    hubSubnets.push({ name: `bulk-${i}`, prefix: `${ip}/${i % 4 < 2 ? 26 : 28}`, delegated: i % 4 !== 1 });
  }
  const nsg = {
    id: NSG_ID,
    name: 'nsg-apim',
    type: 'Microsoft.Network/networkSecurityGroups',
    location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded',
      securityRules: [
        {
          name: 'allow-keyvault-443',
          properties: {
            priority: 100, direction: 'Outbound', access: 'Allow', protocol: 'Tcp',
            sourceAddressPrefix: 'VirtualNetwork', sourcePortRange: '*', destinationAddressPrefix: 'AzureKeyVault', destinationPortRange: '443',
          },
        },
      ],
    },
  };
  const sub = `/subscriptions/${SUB}`;
  return {
    botPrincipalId: BOT,
    subscriptions: [{ subscriptionId: SUB, displayName: 'contoso-test', tenantId: TENANT }],
    resources: [
      apim('contoso-apim', 'rg-apim'),
      apim('apim-on-vnet', 'rg-apim', { virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId: subnetId('hub-vnet', 'apim-integrated') } }),
      apim('payments-apim', 'rg-apim'),
      apim('payments-apim', 'rg-apim-eu'),
      nsg,
      vnet('hub-vnet', 'rg-net', 'westeurope', '10.0.0.0/8', hubSubnets),
      vnet('secret-vnet', 'rg-secret', 'westeurope', '172.16.0.0/16', [{ name: 'apim-hidden', prefix: '172.16.1.0/24', delegated: true }]),
      assignment(sub, BOT, ROLE.contributor, 'ServicePrincipal'),
      assignment(sub, BOB, ROLE.owner),
      assignment(sub, CAROL, ROLE.reader),
      assignment(rg('rg-apim'), ALICE, ROLE.apimContributor),
      assignment(vnetId('hub-vnet'), ALICE, ROLE.networkContributor),
      assignment(rg('rg-apim'), DAVE, ROLE.apimContributor),
    ],
    providers: { [SUB]: { 'Microsoft.Web': options.webProvider ?? 'Registered' } },
    groups: {},
  };
}

export const APIM_NO_NSG = subnetId('hub-vnet', 'apim-no-nsg');
export const APIM_OPEN = subnetId('hub-vnet', 'apim-open');
export const NSG_OPEN = `${rg('rg-net')}/providers/Microsoft.Network/networkSecurityGroups/nsg-open`;

/**
 * The estate plus what the NSG fixes need: apim-no-nsg (empty, undelegated, no NSG) and apim-open (delegated, NSG
 * nsg-open with no outbound rule of its own: AzureKeyVault is allowed only by AllowInternetOutBound). With `aliceOnGroup`
 * (default), Alice holds Network Contributor on rg-net (she may create and associate NSGs), not only on hub-vnet.
 */
export function estateWithNsgGaps(options: { aliceOnGroup?: boolean } = {}) {
  const seed = estate();
  const resources = seed.resources as any[];
  const hub = resources.find((r) => r.name === 'hub-vnet');
  hub.properties.subnets.push(
    { id: APIM_NO_NSG, name: 'apim-no-nsg', type: 'Microsoft.Network/virtualNetworks/subnets', properties: { provisioningState: 'Succeeded', addressPrefix: '10.1.5.0/24', delegations: [] } },
    {
      id: APIM_OPEN,
      name: 'apim-open',
      type: 'Microsoft.Network/virtualNetworks/subnets',
      properties: {
        provisioningState: 'Succeeded',
        addressPrefix: '10.1.6.0/24',
        delegations: [{ name: 'web', id: `${APIM_OPEN}/delegations/web`, properties: { serviceName: 'Microsoft.Web/serverFarms' } }],
        networkSecurityGroup: { id: NSG_OPEN },
      },
    },
  );
  resources.push({
    id: NSG_OPEN,
    name: 'nsg-open',
    type: 'Microsoft.Network/networkSecurityGroups',
    location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded',
      securityRules: [
        {
          name: 'allow-https-in',
          properties: { priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '443' },
        },
      ],
    },
  });
  if (options.aliceOnGroup ?? true) resources.push(assignment(rg('rg-net'), ALICE, ROLE.networkContributor));
  return seed;
}

/** The estate with hub-vnet keeping only the subnets that cannot be used (too small, or already integrated). */
export function estateWithoutUsableSubnet() {
  const seed = estate();
  for (const resource of seed.resources as any[]) {
    if (resource.name === 'hub-vnet') {
      resource.properties.subnets = resource.properties.subnets.filter((s: any) => ['apim-tiny', 'apim-integrated'].includes(s.name));
    }
  }
  return seed;
}
