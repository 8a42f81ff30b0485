/**
 * Delegations: an approver lets another person decide in their place until a time. Pure. One delegation per
 * approver at a time (a new one ends the old); a delegate acts for the approver only, never passes it on, and a
 * withdrawn or ended delegation gives nothing. Ended ones stay on record for a while, then are dropped.
 */
import { isSamePerson } from './people.js';
import type { Person } from './request.js';

export interface Delegation {
  id: string;
  /** The approver. */
  from: Person;
  /** Who may decide in their place. */
  to: Person;
  /** ISO 8601: the delegation ends then. */
  until: string;
  createdAt: string;
  withdrawnAt?: string | null;
  withdrawnBy?: Person | null;
}

/** The longest a delegation may run. */
export const MAX_DELEGATION_DAYS = 90;
/** How long an ended delegation stays on record. */
const KEEP_ENDED_DAYS = 90;
const DAY = 86_400_000;

export function isActive(delegation: Delegation, now: Date): boolean {
  return !delegation.withdrawnAt && Date.parse(delegation.until) > now.getTime();
}

/** The approvers `person` may decide for now. */
export function actingFor(delegations: readonly Delegation[], person: Person, now: Date): Person[] {
  return delegations.filter((d) => isActive(d, now) && isSamePerson(d.to, person)).map((d) => d.from);
}

/** The active delegation of approver `from`, if any. */
export function activeFrom(delegations: readonly Delegation[], from: Person, now: Date): Delegation | null {
  return delegations.find((d) => isActive(d, now) && isSamePerson(d.from, from)) ?? null;
}

export type DelegationChange = { ok: true; delegations: Delegation[]; delegation: Delegation; replaced: Delegation | null } | { ok: false; reason: string };

/** `from` delegates to `to` until `until`; an earlier active delegation of `from` ends now. */
export function addDelegation(delegations: readonly Delegation[], draft: Pick<Delegation, 'id' | 'from' | 'to' | 'until'>, now: Date): DelegationChange {
  const until = Date.parse(draft.until);
  if (!draft.to.aadObjectId) return { ok: false, reason: 'I could not find the Entra object id of the person to delegate to.' };
  if (isSamePerson(draft.from, draft.to)) return { ok: false, reason: 'You cannot delegate to yourself.' };
  if (!(until > now.getTime())) return { ok: false, reason: 'The end of a delegation must be in the future.' };
  if (until - now.getTime() > MAX_DELEGATION_DAYS * DAY) return { ok: false, reason: `A delegation runs for at most ${MAX_DELEGATION_DAYS} days.` };
  const stamp = now.toISOString();
  const replaced = activeFrom(delegations, draft.from, now);
  const kept = pruned(delegations, now).map((d) => (d === replaced ? { ...d, withdrawnAt: stamp, withdrawnBy: draft.from } : d));
  const delegation: Delegation = { ...draft, until: new Date(until).toISOString(), createdAt: stamp };
  return { ok: true, delegations: [...kept, delegation], delegation, replaced };
}

/** `by` withdraws their active delegation. */
export function withdrawDelegation(delegations: readonly Delegation[], by: Person, now: Date): DelegationChange {
  const active = activeFrom(delegations, by, now);
  if (!active) return { ok: false, reason: 'You have no delegation running.' };
  const ended: Delegation = { ...active, withdrawnAt: now.toISOString(), withdrawnBy: by };
  return { ok: true, delegations: pruned(delegations, now).map((d) => (d === active ? ended : d)), delegation: ended, replaced: null };
}

/** Without the delegations that ended long ago. */
function pruned(delegations: readonly Delegation[], now: Date): Delegation[] {
  const cutoff = now.getTime() - KEEP_ENDED_DAYS * DAY;
  return delegations.filter((d) => Date.parse(d.withdrawnAt ?? d.until) > cutoff);
}

/** Stored delegations, without entries that are not delegations (a damaged or hand-edited record). */
export function delegationsOf(value: unknown): Delegation[] {
  if (!Array.isArray(value)) return [];
  const isPerson = (p: unknown): p is Person => typeof p === 'object' && p !== null && typeof (p as Person).teamsId === 'string' && typeof (p as Person).name === 'string';
  return value.filter((d): d is Delegation => typeof d === 'object' && d !== null && typeof d.id === 'string' && isPerson(d.from) && isPerson(d.to) && !Number.isNaN(Date.parse(d.until)));
}

/**
 * The end of a delegation as typed: a date (through the end of that day, UTC), a date and time (UTC unless it
 * names its zone), or `for <n> days|hours`.
 */
export function untilFrom(text: string, now: Date): Date | { problem: string } {
  const t = text.trim().toLowerCase();
  const span = /^for (\d{1,3}) (day|days|hour|hours|week|weeks)$/.exec(t);
  if (span) {
    const unit = span[2]?.startsWith('hour') ? 3_600_000 : span[2]?.startsWith('week') ? 7 * DAY : DAY;
    return new Date(now.getTime() + Number(span[1]) * unit);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const day = Date.parse(`${t}T00:00:00Z`);
    if (!Number.isNaN(day)) return new Date(day + DAY);
  }
  const when = /^(\d{4}-\d{2}-\d{2})[t ](\d{2}:\d{2})(:\d{2})?(z|[+-]\d{2}:\d{2})?$/.exec(t);
  if (when) {
    const parsed = Date.parse(`${when[1]}T${when[2]}${when[3] ?? ':00'}${when[4] ?? 'Z'}`);
    if (!Number.isNaN(parsed)) return new Date(parsed);
  }
  return { problem: `"${text}" is not a date I can read: write 2026-12-24, 2026-12-24 18:00 (UTC) or "for 5 days".` };
}
