/** An approval outside the plan's change windows: the wait it records, the sweep and the deadline, Run now. Pure. */
import { actorOf } from '../../src/requests/people.js';
import { describe, expect, it } from 'vitest';
import type { ChangeWindow } from '../../src/policy/change-windows.js';
import { flatPolicy } from '../../src/policy/approval-policy.js';
import { planFor } from '../../src/requests/approvals.js';
import { decideRequest } from '../../src/requests/decision.js';
import { newLease } from '../../src/requests/lease.js';
import { applyDeadline, transition } from '../../src/requests/lifecycle.js';
import type { IntegrationRequest, Person } from '../../src/requests/request.js';
import { sweepAction } from '../../src/requests/sweep.js';
import { isWaiting, runNow, runsAt, waitAgain, waitText, windowWait } from '../../src/requests/window-wait.js';
import { alice, bob, request } from './fixtures.js';

const at = (iso: string) => new Date(iso);
const carol: Person = { teamsId: '29:carol', aadObjectId: 'ca201000-0000-4000-8000-000000000001', name: 'Carol' };
/** 18:00 to 20:00 in Berlin, every day: 16:00 to 18:00 UTC in May. */
const evening: ChangeWindow = { days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'], from: '18:00', to: '20:00', timeZone: 'Europe/Berlin' };

const policy = flatPolicy([bob.aadObjectId!, carol.aadObjectId!], false);
const rule = { ...policy.default, windows: [evening] };
const plan = planFor(rule);

function pendingRequest(overrides: Partial<IntegrationRequest> = {}): IntegrationRequest {
  return request({ approval: plan, ...overrides });
}

function approvedAt(iso: string): IntegrationRequest {
  const decision = decideRequest(pendingRequest(), policy, actorOf(bob), 'approve', at(iso), null);
  if (decision.kind !== 'approved') throw new Error(`not approved: ${decision.kind}`);
  return decision.request;
}

describe('the plan', () => {
  it('copies the rule\'s windows; a rule without windows gives a plan without them', () => {
    expect(plan.windows).toEqual([evening]);
    expect(plan.windows).not.toBe(rule.windows);
    expect(planFor(policy.default)).not.toHaveProperty('windows');
  });
});

describe('the last approval', () => {
  it('outside the windows: approved, waiting until the next window opens, and the history says when it will run', () => {
    const approved = approvedAt('2024-05-01T10:00:00Z');
    expect(approved.state).toBe('approved');
    expect(approved.waitsUntil).toBe('2024-05-01T16:00:00.000Z');
    expect(approved.history.at(-1)).toMatchObject({ from: 'pending', to: 'approved', by: bob, why: 'Outside its change window: it will run at Wed 2024-05-01 18:00 Europe/Berlin (16:00 UTC).' });
    expect(waitText(approved, at('2024-05-01T10:00:00Z'))).toBe('Wed 2024-05-01 18:00 Europe/Berlin (16:00 UTC)');
  });

  it('keeps the approver\'s reason before the note', () => {
    const decision = decideRequest(pendingRequest(), policy, actorOf(bob), 'approve', at('2024-05-01T10:00:00Z'), 'Looks fine.');
    expect(decision.kind === 'approved' && decision.request.history.at(-1)?.why).toBe('Looks fine. Outside its change window: it will run at Wed 2024-05-01 18:00 Europe/Berlin (16:00 UTC).');
  });

  it('inside a window, or without windows: no wait', () => {
    expect(approvedAt('2024-05-01T17:00:00Z')).not.toHaveProperty('waitsUntil');
    const decision = decideRequest(request({ approval: planFor(policy.default) }), policy, actorOf(bob), 'approve', at('2024-05-01T10:00:00Z'), null);
    expect(decision.kind === 'approved' && decision.request).not.toHaveProperty('waitsUntil');
    expect(windowWait({}, at('2024-05-01T10:00:00Z'))).toBeNull();
  });

  it('an approval that is not the last sets no wait', () => {
    const two = { ...plan, stages: [{ ...plan.stages[0]!, quorum: 2 }] };
    const decision = decideRequest(pendingRequest({ approval: two }), policy, actorOf(bob), 'approve', at('2024-05-01T10:00:00Z'), null);
    expect(decision.kind).toBe('counted');
    expect(decision.kind === 'counted' && decision.request).not.toHaveProperty('waitsUntil');
  });
});

describe('waiting', () => {
  const approved = approvedAt('2024-05-01T10:00:00Z');
  const view = (now: string) => ({ now: at(now), ttlHours: 48, owner: 'me', exclusive: false });

  it('is true while no window is open, and only while approved', () => {
    expect(isWaiting(approved, at('2024-05-01T15:59:59Z'))).toBe(true);
    expect(isWaiting(approved, at('2024-05-01T16:00:00Z'))).toBe(false);
    expect(isWaiting(approved, at('2024-05-01T17:59:59Z'))).toBe(false);
    expect(isWaiting(approved, at('2024-05-01T18:00:00Z'))).toBe(true);
    expect(isWaiting({ ...approved, state: 'applying' }, at('2024-05-01T12:00:00Z'))).toBe(false);
    expect(isWaiting({ ...approved, approval: planFor(policy.default) }, at('2024-05-01T12:00:00Z'))).toBe(false);
    expect(isWaiting({ ...approved, runNow: { by: carol, at: '2024-05-01T11:00:00.000Z' } }, at('2024-05-01T12:00:00Z'))).toBe(false);
  });

  it('runs at its stored start while that is ahead', () => {
    expect(runsAt(approved, at('2024-05-01T12:00:00Z'))?.toISOString()).toBe('2024-05-01T16:00:00.000Z');
    expect(runsAt(approved, at('2024-05-01T16:30:00Z'))).toBeNull();
  });

  it('a start missed while the bot was down moves to the next window, once, and says so', () => {
    expect(waitAgain(approved, at('2024-05-01T12:00:00Z'))).toBeNull();
    expect(waitAgain(approved, at('2024-05-01T17:00:00Z'))).toBeNull(); // inside the window: it starts
    const later = at('2024-05-01T19:00:00Z');
    expect(sweepAction(approved, view('2024-05-01T19:00:00Z'))).toBe('waitAgain');
    const moved = waitAgain(approved, later)!;
    expect(moved.waitsUntil).toBe('2024-05-02T16:00:00.000Z');
    expect(moved.history.at(-1)).toMatchObject({ from: 'approved', to: 'approved', by: null, why: 'Its change window closed before it could start: it will run at Thu 2024-05-02 18:00 Europe/Berlin (16:00 UTC).' });
    expect(waitAgain(moved, later)).toBeNull();
    expect(sweepAction(moved, view('2024-05-01T19:00:00Z'))).toBeNull();
    expect(runsAt(approved, later)?.toISOString()).toBe('2024-05-02T16:00:00.000Z');
    expect(applyDeadline(moved, 120).toISOString()).toBe('2024-05-02T18:00:00.000Z');
  });

  it('the sweep leaves it alone until the window opens, then takes it over', () => {
    expect(sweepAction(approved, view('2024-05-01T15:59:00Z'))).toBeNull();
    expect(sweepAction(approved, view('2024-05-01T16:00:00Z'))).toBe('takeOver');
    // A lease a dead process left does not start it early either.
    const gone = { ...approved, lease: newLease('other', at('2024-05-01T10:00:00Z'), 60) };
    expect(sweepAction(gone, view('2024-05-01T12:00:00Z'))).toBeNull();
  });

  it('its apply deadline counts from the window\'s start (or from a later start of the apply), not from the approval', () => {
    expect(applyDeadline(approved, 120).toISOString()).toBe('2024-05-01T18:00:00.000Z');
    const onTime = transition(approved, 'startApply', { by: null, at: at('2024-05-01T16:00:00Z') });
    expect(onTime.ok && applyDeadline(onTime.request, 120).toISOString()).toBe('2024-05-01T18:00:00.000Z');
    const late = transition(approved, 'startApply', { by: null, at: at('2024-05-01T17:00:00Z') });
    expect(late.ok && applyDeadline(late.request, 120).toISOString()).toBe('2024-05-01T19:00:00.000Z');
    expect(applyDeadline(approvedAt('2024-05-01T17:00:00Z'), 120).toISOString()).toBe('2024-05-01T19:00:00.000Z');
  });
});

describe('Run now', () => {
  const approved = approvedAt('2024-05-01T10:00:00Z');
  const pressAt = at('2024-05-01T11:00:00Z');

  it('by an approver: clears the wait, records who and when, and the deadline counts from then', () => {
    const outcome = runNow(approved, plan, actorOf(carol), pressAt);
    if (outcome.kind !== 'started') throw new Error(outcome.kind);
    expect(outcome.request.waitsUntil).toBeNull();
    expect(outcome.request.runNow).toEqual({ by: carol, at: '2024-05-01T11:00:00.000Z' });
    expect(outcome.request.history.at(-1)).toEqual({
      at: '2024-05-01T11:00:00.000Z',
      from: 'approved',
      to: 'approved',
      by: carol,
      why: 'Run now, before its change window at Wed 2024-05-01 18:00 Europe/Berlin (16:00 UTC).',
    });
    expect(isWaiting(outcome.request, pressAt)).toBe(false);
    expect(applyDeadline(outcome.request, 120).toISOString()).toBe('2024-05-01T13:00:00.000Z');
    expect(sweepAction(outcome.request, { now: pressAt, ttlHours: 48, owner: 'me', exclusive: false })).toBe('takeOver');
    // A second press finds nothing to do.
    expect(runNow(outcome.request, plan, actorOf(bob), pressAt)).toEqual({ kind: 'stale' });
  });

  it('by someone who is not an approver, or by the requester without self-approval: refused', () => {
    expect(runNow(approved, plan, actorOf({ ...alice, aadObjectId: '99999999-0000-4000-8000-000000000009' }), pressAt)).toEqual({ kind: 'refused', reason: 'Only the approvers of this request can run it now.' });
    const ownRequest = { ...approved, requester: carol };
    expect(runNow(ownRequest, plan, actorOf(carol), pressAt)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('You made this request') });
    // A delegate of an approver may, but not on a request of the person they stand for.
    const dave: Person = { teamsId: '29:dave', aadObjectId: 'da7e0000-0000-4000-8000-000000000001', name: 'Dave' };
    const delegated = runNow(approved, plan, actorOf(dave), pressAt, [carol]);
    expect(delegated.kind === 'started' && delegated.request.history.at(-1)?.why).toBe('Run now for Carol, before its change window at Wed 2024-05-01 18:00 Europe/Berlin (16:00 UTC).');
    expect(runNow(ownRequest, plan, actorOf(dave), pressAt, [carol]).kind).toBe('refused');
    expect(runNow(ownRequest, { ...plan, allowSelfApproval: true }, actorOf(carol), pressAt).kind).toBe('started');
  });

  it('on a request that no longer waits: stale, nothing changes', () => {
    expect(runNow({ ...approved, state: 'applying' }, plan, actorOf(bob), pressAt)).toEqual({ kind: 'stale' });
    expect(runNow({ ...approved, state: 'succeeded' }, plan, actorOf(bob), pressAt)).toEqual({ kind: 'stale' });
    expect(runNow(approved, plan, actorOf(bob), at('2024-05-01T16:00:00Z'))).toEqual({ kind: 'stale' });
    expect(runNow(approved, plan, actorOf(bob), at('2024-05-01T19:00:00Z')).kind).toBe('started'); // its window closed unstarted: it waits again
    expect(runNow(pendingRequest(), plan, actorOf(bob), pressAt)).toEqual({ kind: 'stale' });
  });
});
