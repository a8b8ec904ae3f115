/**
 * The report's words and columns, written once (after Observable Plot: options
 * as data). Titles, section headings, the headline and Section IV figures, the
 * edition and change summary, and each section's columns — the header and how
 * each cell is taken from the Report — live here; CSV, XLSX, Markdown and the
 * HTML components (the report file and the web pages) read them. Escaping and
 * markup stay with each renderer.
 */
import { counted } from '../domain/numbers.js';
import { stateName } from '../domain/states.js';
import type {
  DeclineBasis,
  DeclineRow,
  EditionChanges,
  Report,
  Section1Row,
  Section2Group,
  Section3Row,
  Section4Figures,
} from '../report/model.js';
import { periodLabel, periodSlug } from '../report/period.js';
import { num } from './escape.js';

/** Request kinds in words (issue 15): a decline's aside, and the page's toggle. */
export const REQUEST_KIND_WORDS = {
  hold: { short: 'hold', toggle: 'Holds (I-247D, I-247A, I-247X)' },
  notification: { short: 'notification', toggle: 'Notifications (I-247N)' },
  unknown: { short: 'form unknown', toggle: 'Form unknown' },
} as const;

/** `4 hold · 1 notification`: the kinds with any, for a count's aside. */
export function kindSplit(k: { hold: number; notification: number; unknown: number }): string {
  return (['hold', 'notification', 'unknown'] as const)
    .filter((kind) => k[kind] > 0)
    .map((kind) => `${num(k[kind])} ${REQUEST_KIND_WORDS[kind].short}`)
    .join(' · ');
}

/** The report's name: the kicker over every title block. */
export const REPORT_NAME = 'Declined Detainer Outcome Report';

/**
 * Who publishes the report: the author and publisher a citation names, the author of the feeds
 * and the attribution under an embedded map. One name, written here.
 */
export const PUBLISHER = 'ddor';

/** The warning on every output of the bundled demo data: the tag stands out (bold, capitals). */
export const DEMO = {
  tag: 'DEMO DATA',
  text: 'built from synthetic records bundled with ddor, not real detainers.',
};
export const DEMO_NOTICE = `${DEMO.tag} — ${DEMO.text}`;

const plural = counted;
/** A label as the start of a sentence or a header: `detainers issued` → `Detainers issued`. */
export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The title as heading and subtitle (`Weekly … Report — For Recorded …`). */
export function titleParts(report: Report): { heading: string; subtitle: string } {
  const [heading, subtitle] = report.title.split(' — ');
  return { heading: heading ?? report.title, subtitle: subtitle ?? '' };
}

export function editionLine(report: Report): string {
  const e = report.edition;
  if (!e) return 'Draft built from the current data — not a published edition.';
  const when = e.published_at.slice(0, 10);
  const review = reviewLine(report);
  return `Edition ${e.number}, published ${when}${e.supersedes ? ` — corrects edition ${e.supersedes}` : ''}.${review ? ` ${review}` : ''}`;
}

/** Who compiled and who reviewed an edition (office mode), in a sentence; null when it does not say. */
export function reviewLine(report: Report): string | null {
  const e = report.edition;
  if (!e?.compiled_by) return null;
  const day = (at: string | null | undefined) => (at ? ` on ${at.slice(0, 10)}` : '');
  if (e.review_rule === 'one-person')
    return `Compiled and published by ${e.compiled_by}${day(e.compiled_at)} without a second review (the office's two-person rule was off).`;
  return `Compiled by ${e.compiled_by}${day(e.compiled_at)}; reviewed and approved by ${e.reviewed_by}${day(e.reviewed_at)}.`;
}

export const errataHeading = (edition: number) => `Errata — edition ${edition}`;

/** A period by name, as a feed or a citation says it: `Week of Jan. 28 – Feb. 3, 2017`, `FY2018Q2 (Jan. 1 – March 31, 2018)`. */
export function periodName(p: Report['period']): string {
  if (p.kind === 'week') return `Week of ${periodLabel(p)}`;
  if (p.kind === 'quarter') return `${periodSlug(p)} (${periodLabel(p)})`;
  return periodLabel(p);
}

/** An edition by name: `Week of Jan. 28 – Feb. 3, 2017, edition 2 (correction)`. */
export function editionName(p: Report['period'], number: number, supersedes: number | null): string {
  return `${periodName(p)}, edition ${number}${supersedes ? ' (correction)' : ''}`;
}

/** Which declines a report counts, in a few words: a figure's label, and the scope of Section II. */
export const DECLINE_BASIS: Record<DeclineBasis, { figure: string; scope: string }> = {
  recorded: { figure: 'declines recorded', scope: 'recorded in the period' },
  issued: { figure: 'declines among those issued', scope: 'among detainers issued in the period' },
};

/** A change as people read it: `+43`, `−2` (a minus sign), `no change`. */
export const signed = (n: number) => (n > 0 ? `+${num(n)}` : n < 0 ? `−${num(-n)}` : 'no change');

/** The period a report compares with, in words: `previous week`, `previous quarter`, `previous 10 days`. */
export function previousName(report: Report): string {
  const p = report.period;
  if (p.kind === 'week') return 'previous week';
  if (p.kind === 'quarter') return 'previous quarter';
  const days = Math.round((Date.parse(p.end) - Date.parse(p.start)) / 86_400_000) + 1;
  return `previous ${plural(days, 'day')}`;
}

/**
 * The headline figures, in order; with the previous period's figure and the change when the report
 * has them (`previous: null` before the accepted range; absent from older editions).
 */
export function headlineFigures(
  report: Report,
): Array<{ key: keyof Report['totals']; label: string; value: number; previous?: string }> {
  const t = report.totals;
  const before = report.previous;
  const figure = (key: keyof Report['totals'], label: string) => ({
    key,
    label,
    value: t[key],
    previous: before
      ? `${previousName(report)}: ${num(before.totals[key])}; ${signed(before.change[key])}`
      : undefined,
  });
  return [
    figure('detainers_issued', 'detainers issued'),
    figure('declined', DECLINE_BASIS[report.decline_basis].figure),
    figure('jurisdictions_with_declines', 'counties with declines'),
    figure('states_with_declines', 'states with declines'),
    figure('facilities_with_declines', 'facilities with declines'),
  ];
}

/** The line under the headline naming the period compared with: `Compared with the previous week, Jan. 21 – 27, 2017.` */
export function previousLine(report: Report): string | null {
  const before = report.previous;
  if (!before) return null;
  return `Compared with the ${previousName(report)}, ${periodLabel(before.period)}, by the same rules on the same data.`;
}

/** A Section I county's movement against the previous period, in words. */
export function movementWords(r: Section1Row): string | null {
  if (r.movement === undefined) return null;
  if (r.movement === 'new') return 'new';
  if (r.movement === 'same') return 'same rank';
  return `${r.movement} from ${r.previous_rank}`;
}

/** The report's parts in order: anchor, short name (contents, sheet names), title and words around them. */
export const SECTIONS = {
  section1: {
    id: 'section-1',
    name: 'Section I',
    title: 'Counties with policies limiting cooperation, by detainers issued',
    lede: 'Detainers issued in the period to agencies in a county, city or state with a policy limiting cooperation in force on the issuing date.',
    empty: 'No detainers were issued in the period to a jurisdiction with a policy limiting cooperation.',
  },
  map: {
    id: 'map',
    name: 'Map',
    title: 'Map of declines',
    caption:
      'Counties shaded by declines counted in the period (fixed classes, comparable between weeks); hatched counties had a policy limiting cooperation in force at some time during the period. County boundaries of 2017 (us-atlas); see Section IV for declines drawn elsewhere.',
  },
  section2: {
    id: 'section-2',
    name: 'Section II',
    title: 'Declined detainers by jurisdiction and facility',
    empty: 'No declines are counted in the period.',
  },
  section3: {
    id: 'section-3',
    name: 'Section III',
    title: 'Policies limiting cooperation in force during the period',
    empty: 'No policy was in force during the period.',
  },
  section4: { id: 'section-4', name: 'Section IV', title: 'Scope and data fidelity' },
} as const;

/** A section's heading in the report: `Section I. Counties with …` (the map has no number). */
export const sectionHeading = (s: { name: string; title: string }) =>
  s.name === SECTIONS.map.name ? s.title : `${s.name}. ${s.title}`;

export function section1Caption(report: Report) {
  const n = report.section1.length;
  return {
    figure: `Top ${n} counties by detainers issued to a restricting jurisdiction.`,
    table: `Section I — top ${n} counties`,
  };
}

export const section2Lede = (report: Report) =>
  `${plural(report.totals.declined, 'decline')} ${DECLINE_BASIS[report.decline_basis].scope}, by the agency that released the person. No names or identifiers are published.`;
export const declinesCount = (n: number) => plural(n, 'decline');

/** A share as people read it: `0.05` → `5.0%`. */
export const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/**
 * A county's declines against the detainers issued to it, for Section II's county headings:
 * `40 detainers issued to the county in the period · 2 declines recorded · decline share 5.0%`.
 * Null for a group of an edition published before these figures.
 */
export function countyAgainstIssued(report: Report, g: Section2Group): string | null {
  if (g.county_detainers_issued === undefined || g.county_declined === undefined) return null;
  const share = g.county_decline_share ?? null;
  return [
    `${plural(g.county_detainers_issued, 'detainer')} issued to the county in the period`,
    `${num(g.county_declined)} ${DECLINE_BASIS[report.decline_basis].figure.replace(/^declines/, g.county_declined === 1 ? 'decline' : 'declines')}`,
    share === null ? 'no decline share (none issued)' : `decline share ${percent(share)}`,
  ].join(' · ');
}
export const section3Caption = (report: Report) =>
  `${plural(report.section3.length, 'policy', 'policies')}, newest enactment first`;

/** Section IV's figures: label, value, and how the value reads (`days` carries its unit). */
export const SECTION4_FIGURES: ReadonlyArray<{
  label: string;
  kind: 'number' | 'date' | 'days';
  value: (f: Section4Figures) => number | string | null;
}> = [
  {
    label: 'Declines on detainers issued before the period',
    kind: 'number',
    value: (f) => f.declines_issued_before_period,
  },
  { label: 'Oldest issuing date among them', kind: 'date', value: (f) => f.oldest_issued_date },
  { label: 'Median recording lag', kind: 'days', value: (f) => f.median_recording_lag_days },
  {
    label: 'Declines excluded for an unresolved jurisdiction',
    kind: 'number',
    value: (f) => f.excluded_unresolved,
  },
  { label: 'Rows missing citizenship', kind: 'number', value: (f) => f.missing_citizenship },
  { label: 'Rows missing criminal activity', kind: 'number', value: (f) => f.missing_criminal_activity },
  { label: 'Declines the map cannot draw', kind: 'number', value: (f) => f.declines_not_on_map },
  {
    label: 'Declines with no date in the source (issued in the period)',
    kind: 'number',
    value: (f) => f.declines_without_date,
  },
  {
    label: 'Detainers at facilities not yet attributed to a county',
    kind: 'number',
    value: (f) => f.unresolved_detainers_issued,
  },
  {
    label: 'Corrections since the previous edition',
    kind: 'number',
    value: (f) => f.corrections_since_previous_edition,
  },
];

/** What a correction changed against the edition it supersedes, one line a change. */
export function changeLines(c: EditionChanges): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(c.totals))
    lines.push(`${k.replaceAll('_', ' ')}: ${num(v.before)} → ${num(v.after)}`);
  const county = (x: { name: string; state: string; fips: string }) => `${x.name}, ${x.state} (${x.fips})`;
  if (c.counties_added.length) lines.push(`counties added: ${c.counties_added.map(county).join('; ')}`);
  if (c.counties_removed.length) lines.push(`counties removed: ${c.counties_removed.map(county).join('; ')}`);
  for (const ch of c.counties_changed)
    lines.push(`${county(ch.county)}: ${ch.declines_before} → ${ch.declines_after} declines`);
  if (c.rows_added.length) lines.push(`${plural(c.rows_added.length, 'decline row')} added`);
  if (c.rows_removed.length) lines.push(`${plural(c.rows_removed.length, 'decline row')} removed`);
  if (c.policies_added.length) lines.push(`policies added: ${c.policies_added.join(', ')}`);
  if (c.policies_removed.length) lines.push(`policies removed: ${c.policies_removed.join(', ')}`);
  if (c.policies_changed.length) lines.push(`policies changed: ${c.policies_changed.join(', ')}`);
  return lines;
}

// ---- Columns -------------------------------------------------------------------------------------

/**
 * A column of the data files (CSV and XLSX): one row per county, decline or policy.
 * `key` is the CSV header (a stable machine name), `label` the header for people.
 */
export interface DataColumn<Row> {
  key: string;
  label: string;
  /** `date` values are `YYYY-MM-DD` or `YYYY-MM`; `list` values are joined; `url` is a link; `share` a fraction (0.05: 5%). */
  kind: 'text' | 'number' | 'share' | 'date' | 'list' | 'url';
  /** Width in the workbook, in characters. */
  width: number;
  value: (row: Row) => string | number | string[] | null;
}

/** The header of each column for people, by its CSV key: one wording in every format. */
export const HEADERS = {
  rank: 'Rank',
  county_fips: 'County FIPS',
  /** Section I's short header, beside its County column. */
  fips: 'FIPS',
  county: 'County',
  state: 'State',
  state_name: 'State name',
  detainers_issued: 'Detainers issued',
  /** Section I's declines beside its detainers issued. */
  declined: 'Declines',
  previous_rank: 'Previous rank',
  movement: 'Change',
  county_detainers_issued: 'Detainers issued to the county',
  county_declined: 'Declines in the county',
  county_decline_share: 'County decline share',
  detainers_issued_hold: 'Of which holds',
  detainers_issued_notification: 'Of which notifications',
  detainers_issued_unknown: 'Of which form unknown',
  request_kind: 'Request',
  facility: 'Facility',
  received_by: 'Transferred from',
  citizenship: 'Citizenship',
  issued_date: 'Issued',
  declined_date: 'Declined',
  recorded_date: 'Recorded',
  criminal_activity: 'Notable criminal activity',
  lift_reason: 'Lift reason (as in the source)',
  policy_id: 'Policy id',
  level: 'Level',
  jurisdiction: 'Jurisdiction',
  aor: 'AOR',
  type: 'Type',
  title: 'Title',
  enacted_date: 'Enacted',
  rescinded_date: 'Rescinded',
  criteria: 'Detainers still honored when',
  restricts: 'Restricts',
  source_url: 'Source',
} as const;

/** A data column, headed for people by HEADERS; `text` unless said. */
const data = <Row>(
  key: keyof typeof HEADERS,
  width: number,
  value: DataColumn<Row>['value'],
  kind: DataColumn<Row>['kind'] = 'text',
): DataColumn<Row> => ({ key, label: HEADERS[key], kind, width, value });

/** Text within a cell for people: plain, an aside (secondary: small in HTML), or a link. */
/** A link's `label`, when given, names it for assistive technology where its text alone is ambiguous. */
export type Run = string | { aside: string } | { href: string; text: string; label?: string };
/** A cell for people: lines of runs (a line break in HTML, `; ` in text). No lines: the column's `empty`. */
export type Cell = Run[][];

/** A column of the tables people read (Markdown and HTML). */
export interface TableColumn<Row> {
  label: string;
  cell: (row: Row) => Cell;
  /** What an empty cell shows. */
  empty?: string;
  /** The row's header cell (`<th scope="row">`). */
  rowHeader?: true;
  /** Numbers align right; dates do not wrap. */
  align?: 'num' | 'date';
  /** The HTML column's width class (a `<col>` of the table's colgroup). */
  col?: string;
}

/** One decline of Section II with its county and facility: a row of the data files. */
export interface DeclineLine {
  group: Section2Group;
  decline: DeclineRow;
}

export const declineLines = (report: Report): DeclineLine[] =>
  report.section2.flatMap((group) => group.declines.map((decline) => ({ group, decline })));

const text = (s: string | null | undefined): Cell => (s ? [[s]] : []);
const aside = (s: string) => ({ aside: s });

/** A cell as plain text: runs joined, lines joined with `; `, empty as ''. */
export const plainText = (cell: Cell): string =>
  cell
    .map((line) => line.map((r) => (typeof r === 'string' ? r : 'aside' in r ? r.aside : r.href)).join(''))
    .join('; ');

const criminalActivity = (d: DeclineRow): Cell =>
  d.criminal_activity.length === 0
    ? []
    : [
        d.criminal_activity.flatMap((c, i) => [
          ...(i ? ['; '] : []),
          `${c.description} `,
          aside(`(${c.kind})`),
        ]),
      ];
/** A decline's notable criminal activity as one line of text ('' for none). */
export const criminalActivityText = (d: DeclineRow): string => plainText(criminalActivity(d));
const words = (code: string) => code.replaceAll('_', ' ');

export const SECTION1_DATA: ReadonlyArray<DataColumn<Section1Row>> = [
  data('rank', 6, (r) => r.rank, 'number'),
  data('county_fips', 12, (r) => r.county.fips),
  data('county', 28, (r) => r.county.name),
  data('state', 8, (r) => r.county.state),
  data('detainers_issued', 16, (r) => r.detainers_issued, 'number'),
  data('declined', 10, (r) => r.declined ?? null, 'number'),
  data('previous_rank', 10, (r) => r.previous_rank ?? null, 'number'),
  data('movement', 10, (r) => r.movement ?? null),
  data('detainers_issued_hold', 12, (r) => r.detainers_issued_by_kind?.hold ?? null, 'number'),
  data(
    'detainers_issued_notification',
    12,
    (r) => r.detainers_issued_by_kind?.notification ?? null,
    'number',
  ),
  data('detainers_issued_unknown', 12, (r) => r.detainers_issued_by_kind?.unknown ?? null, 'number'),
];

export const SECTION1_TABLE: ReadonlyArray<TableColumn<Section1Row>> = [
  { label: HEADERS.rank, align: 'num', cell: (r) => text(String(r.rank)) },
  { label: HEADERS.county, rowHeader: true, cell: (r) => text(r.county.name) },
  { label: HEADERS.state, cell: (r) => text(stateName(r.county.state)) },
  { label: HEADERS.fips, cell: (r) => text(r.county.fips) },
  {
    label: HEADERS.detainers_issued,
    align: 'num',
    cell: (r) => [
      [num(r.detainers_issued)],
      ...(r.detainers_issued_by_kind ? [[aside(kindSplit(r.detainers_issued_by_kind))]] : []),
    ],
  },
  {
    label: HEADERS.declined,
    align: 'num',
    empty: '—',
    cell: (r) => (r.declined === undefined ? [] : text(num(r.declined))),
  },
  { label: HEADERS.movement, empty: '—', cell: (r) => text(movementWords(r)) },
];

export const SECTION2_DATA: ReadonlyArray<DataColumn<DeclineLine>> = [
  data('state', 8, (l) => l.group.county.state),
  data('state_name', 16, (l) => stateName(l.group.county.state)),
  data('county_fips', 12, (l) => l.group.county.fips),
  data('county', 24, (l) => l.group.county.name),
  data('facility', 40, (l) => l.group.facility),
  data('received_by', 30, (l) => l.decline.received_by),
  data('citizenship', 18, (l) => l.decline.citizenship),
  data('issued_date', 12, (l) => l.decline.issued_date, 'date'),
  data('declined_date', 12, (l) => l.decline.declined_date, 'date'),
  data('recorded_date', 12, (l) => l.decline.recorded_date, 'date'),
  data('criminal_activity', 60, (l) => plainText(criminalActivity(l.decline))),
  data('lift_reason', 30, (l) => l.decline.lift_reason),
  data('county_detainers_issued', 14, (l) => l.group.county_detainers_issued ?? null, 'number'),
  data('county_declined', 12, (l) => l.group.county_declined ?? null, 'number'),
  data('county_decline_share', 12, (l) => l.group.county_decline_share ?? null, 'share'),
  data('request_kind', 12, (l) => l.decline.request_kind ?? null),
];

/** Section II for people: the state, county and facility are the headings above these rows. */
export const SECTION2_TABLE: ReadonlyArray<TableColumn<DeclineRow>> = [
  { label: HEADERS.citizenship, col: 'c-cit', empty: '—', cell: (d) => text(d.citizenship) },
  {
    label: HEADERS.issued_date,
    col: 'c-date',
    align: 'date',
    cell: (d) => [
      [d.issued_date],
      ...(d.request_kind ? [[aside(REQUEST_KIND_WORDS[d.request_kind].short)]] : []),
    ],
  },
  {
    label: HEADERS.declined_date,
    col: 'c-date',
    align: 'date',
    empty: '—',
    cell: (d) => text(d.declined_date),
  },
  {
    label: HEADERS.recorded_date,
    col: 'c-date',
    align: 'date',
    empty: '—',
    cell: (d) => text(d.recorded_date),
  },
  { label: HEADERS.criminal_activity, col: 'c-crime', empty: '—', cell: criminalActivity },
  {
    label: HEADERS.received_by,
    col: 'c-from',
    cell: (d) => [
      ...text(d.received_by),
      ...(d.lift_reason ? [[aside(`lift reason: ${d.lift_reason}`)]] : []),
    ],
  },
];

export const SECTION3_DATA: ReadonlyArray<DataColumn<Section3Row>> = [
  data('policy_id', 18, (p) => p.policy_id),
  data('level', 8, (p) => p.level),
  data('jurisdiction', 26, (p) => p.jurisdiction),
  data('aor', 14, (p) => p.aor),
  data('type', 16, (p) => p.type),
  data('title', 50, (p) => p.title),
  data('enacted_date', 12, (p) => p.enacted_date, 'date'),
  data('rescinded_date', 12, (p) => p.rescinded_date, 'date'),
  data('criteria', 50, (p) => p.criteria),
  data('restricts', 30, (p) => p.restricts, 'list'),
  data('source_url', 50, (p) => p.source_url, 'url'),
];

export const SECTION3_TABLE: ReadonlyArray<TableColumn<Section3Row>> = [
  { label: HEADERS.jurisdiction, rowHeader: true, cell: (p) => text(p.jurisdiction) },
  { label: HEADERS.aor, cell: (p) => text(p.aor) },
  { label: HEADERS.type, cell: (p) => text(words(p.type)) },
  { label: HEADERS.title, cell: (p) => text(p.title) },
  {
    label: HEADERS.enacted_date,
    cell: (p) => [[p.enacted_date], ...(p.rescinded_date ? [[aside(`rescinded ${p.rescinded_date}`)]] : [])],
  },
  { label: HEADERS.criteria, cell: (p) => text(p.criteria) },
  { label: HEADERS.restricts, cell: (p) => text(words(p.restricts.join(', '))) },
  {
    label: HEADERS.source_url,
    empty: '—',
    cell: (p) => (p.source_url ? [[{ href: p.source_url, text: 'source' }]] : []),
  },
];
