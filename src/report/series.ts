/**
 * Week-by-week figures for the web app's trends and county pages: detainers
 * issued (by issuing week) and declines recorded (by recording week), by the
 * same attribution rules as the report (releasing agency, facility registry).
 */
import { sql } from 'kysely';
import { aorName } from '../domain/aors.js';
import { EARLIEST_DATE, latestAcceptedDate } from '../domain/dates.js';
import { stateName } from '../domain/states.js';
import { countyByFips } from '../geo/gazetteer.js';
import type { Store } from '../store/store.js';
import { listEditions } from './editions.js';

export interface WeekPoint {
  week: string;
  detainers_issued: number;
  declined: number;
}

const saturdayOf = (col: string) =>
  sql.raw(`${col} - CAST(MOD(CAST(EXTRACT(DOW FROM ${col}) AS INTEGER) + 1, 7) AS INTEGER)`);

export interface SeriesFilter {
  fips?: string;
  state?: string;
}

/**
 * Detainers issued and declines recorded, week by week. Dates outside the accepted
 * range (stored before imports checked it) are left out: they are not weeks anyone
 * reports on, and years 0 or 9999 would stretch the chart over millennia. `today`
 * defaults to the clock: the web app's request time (a report never reads it).
 */
export async function weeklySeries(
  store: Store,
  filter: SeriesFilter = {},
  today: Date = new Date(),
): Promise<WeekPoint[]> {
  const inRange = (col: string) =>
    sql`${sql.raw(col)} BETWEEN CAST(${EARLIEST_DATE} AS DATE) AND CAST(${latestAcceptedDate(today)} AS DATE)`;
  const receiving = sql.raw('coalesce(d.county_fips, f.county_fips)');
  const attributed = sql.raw('coalesce(d.released_by_county_fips, d.county_fips, f.county_fips)');
  const where = (county: ReturnType<typeof sql.raw>, stateCol: ReturnType<typeof sql.raw>) =>
    filter.fips
      ? sql`${county} = ${filter.fips}`
      : filter.state
        ? sql`${stateCol} = ${filter.state}`
        : sql`true`;
  const issued = await sql<{ week: string; n: number }>`
    SELECT ${saturdayOf('d.issued_date')} AS week, count(*) AS n
    FROM detainers d LEFT JOIN facilities f ON f.facility_key = d.facility_key
    WHERE ${where(receiving, sql.raw('d.state'))} AND ${inRange('d.issued_date')}
    GROUP BY 1`.execute(store.db);
  const declined = await sql<{ week: string; n: number }>`
    SELECT ${saturdayOf('d.recorded_date')} AS week, count(*) AS n
    FROM detainers d LEFT JOIN facilities f ON f.facility_key = d.facility_key
    WHERE d.outcome = 'declined' AND ${inRange('d.recorded_date')}
      AND ${where(attributed, sql.raw('coalesce(d.released_by_state, d.state)'))}
    GROUP BY 1`.execute(store.db);
  const weeks = new Map<string, WeekPoint>();
  const point = (w: string) => {
    const key = String(w).slice(0, 10);
    let p = weeks.get(key);
    if (!p) {
      p = { week: key, detainers_issued: 0, declined: 0 };
      weeks.set(key, p);
    }
    return p;
  };
  for (const r of issued.rows) point(r.week).detainers_issued = Number(r.n);
  for (const r of declined.rows) point(r.week).declined = Number(r.n);
  return [...weeks.values()].sort((a, b) => (a.week < b.week ? -1 : 1));
}

export interface CountyProfile {
  county: { fips: string; name: string; state: string; state_name: string; class: string };
  weeks: WeekPoint[];
  totals: { detainers_issued: number; declined: number; decline_share: number | null };
  policies: Array<{
    policy_id: string;
    level: string;
    type: string;
    title: string;
    aor: string | null;
    enacted_date: string;
    rescinded_date: string | null;
    restricts: string[];
    source_url: string | null;
  }>;
  editions: Array<{
    period: { start: string; end: string; kind: string };
    number: number;
    published_at: string;
    declines: number;
  }>;
}

/** Everything the county page and /api/v1/jurisdictions/{fips} show; null for an unknown FIPS code. */
export async function countyProfile(
  store: Store,
  fips: string,
  today: Date = new Date(),
): Promise<CountyProfile | null> {
  const c = countyByFips(fips);
  if (!c) return null;
  const weeks = await weeklySeries(store, { fips }, today);
  const issued = weeks.reduce((s, w) => s + w.detainers_issued, 0);
  const declined = weeks.reduce((s, w) => s + w.declined, 0);
  const { rows } = await sql<{
    policy_id: string;
    level: string;
    type: string;
    title: string;
    aor: string | null;
    enacted_date: string;
    enacted_precision: string;
    rescinded_date: string | null;
    restricts: string;
    source_url: string | null;
  }>`
    SELECT policy_id, level, type, title, aor, enacted_date, enacted_precision, rescinded_date, restricts, source_url
    FROM policies WHERE state = ${c.state} AND (level = 'state' OR county_fips = ${fips})
    ORDER BY enacted_date, policy_id`.execute(store.db);
  const editions = [];
  for (const e of await listEditions(store)) {
    const row = await store.db
      .selectFrom('editions')
      .select('report_json')
      .where('period_start', '=', e.period.start)
      .where('period_end', '=', e.period.end)
      .where('number', '=', e.number)
      .executeTakeFirstOrThrow();
    const report = JSON.parse(row.report_json) as {
      section2: Array<{ county: { fips: string }; declines: unknown[] }>;
      section1: Array<{ county: { fips: string } }>;
    };
    const declines = report.section2
      .filter((g) => g.county.fips === fips)
      .reduce((s, g) => s + g.declines.length, 0);
    if (declines > 0 || report.section1.some((r) => r.county.fips === fips)) {
      editions.push({ period: e.period, number: e.number, published_at: e.published_at, declines });
    }
  }
  return {
    county: { fips, name: c.name, state: c.state, state_name: stateName(c.state), class: c.countyClass },
    weeks,
    totals: {
      detainers_issued: issued,
      declined,
      decline_share: issued > 0 ? Math.round((declined / issued) * 10000) / 10000 : null,
    },
    policies: rows.map((p) => ({
      policy_id: p.policy_id,
      level: p.level,
      type: p.type,
      title: p.title,
      aor: aorName(p.aor),
      enacted_date: p.enacted_precision === 'month' ? p.enacted_date.slice(0, 7) : p.enacted_date,
      rescinded_date: p.rescinded_date,
      restricts: p.restricts.split(';'),
      source_url: p.source_url,
    })),
    editions,
  };
}
