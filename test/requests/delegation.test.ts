/** Delegations, pure: who may act for whom and when, one per approver, withdrawal, the end as typed. */
import { describe, expect, it } from 'vitest';
import { actingFor, activeFrom, addDelegation, delegationsOf, untilFrom, withdrawDelegation, type Delegation } from '../../src/requests/delegation.js';
import type { Person } from '../../src/requests/request.js';

const person = (name: string, n: number): Person => ({ name, teamsId: `29:${name}`, aadObjectId: `0000000${n}-0000-4000-8000-000000000000` });
const [bob, dave, erin] = [person('Bob', 1), person('Dave', 2), person('Erin', 3)] as [Person, Person, Person];
const NOW = new Date('2026-12-04T10:00:00Z');
const later = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000);

function made(all: Delegation[], to: Person, hours: number, at = NOW, from = bob): Delegation[] {
  const change = addDelegation(all, { id: `D-${to.name}`, from, to, until: later(hours).toISOString() }, at);
  if (!change.ok) throw new Error(change.reason);
  return change.delegations;
}

describe('delegations', () => {
  it('the delegate acts for the approver until the end, not after, and never passes it on', () => {
    const all = made(made([], dave, 24), erin, 24, NOW, dave);
    expect(actingFor(all, dave, later(23))).toEqual([bob]);
    expect(actingFor(all, dave, later(24))).toEqual([]);
    expect(actingFor(all, erin, later(1))).toEqual([dave]);
    expect(actingFor(all, bob, later(1))).toEqual([]);
  });

  it('a new delegation ends the running one; a withdrawal ends it now; both stay on record', () => {
    const first = made([], dave, 24);
    const change = addDelegation(first, { id: 'D-2', from: bob, to: erin, until: later(48).toISOString() }, later(1));
    expect(change.ok && change.replaced?.to).toEqual(dave);
    const all = change.ok ? change.delegations : [];
    expect(actingFor(all, dave, later(2))).toEqual([]);
    expect(actingFor(all, erin, later(2))).toEqual([bob]);
    const withdrawn = withdrawDelegation(all, bob, later(3));
    expect(withdrawn.ok && withdrawn.delegations.map((d) => [d.id, d.withdrawnAt])).toEqual([
      ['D-Dave', later(1).toISOString()],
      ['D-2', later(3).toISOString()],
    ]);
    expect(withdrawn.ok && activeFrom(withdrawn.delegations, bob, later(3))).toBeNull();
    expect(withdrawDelegation(withdrawn.ok ? withdrawn.delegations : [], bob, later(4))).toEqual({ ok: false, reason: 'You have no delegation running.' });
  });

  it('refuses a delegation to oneself, to someone without an object id, in the past or longer than 90 days', () => {
    const refuse = (to: Person, until: Date) => addDelegation([], { id: 'D-X', from: bob, to, until: until.toISOString() }, NOW);
    expect(refuse(bob, later(1))).toEqual({ ok: false, reason: 'You cannot delegate to yourself.' });
    expect(refuse({ ...dave, aadObjectId: null }, later(1))).toMatchObject({ ok: false });
    expect(refuse(dave, later(-1))).toEqual({ ok: false, reason: 'The end of a delegation must be in the future.' });
    expect(refuse(dave, later(24 * 91))).toEqual({ ok: false, reason: 'A delegation runs for at most 90 days.' });
  });

  it('drops ended delegations after 90 days, and entries that are not delegations', () => {
    const old = made([], dave, 1);
    const next = made(old, erin, 24 * 92 + 1, later(24 * 92));
    expect(next.map((d) => d.id)).toEqual(['D-Erin']);
    expect(delegationsOf([{ id: 'D-1' }, 'x', ...next])).toEqual(next);
    expect(delegationsOf(undefined)).toEqual([]);
  });
});

describe('the end as typed', () => {
  it.each([
    ['2026-12-24', '2026-12-25T00:00:00.000Z'],
    ['2026-12-24 18:00', '2026-12-24T18:00:00.000Z'],
    ['2026-12-24T18:00+01:00', '2026-12-24T17:00:00.000Z'],
    ['for 5 days', '2026-12-09T10:00:00.000Z'],
    ['for 12 hours', '2026-12-04T22:00:00.000Z'],
    ['for 2 weeks', '2026-12-18T10:00:00.000Z'],
  ])('%s', (typed, iso) => {
    expect(untilFrom(typed, NOW)).toEqual(new Date(iso));
  });

  it('anything else is a problem that shows the forms', () => {
    expect(untilFrom('next friday', NOW)).toEqual({ problem: expect.stringContaining('write 2026-12-24, 2026-12-24 18:00 (UTC) or "for 5 days"') });
    expect(untilFrom('2026-13-45', NOW)).toMatchObject({ problem: expect.any(String) });
  });
});
