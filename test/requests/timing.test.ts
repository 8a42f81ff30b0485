/** A pending request's reminders and escalation: due at the rule's times, each once, none sent late. */
import { describe, expect, it } from 'vitest';
import type { RuleTiming } from '../../src/policy/approval-policy.js';
import type { IntegrationRequest } from '../../src/requests/request.js';
import { dueNotice, markSent, scheduleOf, ttlHoursOf } from '../../src/requests/timing.js';

const MADE = '2024-05-01T00:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(MADE) + hours * 3_600_000);

function pending(timing: RuleTiming | undefined, extra: Partial<IntegrationRequest> = {}): IntegrationRequest {
  return {
    id: 'R-TIME1',
    state: 'pending',
    createdAt: MADE,
    approval: timing ? { rule: 'r', stages: [], allowSelfApproval: false, approvals: [], timing } : null,
    ...extra,
  } as IntegrationRequest;
}

const TIMING: RuleTiming = { ttlHours: 48, remindAfterHours: [4, 12], escalate: { afterHours: 24, to: { kind: 'approvalsChannel' } } };

describe('the schedule', () => {
  it('lists the reminders and the escalation in the order they fall due', () => {
    expect(scheduleOf(pending(TIMING), 168).map((n) => [n.key, n.dueAt.toISOString()])).toEqual([
      ['reminder:1', at(4).toISOString()],
      ['reminder:2', at(12).toISOString()],
      ['escalation', at(24).toISOString()],
    ]);
  });

  it('a record from before per-rule timing has REQUEST_TTL_HOURS and one reminder halfway', () => {
    expect(ttlHoursOf(pending(undefined), 72)).toBe(72);
    expect(scheduleOf(pending(undefined), 72).map((n) => n.dueAt.toISOString())).toEqual([at(36).toISOString()]);
  });
});

describe('the notice due', () => {
  it('nothing before the first time, then each notice once', () => {
    let request = pending(TIMING);
    expect(dueNotice(request, at(3.9), 168)).toBeNull();
    const first = dueNotice(request, at(4), 168);
    expect(first).toMatchObject({ key: 'reminder:1', number: 1, passed: [] });
    request = markSent(request, first!, at(4), 'Reminder 1')!;
    expect(dueNotice(request, at(11), 168)).toBeNull();
    expect(markSent(request, first!, at(5), 'Reminder 1')).toBeNull();
    const second = dueNotice(request, at(12), 168)!;
    request = markSent(request, second, at(12), 'Reminder 2')!;
    const escalation = dueNotice(request, at(30), 168)!;
    expect(escalation).toMatchObject({ key: 'escalation', kind: 'escalation', passed: [] });
    request = markSent(request, escalation, at(30), 'Escalated')!;
    expect(dueNotice(request, at(47), 168)).toBeNull();
    expect(request.notices?.map((n) => n.key)).toEqual(['reminder:1', 'reminder:2', 'escalation']);
  });

  it('after a long outage the escalation is sent and the reminders it overtook are passed, not sent late', () => {
    const request = pending(TIMING);
    const due = dueNotice(request, at(30), 168)!;
    expect(due).toMatchObject({ key: 'escalation', passed: ['reminder:1', 'reminder:2'] });
    const marked = markSent(request, due, at(30), 'Escalated')!;
    expect(marked.notices).toEqual([
      { key: 'reminder:1', at: at(30).toISOString(), passed: true },
      { key: 'reminder:2', at: at(30).toISOString(), passed: true },
      { key: 'escalation', at: at(30).toISOString(), note: 'Escalated' },
    ]);
    expect(dueNotice(marked, at(31), 168)).toBeNull();
  });

  it('of two reminders due at once the later is sent; a reminder after the escalation still comes', () => {
    expect(dueNotice(pending({ ...TIMING, escalate: null }), at(13), 168)).toMatchObject({ key: 'reminder:2', passed: ['reminder:1'] });
    const late: RuleTiming = { ttlHours: 48, remindAfterHours: [30], escalate: { afterHours: 6, to: { kind: 'people', ids: [] } } };
    const escalated = markSent(pending(late), dueNotice(pending(late), at(6), 168)!, at(6), 'Escalated')!;
    expect(dueNotice(escalated, at(30), 168)).toMatchObject({ key: 'reminder:1', passed: [] });
  });

  it('a legacy remindedAt counts as the first reminder; only pending requests get notices', () => {
    expect(dueNotice(pending(undefined, { remindedAt: at(84).toISOString() }), at(100), 168)).toBeNull();
    expect(dueNotice(pending(TIMING, { state: 'approved' }), at(30), 168)).toBeNull();
  });
});
