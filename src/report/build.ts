/**
 * buildReport(store, period): the Declined Detainer Outcome Report as data,
 * computed by the rules of SPEC §2. A pure function of the store's contents and
 * the period: no clock, no randomness, every list in a total order.
 */
import { sql } from 'kysely';
import { aorName } from '../domain/aors.js';
import { compareCodePoints, compareNameKeys, compareNames, foldName } from '../domain/collate.js';
import { stateName } from '../domain/states.js';
import { parseCriminalActivity } from '../domain/vocab.js';
import { ATLAS_VINTAGE, placeOnAtlas } from '../geo/atlas.js';
import type { Store } from '../store/store.js';
import { liftTableNotes } from './lift-tables.js';
import {
  type CountyRef,
  type DeclineBasis,
  type DeclineRow,
  REPORT_SCHEMA,
  type Report,
  type Section1Row,
  type Section2Group,
  type Section3Row,
} from './model.js';
import { type Period, periodLabel } from './period.js';

export interface BuildOptions {
  /** How many counties Section I lists (default 10). */
  top?: number;
  /** Count declines by the day they were recorded (default) or by their detainer's issuing date. */
  declineBasis?: DeclineBasis;
}

/** Dates and ids (ASCII); names sort with compareNames (rule 10). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface DeclineRecord {
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
}

/** Declines counted in the period (rule 2, or the issued basis), attributed by rule 3. */
async function declinesIn(store: Store, period: Period, basis: DeclineBasis): Promise<DeclineRecord[]> {
  const dateColumn = basis === 'recorded' ? sql.ref('d.recorded_date') : sql.ref('d.issued_date');
  const { rows } = await sql<DeclineRecord>`
    SELECT c.fips, c.name AS county, c.state,
      coalesce(d.released_by_agency, d.agency) AS facility,
      CASE WHEN d.released_by_agency IS NOT NULL AND d.released_by_agency <> d.agency THEN d.agency END AS received_by,
      d.citizenship, d.issued_date, d.declined_date, d.recorded_date, d.criminal_activity, d.lift_reason, d.detainer_id
    FROM detainers d
    LEFT JOIN facilities f ON f.facility_key = d.facility_key
    LEFT JOIN counties c ON c.fips = coalesce(d.released_by_county_fips, d.county_fips, f.county_fips)
    WHERE d.outcome = 'declined' AND ${dateColumn} BETWEEN ${period.start} AND ${period.end}`.execute(
    store.db,
  );
  return rows;
}

interface CountyCount {
  fips: string;
  name: string;
  state: string;
  n: number;
}

/** Rule 5 and 6: detainers issued in the period to a jurisdiction with a policy in force on the issuing date. */
async function restrictingCounts(store: Store, period: Period): Promise<CountyCount[]> {
  const { rows } = await sql<CountyCount>`
    SELECT c.fips, c.name, c.state, count(*) AS n
    FROM detainers d
    LEFT JOIN facilities f ON f.facility_key = d.facility_key
    JOIN counties c ON c.fips = coalesce(d.county_fips, f.county_fips)
    WHERE d.issued_date BETWEEN ${period.start} AND ${period.end} AND d.outcome <> 'issued_in_error'
      AND EXISTS (SELECT 1 FROM policies p
        WHERE p.state = d.state
          AND p.enacted_date <= d.issued_date
          AND (p.rescinded_date IS NULL OR p.rescinded_date > d.issued_date)
          AND (p.level = 'state'
            OR (p.level = 'county' AND p.county_fips = c.fips)
            OR (p.level = 'place' AND lower(p.place) = lower(d.city))))
    GROUP BY c.fips, c.name, c.state`.execute(store.db);
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

function rankSection1(counts: CountyCount[], top: number): { rows: Section1Row[]; tieNote: string | null } {
  const sorted = [...counts].sort(
    // Rule 6 with rule 10: "La Salle County, TX" and "LaSalle County, IL" read alike, so the state decides.
    (a, b) =>
      b.n - a.n ||
      compareNameKeys(a.name, b.name) ||
      compareNames(stateName(a.state), stateName(b.state)) ||
      compareCodePoints(a.name, b.name) ||
      byText(a.fips, b.fips),
  );
  const rows = sorted.slice(0, top).map((c, i) => ({
    rank: i + 1,
    county: { fips: c.fips, name: c.name, state: c.state },
    detainers_issued: c.n,
  }));
  const last = sorted[top - 1];
  const beyond = last ? sorted.slice(top).filter((c) => c.n === last.n) : [];
  if (!last || beyond.length === 0) return { rows, tieNote: null };
  const listed = sorted.slice(0, top).filter((c) => c.n === last.n);
  const names = (cs: CountyCount[]) => cs.map((c) => `${c.name}, ${c.state}`).join('; ');
  return {
    rows,
    tieNote:
      `Section I: a tie crosses the cut at ${last.n} detainers. Listed: ${names(listed)}. ` +
      `Tied but not listed (ties are broken by county name, then state name): ${names(beyond)}.`,
  };
}

interface PolicyRecord {
  policy_id: string;
  level: string;
  state: string;
  county_fips: string | null;
  county: string | null;
  place: string | null;
  aor: string | null;
  type: string;
  title: string;
  enacted_date: string;
  enacted_precision: string;
  rescinded_date: string | null;
  restricts: string;
  criteria: string | null;
  source_url: string | null;
}

interface Gaps {
  undated: number;
  unresolved: number;
}

/** What Section IV owes the reader about records that cannot be placed: undated declines, unresolved facilities. */
async function gapsIn(store: Store, period: Period): Promise<Gaps> {
  const { rows } = await sql<Gaps>`
    SELECT
      count(*) FILTER (WHERE d.outcome = 'declined' AND d.recorded_date IS NULL) AS undated,
      count(*) FILTER (WHERE d.outcome <> 'issued_in_error' AND d.county_fips IS NULL AND f.county_fips IS NULL) AS unresolved
    FROM detainers d LEFT JOIN facilities f ON f.facility_key = d.facility_key
    WHERE d.issued_date BETWEEN ${period.start} AND ${period.end}
      AND (d.facility_key IS NOT NULL OR d.recorded_date IS NULL)`.execute(store.db);
  return { undated: Number(rows[0]?.undated ?? 0), unresolved: Number(rows[0]?.unresolved ?? 0) };
}

/** Rule 8: every policy in force at any time during the period, newest enactment first. */
async function policiesInForce(store: Store, period: Period): Promise<Section3Row[]> {
  const { rows } = await sql<PolicyRecord>`
    SELECT p.policy_id, p.level, p.state, p.county_fips, c.name AS county, p.place, p.aor, p.type, p.title,
      p.enacted_date, p.enacted_precision, p.rescinded_date, p.restricts, p.criteria, p.source_url
    FROM policies p LEFT JOIN counties c ON c.fips = p.county_fips
    WHERE p.enacted_date <= ${period.end} AND (p.rescinded_date IS NULL OR p.rescinded_date > ${period.start})`.execute(
    store.db,
  );
  const jurisdiction = (p: PolicyRecord) =>
    p.level === 'state'
      ? stateName(p.state)
      : p.level === 'county'
        ? `${p.county ?? p.county_fips}, ${p.state}`
        : `${p.place}, ${p.state}`;
  return rows
    .map((p) => ({
      policy_id: p.policy_id,
      level: p.level,
      jurisdiction: jurisdiction(p),
      state: p.state,
      county_fips: p.county_fips,
      aor: aorName(p.aor),
      type: p.type,
      title: p.title,
      enacted_date: p.enacted_precision === 'month' ? p.enacted_date.slice(0, 7) : p.enacted_date,
      rescinded_date: p.rescinded_date,
      criteria: p.criteria,
      restricts: p.restricts.split(';'),
      source_url: p.source_url,
      sortDate: p.enacted_date,
    }))
    .sort(
      (a, b) =>
        byText(b.sortDate, a.sortDate) ||
        compareNames(a.jurisdiction, b.jurisdiction) ||
        byText(a.policy_id, b.policy_id),
    )
    .map(({ sortDate: _, ...row }) => row);
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Rule 11: a facility is its county and its folded name; it is shown in the spelling most of its
 * declines in the report use, ties going to the first in rule 10's order.
 */
function facilitySpellings(declines: DeclineRecord[]): (d: DeclineRecord) => string {
  const keyOf = (d: DeclineRecord) => `${d.fips}\u0000${foldName(d.facility)}`;
  const counts = new Map<string, Map<string, number>>();
  for (const d of declines) {
    const key = keyOf(d);
    const spellings = counts.get(key) ?? new Map<string, number>();
    spellings.set(d.facility, (spellings.get(d.facility) ?? 0) + 1);
    counts.set(key, spellings);
  }
  const shown = new Map<string, string>();
  for (const [key, spellings] of counts) {
    const [best] = [...spellings].sort(([a, m], [b, n]) => n - m || compareNames(a, b));
    shown.set(key, best![0]);
  }
  return (d) => shown.get(keyOf(d))!;
}

function groupSection2(declines: DeclineRecord[]): Section2Group[] {
  const spelling = facilitySpellings(declines.filter((d) => d.fips !== null));
  const resolved = declines
    .filter((d) => d.fips !== null)
    .map((d) => ({
      ...d,
      facility: spelling(d),
      // A transfer between two spellings of one facility is no transfer.
      received_by:
        d.received_by !== null && foldName(d.received_by) !== foldName(d.facility) ? d.received_by : null,
    }));
  resolved.sort(
    (a, b) =>
      compareNames(stateName(a.state!), stateName(b.state!)) ||
      compareNames(a.county!, b.county!) ||
      byText(a.fips!, b.fips!) ||
      compareNames(a.facility, b.facility) ||
      byText(a.declined_date ?? '', b.declined_date ?? '') ||
      byText(a.issued_date, b.issued_date) ||
      byText(a.recorded_date ?? '', b.recorded_date ?? '') ||
      byText(a.detainer_id, b.detainer_id),
  );
  const groups: Section2Group[] = [];
  for (const d of resolved) {
    let g = groups.at(-1);
    if (!g || g.county.fips !== d.fips || g.facility !== d.facility) {
      const county: CountyRef = { fips: d.fips!, name: d.county!, state: d.state! };
      g = { county, facility: d.facility, declines: [] };
      groups.push(g);
    }
    const row: DeclineRow = {
      citizenship: d.citizenship,
      issued_date: d.issued_date,
      declined_date: d.declined_date,
      recorded_date: d.recorded_date,
      criminal_activity: parseCriminalActivity(d.criminal_activity),
      lift_reason: d.lift_reason,
      received_by: d.received_by,
    };
    g.declines.push(row);
  }
  return groups;
}

/** Section IV's word on declines the county map draws elsewhere or cannot draw. */
function mapNotes(section2: Section2Group[]): { notes: string[]; notDrawn: number } {
  const notes: string[] = [];
  let notDrawn = 0;
  const seen = new Set<string>();
  for (const g of section2) {
    if (seen.has(g.county.fips)) continue;
    seen.add(g.county.fips);
    const n = section2
      .filter((x) => x.county.fips === g.county.fips)
      .reduce((s, x) => s + x.declines.length, 0);
    const place = placeOnAtlas(g.county.fips);
    const what = `${plural(n, 'decline')} in ${g.county.name}, ${g.county.state} (${g.county.fips})`;
    if (place.fips === null) {
      notDrawn += n;
      notes.push(
        `Map: ${what} cannot be drawn: ${place.note}. ${n === 1 ? 'It is' : 'They are'} listed in Section II.`,
      );
    } else if (place.note) {
      notes.push(
        `Map: ${what} ${n === 1 ? 'is' : 'are'} drawn in county ${place.fips} of the ${ATLAS_VINTAGE} boundaries: ${place.note}.`,
      );
    }
  }
  return { notes, notDrawn };
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export async function buildReport(store: Store, period: Period, options: BuildOptions = {}): Promise<Report> {
  const top = options.top ?? 10;
  const basis = options.declineBasis ?? 'recorded';

  // The queries are independent: run them side by side (each store hands out several connections).
  const [issuedRow, demoRow, declines, counts, section3, gaps] = await Promise.all([
    store.db
      .selectFrom('detainers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('issued_date', '>=', period.start)
      .where('issued_date', '<=', period.end)
      .executeTakeFirstOrThrow(),
    store.db
      .selectFrom('imports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('is_demo', '=', true)
      .executeTakeFirstOrThrow(),
    declinesIn(store, period, basis),
    restrictingCounts(store, period),
    policiesInForce(store, period),
    gapsIn(store, period),
  ]);
  const { rows: section1, tieNote } = rankSection1(counts, top);
  const section2 = groupSection2(declines);

  const counted = section2.flatMap((g) => g.declines);
  const before = counted.filter((d) => d.issued_date < period.start);
  const oldest = before.reduce<string | null>(
    (m, d) => (m === null || d.issued_date < m ? d.issued_date : m),
    null,
  );
  const lag = median(
    counted
      .filter((d) => d.declined_date && d.recorded_date)
      .map((d) => daysBetween(d.declined_date!, d.recorded_date!)),
  );
  const unresolved = declines.length - counted.length;
  const missingCitizenship = counted.filter((d) => d.citizenship === null).length;
  const missingCriminal = counted.filter((d) => d.criminal_activity.length === 0).length;
  const label = periodLabel(period);

  const notes: string[] = [];
  if (Number(demoRow.n) > 0) {
    notes.push(
      'DEMO DATA: this report is built from the synthetic records bundled with ddor (`ddor demo`), not real detainers.',
    );
  }
  // SPEC §2.12: outcomes mapped by another lift-reason table than ddor's are named (no note otherwise).
  notes.push(...(await liftTableNotes(store, period, basis)));
  notes.push(
    basis === 'recorded'
      ? `Declines are counted by the day ICE recorded them (${label}), whatever day the detainer was issued; a decline recorded late appears in the week it was recorded.`
      : `Declines are counted among the detainers issued in the period (${label}), whatever day the decline was recorded (--decline-basis issued).`,
    'A decline belongs to the agency that released the person: after a transfer, that is not the agency the detainer was sent to. Detainers lifted by ICE or issued in error are never declines; detainers issued in error count in the total issued but are attributed to no jurisdiction.',
    `Section I ranks counties by detainers issued in the period to an agency in a jurisdiction (state, county or city) with a policy limiting cooperation in force on the issuing date. Counties are keyed by FIPS code, never by name.`,
    before.length > 0
      ? `${plural(before.length, 'decline')} counted here ${before.length === 1 ? 'was' : 'were'} on detainers issued before the period; the oldest was issued on ${oldest}.`
      : 'No decline counted here was on a detainer issued before the period.',
    lag === null
      ? 'No declines were recorded in the period, so there is no recording lag to report.'
      : `Median recording lag: ${lag} days from the decline to its record.`,
    unresolved > 0
      ? `${plural(unresolved, 'decline')} could not be attributed to a county and ${unresolved === 1 ? 'is' : 'are'} excluded from Section II.`
      : 'No decline was excluded for an unresolved jurisdiction.',
    `Missing data among the declines listed: citizenship in ${plural(missingCitizenship, 'row')}, criminal activity in ${plural(missingCriminal, 'row')}.`,
  );
  if (gaps.undated > 0) {
    notes.push(
      basis === 'recorded'
        ? `${plural(gaps.undated, 'decline')} on detainers issued in the period ${gaps.undated === 1 ? 'has' : 'have'} no date in the source and cannot be placed by recorded date, so ${gaps.undated === 1 ? 'it is' : 'they are'} not counted here; --decline-basis issued counts them.`
        : `${plural(gaps.undated, 'decline')} counted here ${gaps.undated === 1 ? 'has' : 'have'} no date in the source.`,
    );
  }
  if (gaps.unresolved > 0) {
    notes.push(
      `${plural(gaps.unresolved, 'detainer')} issued in the period ${gaps.unresolved === 1 ? 'is' : 'are'} at facilities not yet attributed to a county (the resolution queue: ddor resolve list); they count in the total but in no county.`,
    );
  }
  if (tieNote) notes.push(tieNote);
  const offMap = mapNotes(section2);
  notes.push(...offMap.notes);
  notes.push('This is a draft built from the current data, not a published edition; no corrections apply.');

  const kindTitle = { week: 'Weekly ', quarter: 'Quarterly ', range: '' }[period.kind];
  const basisTitle =
    basis === 'recorded' ? 'For Recorded Declined Detainers' : 'For Declined Detainers Issued';
  return {
    schema: REPORT_SCHEMA,
    title: `${kindTitle}Declined Detainer Outcome Report — ${basisTitle} ${label}`,
    demo: Number(demoRow.n) > 0,
    period: { start: period.start, end: period.end, kind: period.kind },
    decline_basis: basis,
    top,
    totals: {
      detainers_issued: Number(issuedRow.n),
      declined: declines.length,
      jurisdictions_with_declines: new Set(section2.map((g) => g.county.fips)).size,
      states_with_declines: new Set(section2.map((g) => g.county.state)).size,
      facilities_with_declines: new Set(section2.map((g) => `${g.county.fips}\u0000${foldName(g.facility)}`))
        .size,
    },
    section1,
    section2,
    section3,
    section4: {
      notes,
      figures: {
        declines_issued_before_period: before.length,
        oldest_issued_date: oldest,
        median_recording_lag_days: lag,
        excluded_unresolved: unresolved,
        missing_citizenship: missingCitizenship,
        missing_criminal_activity: missingCriminal,
        corrections_since_previous_edition: 0,
        declines_not_on_map: offMap.notDrawn,
        declines_without_date: gaps.undated,
        unresolved_detainers_issued: gaps.unresolved,
      },
    },
    edition: null,
  };
}
