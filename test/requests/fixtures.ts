import type { ConversationInfo, IntegrationRequest, Person } from '../../src/requests/request.js';

export const alice: Person = { teamsId: '29:alice', aadObjectId: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice' };
export const bob: Person = { teamsId: '29:bob', aadObjectId: 'b0b00000-0000-4000-8000-000000000001', name: 'Bob' };

export function conversation(id: string, type: ConversationInfo['type'] = 'groupChat', teamId: string | null = null): ConversationInfo {
  return { reference: { conversation: { id } }, conversationId: id, type, teamId, tenantId: 't' };
}

export function request(overrides: Partial<IntegrationRequest> = {}): IntegrationRequest {
  const at = '2024-05-01T10:00:00.000Z';
  return {
    id: 'R-7K3QM',
    version: 1,
    kind: 'integrate',
    instance: {
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/contoso-apim',
      name: 'contoso-apim',
      subscriptionId: 's',
      resourceGroup: 'rg',
      location: 'West Europe',
      skuName: 'StandardV2',
      virtualNetworkType: 'None',
      subnetResourceId: null,
    },
    subnetId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/apim',
    requester: alice,
    findings: [],
    fixes: [],
    conversation: conversation('19:chat'),
    cards: [],
    routingNote: '',
    state: 'pending',
    history: [{ at, from: null, to: 'pending', by: alice, why: null }],
    apply: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
