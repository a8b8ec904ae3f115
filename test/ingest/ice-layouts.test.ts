/**
 * Every ICE release layout ddor knows (ice-layouts.ts), read as a new user would read it:
 * small files in each layout and in DDP's cleaned forms, every identifying column filled with
 * planted values. The layout is detected and named; the week's report equals the same records
 * imported canonically; nothing planted reaches the store or an output; facilities resolve by
 * code across releases; Census places, city-counties and facility names attribute counties.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DdorError, InputRejectedError } from '../../src/errors.js';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { facilityQueue, facilityRegistry, resolveFacility } from '../../src/ingest/facilities.js';
import { detainerSpecFor } from '../../src/ingest/formats.js';
import { iceSpec, legacyFacilityKey } from '../../src/ingest/ice.js';
import { columnsLayout, detectLayout, ICE_LAYOUTS } from '../../src/ingest/ice-layouts.js';
import { importFile } from '../../src/ingest/import.js';
import { FORMATS } from '../../src/render/formats.js';
import { buildReport } from '../../src/report/build.js';
import type { Report } from '../../src/report/model.js';
import { weekPeriod } from '../../src/report/period.js';
import type { Store } from '../../src/store/store.js';
import { csvFile, tempFile } from '../helpers/csv.js';
import { type ReleaseRow, releaseFile } from '../helpers/ice-files.js';
import { snapshot } from '../helpers/snapshot.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

/** One detainer, as ICE's fields give it and as a canonical record says it. */
interface Rec {
  n: number;
  issued: string;
  lift: string;
  reason: string;
  /** A second, later lift reason (only layouts with Detainer_Lift_Reason2 carry it). */
  reason2?: string;
  facility: string;
  code: string;
  city: string;
  state: string;
  aor: string;
  citizenship: string;
  criminality: string;
  msc?: string;
  mscDate?: string;
  charge?: string;
  chargeStatus?: string;
  pending?: string;
  fips: string;
  country: string;
  outcome: string;
  /** Criminal activity from the MSC charge and criminality only. */
  crimMsc: string;
  /** … and from the charge and pending-charge columns too. */
  crimAll: string;
}

const RECORDS: Rec[] = [
  // Denver and San Francisco are consolidated city-counties; Baltimore and St. Louis independent cities.
  {
    n: 1,
    issued: '2024-01-06',
    lift: '2024-01-08',
    reason: 'Detainer Declined by LEA',
    facility: 'DENVER COUNTY JAIL',
    code: 'DENVECO',
    city: 'DENVER',
    state: 'CO',
    aor: 'Denver',
    citizenship: 'MEXICO',
    criminality: '1 Convicted Criminal',
    msc: 'Burglary',
    mscDate: '2020-05-01',
    fips: '08031',
    country: 'Mexico',
    outcome: 'declined',
    crimMsc: 'Burglary (conviction)',
    crimAll: 'Burglary (conviction)',
  },
  {
    n: 2,
    issued: '2024-01-07',
    lift: '2024-01-09',
    reason: 'Detainer Declined by LEA',
    facility: 'SAN FRANCISCO COUNTY JAIL NO. 2',
    code: 'SFCOJCA',
    city: 'SAN FRANCISCO',
    state: 'CA',
    aor: 'San Francisco',
    citizenship: 'GUATEMALA',
    criminality: '2 Pending Criminal Charges',
    charge: 'Assault',
    chargeStatus: 'Pending',
    pending: 'DUI',
    fips: '06075',
    country: 'Guatemala',
    outcome: 'declined',
    crimMsc: 'Pending criminal charges (pending)',
    crimAll: 'Assault (pending); DUI (pending)',
  },
  {
    n: 3,
    issued: '2024-01-07',
    lift: '2024-01-10',
    reason: 'Detainer Declined by LEA',
    reason2: 'Booked into Detention',
    facility: 'BALTIMORE CENTRAL BOOKING',
    code: 'BALCBMD',
    city: 'BALTIMORE',
    state: 'MD',
    aor: 'Baltimore',
    citizenship: 'HONDURAS',
    criminality: '3 Other Immigration Violator',
    fips: '24510',
    country: 'Honduras',
    outcome: 'honored', // the later lift reason decides
    crimMsc: '',
    crimAll: '',
  },
  {
    n: 4,
    issued: '2024-01-08',
    lift: '2024-01-10',
    reason: 'Detainer Declined by LEA',
    facility: 'ST. LOUIS CITY JUSTICE CENTER',
    code: 'STLCJMO',
    city: 'ST. LOUIS',
    state: 'MO',
    aor: 'Chicago',
    citizenship: 'EL SALVADOR',
    criminality: '1 Convicted Criminal',
    msc: 'Theft',
    charge: 'Robbery',
    chargeStatus: 'Convicted',
    fips: '29510',
    country: 'El Salvador',
    outcome: 'declined',
    crimMsc: 'Theft (conviction)',
    crimAll: 'Theft (conviction); Robbery (conviction)',
  },
  // Columbus, OH spans Franklin, Delaware and Fairfield: this facility's name names Franklin County.
  {
    n: 5,
    issued: '2024-01-09',
    lift: '2024-01-11',
    reason: 'Detainer Declined by LEA',
    facility: 'FRANKLIN COUNTY CORRECTIONS CENTER',
    code: 'FRANKOH',
    city: 'COLUMBUS',
    state: 'OH',
    aor: 'Detroit',
    citizenship: 'MEXICO',
    criminality: '3 Other Immigration Violator',
    fips: '39049',
    country: 'Mexico',
    outcome: 'declined',
    crimMsc: '',
    crimAll: '',
  },
  // Brooklyn is no Census place, but a borough: Kings County.
  {
    n: 6,
    issued: '2024-01-10',
    lift: '2024-01-11',
    reason: 'Transferred',
    facility: 'BROOKLYN MDC',
    code: 'BOPBRO',
    city: 'BROOKLYN',
    state: 'NY',
    aor: 'New York City',
    citizenship: 'CHINA, PEOPLES REPUBLIC OF',
    criminality: '3 Other Immigration Violator',
    fips: '36047',
    country: 'China',
    outcome: 'lifted',
    crimMsc: '',
    crimAll: '',
  },
  // Issued before the week, declined in it.
  {
    n: 7,
    issued: '2024-01-02',
    lift: '2024-01-12',
    reason: 'Detainer Declined by LEA',
    facility: 'DENVER COUNTY JAIL',
    code: 'DENVECO',
    city: 'DENVER',
    state: 'CO',
    aor: 'Denver',
    citizenship: 'MEXICO',
    criminality: '1 Convicted Criminal',
    fips: '08031',
    country: 'Mexico',
    outcome: 'declined',
    crimMsc: 'Convicted criminal (conviction)',
    crimAll: 'Convicted criminal (conviction)',
  },
];

const TYPE = 'Immigration Detainer - Notice of Action (I-247A)';
const BASE_WEEK = '2024-01-06';
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const usDate = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;

/** Values planted in identifying columns: none may reach the store or an output. */
const planted = (column: string, n: number) =>
  /alien|a_?number|unique/i.test(column)
    ? `A${String(n).padStart(2, '0')}7654321`
    : `PLANTED-${column.replace(/\W/g, '')}-${n}`;
const PLANTED_RE = /PLANTED-|A0\d7654321/;

interface Case {
  name: string;
  layout: string;
  /** Form and header style of the file. */
  form: 'xlsx' | 'csv' | 'tsv' | 'parquet';
  clean?: boolean;
  /** The week the records are moved to (weeks after BASE_WEEK). */
  week: number;
  /** The records' lift dates are in the file: both decline bases compare. */
  dated: boolean;
  /** The charge and pending-charge columns are in the file. */
  charges: boolean;
  /** The layout has no criminality or charge column at all (NPR's, as far as DDP's code shows). */
  noCrime?: boolean;
  header: string[];
  row(r: Rec, issued: string, lift: string, id: string): ReleaseRow;
  /** Registers the facilities' codes first (the layout names no state). */
  needsRegistry?: boolean;
  /** The same records as an earlier case (a DDP copy of the same release): nothing new. */
  sameAs?: string;
}

const withIds = (
  layout: string,
  header: string[],
  row: (r: Rec, i: string, l: string, id: string) => ReleaseRow,
) => {
  const l = ICE_LAYOUTS.find((x) => x.id === layout)!;
  const full = [...header, ...l.identifying, 'Gender'];
  return {
    header: full,
    row: (r: Rec, issued: string, lift: string, id: string) => {
      const out: ReleaseRow = { ...row(r, issued, lift, id), Gender: 'M' };
      for (const c of l.identifying) out[c] = planted(c, r.n);
      return out;
    },
  };
};

const TITLE_2025 = withIds(
  'ice-2025-icli-00019',
  [
    'Detainer Prepare Date',
    'Facility State',
    'Facility AOR',
    'Detainer Prepared Criminality',
    'Detention Facility',
    'Detention Facility Code',
    'Facility City',
    'Detainer Prep Threat Level',
    'Citizenship Country',
    'Most Serious Conviction (MSC) Charge',
    'MSC Conviction Date',
    'Detainer Lift Reason',
    'Detainer Type',
  ],
  (r, issued) => ({
    'Detainer Prepare Date': issued,
    'Facility State': r.state,
    'Facility AOR': r.aor,
    'Detainer Prepared Criminality': r.criminality,
    'Detention Facility': r.facility,
    'Detention Facility Code': r.code,
    'Facility City': r.city,
    'Detainer Prep Threat Level': 'Level 2',
    'Citizenship Country': r.citizenship,
    'Most Serious Conviction (MSC) Charge': r.msc ?? '',
    'MSC Conviction Date': r.mscDate ?? '',
    'Detainer Lift Reason': r.reason2 ?? r.reason,
    'Detainer Type': TYPE,
  }),
);

const SNAKE_18038 = withIds(
  'ice-2025-icfo-18038',
  [
    'Detainer_ID',
    'Detainer_Prepare_Date',
    'Detainer_Lift_Date',
    'Detainer_Lift_Reason',
    'Detainer_Lift_Reason_Code',
    'Detainer_Lift_Reason2',
    'Detainer_Lift_Reason_Code2',
    'Detainer_Detention_Facility',
    'Detainer_Detention_Facility_Code',
    'Detainer_AOR',
    'Citizenship_Country',
    'Detainer_Type',
    'Detainer_Prepared_Criminality',
    'Detainer_Most_Serious_Conviction_Charge',
    'Detainer_Most_Serious_Conviction_Conviction_Date',
    'Detainer_Most_Serious_Charge',
    'Detainer_Most_Serious_Criminal_Charge_Status',
    'Detainer_Most_Serious_Pending_Charge',
    'Detainer_Most_Serious_Pending_Criminal_Charge_Status',
  ],
  (r, issued, lift, id) => ({
    Detainer_ID: id,
    Detainer_Prepare_Date: issued,
    Detainer_Lift_Date: lift,
    Detainer_Lift_Reason: r.reason,
    Detainer_Lift_Reason_Code: 'X',
    Detainer_Lift_Reason2: r.reason2 ?? '',
    Detainer_Detention_Facility: r.facility,
    Detainer_Detention_Facility_Code: r.code,
    Detainer_AOR: r.aor,
    Citizenship_Country: r.citizenship,
    Detainer_Type: TYPE,
    Detainer_Prepared_Criminality: r.criminality,
    Detainer_Most_Serious_Conviction_Charge: r.msc ?? '',
    Detainer_Most_Serious_Conviction_Conviction_Date: r.mscDate ?? '',
    Detainer_Most_Serious_Charge: r.charge ?? '',
    Detainer_Most_Serious_Criminal_Charge_Status: r.chargeStatus ?? '',
    Detainer_Most_Serious_Pending_Charge: r.pending ?? '',
    Detainer_Most_Serious_Pending_Criminal_Charge_Status: r.pending ? 'Pending' : '',
  }),
);

const CASES: Case[] = [
  {
    name: 'ERO Detainers workbook',
    layout: 'ice-2025-icli-00019',
    form: 'xlsx',
    week: 0,
    dated: false,
    charges: false,
    ...TITLE_2025,
  },
  {
    name: "the same release as DDP's cleaned CSV",
    layout: 'ice-2025-icli-00019',
    form: 'csv',
    clean: true,
    week: 0,
    dated: false,
    charges: false,
    sameAs: 'ERO Detainers workbook',
    ...TITLE_2025,
  },
  {
    name: '2023–2026 workbook (March 2026 release)',
    layout: 'ice-2023',
    form: 'xlsx',
    week: 1,
    dated: false,
    charges: false,
    ...withIds(
      'ice-2023',
      [
        'Detainer Prepare Date',
        'Facility State',
        'Facility AOR',
        'Detainer Criminality',
        'Detainer Facility',
        'Detainer Facility Code',
        'Facility City',
        'Citizenship Country',
        'MSC Charge',
        'MSC Conviction Date',
        'Detainer Lift Reason',
        'Detainer Type',
      ],
      (r, issued) => ({
        'Detainer Prepare Date': issued,
        'Facility State': r.state,
        'Facility AOR': r.aor,
        'Detainer Criminality': r.criminality,
        'Detainer Facility': r.facility,
        'Detainer Facility Code': r.code,
        'Facility City': r.city,
        'Citizenship Country': r.citizenship,
        'MSC Charge': r.msc ?? '',
        'MSC Conviction Date': r.mscDate ?? '',
        'Detainer Lift Reason': r.reason2 ?? r.reason,
        'Detainer Type': TYPE,
      }),
    ),
  },
  {
    name: '2025-ICFO-18038 workbook',
    layout: 'ice-2025-icfo-18038',
    form: 'xlsx',
    week: 2,
    dated: true,
    charges: true,
    needsRegistry: true,
    ...SNAKE_18038,
  },
  {
    name: "2025-ICFO-18038 as DDP's cleaned Parquet",
    layout: 'ice-2025-icfo-18038',
    form: 'parquet',
    clean: true,
    week: 2,
    dated: true,
    charges: true,
    sameAs: '2025-ICFO-18038 workbook',
    ...SNAKE_18038,
  },
  {
    name: 'NPR tab-separated file',
    layout: 'ice-npr',
    form: 'tsv',
    week: 3,
    dated: true,
    charges: false,
    noCrime: true,
    ...withIds(
      'ice-npr',
      [
        'Prepare Date',
        'Area of Responsibility',
        'Detention Facility',
        'City',
        'State',
        'Citizenship Country',
        'Detainer Lift Reason',
        'Detainer Lift Date',
        'Detainer Type',
      ],
      (r, issued, lift) => ({
        'Prepare Date': usDate(issued),
        'Area of Responsibility': r.aor,
        'Detention Facility': r.facility,
        City: r.city,
        State: r.state,
        'Citizenship Country': r.citizenship,
        'Detainer Lift Reason': r.reason2 ?? r.reason,
        'Detainer Lift Date': usDate(lift),
        'Detainer Type': TYPE,
      }),
    ),
  },
];

const weekOf = (c: Case) => weekPeriod(addDays(BASE_WEEK, 14 * c.week));
const idOf = (c: Case, r: Rec) => `ICEDET-${c.week}${r.n}0042`;
const rowsOf = (c: Case) =>
  RECORDS.map((r) => c.row(r, addDays(r.issued, 14 * c.week), addDays(r.lift, 14 * c.week), idOf(c, r)));

/** The same records as canonical CSV rows (with the MSC-only or full criminal activity). */
function canonicalRows(c: Case): string[] {
  return RECORDS.map((r) => {
    const lift = addDays(r.lift, 14 * c.week);
    const declined = r.outcome === 'declined';
    return [
      `canon-${c.week}-${r.n}`,
      addDays(r.issued, 14 * c.week),
      r.facility,
      r.city,
      r.fips,
      r.state,
      r.country,
      c.noCrime ? '' : c.charges ? r.crimAll : r.crimMsc,
      r.outcome,
      declined ? lift : '',
      declined ? lift : '',
    ]
      .map((v) => (/[",;]/.test(v) ? `"${v}"` : v))
      .join(',');
  });
}

/** What the two stores must agree on: the figures and sections, less what only ICE's files carry. */
/** The canonical copies carry no form, so the request kinds (issue 15) are left out of the comparison. */
function comparable(report: Report, dated: boolean) {
  return {
    totals: report.totals,
    section1: report.section1.map(({ detainers_issued_by_kind: _, ...r }) => r),
    section2: report.section2.map((g) => ({
      ...g,
      // The ref hashes every shown field, lift reason and request kind too: left out with them.
      declines: g.declines.map(({ lift_reason: _, request_kind: __, ref: ___, ...d }) =>
        dated ? d : { ...d, declined_date: null, recorded_date: null },
      ),
    })),
    figures: dated
      ? report.section4.figures
      : { missing_citizenship: report.section4.figures.missing_citizenship },
  };
}

async function allOutputs(report: Report): Promise<string> {
  const parts: string[] = [];
  for (const f of FORMATS.filter((x) => x.text)) {
    for (const v of Object.values(await f.render(report, {}))) parts.push(String(v));
  }
  return parts.join('\n');
}

async function everything(store: Store): Promise<string> {
  const { rows } = await sql`SELECT * FROM facilities`.execute(store.db);
  return `${await snapshot(store)}\n${JSON.stringify(rows)}`;
}

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`ICE release layouts on ${factory.name}`, () => {
    let ice: Store;
    let canonical: Store;
    const cleanups: Array<() => Promise<void>> = [];
    const files = new Map<string, string>();

    beforeAll(async () => {
      for (const which of ['ice', 'canonical'] as const) {
        const { store, cleanup } = await factory.create();
        cleanups.push(cleanup);
        if (which === 'ice') ice = store;
        else canonical = store;
      }
      for (const c of CASES) {
        files.set(
          c.name,
          await releaseFile(c.header, rowsOf(c), c.form, {
            clean: c.clean,
            preamble: c.form === 'xlsx' && c.layout !== 'ice-2025-icfo-18038' ? 6 : 0,
          }),
        );
      }
      const header =
        'detainer_id,issued_date,agency,city,county_fips,state,citizenship,criminal_activity,outcome,declined_date,recorded_date';
      const weeks = [...new Map(CASES.map((c) => [c.week, c])).values()];
      await importFile(canonical, detainerSpec, csvFile([header, ...weeks.flatMap(canonicalRows)]), {
        rejectsPath: false,
      });
    }, 60_000);
    afterAll(async () => {
      await ice?.close();
      await canonical?.close();
      for (const c of cleanups) await c();
    });

    for (const c of CASES) {
      it(`${c.name}: detects ${c.layout}, drops every identifying column, and reports as the canonical records do`, async () => {
        const file = files.get(c.name)!;
        const spec = await detainerSpecFor('auto', file);
        expect(spec.read).toBeDefined(); // an ICE file, not a canonical CSV
        const s = await importFile(ice, spec, file, { rejectsPath: false });
        expect(s.layout).toMatch(new RegExp(`^${c.layout}: `));
        if (c.clean) expect(s.layout).toContain("(DDP's cleaned names)");
        const layout = ICE_LAYOUTS.find((l) => l.id === c.layout)!;
        expect(s.droppedColumns.length).toBe(layout.identifying.length);
        // The summary names the source column of each field.
        expect(s.columnsUsed).toContainEqual({
          field: 'facility',
          column: c.clean
            ? layout.columns.facility![0]!.toLowerCase().replace(/[^a-z0-9]+/g, '_')
            : layout.columns.facility![0]!,
        });
        if (c.sameAs)
          expect(s).toMatchObject({ rows: RECORDS.length, inserted: 0, unchanged: RECORDS.length });
        else expect(s).toMatchObject({ rows: RECORDS.length, inserted: RECORDS.length, rejected: 0 });

        const week = weekOf(c);
        for (const basis of c.dated ? (['recorded', 'issued'] as const) : (['issued'] as const)) {
          const got = await buildReport(ice, week, { declineBasis: basis });
          const want = await buildReport(canonical, week, { declineBasis: basis });
          expect(comparable(got, c.dated)).toEqual(comparable(want, c.dated));
          expect(got.section2.length).toBeGreaterThan(3);
          const out = await allOutputs(got);
          expect(out).not.toMatch(PLANTED_RE);
          for (const r of RECORDS) expect(out).not.toContain(idOf(c, r));
        }
        expect(await everything(ice)).not.toMatch(PLANTED_RE);
      });
    }

    it('attributes Denver, San Francisco, Baltimore city, St. Louis city and Brooklyn by place, and Columbus by the name that names Franklin County', async () => {
      const registry = await facilityRegistry(ice);
      const by = (code: string) => registry.find((f) => f.code === code);
      expect(by('DENVECO')).toMatchObject({ county_fips: '08031', resolved_by: 'place' });
      expect(by('SFCOJCA')).toMatchObject({ county_fips: '06075', resolved_by: 'place' });
      expect(by('BALCBMD')).toMatchObject({ county_fips: '24510', resolved_by: 'place' });
      expect(by('STLCJMO')).toMatchObject({ county_fips: '29510', resolved_by: 'place' });
      expect(by('BOPBRO')).toMatchObject({ county_fips: '36047', resolved_by: 'place' });
      expect(by('FRANKOH')).toMatchObject({ county_fips: '39049', resolved_by: 'facility_name' });
      // NPR's facilities have no code: keyed by their folded name.
      expect(
        registry.find((f) => f.facility_key === 'name:SANFRANCISCOCOUNTYJAILNO2|SANFRANCISCO|CA')
          ?.county_fips,
      ).toBe('06075');
      expect(await facilityQueue(ice)).toEqual([]);
    });

    it('keeps a Columbus facility whose name names no county queued, with each county’s share; a resolution by code then holds in a later release', async () => {
      const jail = {
        ...RECORDS[4]!,
        n: 8,
        facility: 'JACKSON PIKE JAIL',
        code: 'JACKSOH',
        issued: '2023-12-02',
        lift: '2023-12-04',
      };
      const first = await releaseFile(TITLE_2025.header, [TITLE_2025.row(jail, jail.issued, '', '')], 'xlsx');
      await importFile(ice, iceSpec('ice'), first, { rejectsPath: false });
      const queue = await facilityQueue(ice);
      expect(queue.map((q) => [q.facility_key, q.candidates])).toEqual([
        [
          'code:JACKSOH',
          'COLUMBUS spans Franklin County (39049, 97%) or Delaware County (39041, 2%) or Fairfield County (39045, 1%)',
        ],
      ]);
      const issued = await buildReport(ice, weekPeriod('2023-12-02'), { declineBasis: 'issued' });
      expect(issued.section4.figures.unresolved_detainers_issued).toBe(queue[0]!.records);

      await resolveFacility(ice, 'JACKSOH', '39049');
      // 2025-ICFO-18038 names no state and no city: the code carries the resolution over.
      const later = { ...jail, n: 9, issued: '2023-12-03', lift: '2023-12-05' };
      const second = await releaseFile(
        SNAKE_18038.header,
        [SNAKE_18038.row(later, later.issued, later.lift, 'ICEDET-JP-9')],
        'xlsx',
        { preamble: 0 },
      );
      const s = await importFile(ice, iceSpec('ice'), second, { rejectsPath: false });
      expect(s).toMatchObject({ inserted: 1, rejected: 0 });
      expect(await facilityQueue(ice)).toEqual([]);
      const report = await buildReport(ice, weekPeriod('2023-12-02'));
      expect(report.section2.map((g) => [g.county.fips, g.facility])).toEqual([
        ['39049', 'JACKSON PIKE JAIL'],
      ]);
      expect(report.section4.figures.unresolved_detainers_issued).toBe(0);
    });
  });
}

/** Runs `test` on a fresh embedded store (checks that end before any write need no second store). */
async function onDuckdb(test: (store: Store) => Promise<void>): Promise<void> {
  const { store, cleanup } = await STORES[0]!.create();
  try {
    await test(store);
  } finally {
    await store.close();
    await cleanup();
  }
}

describe('layouts and their errors', () => {
  it('names the fields a file lacks and the closest known layout', () => {
    const error = (() => {
      try {
        detectLayout(
          'x.csv',
          ['Detainer Prepare Date', 'Facility State', 'Facility City', 'Gender'],
          ICE_LAYOUTS,
        );
      } catch (e) {
        return e as InputRejectedError;
      }
      return undefined;
    })()!;
    expect(error).toBeInstanceOf(InputRejectedError);
    expect(error.rejections.map((r) => r.reason)).toEqual([
      'no column for facility',
      'no column for lift_reason',
    ]);
    expect(error.message).toContain('closest: ice-2023');
    expect(error.rejections[0]!.hint).toContain('--columns');
  });

  it('refuses a column outside the layout whose values look like A-numbers, without echoing them', () =>
    onDuckdb(async (store) => {
      const rows = [TITLE_2025.row(RECORDS[0]!, '2024-01-06', '', '')].map((r) => ({
        ...r,
        'Old Case Ref': 'A# 012-345-678',
      }));
      for (const form of ['xlsx', 'csv'] as const) {
        const file = await releaseFile([...TITLE_2025.header, 'Old Case Ref'], rows, form);
        const e = (await importFile(store, iceSpec('ice'), file, { rejectsPath: false }).catch(
          (x) => x,
        )) as InputRejectedError;
        expect(e).toBeInstanceOf(InputRejectedError);
        expect(e.rejections[0]).toMatchObject({
          column: 'Old Case Ref',
          line: form === 'xlsx' ? 8 : 2,
          value: null,
        });
        expect(JSON.stringify({ m: e.message, r: e.rejections })).not.toContain('345');
      }
      // Marked identifying in a --columns table, the same column is dropped unread.
      const table = tempFile(
        [
          'column,field',
          'Detainer Prepare Date,issued_date',
          'Detention Facility,facility',
          'Facility State,state',
          'Facility City,city',
          'Detainer Lift Reason,lift_reason',
          'Old Case Ref,identifying',
        ].join('\n'),
      );
      const file = await releaseFile([...TITLE_2025.header, 'Old Case Ref'], rows, 'csv');
      const s = await importFile(
        store,
        await detainerSpecFor('auto', file, undefined, columnsLayout(table)),
        file,
        { rejectsPath: false },
      );
      expect(s).toMatchObject({ inserted: 1, layout: expect.stringMatching(/^columns: /) });
      expect(s.droppedColumns).toContain('Old Case Ref');
      expect(await snapshot(store)).not.toContain('012-345-678');
    }));

  it('reads a release nobody described with --columns, and checks the table first', () =>
    onDuckdb(async (store) => {
      const file = csvFile([
        'Prep Dt,Jail,Jail Cd,Town,St,Why Lifted,When Lifted,Second Reason,Person Full Name,Note',
        '2024-02-03,DENVER COUNTY JAIL,DENVECO,DENVER,CO,Detainer Declined by LEA,2024-02-05,,Zed Planted,ok',
      ]);
      const table = tempFile(
        [
          'column,field',
          'Prep Dt,issued_date',
          'Jail,facility',
          'Jail Cd,facility_code',
          'Town,city',
          'St,state',
          'Why Lifted,lift_reason',
          'When Lifted,lift_date',
          'Second Reason,lift_reason2',
          'Person Full Name,identifying',
          'Note,ignore',
        ].join('\n'),
      );
      const s = await importFile(store, iceSpec('ice', undefined, columnsLayout(table)), file, {
        rejectsPath: false,
      });
      expect(s).toMatchObject({ inserted: 1, droppedColumns: ['Person Full Name'] });
      const report = await buildReport(store, weekPeriod('2024-02-03'));
      expect(report.totals.declined).toBe(1);
      expect(await snapshot(store)).not.toContain('Zed');

      const bad = tempFile(['column,field', 'Prep Dt,issued_on', 'Jail,facility'].join('\n'));
      const e = (() => {
        try {
          columnsLayout(bad);
        } catch (x) {
          return x as InputRejectedError;
        }
        return undefined;
      })()!;
      expect(e.rejections.map((r) => [r.line, r.reason])).toEqual([[2, 'unknown field "issued_on"']]);
    }));

  it('lets the later of two lift reasons decide, and checks both', () =>
    onDuckdb(async (store) => {
      const rec = RECORDS[2]!; // declined, then booked into detention
      const file = await releaseFile(
        SNAKE_18038.header,
        [SNAKE_18038.row(rec, '2024-01-07', '2024-01-10', 'R2-1')],
        'csv',
      );
      const seed = csvFile([
        'detainer_id,issued_date,agency,agency_code,county_fips,state,outcome',
        'seed-1,2023-01-01,BALTIMORE CENTRAL BOOKING,BALCBMD,24510,MD,honored',
      ]);
      await importFile(store, detainerSpec, seed, { rejectsPath: false });
      await importFile(store, iceSpec('ice'), file, { rejectsPath: false });
      const row = await store.db
        .selectFrom('detainers')
        .selectAll()
        .where('detainer_id', '=', 'R2-1')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        outcome: 'honored',
        lift_reason: 'Booked into Detention',
        county_fips: null,
      });
      const unknown = await releaseFile(
        SNAKE_18038.header,
        [SNAKE_18038.row({ ...rec, reason2: 'Released to the Moon' }, '2024-01-07', '2024-01-10', 'R2-2')],
        'csv',
      );
      const e = (await importFile(store, iceSpec('ice'), unknown, { rejectsPath: false }).catch(
        (x) => x,
      )) as InputRejectedError;
      expect(e.rejections.map((r) => [r.column, r.reason])).toEqual([
        ['lift_reason2', 'unknown lift reason'],
      ]);
    }));

  it('keeps a facility registered under its earlier, unfolded key', () =>
    onDuckdb(async (store) => {
      const legacy = legacyFacilityKey('Santa Clara Co. Main Jail', 'San Jose', 'CA');
      expect(legacy).toBe('name:SANTA CLARA CO. MAIN JAIL|SAN JOSE|CA');
      await store.db
        .insertInto('facilities')
        .values({
          facility_key: legacy,
          name: 'Santa Clara Co. Main Jail',
          code: null,
          city: 'San Jose',
          state: 'CA',
          county_fips: '06085',
          candidates: null,
          resolved_by: 'manual',
          updated_at: new Date().toISOString(),
        })
        .execute();
      const file = csvFile([
        'Prepare Date,Detention Facility,City,State,Detainer Lift Reason',
        '11/02/2015,Santa Clara Co. Main Jail,San Jose,CA,Detainer Declined',
      ]);
      await importFile(store, iceSpec('ice'), file, { rejectsPath: false });
      const d = await store.db.selectFrom('detainers').select('facility_key').executeTakeFirstOrThrow();
      expect(d.facility_key).toBe(legacy);
      expect((await facilityRegistry(store)).length).toBe(1);
    }));

  it('says how to convert a Feather or Stata file', () =>
    onDuckdb(async (store) => {
      const e = await importFile(store, iceSpec('ice'), tempFile('ARROW1', 'detainers-latest.feather')).catch(
        (x) => x,
      );
      expect(e).toBeInstanceOf(DdorError);
      expect((e as DdorError).hint).toContain('write_parquet');
    }));
});
