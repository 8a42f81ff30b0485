import { describe, expect, it } from 'vitest';
import { defaultTiming } from '../../src/policy/approval-policy.js';
import { addApproval, awaitedApprovers, currentStage, isPlanApprover, planFor, withEscalation, type ApprovalPlan } from '../../src/requests/approvals.js';
import { actorOf } from '../../src/requests/people.js';
import type { Person } from '../../src/requests/request.js';

const person = (name: string, n: number): Person => ({ name, teamsId: `29:${name}`, aadObjectId: `0000000${n}-0000-4000-8000-000000000000` });
const [ann, ben, cat, dan] = [person('ann', 1), person('ben', 2), person('cat', 3), person('dan', 4)] as [Person, Person, Person, Person];
const at = new Date('2026-12-04T10:00:00Z');

function plan(stages: { name: string; approvers: Person[]; quorum: number }[], allowSelfApproval = false): ApprovalPlan {
  return planFor({ name: 'r', scope: { kind: 'default' }, allowSelfApproval, timing: defaultTiming(48), stages: stages.map((s) => ({ ...s, approvers: s.approvers.map((p) => p.aadObjectId!) })) });
}

function approved(p: ApprovalPlan, who: Person, requester = dan): ApprovalPlan {
  const result = addApproval(p, requester, actorOf(who), at);
  if (!result.ok) throw new Error(result.reason);
  return result.plan;
}

describe('quorum', () => {
  const two = plan([{ name: 'approvers', approvers: [ann, ben, cat], quorum: 2 }]);

  it('the first approval is counted and says what is still needed; the second completes it', () => {
    const first = addApproval(two, dan, actorOf(ann), at);
    expect(first).toMatchObject({ ok: true, complete: false, note: 'Approval 1 of 2. Still needed: 1 more from approvers.' });
    const second = addApproval(approved(two, ann), dan, actorOf(ben), at);
    expect(second).toMatchObject({ ok: true, complete: true, note: 'Approval 2 of 2.' });
  });

  it('the same approver counts once, by Entra id whatever the Teams id', () => {
    const once = approved(two, ann);
    expect(addApproval(once, dan, actorOf({ ...ann, teamsId: '29:other' }), at)).toMatchObject({ ok: false, duplicate: true });
    expect(currentStage(once)?.remaining).toBe(1);
  });

  it('someone who is no approver is refused', () => {
    expect(addApproval(two, ann, actorOf(dan), at)).toMatchObject({ ok: false, duplicate: false, reason: 'You are not an approver of approvers.' });
  });

  it('no self-approval unless the rule allows it', () => {
    expect(addApproval(two, ann, actorOf(ann), at)).toMatchObject({ ok: false, reason: expect.stringContaining('you cannot approve it yourself') });
    const selfOk = plan([{ name: 'approvers', approvers: [ann], quorum: 1 }], true);
    expect(addApproval(selfOk, ann, actorOf(ann), at)).toMatchObject({ ok: true, complete: true });
  });

  it('after completion every further approval is refused as already complete', () => {
    const done = approved(approved(two, ann), ben);
    expect(currentStage(done)).toBeNull();
    expect(addApproval(done, dan, actorOf(cat), at)).toMatchObject({ ok: false, duplicate: true });
  });
});

describe('stages', () => {
  const staged = plan([
    { name: 'network team', approvers: [ann], quorum: 1 },
    { name: 'owners', approvers: [ben, cat], quorum: 2 },
  ]);

  it('a later stage waits for the earlier one', () => {
    expect(addApproval(staged, dan, actorOf(ben), at)).toMatchObject({ ok: false, reason: 'It is waiting for network team first; your stage (owners) comes after.' });
  });

  it('in order, each stage to its quorum, then complete', () => {
    const first = addApproval(staged, dan, actorOf(ann), at);
    expect(first).toMatchObject({ ok: true, complete: false, note: 'Approval 1 of 1 for network team. Still needed: 2 more from owners.' });
    const second = approved(approved(staged, ann), ben);
    expect(addApproval(second, dan, actorOf(cat), at)).toMatchObject({ ok: true, complete: true, note: 'Approval 2 of 2 for owners.' });
  });

  it('an approver of any stage is an approver of the plan (they may reject)', () => {
    expect([ann, ben, cat, dan].map((p) => isPlanApprover(staged, actorOf(p)))).toEqual([true, true, true, false]);
  });
});

describe('escalation', () => {
  it('adds its people to the stage that waits, once each; they may then approve there', () => {
    const staged = approved(plan([{ name: 'network', approvers: [ann], quorum: 1 }, { name: 'owners', approvers: [ben, cat], quorum: 2 }]), ann);
    expect(awaitedApprovers(staged)).toEqual([ben.aadObjectId, cat.aadObjectId]);
    const escalated = withEscalation(staged, [dan.aadObjectId!, dan.aadObjectId!.toUpperCase(), ben.aadObjectId!]);
    expect(escalated.stages.map((s) => s.approvers)).toEqual([[ann.aadObjectId], [ben.aadObjectId, cat.aadObjectId, dan.aadObjectId]]);
    expect(addApproval(escalated, ann, actorOf(dan), at)).toMatchObject({ ok: true, complete: false });
    expect(withEscalation(approved(approved(escalated, ben, ann), cat, ann), [ann.aadObjectId!]).stages).toEqual(escalated.stages);
  });
});
