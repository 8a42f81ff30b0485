/**
 * A small estate for the bot's tests, written as ARM returns the resources: one subscription with a StandardV2
 * instance, an integrated one, two instances sharing a name, subnets for every verdict, and the people.
 */
import { BOT_REQUIRED_ACTIONS } from '../../src/eligibility/permissions.js';
import { BUILT_IN_ROLE_IDS } from '../../src/sandbox/builtin-roles.js';
import { ALLOW_KEY_VAULT_RULE, apimDocument, nsgDocument, resourceGroupId, roleAssignmentDocument, subnetDocument, type SubnetSpec, vnetDocument } from './arm-documents.js';

export const TENANT = '0c0a0b0d-1111-4222-8333-944445555666';
export const OTHER_TENANT = '0c0a0b0d-9999-4999-8999-999999999999';
export const SUB = '5b6f0c55-0000-4000-8000-000000000001';
export const OTHER_SUB = '5b6f0c55-0000-4000-8000-000000000002';
export const BOT = 'b0700000-0000-4000-8000-000000000001';
export const ALICE = 'a11ce000-0000-4000-8000-000000000001';
export const BOB = 'b0b00000-0000-4000-8000-000000000001';
export const CAROL = 'ca201000-0000-4000-8000-000000000001';
export const DAVE = 'da7e0000-0000-4000-8000-000000000001';
export const GROUP = '90000000-0000-4000-8000-000000000001';

export const ROLE = BUILT_IN_ROLE_IDS;

export const rg = (name: string, sub = SUB) => resourceGroupId(sub, name);
export const instanceId = (name = 'contoso-apim', group = 'rg-apim') => `${rg(group)}/providers/Microsoft.ApiManagement/service/${name}`;
export const vnetId = (name: string, group = 'rg-net') => `${rg(group)}/providers/Microsoft.Network/virtualNetworks/${name}`;
export const subnetId = (vnet: string, subnet: string, group = 'rg-net') => `${vnetId(vnet, group)}/subnets/${subnet}`;
const NSG_ID = `${rg('rg-net')}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim`;

const apim = (name: string, group: string, properties: Record<string, unknown> = {}) => apimDocument(SUB, group, name, 'StandardV2', properties);

interface HubSubnet {
  name: string;
  prefix: string;
  delegated?: boolean;
  nsg?: boolean;
  /** An API Management instance linked to the subnet (it is integrated there). */
  linkedApim?: string;
}

const hubSubnet = ({ nsg, linkedApim, ...s }: HubSubnet): SubnetSpec => ({
  ...s,
  nsg: nsg === false ? null : NSG_ID,
  ...(linkedApim ? { links: [['Microsoft.ApiManagement/service', linkedApim]] } : {}),
});

let assignmentCounter = 0;
const assignment = (scope: string, principalId: string, roleGuid: string, principalType = 'User') =>
  roleAssignmentDocument(scope, principalId, roleGuid, ++assignmentCounter, principalType);

export interface EstateOptions {
  /** Extra subnets in hub-vnet (e.g. thousands for the size test). */
  extraHubSubnets?: number;
  /** Registration state of Microsoft.Web (default Registered). */
  webProvider?: 'Registered' | 'NotRegistered';
}

export function estate(options: EstateOptions = {}) {
  assignmentCounter = 0;
  const hubSubnets: HubSubnet[] = [
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
  const nsg = nsgDocument(SUB, 'rg-net', 'nsg-apim', 'westeurope', [ALLOW_KEY_VAULT_RULE]);
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
      vnetDocument(SUB, 'rg-net', 'hub-vnet', 'westeurope', hubSubnets.map(hubSubnet)),
      vnetDocument(SUB, 'rg-secret', 'secret-vnet', 'westeurope', [{ name: 'apim-hidden', prefix: '172.16.1.0/24', delegated: true }], '172.16.0.0/16'),
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
    subnetDocument(hub.id, { name: 'apim-no-nsg', prefix: '10.1.5.0/24' }),
    subnetDocument(hub.id, { name: 'apim-open', prefix: '10.1.6.0/24', delegated: true, nsg: NSG_OPEN }),
  );
  const allowHttpsIn = {
    name: 'allow-https-in',
    properties: { priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '443' },
  };
  resources.push(nsgDocument(SUB, 'rg-net', 'nsg-open', 'westeurope', [allowHttpsIn]));
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

/**
 * One StandardV2 instance and `vnets` VNets of `subnetsPerVnet` delegated /24 subnets behind nsg-apim; Alice may
 * change rg-net and rg-apim, GROUP (Carol) reads the subscription.
 */
export function vnetEstate(vnets: number, subnetsPerVnet: number) {
  const nsg = nsgDocument(SUB, 'rg-net', 'nsg-apim', 'westeurope', [ALLOW_KEY_VAULT_RULE]);
  const resources: unknown[] = [apim('contoso-apim', 'rg-apim'), nsg];
  for (let v = 0; v < vnets; v++) {
    const subnets = Array.from({ length: subnetsPerVnet }, (_, s) => ({ name: `snet-${s}`, prefix: `10.${v}.${s}.0/24`, delegated: true, nsg: nsg.id }));
    resources.push(vnetDocument(SUB, 'rg-net', `vnet-${v}`, 'westeurope', subnets));
  }
  resources.push(
    roleAssignmentDocument(`/subscriptions/${SUB}`, BOT, ROLE.contributor, 1, 'ServicePrincipal'),
    roleAssignmentDocument(`/subscriptions/${SUB}`, GROUP, ROLE.reader, 2, 'Group'),
    roleAssignmentDocument(rg('rg-net'), ALICE, ROLE.networkContributor, 3),
    roleAssignmentDocument(rg('rg-apim'), ALICE, ROLE.apimContributor, 4),
  );
  return { botPrincipalId: BOT, resources, providers: {}, groups: { [GROUP]: [CAROL] } };
}

/** The id of the custom network role `withDeployedBotRoles` defines. */
export const BOT_NETWORK_ROLE = 'c0570000-0000-4000-8000-000000000e70';

/**
 * `seed` with the bot's roles as the deployment template grants them (infra/azure.json) instead of Contributor:
 * Reader on the subscription, API Management Service Contributor on rg-apim, and the custom network role
 * (BOT_REQUIRED_ACTIONS.network, less `without`) on rg-net.
 */
export function withDeployedBotRoles<T extends { resources: unknown[] }>(seed: T, options: { without?: readonly string[] } = {}): T {
  const resources = (seed.resources as any[]).filter((r) => !(r.type === 'Microsoft.Authorization/roleAssignments' && r.properties?.principalId === BOT));
  const actions = BOT_REQUIRED_ACTIONS.network.filter((a) => !(options.without ?? []).includes(a));
  resources.push(
    {
      id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BOT_NETWORK_ROLE}`,
      name: BOT_NETWORK_ROLE,
      type: 'Microsoft.Authorization/roleDefinitions',
      properties: {
        roleName: 'apim-vnet-bot network (test)',
        type: 'CustomRole',
        assignableScopes: [rg('rg-net')],
        permissions: [{ actions, notActions: [], dataActions: [], notDataActions: [] }],
      },
    },
    roleAssignmentDocument(`/subscriptions/${SUB}`, BOT, ROLE.reader, 901, 'ServicePrincipal'),
    roleAssignmentDocument(rg('rg-apim'), BOT, ROLE.apimContributor, 902, 'ServicePrincipal'),
    roleAssignmentDocument(rg('rg-net'), BOT, BOT_NETWORK_ROLE, 903, 'ServicePrincipal'),
  );
  return { ...seed, resources };
}
