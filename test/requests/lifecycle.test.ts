import { describe, expect, it } from 'vitest';
import { canTransition, isOverdue, lastEntryInto, transition, type RequestEvent } from '../../src/requests/lifecycle.js';
import type { RequestState } from '../../src/requests/request.js';
import { bob, request } from './fixtures.js';

const at = new Date('2024-05-01T11:00:00.000Z');

describe('request lifecycle', () => {
  const allowed: [RequestState, RequestEvent, RequestState][] = [
    ['pending', 'approve', 'approved'],
    ['pending', 'reject', 'rejected'],
    ['pending', 'cancel', 'cancelled'],
    ['pending', 'expire', 'expired'],
    ['approved', 'startApply', 'applying'],
    ['approved', 'fail', 'failed'],
    ['applying', 'succeed', 'succeeded'],
    ['applying', 'fail', 'failed'],
  ];

  it.each(allowed)('%s --%s--> %s, with a history entry', (from, event, to) => {
    const result = transition(request({ state: from }), event, { by: bob, at, why: 'because' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.state).toBe(to);
    expect(result.request.history.at(-1)).toEqual({ at: at.toISOString(), from, to, by: bob, why: 'because' });
    expect(result.request.updatedAt).toBe(at.toISOString());
    expect(result.request.version).toBe(1);
  });

  it('refuses every other transition and leaves the request alone', () => {
    const states: RequestState[] = ['pending', 'approved', 'applying', 'succeeded', 'failed', 'rejected', 'cancelled', 'expired'];
    const events: RequestEvent[] = ['approve', 'reject', 'cancel', 'expire', 'startApply', 'succeed', 'fail'];
    for (const state of states) {
      for (const event of events) {
        if (allowed.some(([f, e]) => f === state && e === event)) continue;
        const original = request({ state });
        const result = transition(original, event, { by: bob, at });
        expect(result.ok, `${state} --${event}-->`).toBe(false);
        expect(canTransition(state, event)).toBe(false);
        if (!result.ok) expect(result.reason).toContain(original.id);
      }
    }
  });

  it('does not change the request it was given', () => {
    const original = request();
    transition(original, 'approve', { by: bob, at });
    expect(original.state).toBe('pending');
    expect(original.history).toHaveLength(1);
  });

  it('knows when a pending request is overdue', () => {
    const r = request({ createdAt: '2024-05-01T00:00:00.000Z' });
    expect(isOverdue(r, new Date('2024-05-01T23:59:00.000Z'), 24)).toBe(false);
    expect(isOverdue(r, new Date('2024-05-02T00:01:00.000Z'), 24)).toBe(true);
    expect(isOverdue({ ...r, state: 'approved' }, new Date('2024-06-01T00:00:00.000Z'), 24)).toBe(false);
  });

  it('finds who moved the request into a state', () => {
    const approved = transition(request(), 'approve', { by: bob, at });
    expect(approved.ok && lastEntryInto(approved.request, 'approved')?.by).toEqual(bob);
    expect(lastEntryInto(request(), 'approved')).toBeNull();
  });
});
