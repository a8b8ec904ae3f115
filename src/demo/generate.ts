/**
 * The demo dataset: 39 weeks (FY2017 Q1–Q3, 2016-10-01..2017-06-30) of
 * synthetic detainers at real facilities, with the real-world complications
 * the 2017 report got wrong: same-name counties, transfers, detainers sent to
 * the wrong agency, and declines recorded weeks after they happened.
 * Deterministic: the same seed writes the same bytes.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { dataPath } from '../paths.js';
import { addDays } from '../report/period.js';
import {
  CITIZENSHIP,
  COUNTY_AOR,
  OFFENSE_KINDS,
  OFFENSES,
  OUTCOMES_OTHER,
  OUTCOMES_RESTRICTING,
  SOURCES,
  STATE_AOR,
} from './mixes.js';
import { Random, weightedPicker } from './random.js';

export const DEMO_START = '2016-10-01';
export const DEMO_WEEKS = 39;

export const demoDataPath = (name: string) => dataPath('demo', name);

interface Facility {
  state: string;
  county_fips: string;
  county: string;
  city: string;
  agency: string;
  agency_code: string;
  weight: number;
  restricting: boolean;
}

function loadFacilities(): Facility[] {
  const rows = parse(readFileSync(demoDataPath('facilities.csv')), { columns: true }) as Record<
    string,
    string
  >[];
  return rows.map((r) => ({
    state: r.state!,
    county_fips: r.county_fips!,
    county: r.county!,
    city: r.city!,
    agency: r.agency!,
    agency_code: r.agency_code!,
    weight: Number(r.weight),
    restricting: r.restricting_hint === 'yes',
  }));
}

export const DETAINER_HEADER = [
  'detainer_id',
  'issued_date',
  'form',
  'aor',
  'agency',
  'agency_code',
  'city',
  'county_fips',
  'county',
  'state',
  'citizenship',
  'criminal_activity',
  'outcome',
  'declined_date',
  'recorded_date',
  'released_by_agency',
  'released_by_city',
  'released_by_county_fips',
  'released_by_county',
  'released_by_state',
  'source',
];

export interface DemoOptions {
  seed?: number;
  weeks?: number;
  start?: string;
  /** Mean detainers per week (ICE issued about 3,000 a week in early 2017). */
  perWeek?: number;
  /** Stop after this many detainers (the bench asks for exactly 1,000,000). */
  limit?: number;
}

/** Generates the detainer CSV rows, header first. */
export function* demoDetainerRows(options: DemoOptions = {}): Generator<string[]> {
  const r = new Random(options.seed ?? 2017);
  const start = options.start ?? DEMO_START;
  const weeks = options.weeks ?? DEMO_WEEKS;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  // With a limit, spread it over the weeks (the weekly noise and growth average above 1, so it is reached).
  const perWeek = options.perWeek ?? (Number.isFinite(limit) ? Math.ceil(limit / weeks) : 3000);
  const facilities = loadFacilities();
  const pickFacility = weightedPicker(facilities.map((f) => [f, f.weight] as const));
  const byState = new Map<string, Facility[]>();
  for (const f of facilities) byState.set(f.state, [...(byState.get(f.state) ?? []), f]);
  const pickCitizenship = weightedPicker(CITIZENSHIP);
  const pickOffense = weightedPicker(OFFENSES);
  const pickKind = weightedPicker(OFFENSE_KINDS);
  const restrictingOutcome = weightedPicker(OUTCOMES_RESTRICTING);
  const otherOutcome = weightedPicker(OUTCOMES_OTHER);
  const pickSource = weightedPicker(SOURCES);
  // Day strings by offset from start, computed once (the generator writes hundreds of thousands of rows).
  const dayStrings = Array.from({ length: weeks * 7 + 400 }, (_, i) => addDays(start, i));
  const lastDay = dayStrings[weeks * 7 - 1]!;

  yield DETAINER_HEADER;
  let n = 0;
  for (let w = 0; w < weeks; w++) {
    const count = Math.round(perWeek * (0.85 + 0.3 * r.next()) * (1 + w / (weeks * 4)));
    for (let i = 0; i < count && n < limit; i++) {
      n++;
      // Fewer detainers are prepared at weekends.
      const day = r.weighted([
        [0, 0.5],
        [1, 0.5],
        [2, 1],
        [3, 1],
        [4, 1],
        [5, 1],
        [6, 1],
      ] as const);
      const issuedOffset = w * 7 + day;
      const issued = dayStrings[issuedOffset]!;
      const f = pickFacility(r);
      const outcome = (f.restricting ? restrictingOutcome : otherOutcome)(r);
      const form =
        issued >= '2017-04-02'
          ? 'I-247A'
          : r.weighted([
              ['I-247D', 6],
              ['I-247N', 2],
              ['I-247X', 2],
            ] as const);
      const entries = r.weighted([
        [0, 10],
        [1, 55],
        [2, 25],
        [3, 10],
      ] as const);
      const crimes = new Set<string>();
      for (let k = 0; k < entries; k++) crimes.add(`${pickOffense(r)} (${pickKind(r)})`);
      let declined = '';
      let recorded = '';
      let released: Facility | undefined;
      if (outcome === 'declined') {
        const declinedOffset = issuedOffset + Math.min(120, Math.floor(-Math.log(1 - r.next()) * 6));
        declined = dayStrings[declinedOffset]!;
        const lag = r.weighted([
          [0, 55],
          [1, 20],
          [2, 15],
          [3, 10],
        ] as const);
        const lagDays = [0, 1 + r.int(3), 4 + r.int(27), 31 + r.int(170)][lag]!;
        recorded = dayStrings[declinedOffset + lagDays]!;
        if (declined > lastDay) declined = lastDay;
        if (recorded < declined) recorded = declined;
        // About one decline in fifteen follows a transfer: another agency released the person.
        if (r.next() < 0.065) {
          const others = (byState.get(f.state) ?? []).filter((o) => o.agency !== f.agency);
          if (others.length > 0) released = r.pick(others);
        }
      }
      // Most rows carry the county FIPS code; some only the county's legal name, as many sources do.
      const byName = r.next() < 0.1;
      yield [
        `DEMO-${String(n).padStart(7, '0')}`,
        issued,
        form,
        COUNTY_AOR[f.county_fips] ?? STATE_AOR[f.state] ?? '',
        f.agency,
        f.agency_code,
        f.city,
        byName ? '' : f.county_fips,
        byName ? f.county : '',
        f.state,
        pickCitizenship(r) ?? '',
        [...crimes].join('; '),
        outcome,
        declined,
        recorded === declined ? '' : recorded,
        released?.agency ?? '',
        released?.city ?? '',
        released?.county_fips ?? '',
        '',
        released ? released.state : '',
        outcome === 'declined' ? pickSource(r) : '',
      ];
    }
  }
}

const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** The demo detainers as CSV text (RFC 4180; quoting by hand here, as this is the bench's hot loop too). */
export function demoDetainersCsv(options: DemoOptions = {}): string {
  const lines: string[] = [];
  for (const row of demoDetainerRows(options)) lines.push(row.map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}
