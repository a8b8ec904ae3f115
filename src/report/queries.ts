/**
 * The store reads that the report, the web app and the CLI share, written once
 * with Kysely for both stores. Each returns plain typed rows with numbers
 * already converted (DuckDB answers counts as BigInt, PostgreSQL as strings).
 */
import { type RawBuilder, sql } from 'kysely';
import { EARLIEST_DATE, latestAcceptedDate } from '../domain/dates.js';
import { REQUEST_KIND_FORMS } from '../domain/vocab.js';
import type { Store } from '../store/store.js';
import type { DeclineBasis } from './model.js';
import { policyInForce } from './policies.js';

const formList = (forms: readonly string[]) => sql.join(forms.map((f) => sql`${f}`));
/** A detainer's request kind from its form, in SQL (REQUEST_KINDS). */
export const requestKindSql = (form: RawBuilder<unknown>) =>
  sql<string>`CASE WHEN ${form} IN (${formList(REQUEST_KIND_FORMS.hold)}) THEN 'hold'
    WHEN ${form} IN (${formList(REQUEST_KIND_FORMS.notification)}) THEN 'notification' ELSE 'unknown' END`;

/** Both days inclusive: a report's period, or any span of days. */
export interface DaySpan {
  start: string;
  end: string;
}

export interface DeclineRecord {
  fips: string | null;
  county: string | null;
  state: string | null;
  facility: string;
  received_by: string | null;
  citizenship: string | null;
  issued_date: string;
  declined_date: string | null;
  recorded_date: string | null;
  criminal_activity: string | null;
  lift_reason: string | null;
  detainer_id: string;
  request_kind: 'hold' | 'notification' | 'unknown';
}

/** Declines counted in the span (rule 2, or by issuing date), attributed by rule 3 (no county: unresolved). */
export async function declinesIn(store: Store, span: DaySpan, basis: DeclineBasis): Promise<DeclineRecord[]> {
  const dateColumn = basis === 'recorded' ? sql.ref('d.recorded_date') : sql.ref('d.issued_date');
  // The county's name and state are read once per county below, not on each of a week's thousands
  // of rows: from DuckDB every long text costs a call into the native library.
  const { rows } = await sql<DeclineRecord>`
    SELECT c.fips,
      coalesce(d.released_by_agency, d.agency) AS facility,
      CASE WHEN d.released_by_agency IS NOT NULL AND d.released_by_agency <> d.agency THEN d.agency END AS received_by,
      d.citizenship, d.issued_date, d.declined_date, d.recorded_date, d.criminal_activity, d.lift_reason, d.detainer_id,
      ${requestKindSql(sql.ref('d.form'))} AS request_kind
    FROM detainers d
    LEFT JOIN facilities f ON f.facility_key = d.facility_key
    LEFT JOIN counties c ON c.fips = coalesce(d.released_by_county_fips, d.county_fips, f.county_fips)
    WHERE d.outcome = 'declined' AND ${dateColumn} BETWEEN ${span.start} AND ${span.end}`.execute(store.db);
  const fips = [...new Set(rows.flatMap((r) => (r.fips === null ? [] : [r.fips])))];
  const counties = new Map(
    fips.length === 0
      ? []
      : (
          await store.db
            .selectFrom('counties')
            .select(['fips', 'name', 'state'])
            .where('fips', 'in', fips)
            .execute()
        ).map((c) => [c.fips, c]),
  );
  for (const r of rows) {
    const county = r.fips === null ? undefined : counties.get(r.fips);
    r.county = county?.name ?? null;
    r.state = county?.state ?? null;
  }
  return rows;
}

/** Declines counted in the span as declinesIn counts them, one row per county, state and facility spelling. */
export interface DeclineTally {
  fips: string | null;
  state: string | null;
  facility: string;
  n: number;
}

/**
 * What a period's totals need of its declines (the previous period's, issue 15), without the
 * rows themselves: on a large store a week has tens of thousands of declines.
 */
export async function declineTallies(
  store: Store,
  span: DaySpan,
  basis: DeclineBasis,
): Promise<DeclineTally[]> {
  const dateColumn = basis === 'recorded' ? sql.ref('d.recorded_date') : sql.ref('d.issued_date');
  const { rows } = await sql<DeclineTally>`
    SELECT c.fips, c.state, coalesce(d.released_by_agency, d.agency) AS facility, count(*) AS n
    FROM detainers d
    LEFT JOIN facilities f ON f.facility_key = d.facility_key
    LEFT JOIN counties c ON c.fips = coalesce(d.released_by_county_fips, d.county_fips, f.county_fips)
    WHERE d.outcome = 'declined' AND ${dateColumn} BETWEEN ${span.start} AND ${span.end}
    GROUP BY c.fips, c.state, coalesce(d.released_by_agency, d.agency)`.execute(store.db);
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

export interface CountyCount {
  fips: string;
  name: string;
  state: string;
  n: number;
  /** Of `n`, by request kind. */
  hold: number;
  notification: number;
  unknown: number;
}

/** Rules 5 and 6: detainers issued in the span to a jurisdiction with a policy in force on the issuing date, by county. */
export async function restrictingCounts(store: Store, span: DaySpan): Promise<CountyCount[]> {
  const { rows } = await sql<CountyCount>`
    SELECT c.fips, c.name, c.state, count(*) AS n,
      count(*) FILTER (WHERE ${requestKindSql(sql.ref('d.form'))} = 'hold') AS hold,
      count(*) FILTER (WHERE ${requestKindSql(sql.ref('d.form'))} = 'notification') AS notification,
      count(*) FILTER (WHERE ${requestKindSql(sql.ref('d.form'))} = 'unknown') AS unknown
    FROM detainers d
    LEFT JOIN facilities f ON f.facility_key = d.facility_key
    JOIN counties c ON c.fips = coalesce(d.county_fips, f.county_fips)
    WHERE d.issued_date BETWEEN ${span.start} AND ${span.end} AND d.outcome <> 'issued_in_error'
      AND EXISTS (SELECT 1 FROM policies p
        WHERE p.state = d.state
          AND ${policyInForce(sql.ref('d.issued_date'))}
          AND (p.level = 'state'
            OR (p.level = 'county' AND p.county_fips = c.fips)
            OR (p.level = 'place' AND lower(p.place) = lower(d.city))))
    GROUP BY c.fips, c.name, c.state`.execute(store.db);
  return rows.map((r) => ({
    ...r,
    n: Number(r.n),
    hold: Number(r.hold),
    notification: Number(r.notification),
    unknown: Number(r.unknown),
  }));
}

/**
 * Detainers issued in the span by the county of the agency they were sent to (rule 1 by county;
 * issued-in-error detainers are attributed to no jurisdiction, rule 4).
 */
export async function issuedByCounty(store: Store, span: DaySpan): Promise<Map<string, number>> {
  const { rows } = await sql<{ fips: string; n: number }>`
    SELECT coalesce(d.county_fips, f.county_fips) AS fips, count(*) AS n
    FROM detainers d LEFT JOIN facilities f ON f.facility_key = d.facility_key
    WHERE d.issued_date BETWEEN ${span.start} AND ${span.end} AND d.outcome <> 'issued_in_error'
      AND coalesce(d.county_fips, f.county_fips) IS NOT NULL
    GROUP BY 1`.execute(store.db);
  return new Map(rows.map((r) => [String(r.fips), Number(r.n)]));
}

export interface Gaps {
  /** Declines on detainers issued in the span that have no date in the source. */
  undated: number;
  /** Detainers issued in the span at facilities not yet attributed to a county. */
  unresolved: number;
  /** Detainers issued in the span at facilities attributed to a county by the county their name names. */
  byFacilityName: number;
}

/** What Section IV owes the reader about records that cannot be placed: undated declines, unresolved facilities. */
export async function gapsIn(store: Store, span: DaySpan): Promise<Gaps> {
  const { rows } = await sql<{ undated: number; unresolved: number; by_name: number }>`
    SELECT
      count(*) FILTER (WHERE d.outcome = 'declined' AND d.recorded_date IS NULL) AS undated,
      count(*) FILTER (WHERE d.outcome <> 'issued_in_error' AND d.county_fips IS NULL AND f.county_fips IS NULL) AS unresolved,
      count(*) FILTER (WHERE d.outcome <> 'issued_in_error' AND d.county_fips IS NULL AND f.resolved_by = 'facility_name') AS by_name
    FROM detainers d LEFT JOIN facilities f ON f.facility_key = d.facility_key
    WHERE d.issued_date BETWEEN ${span.start} AND ${span.end}
      AND (d.facility_key IS NOT NULL OR d.recorded_date IS NULL)`.execute(store.db);
  return {
    undated: Number(rows[0]?.undated ?? 0),
    unresolved: Number(rows[0]?.unresolved ?? 0),
    byFacilityName: Number(rows[0]?.by_name ?? 0),
  };
}

/** Rule 1: detainers issued in the span, any outcome. */
export async function detainersIssuedIn(store: Store, span: DaySpan): Promise<number> {
  const row = await store.db
    .selectFrom('detainers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('issued_date', '>=', span.start)
    .where('issued_date', '<=', span.end)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Rule 1 by request kind: detainers issued in the span, any outcome. */
export async function issuedByKind(
  store: Store,
  span: DaySpan,
): Promise<{ hold: number; notification: number; unknown: number }> {
  const { rows } = await sql<{ kind: string; n: number }>`
    SELECT ${requestKindSql(sql.ref('d.form'))} AS kind, count(*) AS n FROM detainers d
    WHERE d.issued_date BETWEEN ${span.start} AND ${span.end} GROUP BY 1`.execute(store.db);
  const by = { hold: 0, notification: 0, unknown: 0 };
  for (const r of rows) by[r.kind as keyof typeof by] = Number(r.n);
  return by;
}

/** Whether any import was of the bundled demo data (reports then say DEMO DATA). */
export async function holdsDemoData(store: Store): Promise<boolean> {
  const row = await store.db
    .selectFrom('imports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_demo', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n) > 0;
}

/** How many detainers the store holds. */
export async function detainerCount(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('detainers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The latest issuing date in the store, as `YYYY-MM-DD` (null when it holds no detainer). */
export async function latestIssuedDate(store: Store): Promise<string | null> {
  const row = await store.db
    .selectFrom('detainers')
    .select((eb) => eb.fn.max('issued_date').as('d'))
    .executeTakeFirstOrThrow();
  return row.d === null ? null : String(row.d);
}

/**
 * The span of issuing dates in the store within the accepted range as of `today` (null when none):
 * where the "detainers issued" series has data at all. Declines recorded later are late records.
 */
export async function issuingCoverage(store: Store, today: Date): Promise<DaySpan | null> {
  const { rows } = await sql<{ first: string | null; last: string | null }>`
    SELECT min(issued_date) AS first, max(issued_date) AS last FROM detainers
    WHERE issued_date BETWEEN CAST(${EARLIEST_DATE} AS DATE) AND CAST(${latestAcceptedDate(today)} AS DATE)`.execute(
    store.db,
  );
  const r = rows[0];
  if (!r?.first || !r.last) return null;
  const day = (d: unknown) => (d instanceof Date ? d.toISOString() : String(d)).slice(0, 10);
  return { start: day(r.first), end: day(r.last) };
}

/** A policy as stored, with its county's name. */
export interface PolicyRecord {
  policy_id: string;
  level: string;
  state: string;
  county_fips: string | null;
  county: string | null;
  place: string | null;
  aor: string | null;
  type: string;
  title: string;
  /** The first day it applies; the 1st of the month when `enacted_precision` is `month`. */
  enacted_date: string;
  enacted_precision: string;
  rescinded_date: string | null;
  /** `;`-separated. */
  restricts: string;
  criteria: string | null;
  source_url: string | null;
}

export interface PolicyFilter {
  /** In force at some time in the span (rule 5); a day is a span with start = end. */
  inForce?: DaySpan;
  /** The policies a county lies under: its state's, and those naming the county (county and place policies). */
  covering?: { state: string; fips: string };
  state?: string;
  level?: string;
  type?: string;
  /** One restriction, e.g. `detainer_hold`. */
  restricts?: string;
}

/** Policies matching every condition given, oldest enactment first (then by id). */
export async function policiesWhere(store: Store, filter: PolicyFilter = {}): Promise<PolicyRecord[]> {
  const conditions: RawBuilder<unknown>[] = [sql`true`];
  if (filter.inForce) conditions.push(policyInForce(filter.inForce.start, filter.inForce.end));
  if (filter.covering) {
    conditions.push(
      sql`p.state = ${filter.covering.state} AND (p.level = 'state' OR p.county_fips = ${filter.covering.fips})`,
    );
  }
  if (filter.state) conditions.push(sql`p.state = ${filter.state}`);
  if (filter.level) conditions.push(sql`p.level = ${filter.level}`);
  if (filter.type) conditions.push(sql`p.type = ${filter.type}`);
  if (filter.restricts) conditions.push(sql`(';' || p.restricts || ';') LIKE ${`%;${filter.restricts};%`}`);
  const { rows } = await sql<PolicyRecord>`
    SELECT p.policy_id, p.level, p.state, p.county_fips, c.name AS county, p.place, p.aor, p.type, p.title,
      p.enacted_date, p.enacted_precision, p.rescinded_date, p.restricts, p.criteria, p.source_url
    FROM policies p LEFT JOIN counties c ON c.fips = p.county_fips
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY p.enacted_date, p.policy_id`.execute(store.db);
  return rows;
}

export interface WeekCount {
  /** The Saturday that starts the week, `YYYY-MM-DD`. */
  week: string;
  n: number;
}

export interface WeeklyFilter {
  fips?: string;
  state?: string;
}

const saturdayOf = (col: string) =>
  sql.raw(`${col} - CAST(MOD(CAST(EXTRACT(DOW FROM ${col}) AS INTEGER) + 1, 7) AS INTEGER)`);

/**
 * Detainers issued (by issuing week, where they were sent) and declines recorded (by recording
 * week, attributed by rule 3), week by week. Dates outside the accepted range as of `today`
 * (stored before imports checked it) are left out.
 */
export async function weeklyCounts(
  store: Store,
  filter: WeeklyFilter,
  today: Date,
): Promise<{ issued: WeekCount[]; declined: WeekCount[] }> {
  const inRange = (col: string) =>
    sql`${sql.raw(col)} BETWEEN CAST(${EARLIEST_DATE} AS DATE) AND CAST(${latestAcceptedDate(today)} AS DATE)`;
  const receiving = sql.raw('coalesce(d.county_fips, f.county_fips)');
  const attributed = sql.raw('coalesce(d.released_by_county_fips, d.county_fips, f.county_fips)');
  const where = (county: RawBuilder<unknown>, stateCol: RawBuilder<unknown>) =>
    filter.fips
      ? sql`${county} = ${filter.fips}`
      : filter.state
        ? sql`${stateCol} = ${filter.state}`
        : sql`true`;
  const issued = await sql<WeekCount>`
    SELECT ${saturdayOf('d.issued_date')} AS week, count(*) AS n
    FROM detainers d LEFT JOIN facilities f ON f.facility_key = d.facility_key
    WHERE ${where(receiving, sql.raw('d.state'))} AND ${inRange('d.issued_date')}
    GROUP BY 1`.execute(store.db);
  const declined = await sql<WeekCount>`
    SELECT ${saturdayOf('d.recorded_date')} AS week, count(*) AS n
    FROM detainers d LEFT JOIN facilities f ON f.facility_key = d.facility_key
    WHERE d.outcome = 'declined' AND ${inRange('d.recorded_date')}
      AND ${where(attributed, sql.raw('coalesce(d.released_by_state, d.state)'))}
    GROUP BY 1`.execute(store.db);
  const typed = (rows: WeekCount[]) =>
    rows.map((r) => ({ week: String(r.week).slice(0, 10), n: Number(r.n) }));
  return { issued: typed(issued.rows), declined: typed(declined.rows) };
}

/** One import (a file, or a manual entry) whose records are behind a county's figures. */
export interface CountySource {
  import_id: number;
  file_name: string;
  imported_at: string;
  is_demo: boolean;
  /** Who loaded it (the audit trail's actor); null for imports before the trail began. */
  by: string | null;
  /** The county's records (received here, or declines attributed here) that this import last changed. */
  records: number;
}

/** A facility attributed to the county by hand (`ddor resolve`, the queue page). */
export interface CountyResolution {
  facility: string;
  by: string | null;
  at: string;
}

/**
 * What a county's figures are computed from (issue 11): each import whose records
 * are received by it or declined here (rule 3), and each facility resolved to it by
 * hand, with who did it, from the audit trail.
 */
export async function countySources(
  store: Store,
  fips: string,
): Promise<{ imports: CountySource[]; resolutions: CountyResolution[] }> {
  const { rows } = await sql<Omit<CountySource, 'by'> & { by: string | null }>`
    SELECT i.import_id, i.file_name, i.imported_at, i.is_demo, count(*) AS records,
      (SELECT min(a.actor) FROM audit a WHERE a.action IN ('import.detainers', 'demo.load', 'outcome.record')
         AND a.detail LIKE '%"import_id":' || CAST(i.import_id AS VARCHAR) || ',%') AS by
    FROM detainers d
    LEFT JOIN facilities f ON f.facility_key = d.facility_key
    JOIN imports i ON i.import_id = d.import_id
    WHERE coalesce(d.county_fips, f.county_fips) = ${fips}
       OR (d.outcome = 'declined' AND coalesce(d.released_by_county_fips, d.county_fips, f.county_fips) = ${fips})
    GROUP BY i.import_id, i.file_name, i.imported_at, i.is_demo
    ORDER BY i.import_id`.execute(store.db);
  const resolved = await sql<{ facility: string; by: string | null; at: string }>`
    SELECT f.name AS facility,
      (SELECT max(a.actor) FROM audit a WHERE a.action = 'resolve.set' AND a.target = f.facility_key) AS by,
      f.updated_at AS at
    FROM facilities f
    WHERE f.county_fips = ${fips} AND f.resolved_by = 'manual'
    ORDER BY f.name`.execute(store.db);
  const iso = (v: unknown) => (typeof v === 'string' ? v : new Date(v as Date).toISOString());
  return {
    imports: rows.map((r) => ({
      ...r,
      import_id: Number(r.import_id),
      records: Number(r.records),
      imported_at: iso(r.imported_at),
      is_demo: Boolean(r.is_demo),
    })),
    resolutions: resolved.rows.map((r) => ({ ...r, at: iso(r.at) })),
  };
}
