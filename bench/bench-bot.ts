/**
 * What the request benchmarks need around a bot: a tiny estate (one StandardV2 instance, one delegated subnet
 * with its NSG, the people and their roles), a stand-in for the Bot Connector that answers `{ id }`, and the
 * Teams activities the bot receives.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IntegrationRequest } from '../src/requests/request.js';
import { BUILT_IN_ROLE_IDS } from '../src/sandbox/builtin-roles.js';

export const TENANT = '0c0a0b0d-1111-4222-8333-944445555666';
export const SUB = '5b6f0c55-0000-4000-8000-0000000000b1';
export const BOT = 'b0700000-0000-4000-8000-0000000000b1';
export const REQUESTER = 'a11ce000-0000-4000-8000-0000000000b1';
export const APPROVER = 'b0b00000-0000-4000-8000-0000000000b1';
const CONTRIBUTOR = BUILT_IN_ROLE_IDS.contributor;
const OWNER = BUILT_IN_ROLE_IDS.owner;

const rg = (name: string) => `/subscriptions/${SUB}/resourceGroups/${name}`;
export const INSTANCE_ID = `${rg('rg-apim')}/providers/Microsoft.ApiManagement/service/bench-apim`;
const VNET_ID = `${rg('rg-net')}/providers/Microsoft.Network/virtualNetworks/hub-vnet`;
export const SUBNET_ID = `${VNET_ID}/subnets/apim-outbound`;
const NSG_ID = `${rg('rg-net')}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim`;

export function benchEstate() {
  const assignment = (principalId: string, role: string, n: number, type = 'User') => {
    const name = `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;
    return {
      id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      name,
      type: 'Microsoft.Authorization/roleAssignments',
      properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId, principalType: type, scope: `/subscriptions/${SUB}` },
    };
  };
  return {
    botPrincipalId: BOT,
    subscriptions: [{ subscriptionId: SUB, displayName: 'bench', tenantId: TENANT }],
    resources: [
      {
        id: INSTANCE_ID,
        name: 'bench-apim',
        type: 'Microsoft.ApiManagement/service',
        location: 'West Europe',
        sku: { name: 'StandardV2', capacity: 1 },
        properties: { provisioningState: 'Succeeded', publisherEmail: 'api@contoso.example', publisherName: 'Contoso', virtualNetworkType: 'None' },
      },
      {
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
      },
      {
        id: VNET_ID,
        name: 'hub-vnet',
        type: 'Microsoft.Network/virtualNetworks',
        location: 'westeurope',
        properties: {
          provisioningState: 'Succeeded',
          addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
          subnets: [
            {
              id: SUBNET_ID,
              name: 'apim-outbound',
              type: 'Microsoft.Network/virtualNetworks/subnets',
              properties: {
                provisioningState: 'Succeeded',
                addressPrefix: '10.0.1.0/24',
                delegations: [{ name: 'web', id: `${SUBNET_ID}/delegations/web`, properties: { serviceName: 'Microsoft.Web/serverFarms' } }],
                networkSecurityGroup: { id: NSG_ID },
              },
            },
          ],
        },
      },
      assignment(BOT, CONTRIBUTOR, 1, 'ServicePrincipal'),
      assignment(REQUESTER, OWNER, 2),
      assignment(APPROVER, OWNER, 3),
    ],
    providers: { [SUB]: { 'Microsoft.Web': 'Registered' } },
    groups: {},
  };
}

/** A Bot Connector stand-in: accepts every post and update and answers with an id. */
export async function startConnectorStub(): Promise<{ url: string; close(): Promise<void> }> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `act-${++n}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const approver = { id: '29:1approver', name: 'Approver', aadObjectId: APPROVER };
export const requester = { teamsId: '29:1requester', aadObjectId: REQUESTER, name: 'Requester' };

/** The conversation of a request, as the bot stores it (a group chat reached through the stub). */
export function benchConversation(serviceUrl: string, id: string) {
  const conversation = { id, conversationType: 'groupChat', tenantId: TENANT, isGroup: true };
  return {
    reference: { channelId: 'msteams', serviceUrl, conversation, bot: { id: '28:bench-bot', name: 'bot' }, user: { id: requester.teamsId, name: requester.name } },
    conversationId: id,
    type: 'groupChat' as const,
    teamId: null,
    tenantId: TENANT,
  };
}

/** An Action.Execute click on the approval card. */
export function approveInvoke(serviceUrl: string, conversationId: string, requestId: string) {
  return {
    channelId: 'msteams',
    serviceUrl,
    id: `f:${randomUUID()}`,
    timestamp: new Date().toISOString(),
    from: { id: approver.id, name: approver.name, aadObjectId: approver.aadObjectId },
    recipient: { id: '28:bench-bot', name: 'bot' },
    conversation: { id: conversationId, conversationType: 'groupChat', tenantId: TENANT, isGroup: true },
    channelData: { tenant: { id: TENANT } },
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb: 'approve', data: { requestId } }, trigger: 'manual' },
  };
}

/** A pending request on the bench instance, as the bot would have stored it. */
export function pendingBenchRequest(id: string, serviceUrl: string, kind: 'integrate' | 'disconnect'): IntegrationRequest {
  const now = new Date().toISOString();
  const integrated = kind === 'disconnect';
  return {
    id,
    version: 1,
    kind,
    instance: {
      id: INSTANCE_ID,
      name: 'bench-apim',
      subscriptionId: SUB,
      resourceGroup: 'rg-apim',
      location: 'West Europe',
      skuName: 'StandardV2',
      virtualNetworkType: integrated ? 'External' : 'None',
      subnetResourceId: integrated ? SUBNET_ID : null,
    },
    subnetId: kind === 'integrate' ? SUBNET_ID : null,
    requester,
    findings: [],
    fixes: [],
    conversation: benchConversation(serviceUrl, `19:bench-${id}@thread.v2`),
    cards: [],
    routingNote: '',
    state: 'pending',
    history: [{ at: now, from: null, to: 'pending', by: requester, why: null }],
    apply: null,
    createdAt: now,
    updatedAt: now,
  };
}
