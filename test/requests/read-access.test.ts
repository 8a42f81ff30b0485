import { describe, expect, it } from 'vitest';
import { mayRead, notVisibleText, type ReadPolicy } from '../../src/requests/read-access.js';
import type { Person } from '../../src/requests/request.js';
import { alice, bob, conversation, request } from './fixtures.js';

const carol: Person = { teamsId: '29:carol', aadObjectId: 'ca201000-0000-4000-8000-000000000001', name: 'Carol' };
const policy: ReadPolicy = { approverIds: [bob.aadObjectId!], approvalsChannelId: null };
const made = request({
  conversation: conversation('19:made-here'),
  cards: [
    { role: 'requester', conversation: conversation('19:made-here'), activityId: 'a1' },
    { role: 'approval', conversation: conversation('a:dm-bob', 'personal'), activityId: 'a2' },
  ],
});

describe('who may read a request', () => {
  it('the requester, anywhere', () => {
    expect(mayRead(made, { person: alice, conversationId: 'a:somewhere-else' }, policy)).toBe(true);
  });

  it('the requester by Teams id when Teams sent no object id', () => {
    const teamsOnly: Person = { ...alice, aadObjectId: null };
    expect(mayRead(made, { person: teamsOnly, conversationId: 'a:elsewhere' }, policy)).toBe(true);
  });

  it('an approver, anywhere (object ids compared without case)', () => {
    const shouting: Person = { ...bob, aadObjectId: bob.aadObjectId!.toUpperCase() };
    expect(mayRead(made, { person: shouting, conversationId: 'a:elsewhere' }, policy)).toBe(true);
  });

  it('anyone in the conversation where it was made', () => {
    expect(mayRead(made, { person: carol, conversationId: '19:made-here' }, policy)).toBe(true);
  });

  it('anyone in a conversation one of its cards went to', () => {
    const withChannelCard = { ...made, cards: [...made.cards, { role: 'approval' as const, conversation: conversation('19:approvals-old', 'channel'), activityId: 'a3' }] };
    expect(mayRead(withChannelCard, { person: carol, conversationId: '19:approvals-old' }, policy)).toBe(true);
  });

  it('anyone in the approvals channel', () => {
    expect(mayRead(made, { person: carol, conversationId: '19:approvals' }, { ...policy, approvalsChannelId: '19:approvals' })).toBe(true);
  });

  it('nobody else: a bystander in another chat, or in their own personal chat', () => {
    expect(mayRead(made, { person: carol, conversationId: '19:other-chat' }, policy)).toBe(false);
    expect(mayRead(made, { person: carol, conversationId: 'a:dm-carol' }, { ...policy, approvalsChannelId: '19:approvals' })).toBe(false);
  });

  it('no conversation id never matches an empty one', () => {
    const blank = { ...made, conversation: conversation('') };
    expect(mayRead(blank, { person: carol, conversationId: '' }, { ...policy, approvalsChannelId: '' })).toBe(false);
  });

  it('a person without either id is nobody', () => {
    const nobody: Person = { teamsId: '', aadObjectId: null, name: '' };
    const anonymousRequest = { ...made, requester: nobody };
    expect(mayRead(anonymousRequest, { person: nobody, conversationId: '19:other-chat' }, policy)).toBe(false);
  });

  it('the refusal does not say whether the request exists', () => {
    expect(notVisibleText('R-7K3QM')).toContain('R-7K3QM');
    expect(notVisibleText('R-7K3QM')).not.toMatch(/exists|not allowed|forbidden/i);
  });
});
