/**
 * Change windows: the days and hours, in a time zone, in which an approved request may be applied. Pure: wall
 * times are mapped to instants with the time zone rules Intl carries, so daylight saving changes are honoured.
 *
 *   "windows": [ { "days": ["Sat", "Sun"], "from": "22:00", "to": "04:00", "timeZone": "Europe/Berlin" } ]
 *
 * A window opens on each of its `days` (default: every day) at `from` and closes at `to`; when `to` is not after
 * `from` it closes the next day. A wall time a clock change skips counts as the same time after the change
 * (02:30 on the spring-forward day is 03:30), a wall time it repeats as the first of the two.
 */

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export type Weekday = (typeof WEEKDAYS)[number];

export interface ChangeWindow {
  /** The days the window opens on (its `from` is on one of them). */
  days: Weekday[];
  /** Wall time "HH:MM" in `timeZone`. */
  from: string;
  /** Wall time "HH:MM" in `timeZone`; not after `from`: the next day. */
  to: string;
  /** An IANA time zone name, as Intl spells it. */
  timeZone: string;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

interface LocalTime extends LocalDate {
  hour: number;
  minute: number;
}

const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall time of `at` in `timeZone`, to the second. */
function wallTime(at: number, timeZone: string): LocalTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(at))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1, hour: (parts.hour ?? 0) % 24, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

/** How far `timeZone` is ahead of UTC at the instant `at`, in milliseconds. */
function offsetAt(at: number, timeZone: string): number {
  const w = wallTime(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/** The instant of a wall time in `timeZone` (skipped times move forward by the gap, repeated ones take the first). */
function instantOf(local: LocalTime, timeZone: string): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const before = offsetAt(asUtc - DAY, timeZone);
  const after = offsetAt(asUtc + DAY, timeZone);
  const fits = [before, after].map((offset) => asUtc - offset).filter((at) => offsetAt(at, timeZone) === asUtc - at);
  if (fits.length > 0) return Math.min(...fits);
  return asUtc - before;
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function weekdayOf(date: LocalDate): Weekday {
  return WEEKDAYS[new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()] ?? 'Sun';
}

function minutesOf(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** The window as it opens on `date` (a local date in its zone): [start, end) in epoch milliseconds. */
function openingOn(window: ChangeWindow, date: LocalDate): { start: number; end: number } | null {
  if (!window.days.includes(weekdayOf(date))) return null;
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  const endDate = to > from ? date : addDays(date, 1);
  const start = instantOf({ ...date, hour: Math.floor(from / 60), minute: from % 60 }, window.timeZone);
  const end = instantOf({ ...endDate, hour: Math.floor(to / 60), minute: to % 60 }, window.timeZone);
  return end > start ? { start, end } : null;
}

/** The openings of `window` that begin on the local days from `fromDay` to `toDay` after the local date of `at`. */
function openingsAround(window: ChangeWindow, at: number, fromDay: number, toDay: number): { start: number; end: number }[] {
  const today = wallTime(at, window.timeZone);
  const openings: { start: number; end: number }[] = [];
  for (let offset = fromDay; offset <= toDay; offset++) {
    const opening = openingOn(window, addDays(today, offset));
    if (opening) openings.push(opening);
  }
  return openings;
}

/** The first of `windows` open at `at`; null when none is. */
export function openWindowAt(windows: readonly ChangeWindow[], at: Date): ChangeWindow | null {
  const t = at.getTime();
  return windows.find((w) => openingsAround(w, t, -1, 0).some((o) => o.start <= t && t < o.end)) ?? null;
}

/** True when an apply may run at `at`: inside one of `windows`, or there are none. */
export function windowOpenAt(windows: readonly ChangeWindow[], at: Date): boolean {
  return windows.length === 0 || openWindowAt(windows, at) !== null;
}

/** The earliest instant at or after `at` at which one of `windows` is open (`at` itself when one is, or none are given). */
export function nextWindowStart(windows: readonly ChangeWindow[], at: Date): Date {
  if (windowOpenAt(windows, at)) return at;
  const t = at.getTime();
  let next = Number.POSITIVE_INFINITY;
  for (const window of windows) {
    for (const opening of openingsAround(window, t, 0, 8)) if (opening.start > t && opening.start < next) next = opening.start;
  }
  // Every window opens on at least one weekday, so one opens within eight days.
  return Number.isFinite(next) ? new Date(next) : at;
}

const pad = (n: number) => String(n).padStart(2, '0');

function dateText(w: LocalDate): string {
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/**
 * "Sat 2024-05-04 22:00 Europe/Berlin (20:00 UTC)": `at` as the wall time of the window open then (the first
 * window's zone otherwise), with UTC beside it (its date too when that differs).
 */
export function windowTimeText(windows: readonly ChangeWindow[], at: Date): string {
  const timeZone = (openWindowAt(windows, at) ?? windows[0])?.timeZone ?? 'UTC';
  const t = at.getTime();
  const local = wallTime(t, timeZone);
  const utc = wallTime(t, 'UTC');
  const localText = `${weekdayOf(local)} ${dateText(local)} ${pad(local.hour)}:${pad(local.minute)}`;
  if (timeZone === 'UTC') return `${localText} UTC`;
  const sameDay = dateText(local) === dateText(utc);
  return `${localText} ${timeZone} (${sameDay ? '' : `${dateText(utc)} `}${pad(utc.hour)}:${pad(utc.minute)} UTC)`;
}

// ------------------------------------------------------------------------------------------------ parsing

const WINDOW_KEYS = ['days', 'from', 'to', 'timeZone'];
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The IANA name as Intl spells it, or null when Intl does not know the zone. */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** Reads a rule's `windows`; every problem is one line naming where it is. */
export function parseWindows(raw: unknown, where: string, problems: string[]): ChangeWindow[] | null {
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(`${where}: must be a non-empty list of { "days", "from", "to", "timeZone" } (leave it out to allow any time)`);
    return null;
  }
  const before = problems.length;
  const windows: ChangeWindow[] = [];
  raw.forEach((item, i) => {
    const window = parseWindow(item, `${where}[${i}]`, problems);
    if (window) windows.push(window);
  });
  return problems.length > before ? null : windows;
}

function parseWindow(raw: unknown, where: string, problems: string[]): ChangeWindow | null {
  if (!isObject(raw)) {
    problems.push(`${where}: must be an object with "from" and "to" ("HH:MM"), and optional "days" and "timeZone"`);
    return null;
  }
  const before = problems.length;
  for (const key of Object.keys(raw)) {
    if (!WINDOW_KEYS.includes(key)) problems.push(`${where}: unknown key "${key}" (known: ${WINDOW_KEYS.join(', ')})`);
  }
  const days = parseDays(raw.days, `${where}.days`, problems);
  for (const key of ['from', 'to'] as const) {
    const value = raw[key];
    if (value === undefined) problems.push(`${where}.${key}: required, a time "HH:MM" (00:00 to 23:59)`);
    else if (typeof value !== 'string' || !HHMM.test(value)) problems.push(`${where}.${key}: ${JSON.stringify(value)} is not a time "HH:MM" (00:00 to 23:59)`);
  }
  const zone = raw.timeZone ?? 'UTC';
  const timeZone = typeof zone === 'string' && zone.trim() !== '' ? canonicalTimeZone(zone) : null;
  if (timeZone === null) problems.push(`${where}.timeZone: ${JSON.stringify(zone)} is not a time zone I know (an IANA name such as "Europe/Berlin" or "UTC")`);
  if (problems.length > before || !days || !timeZone) return null;
  return { days, from: String(raw.from), to: String(raw.to), timeZone };
}

function parseDays(raw: unknown, where: string, problems: string[]): Weekday[] | null {
  if (raw === undefined) return [...WEEKDAYS];
  const names = `${WEEKDAYS.slice(1).join(', ')}, Sun`;
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(`${where}: must be a non-empty list of days (${names}); leave it out for every day`);
    return null;
  }
  const days: Weekday[] = [];
  raw.forEach((day, i) => {
    const known = WEEKDAYS.find((d) => typeof day === 'string' && d.toLowerCase() === day.toLowerCase());
    if (!known) problems.push(`${where}[${i}]: ${JSON.stringify(day)} is not a day (${names})`);
    else if (days.includes(known)) problems.push(`${where}[${i}]: ${known} is listed twice`);
    else days.push(known);
  });
  return days.length === raw.length ? days : null;
}
