/**
 * ICE's and DDP's own files: the real layouts read by name, outcomes from lift
 * reasons, counties through the facility registry, the place gazetteer and the
 * resolution queue, identifying columns dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../src/errors.js';
import { facilityQueue, resolveFacility } from '../../src/ingest/facilities.js';
import { detainerSpecFor } from '../../src/ingest/formats.js';
import { iceSpec } from '../../src/ingest/ice.js';
import { importFile } from '../../src/ingest/import.js';
import { policySpec } from '../../src/ingest/policies.js';
import { buildReport } from '../../src/report/build.js';
import { weekPeriod } from '../../src/report/period.js';
import type { Store } from '../../src/store/store.js';
import { csvFile } from '../helpers/csv.js';
import { fixture } from '../helpers/fixtures.js';
import { ddpParquet, ICE_ROWS, iceWorkbook } from '../helpers/ice-files.js';
import { snapshot } from '../helpers/snapshot.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

const WEEK = weekPeriod('2024-01-06');

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`ICE files on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let xlsx: string;

    beforeAll(async () => {
      ({ store, cleanup } = await factory.create());
      await importFile(store, policySpec, fixture('rules', 'policies.csv'), { rejectsPath: false });
      xlsx = await iceWorkbook();
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('reads an ICE workbook: preamble rows skipped, every sheet, columns by name, identifiers dropped', async () => {
      expect((await detainerSpecFor('auto', xlsx)).read).toBeDefined();
      const s = await importFile(store, iceSpec('ice-xlsx'), xlsx, { rejectsPath: false });
      expect(s).toMatchObject({ rows: 6, inserted: 6, rejected: 0 });
      expect(s.droppedColumns.sort()).toEqual([
        'Anonymized Identifier',
        'Birth Date',
        'Birth Year',
        'EID DTA ID',
      ]);
      const all = await snapshot(store);
      for (const secret of ['ANON-SECRET', 'EID-SECRET', '1981-02-02']) expect(all).not.toContain(secret);
      const rows = await store.db
        .selectFrom('detainers')
        .selectAll()
        .orderBy('issued_date')
        .orderBy('agency')
        .execute();
      expect(
        rows.map((r) => [
          r.issued_date,
          r.state,
          r.outcome,
          r.form,
          r.aor,
          r.citizenship,
          r.criminal_activity,
        ]),
      ).toEqual([
        ['2024-01-06', 'TX', 'declined', 'I-247A', 'SNA', 'Mexico', 'Burglary (conviction)'],
        ['2024-01-07', 'IA', 'honored', 'I-247A', 'SPM', 'South Korea', 'Theft (pending)'],
        ['2024-01-08', 'PA', 'declined', 'I-247A', 'PHI', 'Guatemala', null],
        ['2024-01-08', 'TX', 'lifted', 'I-247A', 'HOU', 'Honduras', null],
        ['2024-01-09', 'CA', 'declined', 'I-247A', 'LOS', 'China', 'Convicted criminal (conviction)'],
        ['2024-01-10', 'CA', 'lifted', 'I-247A', 'LOS', 'Myanmar', null], // no longer in custody (SPEC §2.12)
      ]);
      // The raw lift reason is kept; a transfer is never a decline.
      expect(rows[3]!.lift_reason).toBe('Transferred');
    });

    it('attributes facilities by city when the city lies in one county, by the county their name names, and queues the rest', async () => {
      const queue = await facilityQueue(store);
      // Each candidate county with its share of the place's 2020 population, largest first.
      expect(queue.map((q) => [q.facility_key, q.candidates])).toEqual([
        [
          'code:TRAVITX',
          'AUSTIN spans Travis County (48453, 94%) or Williamson County (48491, 6%) or Hays County (48209, 0.1%)',
        ],
      ]);
      const facilities = await store.db
        .selectFrom('facilities')
        .select(['facility_key', 'county_fips', 'resolved_by'])
        .orderBy('facility_key')
        .execute();
      expect(facilities.filter((f) => f.county_fips)).toEqual([
        // Houston spans three counties; the facility's own name names one of them.
        { facility_key: 'code:HARRITX', county_fips: '48201', resolved_by: 'facility_name' },
        {
          facility_key: 'name:FRANKLINCOUNTYJAIL|CHAMBERSBURG|PA',
          county_fips: '42055',
          resolved_by: 'place',
        },
        { facility_key: 'name:FRANKLINCOUNTYJAIL|HAMPTON|IA', county_fips: '19069', resolved_by: 'place' },
        {
          facility_key: 'name:LOSANGELESCOUNTYJAIL|LOSANGELES|CA',
          county_fips: '06037',
          resolved_by: 'place',
        },
      ]);
    });

    it('counts queued facilities in Section IV, then counts them once resolved', async () => {
      const before = await buildReport(store, WEEK, { declineBasis: 'issued' });
      expect(before.totals).toMatchObject({ detainers_issued: 6, declined: 3 });
      expect(before.section2.map((g) => g.county.fips)).toEqual(['06037', '42055']);
      expect(before.section4.figures).toMatchObject({
        excluded_unresolved: 1,
        unresolved_detainers_issued: 1,
        declines_without_date: 3,
      });
      expect(before.section4.notes).toContain(
        `1 detainer issued in the period is at facilities attributed to a county by the facility's own name: the city spans several counties and the name names one of them ("DENVER COUNTY JAIL"); ddor resolve list --all lists them.`,
      );
      expect(before.section1.some((r) => r.county.fips === '48453')).toBe(false);

      const r = await resolveFacility(store, 'TRAVITX', '48453');
      expect(r).toEqual({ key: 'code:TRAVITX', county: 'Travis County, TX (48453)', records: 1 });
      const after = await buildReport(store, WEEK, { declineBasis: 'issued' });
      expect(after.section2.map((g) => g.county.fips)).toEqual(['06037', '42055', '48453']);
      const travis = after.section2.find((g) => g.county.fips === '48453')!;
      expect(travis.declines[0]).toMatchObject({
        declined_date: null,
        recorded_date: null,
        lift_reason: 'Detainer Declined by LEA',
      });
      expect(after.section4.figures).toMatchObject({
        excluded_unresolved: 0,
        unresolved_detainers_issued: 0,
      });
      // The Travis County policy (in force since 2017) now makes Travis a restricting county in Section I.
      expect(after.section1.find((x) => x.county.fips === '48453')?.detainers_issued).toBe(1);
      // Under the default basis undated declines cannot be placed, and Section IV says so.
      const recorded = await buildReport(store, WEEK);
      expect(recorded.totals.declined).toBe(0);
      expect(
        recorded.section4.notes.some((n) =>
          n.startsWith('3 declines on detainers issued in the period have no date'),
        ),
      ).toBe(true);
    });

    it('refuses a county in another state when resolving', async () => {
      await expect(resolveFacility(store, 'HARRITX', '42055')).rejects.toThrow(
        '42055 is Franklin County, PA, but HARRIS COUNTY JAIL is in TX',
      );
    });

    it('reads the same records from a DDP Parquet file: nothing new', async () => {
      const s = await importFile(store, iceSpec('ddp'), await ddpParquet(), { rejectsPath: false });
      expect(s).toMatchObject({ rows: 6, inserted: 0, updated: 0, unchanged: 6 });
    });

    it('reads an older release with a lift date: declines placed by it', async () => {
      // 2025-ICFO-18038 names no state: the facility's code, registered by the workbook above, gives it.
      const file = csvFile([
        'Detainer_ID,Detainer_Prepare_Date,Detainer_Lift_Date,Detainer_Lift_Reason,Detainer_Detention_Facility,Detainer_Detention_Facility_Code,Detainer_AOR',
        'OLD-1,2016-12-01,2017-01-30,Detainer Declined by LEA,TRAVIS COUNTY JAIL,TRAVITX,SNA',
        'OLD-2,2017-01-29,,,TRAVIS COUNTY JAIL,TRAVITX,SNA',
        'OLD-3,2017-01-29,2017-01-31,Lifted - Lack of Space,TRAVIS COUNTY JAIL,TRAVITX,SNA',
      ]);
      expect((await detainerSpecFor('auto', file)).read).toBeDefined();
      const s = await importFile(store, iceSpec('ice-legacy'), file, { rejectsPath: false });
      expect(s.inserted).toBe(3);
      const report = await buildReport(store, weekPeriod('2017-01-28'));
      expect(report.totals.declined).toBe(1);
      expect(report.section2[0]!.declines[0]).toMatchObject({
        issued_date: '2016-12-01',
        declined_date: '2017-01-30',
        recorded_date: '2017-01-30',
      });
    });

    it('reads the pre-2017 layout', async () => {
      const file = csvFile([
        'Prepare Date,Detainer Lift Reason,Detainer Detention Facility,City,State,Detainer Type',
        '11/02/2015,Detainer Declined,SANTA CLARA COUNTY MAIN JAIL,SAN JOSE,CA,Immigration Detainer - Request for Voluntary Action',
      ]);
      const s = await importFile(store, iceSpec('ice-pre2017'), file, { rejectsPath: false });
      expect(s.inserted).toBe(1);
      const row = await store.db
        .selectFrom('detainers')
        .selectAll()
        .where('issued_date', '=', '2015-11-02')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ outcome: 'declined', form: 'I-247D', state: 'CA' });
    });

    it('rejects an unknown lift reason, a facility without a state, and a missing column; nothing changes', async () => {
      const before = await snapshot(store);
      const file = csvFile([
        'Detainer_ID,Detainer_Prepare_Date,Detainer_Lift_Date,Detainer_Lift_Reason,Detainer_Detention_Facility,Detainer_Detention_Facility_Code,Detainer_AOR',
        'BAD-1,2017-01-29,,Released to Moon,TRAVIS COUNTY JAIL,TRAVITX,SNA',
        'BAD-2,2017-01-29,,,NOWHERE JAIL,NOWHERE1,SNA',
      ]);
      const error = (await importFile(store, iceSpec('ice-legacy'), file, { rejectsPath: false }).catch(
        (e) => e,
      )) as InputRejectedError;
      expect(error).toBeInstanceOf(InputRejectedError);
      expect(error.rejections.map((r) => [r.line, r.column, r.reason])).toEqual([
        [2, 'lift_reason', 'unknown lift reason'],
        [3, 'state', 'no state for this facility'],
      ]);
      const missing = csvFile([
        'Detainer_ID,Detainer_Prepare_Date,Detainer_Detention_Facility',
        'X,2017-01-29,JAIL',
      ]);
      const e2 = (await importFile(store, iceSpec('ice-legacy'), missing).catch(
        (e) => e,
      )) as InputRejectedError;
      expect(e2.rejections.map((r) => r.reason)).toEqual(['no column for lift_reason']);
      expect(e2.message).toContain('closest: ice-2025-icfo-18038');
      expect(await snapshot(store)).toBe(before);
    });
  });
}

describe('ICE rows with problems in a workbook', () => {
  it('names the sheet and row of a bad cell', async () => {
    const bad = ICE_ROWS.map((r, i) => (i === 5 ? { ...r, 'Citizenship Country': 'ATLANTIS' } : r));
    const xlsx = await iceWorkbook(bad);
    const { store, cleanup } = await STORES[0]!.create();
    try {
      const error = (await importFile(store, iceSpec(), xlsx, { rejectsPath: false }).catch(
        (e) => e,
      )) as InputRejectedError;
      expect(error.rejections).toEqual([
        expect.objectContaining({
          file: expect.stringMatching(/ice-.*\.xlsx \[FY2024 detainers \(2\)\]$/),
          line: 5,
          column: 'citizenship',
          value: 'ATLANTIS',
        }),
      ]);
    } finally {
      await store.close();
      await cleanup();
    }
  });
});
