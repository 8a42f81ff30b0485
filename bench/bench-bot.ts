/**
 * What the request benchmarks need around a bot: a tiny estate (one StandardV2 instance, one delegated subnet
 * with its NSG, the people and their roles), the requests as the bot stores them, and the approver's click.
 */
import type { IntegrationRequest } from '../src/requests/request.js';
import { BUILT_IN_ROLE_IDS } from '../src/sandbox/builtin-roles.js';
import { ALLOW_KEY_VAULT_RULE, apimDocument, nsgDocument, roleAssignmentDocument, vnetDocument } from '../test/support/arm-documents.js';
import { cardAction, type Chat } from '../test/support/teams.js';

export const TENANT = '0c0a0b0d-1111-4222-8333-944445555666';
export const SUB = '5b6f0c55-0000-4000-8000-0000000000b1';
export const BOT = 'b0700000-0000-4000-8000-0000000000b1';
export const REQUESTER = 'a11ce000-0000-4000-8000-0000000000b1';
export const APPROVER = 'b0b00000-0000-4000-8000-0000000000b1';

const instance = apimDocument(SUB, 'rg-apim', 'bench-apim');
const nsg = nsgDocument(SUB, 'rg-net', 'nsg-apim', 'westeurope', [ALLOW_KEY_VAULT_RULE]);
const hub = vnetDocument(SUB, 'rg-net', 'hub-vnet', 'westeurope', [{ name: 'apim-outbound', prefix: '10.0.1.0/24', delegated: true, nsg: nsg.id }], '10.0.0.0/16');
export const INSTANCE_ID = instance.id;
export const SUBNET_ID = `${hub.id}/subnets/apim-outbound`;

export function benchEstate() {
  const subscription = `/subscriptions/${SUB}`;
  return {
    botPrincipalId: BOT,
    subscriptions: [{ subscriptionId: SUB, displayName: 'bench', tenantId: TENANT }],
    resources: [
      instance,
      nsg,
      hub,
      roleAssignmentDocument(subscription, BOT, BUILT_IN_ROLE_IDS.contributor, 1, 'ServicePrincipal'),
      roleAssignmentDocument(subscription, REQUESTER, BUILT_IN_ROLE_IDS.owner, 2),
      roleAssignmentDocument(subscription, APPROVER, BUILT_IN_ROLE_IDS.owner, 3),
    ],
    providers: { [SUB]: { 'Microsoft.Web': 'Registered' } },
    groups: {},
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
  const chat: Chat = { id: conversationId, type: 'groupChat' };
  return cardAction(serviceUrl, TENANT, chat, { name: approver.name, aadObjectId: approver.aadObjectId, teamsId: approver.id }, 'approve', { requestId }, null);
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
