/**
 * The dates ddor accepts, for every date of a record and every period: from
 * EARLIEST_DATE to one year after today. A date outside is a typo or a
 * placeholder (0000-01-01, 9999-12-31, a spreadsheet's day zero), not a
 * detainer or a policy, and it would make impossible periods (year 10000).
 *
 * The lower bound is older than any detainer in ICE's releases because
 * policies reach further back: LAPD's Special Order 40 dates from 1979 and
 * Oregon's ORS 181.850 from 1987. "Today" is the caller's: imports and period
 * options read the clock; a report never does.
 */

/** The first date ddor accepts. */
export const EARLIEST_DATE = '1979-01-01';

/** The last date ddor accepts: one year after `today` (UTC; 29 February rolls over to 1 March). */
export function latestAcceptedDate(today: Date): string {
  const d = new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), today.getUTCDate()));
  return d.toISOString().slice(0, 10);
}

/** True for a `YYYY-MM-DD` date within the accepted range. */
export function isAcceptedDate(date: string, today: Date): boolean {
  return date >= EARLIEST_DATE && date <= latestAcceptedDate(today);
}

/** The range in words, for messages: "ddor accepts 1979-01-01 to 2027-11-28". */
export function acceptedRangeText(today: Date): string {
  return `ddor accepts ${EARLIEST_DATE} to ${latestAcceptedDate(today)}`;
}

export const DATE_RANGE_HINT =
  'Check the year: a detainer or policy date lies between 1979-01-01 and one year after today.';
