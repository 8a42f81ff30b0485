/**
 * When a pending request is reminded of, escalated and expires: the timing of the rule it was opened under
 * (copied onto the request), each notice sent once. Pure.
 */
import { defaultTiming, type RuleTiming } from '../policy/approval-policy.js';
import type { IntegrationRequest, SentNotice } from './request.js';

export type NoticeKey = SentNotice['key'];

export interface DueNotice {
  key: NoticeKey;
  kind: 'reminder' | 'escalation';
  /** Reminders from 1. */
  number: number;
  dueAt: Date;
  /** Notices due before this one that were never sent (the bot was down): marked passed, not sent late. */
  passed: NoticeKey[];
}

type Timed = Pick<IntegrationRequest, 'approval' | 'createdAt'>;

const HOUR = 3_600_000;

/** The request's timing; a record from before per-rule timing has `fallbackTtlHours` (REQUEST_TTL_HOURS) and one reminder halfway. */
export function timingOf(request: Pick<IntegrationRequest, 'approval'>, fallbackTtlHours: number): RuleTiming {
  return request.approval?.timing ?? defaultTiming(fallbackTtlHours);
}

export function ttlHoursOf(request: Pick<IntegrationRequest, 'approval'>, fallbackTtlHours: number): number {
  return timingOf(request, fallbackTtlHours).ttlHours;
}

/** Every notice of the request's timing, in the order they fall due. */
export function scheduleOf(request: Timed, fallbackTtlHours: number): Omit<DueNotice, 'passed'>[] {
  const timing = timingOf(request, fallbackTtlHours);
  const made = Date.parse(request.createdAt);
  const reminders = timing.remindAfterHours.map((hours, i) => ({ key: `reminder:${i + 1}` as NoticeKey, kind: 'reminder' as const, number: i + 1, dueAt: new Date(made + hours * HOUR) }));
  const escalation = timing.escalate ? [{ key: 'escalation' as NoticeKey, kind: 'escalation' as const, number: 1, dueAt: new Date(made + timing.escalate.afterHours * HOUR) }] : [];
  return [...reminders, ...escalation].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** The keys already sent (or passed); a record from before stored one `remindedAt` for its first reminder. */
export function sentKeys(request: Pick<IntegrationRequest, 'notices' | 'remindedAt'>): Set<NoticeKey> {
  const keys = new Set<NoticeKey>((request.notices ?? []).map((n) => n.key));
  if (request.remindedAt) keys.add('reminder:1');
  return keys;
}

/**
 * The notice to send now, if any: of the due ones not yet sent, the escalation when it is among them (it is
 * never skipped), else the latest reminder; the reminders due before it are passed.
 */
export function dueNotice(request: Timed & Pick<IntegrationRequest, 'state' | 'notices' | 'remindedAt'>, now: Date, fallbackTtlHours: number): DueNotice | null {
  if (request.state !== 'pending') return null;
  const sent = sentKeys(request);
  const due = scheduleOf(request, fallbackTtlHours).filter((n) => !sent.has(n.key) && n.dueAt.getTime() <= now.getTime());
  if (due.length === 0) return null;
  const chosen = due.find((n) => n.kind === 'escalation') ?? (due.at(-1) as (typeof due)[number]);
  const passed = due.filter((n) => n.key !== chosen.key && n.dueAt.getTime() <= chosen.dueAt.getTime()).map((n) => n.key);
  return { ...chosen, passed };
}

/** The request with `notice` marked sent (and what it passed), or null when another process marked it first. */
export function markSent(request: IntegrationRequest, notice: DueNotice, at: Date, note: string): IntegrationRequest | null {
  if (request.state !== 'pending' || sentKeys(request).has(notice.key)) return null;
  const stamp = at.toISOString();
  const passed: SentNotice[] = notice.passed.filter((key) => !sentKeys(request).has(key)).map((key) => ({ key, at: stamp, passed: true }));
  return { ...request, notices: [...(request.notices ?? []), ...passed, { key: notice.key, at: stamp, note }] };
}
