import { describe, expect, it } from 'vitest';
import type { PlannedFix } from '../../src/eligibility/report.js';
import { mayHold, newLease } from '../../src/requests/lease.js';
import { leftBehind } from '../../src/apply/leftovers.js';
import { applyDeadline, expiresAt, transition } from '../../src/requests/lifecycle.js';
import { sweepAction } from '../../src/requests/sweep.js';
import { bob, request } from './fixtures.js';

const at = (iso: string) => new Date(iso);
const view = (now: string, exclusive = false) => ({ now: at(now), ttlHours: 48, owner: 'me', exclusive });

describe('leases', () => {
  const lease = newLease('other', at('2024-05-01T10:00:00Z'), 60);

  it('are free when absent, ours, expired, or (on a store one process uses) another owner\'s', () => {
    expect(lease.expiresAt).toBe('2024-05-01T10:01:00.000Z');
    expect(mayHold(null, view('2024-05-01T10:00:30Z'))).toBe(true);
    expect(mayHold({ ...lease, owner: 'me' }, view('2024-05-01T10:00:30Z'))).toBe(true);
    expect(mayHold(lease, view('2024-05-01T10:00:30Z'))).toBe(false);
    expect(mayHold(lease, view('2024-05-01T10:01:00Z'))).toBe(true);
    expect(mayHold(lease, view('2024-05-01T10:00:30Z', true))).toBe(true);
  });
});

describe('the sweep', () => {
  const pending = request({ createdAt: '2024-05-01T10:00:00.000Z' });

  it('reminds once halfway and expires after the TTL (a record from before per-rule timing)', () => {
    expect(expiresAt(pending, 48).toISOString()).toBe('2024-05-03T10:00:00.000Z');
    expect(sweepAction(pending, view('2024-05-02T09:59:59Z'))).toBeNull();
    expect(sweepAction(pending, view('2024-05-02T10:00:00Z'))).toBe('notice');
    expect(sweepAction({ ...pending, remindedAt: '2024-05-02T10:00:00Z' }, view('2024-05-02T11:00:00Z'))).toBeNull();
    expect(sweepAction({ ...pending, remindedAt: '2024-05-02T10:00:00Z' }, view('2024-05-03T10:00:01Z'))).toBe('expire');
    expect(sweepAction(pending, view('2024-05-03T10:00:01Z'))).toBe('expire');
  });

  it('takes over approved and applying requests whose lease is free, and leaves the rest alone', () => {
    const lease = newLease('other', at('2024-05-01T10:00:00Z'), 60);
    for (const state of ['approved', 'applying'] as const) {
      expect(sweepAction(request({ state, lease }), view('2024-05-01T10:00:30Z'))).toBeNull();
      expect(sweepAction(request({ state, lease }), view('2024-05-01T10:02:00Z'))).toBe('takeOver');
      expect(sweepAction(request({ state, lease: null }), view('2024-05-01T10:00:30Z'))).toBe('takeOver');
    }
    for (const state of ['succeeded', 'failed', 'rejected', 'cancelled', 'expired'] as const) {
      expect(sweepAction(request({ state }), view('2030-01-01T00:00:00Z'))).toBeNull();
    }
  });

  it('counts the apply deadline from the approval', () => {
    const approved = transition(pending, 'approve', { by: bob, at: at('2024-05-01T12:00:00Z') });
    expect(approved.ok && applyDeadline(approved.request, 120).toISOString()).toBe('2024-05-01T14:00:00.000Z');
  });
});

describe('what a failed apply leaves behind', () => {
  const subnetId = '/subscriptions/s1/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub/subnets/apim';
  const fixes: PlannedFix[] = [
    { kind: 'registerProvider', namespace: 'Microsoft.Web', subscriptionId: 's1' },
    { kind: 'addDelegation', subnetId, serviceName: 'Microsoft.Web/serverFarms' },
  ];
  const done = (changed: boolean) => [
    { step: 'recheck' as const, at: 'x', note: 'ok', changed: false },
    { step: 'registerProvider' as const, at: 'x', note: 'ok', changed },
    { step: 'addDelegation' as const, at: 'x', note: 'ok', changed },
  ];

  it('names each change the bot made, with the command that undoes it', () => {
    const r = request({ fixes, apply: { step: 'updateInstance', done: done(true), pollerState: null, pollerStep: null, failure: null, plan: fixes } });
    expect(leftBehind(r)).toEqual([
      expect.stringMatching(/^Microsoft.Web stays registered in subscription s1 .* az provider unregister --namespace Microsoft.Web --subscription s1$/),
      expect.stringMatching(/^Subnet hub\/apim stays delegated .* az network vnet subnet update --subscription s1 -g rg-net --vnet-name hub -n apim --remove delegations$/),
    ]);
  });

  it('says nothing about what was already so, or when nothing ran', () => {
    expect(leftBehind(request({ fixes, apply: { step: 'updateInstance', done: done(false), pollerState: null, pollerStep: null, failure: null } }))).toEqual([]);
    expect(leftBehind(request())).toEqual([]);
  });
});
