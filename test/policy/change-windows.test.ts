import { describe, expect, it } from 'vitest';
import { nextWindowStart, openWindowAt, windowOpenAt, windowTimeText, type ChangeWindow, WEEKDAYS } from '../../src/policy/change-windows.js';
import { parseApprovalPolicy } from '../../src/policy/parse-approval-policy.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const EVERY_DAY = [...WEEKDAYS];

function w(from: string, to: string, timeZone = 'UTC', days: ChangeWindow['days'] = EVERY_DAY): ChangeWindow {
  return { days, from, to, timeZone };
}

const at = (iso: string) => new Date(iso);
const next = (windows: ChangeWindow[], iso: string) => nextWindowStart(windows, at(iso)).toISOString();

describe('no windows', () => {
  it('applies may run at any time', () => {
    expect(windowOpenAt([], at('2024-05-01T03:00:00Z'))).toBe(true);
    expect(next([], '2024-05-01T03:00:00Z')).toBe('2024-05-01T03:00:00.000Z');
  });
});

describe('a window within one day (UTC, every day)', () => {
  const office = [w('09:00', '17:00')];

  it.each([
    ['2024-05-01T08:59:59Z', false, '2024-05-01T09:00:00.000Z'],
    ['2024-05-01T09:00:00Z', true, '2024-05-01T09:00:00.000Z'],
    ['2024-05-01T12:34:56Z', true, '2024-05-01T12:34:56.000Z'],
    ['2024-05-01T16:59:59Z', true, '2024-05-01T16:59:59.000Z'],
    ['2024-05-01T17:00:00Z', false, '2024-05-02T09:00:00.000Z'],
    ['2024-05-01T23:30:00Z', false, '2024-05-02T09:00:00.000Z'],
    ['2024-12-31T20:00:00Z', false, '2025-01-01T09:00:00.000Z'],
  ])('at %s: open %s, next start %s', (when, open, start) => {
    expect(windowOpenAt(office, at(when))).toBe(open);
    expect(next(office, when)).toBe(start);
  });
});

describe('a window over midnight', () => {
  // Saturday nights: opens Sat 22:00, closes Sun 04:00.
  const saturdayNight = [w('22:00', '04:00', 'UTC', ['Sat'])];

  it.each([
    ['2024-05-04T21:59:00Z', false, '2024-05-04T22:00:00.000Z'], // Sat before
    ['2024-05-04T22:00:00Z', true, '2024-05-04T22:00:00.000Z'],
    ['2024-05-05T03:59:00Z', true, '2024-05-05T03:59:00.000Z'], // Sun morning: still Saturday's window
    ['2024-05-05T04:00:00Z', false, '2024-05-11T22:00:00.000Z'],
    ['2024-05-05T23:00:00Z', false, '2024-05-11T22:00:00.000Z'], // Sun night: not a window day
    ['2024-05-04T02:00:00Z', false, '2024-05-04T22:00:00.000Z'], // Sat morning: Friday did not open one
  ])('at %s: open %s, next start %s', (when, open, start) => {
    expect(windowOpenAt(saturdayNight, at(when))).toBe(open);
    expect(next(saturdayNight, when)).toBe(start);
  });

  it('from equal to to is a whole day', () => {
    const day = [w('06:00', '06:00', 'UTC', ['Mon'])];
    expect(windowOpenAt(day, at('2024-05-06T06:00:00Z'))).toBe(true);
    expect(windowOpenAt(day, at('2024-05-07T05:59:00Z'))).toBe(true);
    expect(windowOpenAt(day, at('2024-05-07T06:00:00Z'))).toBe(false);
    expect(next(day, '2024-05-07T06:00:00Z')).toBe('2024-05-13T06:00:00.000Z');
  });
});

describe('days', () => {
  const monWed = [w('10:00', '12:00', 'UTC', ['Mon', 'Wed'])];

  it('a day not listed is skipped to the next listed one', () => {
    // 2024-05-07 is a Tuesday.
    expect(windowOpenAt(monWed, at('2024-05-07T11:00:00Z'))).toBe(false);
    expect(next(monWed, '2024-05-07T11:00:00Z')).toBe('2024-05-08T10:00:00.000Z');
    expect(next(monWed, '2024-05-08T12:00:00Z')).toBe('2024-05-13T10:00:00.000Z');
  });

  it('the days are of the window zone, not of UTC', () => {
    // Mon 00:30 in Tokyo is Sun 15:30 UTC.
    const tokyoMonday = [w('00:00', '01:00', 'Asia/Tokyo', ['Mon'])];
    expect(windowOpenAt(tokyoMonday, at('2024-05-05T15:30:00Z'))).toBe(true);
    expect(windowOpenAt(tokyoMonday, at('2024-05-06T15:30:00Z'))).toBe(false);
    expect(next(tokyoMonday, '2024-05-06T00:00:00Z')).toBe('2024-05-12T15:00:00.000Z');
  });
});

describe('several windows', () => {
  const windows = [w('22:00', '23:00', 'UTC', ['Fri']), w('18:00', '20:00', 'Europe/Berlin'), w('06:00', '07:00', 'America/New_York', ['Sun'])];

  it('the earliest opening of any of them; open when any is', () => {
    // Wed 2024-05-01 09:00 UTC: Berlin 18:00 CEST is 16:00 UTC the same day.
    expect(next(windows, '2024-05-01T09:00:00Z')).toBe('2024-05-01T16:00:00.000Z');
    expect(openWindowAt(windows, at('2024-05-01T17:00:00Z'))?.timeZone).toBe('Europe/Berlin');
    // Fri 2024-05-03 21:00 UTC: Berlin's window has closed (18:00 UTC), the Friday one opens at 22:00.
    expect(next(windows, '2024-05-03T21:00:00Z')).toBe('2024-05-03T22:00:00.000Z');
    expect(openWindowAt(windows, at('2024-05-03T22:30:00Z'))?.timeZone).toBe('UTC');
    // Sun 2024-05-05 10:05 UTC: New York 06:05 EDT.
    expect(windowOpenAt(windows, at('2024-05-05T10:05:00Z'))).toBe(true);
  });
});

describe('daylight saving time', () => {
  it('a window keeps its wall time across a change (Berlin, spring: CET to CEST on 2024-03-31)', () => {
    const nine = [w('09:00', '10:00', 'Europe/Berlin')];
    expect(next(nine, '2024-03-30T09:00:00Z')).toBe('2024-03-31T07:00:00.000Z');
    expect(next(nine, '2024-03-29T12:00:00Z')).toBe('2024-03-30T08:00:00.000Z');
  });

  it('a window over the skipped hour is an hour shorter that night', () => {
    const night = [w('01:00', '04:00', 'Europe/Berlin')];
    expect(windowOpenAt(night, at('2024-03-31T00:00:00Z'))).toBe(true); // 01:00 CET
    expect(windowOpenAt(night, at('2024-03-31T01:59:00Z'))).toBe(true); // 03:59 CEST
    expect(windowOpenAt(night, at('2024-03-31T02:00:00Z'))).toBe(false); // 04:00 CEST
    expect(next(night, '2024-03-31T02:00:00Z')).toBe('2024-03-31T23:00:00.000Z'); // 01:00 CEST the next night
  });

  it('a skipped wall time counts as the same time after the change', () => {
    expect(next([w('02:30', '05:00', 'Europe/Berlin')], '2024-03-30T12:00:00Z')).toBe('2024-03-31T01:30:00.000Z'); // 03:30 CEST
  });

  it('a repeated wall time is its first occurrence (Berlin, autumn: CEST to CET on 2024-10-27)', () => {
    const window = [w('02:30', '03:30', 'Europe/Berlin')];
    expect(next(window, '2024-10-26T12:00:00Z')).toBe('2024-10-27T00:30:00.000Z'); // 02:30 CEST
    expect(windowOpenAt(window, at('2024-10-27T02:29:00Z'))).toBe(true); // 03:29 CET
    expect(windowOpenAt(window, at('2024-10-27T02:30:00Z'))).toBe(false);
  });

  it('New York, spring (2024-03-10): 09:00 is 14:00 UTC before and 13:00 UTC from that day', () => {
    const office = [w('09:00', '17:00', 'America/New_York', ['Sat', 'Sun', 'Mon'])];
    expect(next(office, '2024-03-09T00:00:00Z')).toBe('2024-03-09T14:00:00.000Z');
    expect(next(office, '2024-03-09T22:00:00Z')).toBe('2024-03-10T13:00:00.000Z');
    expect(windowOpenAt(office, at('2024-03-10T21:30:00Z'))).toBe(false); // 17:30 EDT
  });

  it('a southern zone: Sydney leaves summer time on 2024-04-07', () => {
    const early = [w('06:00', '07:00', 'Australia/Sydney')];
    expect(next(early, '2024-04-05T12:00:00Z')).toBe('2024-04-05T19:00:00.000Z'); // 06:00 AEDT (+11)
    expect(next(early, '2024-04-06T12:00:00Z')).toBe('2024-04-06T20:00:00.000Z'); // 06:00 AEST (+10)
  });
});

describe('nextWindowStart agrees with scanning the clock', () => {
  const sets: ChangeWindow[][] = [
    [w('22:00', '04:00', 'Europe/Berlin', ['Sat'])],
    [w('09:15', '09:45', 'America/New_York', ['Mon', 'Thu']), w('23:00', '01:00', 'Asia/Kolkata', ['Sun'])],
    [w('01:00', '03:30', 'Europe/Berlin', ['Sun'])],
  ];
  const starts = ['2024-03-29T10:07:00Z', '2024-03-31T00:50:00Z', '2024-10-26T23:59:00Z', '2024-11-03T05:00:00Z', '2024-05-01T09:00:00Z'];

  it.each(sets.flatMap((windows, i) => starts.map((start) => [i, start, windows] as const)))('set %i from %s', (_i, start, windows) => {
    const from = at(start);
    const found = nextWindowStart(windows, from);
    expect(windowOpenAt(windows, found)).toBe(true);
    // Every 15 minutes (the windows' edges are on quarter hours, Kolkata's too) before it is closed.
    const firstQuarter = Math.ceil(from.getTime() / 900_000) * 900_000;
    for (let t = firstQuarter; t < found.getTime(); t += 900_000) expect(windowOpenAt(windows, new Date(t)), new Date(t).toISOString()).toBe(false);
  });
});

describe('wording', () => {
  it('says the time in the zone of the window and in UTC', () => {
    const berlin = [w('18:00', '20:00', 'Europe/Berlin')];
    expect(windowTimeText(berlin, at('2024-05-01T16:00:00Z'))).toBe('Wed 2024-05-01 18:00 Europe/Berlin (16:00 UTC)');
    expect(windowTimeText([w('00:30', '02:00', 'Europe/Berlin')], at('2024-05-04T22:30:00Z'))).toBe('Sun 2024-05-05 00:30 Europe/Berlin (2024-05-04 22:30 UTC)');
    expect(windowTimeText([w('18:00', '20:00')], at('2024-05-01T18:00:00Z'))).toBe('Wed 2024-05-01 18:00 UTC');
    expect(windowTimeText([], at('2024-05-01T18:00:00Z'))).toBe('Wed 2024-05-01 18:00 UTC');
  });
});

describe('reading windows in a policy', () => {
  function problems(windows: unknown): string[] {
    const result = parseApprovalPolicy({ default: { approvers: [A], windows } });
    return result.ok ? [] : result.problems;
  }

  it('fills in every day and UTC, spells the zone as Intl does, and keeps rules without windows as they were', () => {
    const result = parseApprovalPolicy({
      default: { approvers: [A] },
      rules: [{ match: { subscription: '/subscriptions/11111111-1111-4111-8111-111111111111' }, approvers: [A], windows: [{ from: '22:00', to: '04:00', days: ['sat', 'Sun'], timeZone: 'europe/berlin' }, { from: '01:00', to: '02:00' }] }],
    });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.policy.default.windows).toBeUndefined();
    expect(result.policy.rules[0]?.windows).toEqual([
      { days: ['Sat', 'Sun'], from: '22:00', to: '04:00', timeZone: 'Europe/Berlin' },
      { days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'], from: '01:00', to: '02:00', timeZone: 'UTC' },
    ]);
  });

  it.each([
    [[], ['default.windows: must be a non-empty list of { "days", "from", "to", "timeZone" } (leave it out to allow any time)']],
    [{ from: '22:00', to: '04:00' }, ['default.windows: must be a non-empty list of { "days", "from", "to", "timeZone" } (leave it out to allow any time)']],
    [['22:00-04:00'], ['default.windows[0]: must be an object with "from" and "to" ("HH:MM"), and optional "days" and "timeZone"']],
    [[{ from: '22:00', to: '04:00', zone: 'UTC' }], ['default.windows[0]: unknown key "zone" (known: days, from, to, timeZone)']],
    [[{ to: '04:00' }], ['default.windows[0].from: required, a time "HH:MM" (00:00 to 23:59)']],
    [[{ from: '24:00', to: '4:00' }], ['default.windows[0].from: "24:00" is not a time "HH:MM" (00:00 to 23:59)', 'default.windows[0].to: "4:00" is not a time "HH:MM" (00:00 to 23:59)']],
    [[{ from: 2200, to: '04:00' }], ['default.windows[0].from: 2200 is not a time "HH:MM" (00:00 to 23:59)']],
    [[{ from: '22:00', to: '04:00', days: ['Saturday', 'Sun', 'sun'] }], ['default.windows[0].days[0]: "Saturday" is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)', 'default.windows[0].days[2]: Sun is listed twice']],
    [[{ from: '22:00', to: '04:00', days: [] }], ['default.windows[0].days: must be a non-empty list of days (Mon, Tue, Wed, Thu, Fri, Sat, Sun); leave it out for every day']],
    [[{ from: '22:00', to: '04:00', timeZone: 'Mars/Olympus_Mons' }], ['default.windows[0].timeZone: "Mars/Olympus_Mons" is not a time zone I know (an IANA name such as "Europe/Berlin" or "UTC")']],
    [[{ from: '22:00', to: '04:00', timeZone: '' }], ['default.windows[0].timeZone: "" is not a time zone I know (an IANA name such as "Europe/Berlin" or "UTC")']],
    [[{ from: '22:00', to: '04:00' }, { from: '1:00' }], ['default.windows[1].from: "1:00" is not a time "HH:MM" (00:00 to 23:59)', 'default.windows[1].to: required, a time "HH:MM" (00:00 to 23:59)']],
  ])('%j: one line per problem', (windows, expected) => {
    expect(problems(windows)).toEqual(expected);
  });
});
