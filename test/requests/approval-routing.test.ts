import { describe, expect, it } from 'vitest';
import { routeApproval, type RoutingInput } from '../../src/requests/approval-routing.js';
import type { PersonalChat } from '../../src/requests/settings.js';
import { alice, bob, conversation } from './fixtures.js';

const CAROL = 'ca201000-0000-4000-8000-000000000001';
const chatOf = (aadObjectId: string, id: string): PersonalChat => ({ aadObjectId, teamsId: id, name: id, conversation: conversation(id, 'personal'), updatedAt: 'now' });

function input(overrides: Partial<RoutingInput>): RoutingInput {
  return {
    approvalsChannel: null,
    requestConversation: conversation('19:group', 'groupChat'),
    approverChats: [],
    approverIds: [bob.aadObjectId!],
    requesterAadObjectId: alice.aadObjectId,
    allowSelfApproval: false,
    ...overrides,
  };
}

describe('routeApproval', () => {
  it('sends only to the approvals channel when one is set', () => {
    const channel = conversation('19:approvals', 'channel', 'team');
    const routing = routeApproval(input({ approvalsChannel: channel, approverChats: [chatOf(bob.aadObjectId!, 'a:bob')] }));
    expect(routing.targets.map((t) => t.conversationId)).toEqual(['19:approvals']);
    expect(routing.note).toMatch(/approvals channel/);
  });

  it('otherwise uses the group chat or channel of the request, plus approvers\' personal chats', () => {
    const routing = routeApproval(input({ approverChats: [chatOf(bob.aadObjectId!, 'a:bob')] }));
    expect(routing.targets.map((t) => t.conversationId)).toEqual(['19:group', 'a:bob']);
    expect(routing.note).toMatch(/this conversation and in a personal chat with 1 approver/);
  });

  it('from a personal chat, goes to approvers by personal chat only', () => {
    const routing = routeApproval(input({ requestConversation: conversation('a:alice', 'personal'), approverChats: [chatOf(bob.aadObjectId!, 'a:bob')] }));
    expect(routing.targets.map((t) => t.conversationId)).toEqual(['a:bob']);
  });

  it('tells the requester how to set up approvals when nobody can be reached', () => {
    const routing = routeApproval(input({ requestConversation: conversation('a:alice', 'personal') }));
    expect(routing.targets).toEqual([]);
    expect(routing.note).toMatch(/approvals here/);
  });

  it('does not send the requester their own approval card unless self-approval is on', () => {
    const approverIds = [alice.aadObjectId!, CAROL];
    const chats = [chatOf(alice.aadObjectId!, 'a:alice-dm'), chatOf(CAROL, 'a:carol')];
    const personal = conversation('a:alice', 'personal');
    expect(routeApproval(input({ approverIds, approverChats: chats, requestConversation: personal })).targets.map((t) => t.conversationId)).toEqual(['a:carol']);
    expect(
      routeApproval(input({ approverIds, approverChats: chats, requestConversation: personal, allowSelfApproval: true })).targets.map((t) => t.conversationId),
    ).toEqual(['a:alice-dm', 'a:carol']);
  });

  it('says when no approver is configured, or only the requester is', () => {
    expect(routeApproval(input({ approverIds: [] })).note).toMatch(/APPROVER_IDS/);
    expect(routeApproval(input({ approverIds: [alice.aadObjectId!] })).note).toMatch(/only configured approver/);
  });
});
