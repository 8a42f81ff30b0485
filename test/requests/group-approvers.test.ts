/** Approvers given as Entra groups, in the pure rules: the actor's memberships are data, resolved beforehand. */
import { describe, expect, it } from 'vitest';
import { defaultTiming, flatPolicy, type ApprovalStage } from '../../src/policy/approval-policy.js';
import { routeApproval } from '../../src/requests/approval-routing.js';
import { addApproval, groupsToCheck, isPlanApprover, planFor, waitsFor, type ApprovalPlan } from '../../src/requests/approvals.js';
import { decideRequest } from '../../src/requests/decision.js';
import { actorOf, isStageApprover } from '../../src/requests/people.js';
import type { Person } from '../../src/requests/request.js';
import { alice, bob, conversation, request } from './fixtures.js';

const G1 = '91000000-0000-4000-8000-000000000001';
const G2 = '92000000-0000-4000-8000-000000000002';
const cat: Person = { teamsId: '29:cat', aadObjectId: 'ca700000-0000-4000-8000-000000000001', name: 'Cat' };
const noId: Person = { teamsId: '29:guest', aadObjectId: null, name: 'Guest' };
const at = new Date('2026-12-04T10:00:00Z');

function plan(stages: ApprovalStage[], allowSelfApproval = false): ApprovalPlan {
  return planFor({ name: 'r', scope: { kind: 'default' }, allowSelfApproval, timing: defaultTiming(48), stages });
}

const groupOnly = plan([{ name: 'platform', approvers: [], groups: [G1], quorum: 2 }]);

describe('isStageApprover', () => {
  const stage = { approvers: [bob.aadObjectId!], groups: [G1] };

  it('counts a listed object id and a member of a listed group, whatever the case of the group id', () => {
    expect(isStageApprover(stage, actorOf(bob))).toBe(true);
    expect(isStageApprover(stage, actorOf(cat, [G1.toUpperCase()]))).toBe(true);
  });

  it('refuses a member of another group, nobody in no group, and a stage without groups (an old record)', () => {
    expect(isStageApprover(stage, actorOf(cat, [G2]))).toBe(false);
    expect(isStageApprover(stage, actorOf(cat))).toBe(false);
    expect(isStageApprover({ approvers: [bob.aadObjectId!] }, actorOf(cat, [G1]))).toBe(false);
  });
});

describe('approvals through a group', () => {
  it('a member counts toward the quorum, once; a non-member is refused', () => {
    const first = addApproval(groupOnly, alice, actorOf(cat, [G1]), at);
    expect(first).toMatchObject({ ok: true, complete: false, note: 'Approval 1 of 2. Still needed: 1 more from platform.' });
    if (!first.ok) throw new Error(first.reason);
    expect(first.plan.approvals.map((a) => a.by)).toEqual([cat]);
    expect(addApproval(first.plan, alice, actorOf(cat, [G1]), at)).toMatchObject({ ok: false, duplicate: true });
    expect(addApproval(first.plan, alice, actorOf(bob, [G2]), at)).toMatchObject({ ok: false, duplicate: false, reason: 'You are not an approver of platform.' });
    expect(addApproval(first.plan, alice, actorOf(bob, [G1]), at)).toMatchObject({ ok: true, complete: true });
  });

  it('a requester who is a group member may not approve their own request unless the rule allows it', () => {
    expect(addApproval(groupOnly, alice, actorOf(alice, [G1]), at)).toMatchObject({ ok: false, reason: expect.stringContaining('you cannot approve it yourself') });
    const selfOk = plan([{ name: 'platform', approvers: [], groups: [G1], quorum: 1 }], true);
    expect(addApproval(selfOk, alice, actorOf(alice, [G1]), at)).toMatchObject({ ok: true, complete: true });
  });

  it('stages: a group member of the later stage waits for the earlier one', () => {
    const staged = plan([
      { name: 'network team', approvers: [bob.aadObjectId!], quorum: 1 },
      { name: 'owners', approvers: [], groups: [G2], quorum: 1 },
    ]);
    expect(addApproval(staged, alice, actorOf(cat, [G2]), at)).toMatchObject({ ok: false, reason: 'It is waiting for network team first; your stage (owners) comes after.' });
    expect(isPlanApprover(staged, actorOf(cat, [G2]))).toBe(true);
    expect(isPlanApprover(staged, actorOf(cat, [G1]))).toBe(false);
  });
});

describe('groups beside delegates', () => {
  const stage = plan([{ name: 'platform', approvers: [bob.aadObjectId!], groups: [G1], quorum: 2 }]);

  it('a group member who also stands in for an approver counts for themselves', () => {
    const own = addApproval(stage, alice, actorOf(cat, [G1]), at, [bob]);
    expect(own.ok && own.plan.approvals.map((a) => [a.by.name, a.onBehalfOf?.name])).toEqual([['Cat', undefined]]);
  });

  it('a delegate outside the groups counts for the approver listed by id', () => {
    const delegated = addApproval(stage, alice, actorOf(cat), at, [bob]);
    expect(delegated.ok && delegated.plan.approvals.map((a) => [a.by.name, a.onBehalfOf?.name])).toEqual([['Cat', 'Bob']]);
    expect(isPlanApprover(stage, actorOf(cat), [bob])).toBe(true);
  });
});

describe('groupsToCheck', () => {
  const mixed = plan([
    { name: 'network team', approvers: [bob.aadObjectId!], groups: [G1], quorum: 1 },
    { name: 'owners', approvers: [], groups: [G2, G1.toUpperCase()], quorum: 1 },
  ]);

  it('the groups of the stages that do not list the person by object id, each once', () => {
    expect(groupsToCheck(mixed, cat)).toEqual([G1, G2]);
    expect(groupsToCheck(mixed, bob)).toEqual([G2, G1.toUpperCase()]);
  });

  it('none for a person listed in every stage, a plan without groups, or a person without an object id', () => {
    const listed = plan([{ name: 'a', approvers: [bob.aadObjectId!], groups: [G1], quorum: 1 }]);
    expect(groupsToCheck(listed, bob)).toEqual([]);
    expect(groupsToCheck(plan([{ name: 'a', approvers: [bob.aadObjectId!], quorum: 1 }]), cat)).toEqual([]);
    expect(groupsToCheck(mixed, noId)).toEqual([]);
  });
});

describe('waitsFor and decideRequest with groups', () => {
  const policy = flatPolicy([], false);
  const pending = request({ approval: groupOnly });

  it('a pending request waits for a member, not for a non-member', () => {
    expect(waitsFor(pending, policy, actorOf(cat, [G1]), at)).toBe(true);
    expect(waitsFor(pending, policy, actorOf(cat), at)).toBe(false);
    expect(waitsFor({ ...pending, state: 'approved' }, policy, actorOf(cat, [G1]), at)).toBe(false);
  });

  it('a member approves (counted) and may reject; a non-member may do neither', () => {
    expect(decideRequest(pending, policy, actorOf(cat, [G1]), 'approve', at, null)).toMatchObject({ kind: 'counted' });
    expect(decideRequest(pending, policy, actorOf(cat, [G1]), 'reject', at, 'no')).toMatchObject({ kind: 'rejected' });
    expect(decideRequest(pending, policy, actorOf(cat), 'approve', at, null)).toEqual({ kind: 'refused', reason: 'Only the approvers of this request can approve it.' });
    expect(decideRequest(pending, policy, actorOf(cat, [G2]), 'reject', at, null)).toMatchObject({ kind: 'refused' });
  });
});

describe('routing with approver groups', () => {
  const base = {
    approvalsChannel: null,
    requestConversation: conversation('19:group'),
    approverChats: [],
    approverIds: [],
    approverGroupIds: [G1],
    requesterAadObjectId: alice.aadObjectId,
    allowSelfApproval: false,
  };

  it('a group-only rule is not "no approvers": the card goes to the conversation and the note says how members find it', () => {
    const routing = routeApproval(base);
    expect(routing.targets.map((t) => t.conversationId)).toEqual(['19:group']);
    expect(routing.note).toBe('The approval card is in this conversation. Members of the approver groups get no personal message from me: they can say "pending" to me to find it.');
  });

  it('from a personal chat with no channel the note says so, and mentions pending', () => {
    const routing = routeApproval({ ...base, requestConversation: conversation('a:alice', 'personal') });
    expect(routing.targets).toEqual([]);
    expect(routing.note).toMatch(/^No approver can be reached yet\. .*approvals here.*say "pending"/);
  });

  it('the approvals channel when one is set', () => {
    expect(routeApproval({ ...base, approvalsChannel: conversation('19:approvals', 'channel') }).note).toBe('The approval card went to the approvals channel.');
  });

  it('the requester alone by id with a group beside is not "the only approver"', () => {
    expect(routeApproval({ ...base, approverIds: [alice.aadObjectId!] }).note).not.toMatch(/only configured approver/);
  });
});
