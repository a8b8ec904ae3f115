/**
 * Report periods (SPEC §2): a Saturday–Friday week, a US federal fiscal
 * quarter, or any inclusive date range. One parser serves every command and
 * every URL, so a selector names the same period everywhere.
 */
import { acceptedRangeText, EARLIEST_DATE, isAcceptedDate } from '../domain/dates.js';
import { usageError } from '../errors.js';

export type PeriodKind = 'week' | 'quarter' | 'range';

export interface Period {
  kind: PeriodKind;
  start: string;
  end: string;
}

const DAY = 86_400_000;

/** A UTC day; unlike Date.UTC, years 0–99 are those years, not 1900–1999. */
function utcDay(year: number, month0: number, day: number): Date {
  const d = new Date(Date.UTC(2000, month0, day));
  d.setUTCFullYear(year, month0, day);
  return d;
}

export function parseDate(text: string, what: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const d = m ? utcDay(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
  if (!d || Number.isNaN(d.getTime()) || formatDate(d) !== text) {
    throw usageError(
      `${what} ${JSON.stringify(text)} is not a date`,
      'Write dates as YYYY-MM-DD, e.g. 2017-01-28.',
    );
  }
  return d;
}

export const formatDate = (d: Date): string => d.toISOString().slice(0, 10);

/** The dates of a period (or a date filter) must lie in the accepted range (src/domain/dates.ts). */
function requireAccepted(what: string, value: string, dates: string[], today: Date): void {
  if (dates.every((d) => /^\d{4}-/.test(d) && isAcceptedDate(d, today))) return;
  throw usageError(
    `${what} ${value} is out of range: ${acceptedRangeText(today)}`,
    `Reports cover dates from ${EARLIEST_DATE} to one year after today.`,
  );
}

/** A `YYYY-MM-DD` date in the accepted range, as given: for options and query parameters that filter by a day. */
export function acceptedDate(text: string, what: string, today: Date = new Date()): string {
  parseDate(text, what);
  requireAccepted(what, text, [text], today);
  return text;
}

export const addDays = (date: string, days: number): string =>
  formatDate(new Date(parseDate(date, 'date').getTime() + days * DAY));

/** The Saturday on or before `date` (report weeks run Saturday to Friday). */
export function saturdayOnOrBefore(date: string): string {
  return addDays(date, -((parseDate(date, 'date').getUTCDay() + 1) % 7));
}

/** The last complete Saturday–Friday week ending on or before `date`. */
export function lastWeekEndingBy(date: string): Period {
  const end = addDays(saturdayOnOrBefore(addDays(date, 1)), -1);
  return { kind: 'week', start: addDays(end, -6), end };
}

/** The federal fiscal quarter a quarter period starts, as FY2018Q2. */
function fiscalQuarterName(start: string): string {
  const [y, mo] = start.split('-').map(Number) as [number, number];
  const q = mo >= 10 ? 1 : Math.floor((mo - 1) / 3) + 2;
  return `FY${q === 1 ? y + 1 : y}Q${q}`;
}

/** The week starting on `date`, which must be a Saturday; `last` is the last complete week before `today`. */
export function weekPeriod(date: string, today: Date = new Date()): Period {
  // The last complete week ends before today (today itself may be that week's Saturday).
  if (date === 'last') return lastWeekEndingBy(addDays(formatDate(today), -1));
  const d = parseDate(date, '--week');
  requireAccepted('--week', date, [date, formatDate(new Date(d.getTime() + 6 * DAY))], today);
  if (d.getUTCDay() !== 6) {
    const saturday = saturdayOnOrBefore(date);
    throw usageError(
      `--week ${date} is not a Saturday; report weeks run Saturday to Friday`,
      `The week containing ${date} starts on Saturday ${saturday}: use --week ${saturday}, or --from/--to for any range.`,
    );
  }
  return { kind: 'week', start: date, end: addDays(date, 6) };
}

/** FY2018Q2 = 2018-01-01..2018-03-31: the federal fiscal year N starts on October 1 of N-1. */
export function quarterPeriod(text: string, today: Date = new Date()): Period {
  const m = /^FY(\d{4})Q([1-4])$/i.exec(text.trim());
  if (!m) {
    throw usageError(
      `--quarter ${JSON.stringify(text)} is not a fiscal quarter`,
      'Write it as FY2018Q2 (federal fiscal year 2018, second quarter: January to March 2018).',
    );
  }
  const fy = Number(m[1]);
  const q = Number(m[2]);
  const startMonth = (9 + (q - 1) * 3) % 12; // Oct, Jan, Apr, Jul (0-based)
  const year = q === 1 ? fy - 1 : fy;
  const start = formatDate(utcDay(year, startMonth, 1));
  const end = formatDate(utcDay(year, startMonth + 3, 0));
  requireAccepted('--quarter', text, [start, end], today);
  return { kind: 'quarter', start, end };
}

export function rangePeriod(from: string, to: string, today: Date = new Date()): Period {
  acceptedDate(from, '--from', today);
  acceptedDate(to, '--to', today);
  if (from > to)
    throw usageError(
      `--from ${from} is after --to ${to}`,
      'The range includes both dates; --from comes first.',
    );
  return { kind: 'range', start: from, end: to };
}

/**
 * The period just before (what a report's "what changed" compares with): the week before, the
 * quarter before, or the range of as many days ending the day before. Null before the accepted range.
 */
export function previousPeriod(p: Period): Period | null {
  const end = addDays(p.start, -1);
  let start: string;
  if (p.kind === 'week') start = addDays(p.start, -7);
  else if (p.kind === 'quarter') {
    const [y, m] = p.start.split('-').map(Number) as [number, number];
    start = formatDate(utcDay(y, m - 1 - 3, 1));
  } else {
    const days = Math.round((Date.parse(p.end) - Date.parse(p.start)) / DAY);
    start = addDays(end, -days);
  }
  return start < EARLIEST_DATE ? null : { kind: p.kind, start, end };
}

export interface PeriodOptions {
  week?: string;
  from?: string;
  to?: string;
  quarter?: string;
}

/** The one period a command's options name; exactly one selector must be given. */
export function periodFromOptions(o: PeriodOptions, today?: Date): Period {
  const given = [
    o.week !== undefined,
    o.from !== undefined || o.to !== undefined,
    o.quarter !== undefined,
  ].filter(Boolean).length;
  if (given !== 1) {
    throw usageError(
      given === 0 ? 'no period given' : 'give one period selector, not several',
      'Use --week DATE (a Saturday, or "last"), --from DATE --to DATE, or --quarter FY2018Q2.',
    );
  }
  if (o.week !== undefined) return weekPeriod(o.week, today);
  if (o.quarter !== undefined) return quarterPeriod(o.quarter, today);
  if (o.from === undefined || o.to === undefined) {
    throw usageError(
      '--from and --to go together',
      'Give both ends of the range, e.g. --from 2017-01-01 --to 2017-03-31.',
    );
  }
  return rangePeriod(o.from, o.to, today);
}

/** A short, file-name-safe name for the period: week-2017-01-28, FY2018Q2, 2017-01-01_2017-03-31. */
export function periodSlug(p: Period): string {
  if (p.kind === 'week') return `week-${p.start}`;
  if (p.kind === 'quarter') return fiscalQuarterName(p.start);
  return `${p.start}_${p.end}`;
}

/** The period as a URL path: week/2017-01-28, quarter/FY2018Q2, range/FROM/TO. */
export function periodPath(p: Period): string {
  if (p.kind === 'week') return `week/${p.start}`;
  if (p.kind === 'quarter') return `quarter/${fiscalQuarterName(p.start)}`;
  return `range/${p.start}/${p.end}`;
}

const MONTHS = [
  'Jan.',
  'Feb.',
  'March',
  'April',
  'May',
  'June',
  'July',
  'Aug.',
  'Sept.',
  'Oct.',
  'Nov.',
  'Dec.',
];

/** AP-style human label: "Jan. 28 – Feb. 3, 2017". */
export function periodLabel(p: Period): string {
  const [sy, sm, sd] = p.start.split('-').map(Number) as [number, number, number];
  const [ey, em, ed] = p.end.split('-').map(Number) as [number, number, number];
  const s = `${MONTHS[sm - 1]} ${sd}`;
  const e = `${MONTHS[em - 1]} ${ed}, ${ey}`;
  if (p.start === p.end) return e;
  return sy === ey ? `${s} – ${e}` : `${s}, ${sy} – ${e}`;
}
