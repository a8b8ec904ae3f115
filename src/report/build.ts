/**
 * buildReport(store, period): the Declined Detainer Outcome Report as data,
 * computed by the rules of SPEC §2. A pure function of the store's contents and
 * the period: no clock, no randomness, every list in a total order.
 */
import * as crypto from 'node:crypto';
import { compareCodePoints, compareNameKeys, compareNames, foldName } from '../domain/collate.js';
import { counted } from '../domain/numbers.js';
import { stateName } from '../domain/states.js';
import { parseCriminalActivity } from '../domain/vocab.js';
import { ATLAS_VINTAGE, placeOnAtlas } from '../geo/atlas.js';
import type { Store } from '../store/store.js';
import { liftTableNotes } from './lift-tables.js';
import type {
  CountyRef,
  DeclineBasis,
  DeclineRow,
  PreviousPeriod,
  Report,
  Section1Row,
  Section2Group,
  Section3Row,
  Section4Figures,
} from './model.js';
import { type Period, periodLabel, previousPeriod } from './period.js';
import {
  aorShown,
  enactedAsShown,
  jurisdictionName,
  newestEnactmentFirst,
  restrictionsOf,
} from './policies.js';
import {
  type CountyCount,
  type DaySpan,
  type DeclineRecord,
  declinesIn,
  declineTallies,
  detainersIssuedIn,
  type Gaps,
  gapsIn,
  holdsDemoData,
  issuedByCounty,
  issuedByKind,
  policiesWhere,
  restrictingCounts,
} from './queries.js';
import { REPORT_SCHEMA } from './schema-name.js';

export interface BuildOptions {
  /** How many counties Section I lists (default 10). */
  top?: number;
  /** Count declines by the day they were recorded (default) or by their detainer's issuing date. */
  declineBasis?: DeclineBasis;
}

/** Dates and ids (ASCII); names sort with compareNames (rule 10). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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
    detainers_issued_by_kind: { hold: c.hold, notification: c.notification, unknown: c.unknown },
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

/** Rule 8: every policy in force at any time during the period, newest enactment first. */
async function policiesInForce(store: Store, period: Period): Promise<Section3Row[]> {
  const policies = await policiesWhere(store, { inForce: period });
  return newestEnactmentFirst(policies).map((p) => ({
    policy_id: p.policy_id,
    level: p.level,
    jurisdiction: jurisdictionName(p),
    state: p.state,
    county_fips: p.county_fips,
    aor: aorShown(p.aor),
    type: p.type,
    title: p.title,
    enacted_date: enactedAsShown(p),
    rescinded_date: p.rescinded_date,
    criteria: p.criteria,
    restricts: restrictionsOf(p.restricts),
    source_url: p.source_url,
  }));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * `fn` remembering its answer for each argument: a week's thousands of rows repeat a few hundred
 * names, dates and texts. (A parsed list is then shared by the rows with the same text: a report
 * is read, never changed.)
 */
function memoized<K, V>(fn: (key: K) => V): (key: K) => V {
  const seen = new Map<K, V>();
  return (key) => {
    let v = seen.get(key);
    if (v === undefined) {
      v = fn(key);
      seen.set(key, v);
    }
    return v;
  };
}

/**
 * Each of `names` mapped to its place in rule 10's order. compareNames is a total order, so sorting
 * rows by these ranks sorts them exactly as compareNames would, comparing each distinct name once
 * rather than at every comparison of two rows.
 */
function nameRanks(names: Iterable<string>): Map<string, number> {
  const sorted = [...new Set(names)].sort(compareNames);
  return new Map(sorted.map((name, i) => [name, i]));
}

/**
 * Rule 11: a facility is its county and its folded name; it is shown in the spelling most of its
 * declines in the report use, ties going to the first in rule 10's order. `rows` are the declines'
 * counties, folded names and spellings; the answer gives the spelling shown for a county and folded name.
 */
function facilitySpellings(
  rows: Iterable<{ fips: string; folded: string; spelling: string }>,
): (fips: string, folded: string) => string {
  // county → folded name → spelling → declines
  const counts = new Map<string, Map<string, Map<string, number>>>();
  for (const { fips, folded, spelling } of rows) {
    let county = counts.get(fips);
    if (!county) {
      county = new Map();
      counts.set(fips, county);
    }
    let spellings = county.get(folded);
    if (!spellings) {
      spellings = new Map();
      county.set(folded, spellings);
    }
    spellings.set(spelling, (spellings.get(spelling) ?? 0) + 1);
  }
  const shown = new Map<string, Map<string, string>>();
  for (const [fips, county] of counts) {
    const names = new Map<string, string>();
    for (const [folded, spellings] of county) {
      const [best] = [...spellings].sort(([a, m], [b, n]) => n - m || compareNames(a, b));
      names.set(folded, best![0]);
    }
    shown.set(fips, names);
  }
  return (fips, folded) => shown.get(fips)!.get(folded)!;
}

/**
 * A Section II row's stable reference (issue 13): the first 12 hex digits of the SHA-256 of its
 * county, facility (folded) and every shown field, and its place among identical rows of the
 * period. No detainer id goes in, so anyone can recompute it from the JSON; the same row has the
 * same ref in every edition and period kind that lists it. Disputes name rows by it.
 */
export function rowRefOf(fips: string, facility: string, row: Omit<DeclineRow, 'ref'>, nth: number): string {
  return refOfFolded(fips, foldName(facility), row, nth);
}

function refOfFolded(fips: string, folded: string, row: Omit<DeclineRow, 'ref'>, nth: number): string {
  const key = JSON.stringify([
    fips,
    folded,
    row.citizenship,
    row.issued_date,
    row.declined_date,
    row.recorded_date,
    row.criminal_activity.map((a) => [a.kind, a.description]),
    row.lift_reason,
    row.received_by,
    row.request_kind ?? null,
    nth,
  ]);
  return sha256Hex(key).slice(0, 12);
}

/** SHA-256 in hex: crypto.hash (Node 20.12+) is a one-shot call, a few times faster than a Hash object per row. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** Refs for the rows of a period, in order, counting identical rows so each gets its own. */
function refCounter(): (fips: string, folded: string, row: Omit<DeclineRow, 'ref'>) => string {
  const seen = new Map<string, number>();
  return (fips, folded, row) => {
    const base = refOfFolded(fips, folded, row, 0);
    const nth = seen.get(base) ?? 0;
    seen.set(base, nth + 1);
    return nth === 0 ? base : refOfFolded(fips, folded, row, nth);
  };
}

/** Section II of a period with each row's detainer id beside it (the records behind a row: staff only). */
export function section2WithSources(declines: DeclineRecord[]): {
  groups: Section2Group[];
  sources: Map<string, string>;
} {
  const sources = new Map<string, string>();
  const groups = groupSection2(declines, (ref, d) => sources.set(ref, d.detainer_id));
  return { groups, sources };
}

/** A decline attributed to a county, with what Section II shows of its facility and its sort ranks. */
interface PlacedDecline {
  d: DeclineRecord;
  facility: string;
  /** The facility's name folded (rule 11): the same for every spelling of it. */
  folded: string;
  received_by: string | null;
  /** The county's place in rule 7's order: state name, county name, FIPS (all three follow from the FIPS). */
  county: number;
  /** The shown facility's place in rule 10's order. */
  facilityRank: number;
}

function groupSection2(
  declines: DeclineRecord[],
  onRow?: (ref: string, d: DeclineRecord) => void,
): Section2Group[] {
  const refOf = refCounter();
  const fold = memoized(foldName);
  const attributed = declines
    .filter((d) => d.fips !== null)
    .map((d) => ({ d, fips: d.fips!, folded: fold(d.facility), spelling: d.facility }));
  const spelling = facilitySpellings(attributed);

  // State, county name and FIPS are the county's (the store joins them on the FIPS), so the first
  // three keys of the order are one rank per county, computed once per county, not per row.
  const counties = new Map<string, DeclineRecord>();
  for (const { d } of attributed) if (!counties.has(d.fips!)) counties.set(d.fips!, d);
  const countyOrder = [...counties.values()]
    .map((d) => ({ fips: d.fips!, county: d.county!, state: stateName(d.state!) }))
    .sort(
      (a, b) => compareNames(a.state, b.state) || compareNames(a.county, b.county) || byText(a.fips, b.fips),
    );
  const countyRank = new Map(countyOrder.map((c, i) => [c.fips, i]));

  const placed: PlacedDecline[] = attributed.map(({ d, fips, folded }) => ({
    d,
    facility: spelling(fips, folded),
    folded,
    // A transfer between two spellings of one facility is no transfer.
    received_by: d.received_by !== null && fold(d.received_by) !== folded ? d.received_by : null,
    county: countyRank.get(fips)!,
    facilityRank: 0,
  }));
  const facilityRank = nameRanks(placed.map((p) => p.facility));
  for (const p of placed) p.facilityRank = facilityRank.get(p.facility)!;
  placed.sort(
    (a, b) =>
      a.county - b.county ||
      a.facilityRank - b.facilityRank ||
      byText(a.d.declined_date ?? '', b.d.declined_date ?? '') ||
      byText(a.d.issued_date, b.d.issued_date) ||
      byText(a.d.recorded_date ?? '', b.d.recorded_date ?? '') ||
      byText(a.d.detainer_id, b.d.detainer_id),
  );

  const activity = memoized(parseCriminalActivity);
  const groups: Section2Group[] = [];
  let g: Section2Group | undefined;
  for (const { d, facility, folded, received_by } of placed) {
    if (!g || g.county.fips !== d.fips || g.facility !== facility) {
      const county: CountyRef = { fips: d.fips!, name: d.county!, state: d.state! };
      g = { county, facility, declines: [] };
      groups.push(g);
    }
    const row: DeclineRow = {
      ref: '',
      citizenship: d.citizenship,
      issued_date: d.issued_date,
      declined_date: d.declined_date,
      recorded_date: d.recorded_date,
      criminal_activity: activity(d.criminal_activity),
      lift_reason: d.lift_reason,
      received_by,
      request_kind: d.request_kind,
    };
    row.ref = refOf(g.county.fips, folded, row);
    onRow?.(row.ref, d);
    g.declines.push(row);
  }
  return groups;
}

/** A decline share (declines ÷ detainers issued) to 4 decimals; null when none was issued. */
export const declineShare = (declined: number, issued: number): number | null =>
  issued > 0 ? Math.round((declined / issued) * 10000) / 10000 : null;

/**
 * Against what was issued (issue 15): each Section II group carries its county's detainers issued in
 * the period, its declines and the share; each Section I row its county's declines.
 */
function againstIssued(
  section1: Section1Row[],
  section2: Section2Group[],
  issued: Map<string, number>,
): { section1: Section1Row[]; section2: Section2Group[] } {
  const declined = new Map<string, number>();
  for (const g of section2)
    declined.set(g.county.fips, (declined.get(g.county.fips) ?? 0) + g.declines.length);
  return {
    section1: section1.map((r) => ({ ...r, declined: declined.get(r.county.fips) ?? 0 })),
    section2: section2.map(({ county, facility, declines }) => {
      const n = issued.get(county.fips) ?? 0;
      const d = declined.get(county.fips)!;
      return {
        county,
        facility,
        county_detainers_issued: n,
        county_declined: d,
        county_decline_share: declineShare(d, n),
        declines,
      };
    }),
  };
}

function totalsOf(issued: number, declined: number, section2: Section2Group[]): Report['totals'] {
  return totalsOfTallies(
    issued,
    declined,
    section2.map((g) => ({ fips: g.county.fips, state: g.county.state, facility: g.facility })),
  );
}

/**
 * The totals from the declines' counties and facilities: a facility is its county and its
 * folded name (rule 11), whichever spelling a decline used.
 */
function totalsOfTallies(
  issued: number,
  declined: number,
  places: Array<{ fips: string; state: string; facility: string }>,
): Report['totals'] {
  return {
    detainers_issued: issued,
    declined,
    jurisdictions_with_declines: new Set(places.map((p) => p.fips)).size,
    states_with_declines: new Set(places.map((p) => p.state)).size,
    facilities_with_declines: new Set(places.map((p) => `${p.fips}\u0000${foldName(p.facility)}`)).size,
  };
}

/**
 * What changed (issue 15): the previous period's totals by the same rules, and its Section I ranking
 * (the same `top`), for the movement of each county listed now.
 */
async function previousOf(
  store: Store,
  period: Period,
  top: number,
  basis: DeclineBasis,
): Promise<{ previous: Omit<PreviousPeriod, 'change'>; ranks: Map<string, number> } | null> {
  const p = previousPeriod(period);
  if (!p) return null;
  const [issued, tallies, counts] = await Promise.all([
    detainersIssuedIn(store, p),
    declineTallies(store, p, basis),
    restrictingCounts(store, p),
  ]);
  const declined = tallies.reduce((sum, t) => sum + t.n, 0);
  const places = tallies.flatMap((t) =>
    t.fips === null ? [] : [{ fips: t.fips, state: t.state!, facility: t.facility }],
  );
  const totals = totalsOfTallies(issued, declined, places);
  const ranks = new Map(rankSection1(counts, top).rows.map((r) => [r.county.fips, r.rank]));
  return {
    previous: { period: { start: p.start, end: p.end, kind: p.kind }, totals },
    ranks,
  };
}

/** Each Section I row's movement against the previous period's ranking. */
function withMovement(rows: Section1Row[], ranks: Map<string, number>): Section1Row[] {
  return rows.map((r) => {
    const before = ranks.get(r.county.fips) ?? null;
    const movement =
      before === null ? 'new' : r.rank < before ? 'up' : r.rank > before ? 'down' : ('same' as const);
    return { ...r, previous_rank: before, movement };
  });
}

/** Section IV's word on declines the county map draws elsewhere or cannot draw. */
function mapNotes(section2: Section2Group[]): string[] {
  const notes: string[] = [];
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
      notes.push(
        `Map: ${what} cannot be drawn: ${place.note}. ${n === 1 ? 'It is' : 'They are'} listed in Section II.`,
      );
    } else if (place.note) {
      notes.push(
        `Map: ${what} ${n === 1 ? 'is' : 'are'} drawn in county ${place.fips} of the ${ATLAS_VINTAGE} boundaries: ${place.note}.`,
      );
    }
  }
  return notes;
}

const plural = counted;

/**
 * Section IV's figures for a draft (no corrections), from the declines counted in the period and its
 * gaps: only the declines attributed to a county (Section II's) count as listed.
 */
function draftFigures(period: DaySpan, declines: DeclineRecord[], gaps: Gaps): Section4Figures {
  const counted = declines.filter((d) => d.fips !== null);
  const before = counted.filter((d) => d.issued_date < period.start);
  const oldest = before.reduce<string | null>(
    (m, d) => (m === null || d.issued_date < m ? d.issued_date : m),
    null,
  );
  // A week's thousands of rows share a few dozen dates, texts and counties: each is read once.
  const day = memoized((date: string) => Date.parse(date));
  const activity = memoized(parseCriminalActivity);
  const offMap = memoized((fips: string) => placeOnAtlas(fips).fips === null);
  return {
    declines_issued_before_period: before.length,
    oldest_issued_date: oldest,
    median_recording_lag_days: median(
      counted
        .filter((d) => d.declined_date && d.recorded_date)
        .map((d) => Math.round((day(d.recorded_date!) - day(d.declined_date!)) / 86_400_000)),
    ),
    excluded_unresolved: declines.length - counted.length,
    missing_citizenship: counted.filter((d) => d.citizenship === null).length,
    missing_criminal_activity: counted.filter((d) => activity(d.criminal_activity).length === 0).length,
    corrections_since_previous_edition: 0,
    declines_not_on_map: counted.filter((d) => offMap(d.fips!)).length,
    declines_without_date: gaps.undated,
    unresolved_detainers_issued: gaps.unresolved,
  };
}

/**
 * Section IV's figures of each week's draft report (declines by recorded date), exactly as
 * buildReport gives them, without building the reports: the declines of all the weeks are read
 * at once. For the data quality page.
 */
export async function weeklyDraftFigures(
  store: Store,
  weeks: Period[],
): Promise<Array<{ week: string; figures: Section4Figures }>> {
  if (weeks.length === 0) return [];
  const days = weeks.flatMap((w) => [w.start, w.end]).sort();
  const span = { start: days[0]!, end: days.at(-1)! };
  const [declines, gaps] = await Promise.all([
    declinesIn(store, span, 'recorded'),
    Promise.all(weeks.map((w) => gapsIn(store, w))),
  ]);
  return weeks.map((w, i) => ({
    week: w.start,
    figures: draftFigures(
      w,
      declines.filter((d) => d.recorded_date! >= w.start && d.recorded_date! <= w.end),
      gaps[i]!,
    ),
  }));
}

export async function buildReport(store: Store, period: Period, options: BuildOptions = {}): Promise<Report> {
  const top = options.top ?? 10;
  const basis = options.declineBasis ?? 'recorded';

  // The queries are independent: run them side by side (each store hands out several connections).
  // The period's declines are the longest read, so they go first, and Section II is grouped as soon
  // as they arrive, while the other queries still run.
  const [{ declines, grouped }, issued, demo, counts, section3, gaps, byCounty, earlier, issuedKinds] =
    await Promise.all([
      declinesIn(store, period, basis).then((declines) => ({ declines, grouped: groupSection2(declines) })),
      detainersIssuedIn(store, period),
      holdsDemoData(store),
      restrictingCounts(store, period),
      policiesInForce(store, period),
      gapsIn(store, period),
      issuedByCounty(store, period),
      previousOf(store, period, top, basis),
      issuedByKind(store, period),
    ]);
  const ranked = rankSection1(counts, top);
  const against = againstIssued(ranked.rows, grouped, byCounty);
  const { section2 } = against;
  const section1 = withMovement(against.section1, earlier?.ranks ?? new Map());
  const { tieNote } = ranked;
  const figures = draftFigures(period, declines, gaps);
  const {
    declines_issued_before_period: before,
    oldest_issued_date: oldest,
    median_recording_lag_days: lag,
    excluded_unresolved: unresolved,
    missing_citizenship: missingCitizenship,
    missing_criminal_activity: missingCriminal,
  } = figures;
  const label = periodLabel(period);

  const notes: string[] = [];
  if (demo) {
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
    before > 0
      ? `${plural(before, 'decline')} counted here ${before === 1 ? 'was' : 'were'} on detainers issued before the period; the oldest was issued on ${oldest}.`
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
  if (gaps.byFacilityName > 0) {
    notes.push(
      `${plural(gaps.byFacilityName, 'detainer')} issued in the period ${gaps.byFacilityName === 1 ? 'is' : 'are'} at facilities attributed to a county by the facility's own name: the city spans several counties and the name names one of them ("DENVER COUNTY JAIL"); ddor resolve list --all lists them.`,
    );
  }
  if (tieNote) notes.push(tieNote);
  notes.push(...mapNotes(section2));
  notes.push('This is a draft built from the current data, not a published edition; no corrections apply.');

  const totals = totalsOf(issued, declines.length, section2);
  const kindTitle = { week: 'Weekly ', quarter: 'Quarterly ', range: '' }[period.kind];
  const basisTitle =
    basis === 'recorded' ? 'For Recorded Declined Detainers' : 'For Declined Detainers Issued';
  return {
    schema: REPORT_SCHEMA,
    title: `${kindTitle}Declined Detainer Outcome Report — ${basisTitle} ${label}`,
    demo,
    period: { start: period.start, end: period.end, kind: period.kind },
    decline_basis: basis,
    top,
    totals,
    totals_by_kind: {
      detainers_issued: issuedKinds,
      declined: {
        hold: declines.filter((d) => d.request_kind === 'hold').length,
        notification: declines.filter((d) => d.request_kind === 'notification').length,
        unknown: declines.filter((d) => d.request_kind === 'unknown').length,
      },
    },
    previous: earlier
      ? {
          ...earlier.previous,
          change: Object.fromEntries(
            Object.entries(totals).map(([k, v]) => [
              k,
              v - earlier.previous.totals[k as keyof typeof totals],
            ]),
          ) as PreviousPeriod['change'],
        }
      : null,
    section1,
    section2,
    section3,
    section4: { notes, figures },
    edition: null,
  };
}
