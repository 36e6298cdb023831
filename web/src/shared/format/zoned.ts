// Calendar arithmetic in a named time zone (the school's), whatever the browser's own: the agenda
// shows a school's week as the school lives it, and a time typed in a form means that time there.
// Days are handled as {year, month, day} and turned into instants with the zone's offset at that
// moment, so daylight saving changes move nothing.

export interface ZonedParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  weekday: number; // 0 Monday ... 6 Sunday
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function zonedParts(ms: number, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? 'Mon'),
  };
}

/** The instant at which the zone's clock shows this date and time. */
export function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wanted;
  // Two rounds settle on the offset in force at the result (around a DST change too).
  for (let i = 0; i < 2; i += 1) {
    const p = zonedParts(guess, timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += wanted - shown;
  }
  return guess;
}

export interface Day {
  year: number;
  month: number;
  day: number;
}

export function dayOf(ms: number, timeZone: string): Day {
  const p = zonedParts(ms, timeZone);
  return { year: p.year, month: p.month, day: p.day };
}

export function addDays(d: Day, n: number): Day {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n, 12));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** 0 Monday ... 6 Sunday */
export function weekdayOf(d: Day): number {
  return (new Date(Date.UTC(d.year, d.month - 1, d.day, 12)).getUTCDay() + 6) % 7;
}

export function startOfWeek(d: Day): Day {
  return addDays(d, -weekdayOf(d));
}

export function startOfMonth(d: Day): Day {
  return { year: d.year, month: d.month, day: 1 };
}

export function addMonths(d: Day, n: number): Day {
  const t = new Date(Date.UTC(d.year, d.month - 1 + n, 1, 12));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: 1 };
}

export function dayStart(d: Day, timeZone: string): number {
  return zonedToUtc(d.year, d.month, d.day, 0, 0, timeZone);
}

export function dayKey(d: Day): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

export function sameDay(a: Day, b: Day): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

/** "YYYY-MM-DD" as a Day; null when it is not one. */
export function parseDay(text: string): Day | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** "HH:MM" as minutes after midnight; null when it is not a time. */
export function parseTime(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}
