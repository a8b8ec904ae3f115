/**
 * SPEC §2, pinned on a hand-built fixture (test/fixtures/rules: 50 detainers,
 * 11 policies) for the week 2017-01-28..2017-02-03. Every expected figure below
 * was worked out by hand from the fixture; the comments say how.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { policySpec } from '../../src/ingest/policies.js';
import { renderJson } from '../../src/render/json.js';
import { buildReport } from '../../src/report/build.js';
import type { Report } from '../../src/report/model.js';
import { weekPeriod } from '../../src/report/period.js';
import type { Store } from '../../src/store/store.js';
import { fixture } from '../helpers/fixtures.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

const WEEK = weekPeriod('2017-01-28');
const jsonByStore = new Map<string, string>();

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`report rules on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let report: Report;

    beforeAll(async () => {
      ({ store, cleanup } = await factory.create());
      await importFile(store, policySpec, fixture('rules', 'policies.csv'), { rejectsPath: false });
      await importFile(store, detainerSpec, fixture('rules', 'detainers.csv'), { rejectsPath: false });
      report = await buildReport(store, WEEK);
      jsonByStore.set(factory.name, renderJson(report));
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('counts every detainer issued in the week, whatever its outcome (rule 1)', () => {
      // 44 rows have an issuing date in the week, including 2 issued_in_error (L6, H4) and 2 lifted (L5, H6).
      expect(report.totals.detainers_issued).toBe(44);
    });

    it('counts declines by recorded date regardless of issuing date (rule 2)', () => {
      // L3 (recorded date defaults to declined 01-30), TR, FIA, FPA, and OLD1/OLD2 issued in 2016 but recorded
      // in the week. Not DL (declined in the week, recorded 02-10), PRE1 (recorded 01-22), POST2 (after).
      expect(report.totals.declined).toBe(6);
      const rows = report.section2.flatMap((g) => g.declines.map((d) => `${g.county.fips}:${d.issued_date}`));
      expect(rows.sort()).toEqual(
        [
          '06037:2017-01-29',
          '06085:2016-12-01',
          '17031:2016-11-15',
          '19069:2017-01-29',
          '42055:2017-01-30',
          '48471:2017-01-28',
        ].sort(),
      );
    });

    it('attributes a transferred decline to the releasing agency and its county (rule 3)', () => {
      const walker = report.section2.find((g) => g.county.fips === '48471');
      expect(walker).toEqual({
        county: { fips: '48471', name: 'Walker County', state: 'TX' },
        facility: 'Texas Department of Criminal Justice – Huntsville Unit',
        // No detainer was issued to Walker County: its one decline came by transfer from Travis.
        county_detainers_issued: 0,
        county_declined: 1,
        county_decline_share: null,
        declines: [
          {
            ref: expect.stringMatching(/^[0-9a-f]{12}$/),
            citizenship: 'Guatemala',
            issued_date: '2017-01-28',
            declined_date: '2017-01-31',
            recorded_date: '2017-02-01',
            criminal_activity: [{ description: 'Burglary', kind: 'conviction' }],
            lift_reason: null,
            received_by: 'Travis County Jail',
            request_kind: 'hold',
          },
        ],
      });
      expect(report.section2.some((g) => g.county.fips === '48453')).toBe(false);
    });

    it('gives each county its declines against the detainers issued to it (issue 15)', () => {
      // Los Angeles: L1–L5 issued in the week (L6 issued in error is no one's; PRE1 and POST1 lie
      // outside), one decline (L3): 1 of 5.
      const la = report.section2.find((g) => g.county.fips === '06037')!;
      expect([la.county_detainers_issued, la.county_declined, la.county_decline_share]).toEqual([5, 1, 0.2]);
      // Section I: each county's declines beside its rank; King County, WA, has none.
      expect(report.section1.find((r) => r.county.fips === '06037')!.declined).toBe(1);
      expect(report.section1.find((r) => r.county.fips === '53033')!.declined).toBe(0);
      // Every county's figures are the same on each of its facility groups.
      for (const g of report.section2) {
        const declined = report.section2
          .filter((x) => x.county.fips === g.county.fips)
          .reduce((n, x) => n + x.declines.length, 0);
        expect(g.county_declined, g.facility).toBe(declined);
      }
    });

    it("gives the previous week's totals and each Section I county's movement (issue 15)", () => {
      // The week before (Jan. 21–27): PRE2 issued to Cook County (a restricting county: Section I rank 1);
      // PRE1's decline in Los Angeles recorded on Jan. 22.
      expect(report.previous!.period).toEqual({ start: '2017-01-21', end: '2017-01-27', kind: 'week' });
      expect(report.previous!.totals).toEqual({
        detainers_issued: 1,
        declined: 1,
        jurisdictions_with_declines: 1,
        states_with_declines: 1,
        facilities_with_declines: 1,
      });
      expect(report.previous!.change.detainers_issued).toBe(report.totals.detainers_issued - 1);
      expect(report.previous!.change.declined).toBe(report.totals.declined - 1);
      const cook = report.section1.find((r) => r.county.fips === '17031')!;
      expect([cook.rank, cook.previous_rank, cook.movement]).toEqual([2, 1, 'down']);
      const others = report.section1.filter((r) => r.county.fips !== '17031');
      expect(others.every((r) => r.movement === 'new' && r.previous_rank === null)).toBe(true);
    });

    it('keeps same-name counties apart by FIPS (Franklin County IA and PA)', () => {
      const franklins = report.section2
        .filter((g) => g.county.name === 'Franklin County')
        .map((g) => g.county);
      expect(franklins).toEqual([
        { fips: '19069', name: 'Franklin County', state: 'IA' },
        { fips: '42055', name: 'Franklin County', state: 'PA' },
      ]);
    });

    it('groups Section II by state, county and facility, with the totals that follow', () => {
      expect(report.section2.map((g) => `${g.county.state} ${g.county.name} / ${g.facility}`)).toEqual([
        "CA Los Angeles County / Los Angeles County Men's Central Jail",
        'CA Santa Clara County / Santa Clara County Main Jail',
        'IL Cook County / Cook County Jail',
        'IA Franklin County / Franklin County Jail',
        'PA Franklin County / Franklin County Jail',
        'TX Walker County / Texas Department of Criminal Justice – Huntsville Unit',
      ]);
      expect(report.totals).toMatchObject({
        jurisdictions_with_declines: 6,
        states_with_declines: 5,
        facilities_with_declines: 6,
      });
      const cook = report.section2.find((g) => g.county.fips === '17031')!;
      expect(cook.declines[0]).toEqual({
        ref: expect.stringMatching(/^[0-9a-f]{12}$/),
        citizenship: 'Honduras',
        issued_date: '2016-11-15',
        declined_date: '2016-11-20',
        recorded_date: '2017-01-30',
        criminal_activity: [
          { description: 'Assault', kind: 'charge' },
          { description: 'DUI', kind: 'pending' },
        ],
        lift_reason: null,
        received_by: null,
        request_kind: 'hold',
      });
      // A missing recorded date defaults to the declined date; ISO codes become country names.
      const la = report.section2[0]!.declines[0]!;
      expect(la).toMatchObject({
        citizenship: 'Mexico',
        declined_date: '2017-01-30',
        recorded_date: '2017-01-30',
      });
    });

    it('ranks Section I by detainers to restricting jurisdictions in force on the issuing date (rules 5, 6)', () => {
      // LA 5 (CA state law; L6 issued_in_error excluded, L5 lifted still counts); Cook 3; Santa Clara 3 (state and
      // county policy, counted once); then the 2s by county name, then state name: Franklin PA (not Franklin IA:
      // no policy there), King (Seattle place policy: K1 "SEATTLE", K2; not K3 in Kent), Multnomah (OR state law),
      // Travis (policy enacted 02-01 mid-week: T3, T4 only), Washington OR before Washington PA (state name);
      // Denver 1 (policy rescinded 01-31: DN1 on 01-30 counts, DN2 on 01-31 not). Miami-Dade (rescinded 01-27),
      // Clark (enacted 02-10) and Harris (no policy) are absent.
      expect(report.section1.map((r) => [r.rank, r.county.fips, r.detainers_issued])).toEqual([
        [1, '06037', 5],
        [2, '17031', 3],
        [3, '06085', 3],
        [4, '42055', 2],
        [5, '53033', 2],
        [6, '41051', 2],
        [7, '48453', 2],
        [8, '41067', 2],
        [9, '42125', 2],
        [10, '08031', 1],
      ]);
      expect(report.section4.notes.some((n) => n.includes('tie crosses the cut'))).toBe(false);
    });

    it('says in Section IV when a tie crosses the --top cut', async () => {
      const top5 = await buildReport(store, WEEK, { top: 5 });
      expect(top5.section1.map((r) => r.county.fips)).toEqual(['06037', '17031', '06085', '42055', '53033']);
      const note = top5.section4.notes.find((n) => n.includes('tie crosses the cut'));
      expect(note).toBe(
        'Section I: a tie crosses the cut at 2 detainers. Listed: Franklin County, PA; King County, WA. ' +
          'Tied but not listed (ties are broken by county name, then state name): Multnomah County, OR; ' +
          'Travis County, TX; Washington County, OR; Washington County, PA.',
      );
    });

    it('lists the policies in force at any time in the week, newest first (rule 8)', () => {
      // Not P03 (rescinded 01-27, before the week) nor P06 (enacted 02-10, after); P10 (rescinded 01-31) is in.
      expect(report.section3.map((p) => [p.policy_id, p.enacted_date])).toEqual([
        ['P02', '2017-02-01'],
        ['P05', '2016-06'],
        ['P10', '2016-01'],
        ['P11', '2015-03'],
        ['P04', '2014-10-01'],
        ['P01', '2014-01-01'],
        ['P09', '2011-10-18'],
        ['P07', '2011-09-07'],
        ['P08', '1987-07'],
      ]);
      expect(report.section3[0]).toEqual({
        policy_id: 'P02',
        level: 'county',
        jurisdiction: 'Travis County, TX',
        state: 'TX',
        county_fips: '48453',
        aor: 'San Antonio',
        type: 'agency_policy',
        title: 'Travis County Sheriff detainer policy',
        enacted_date: '2017-02-01',
        rescinded_date: null,
        criteria: 'judicial warrant; capital murder',
        restricts: ['detainer_hold', 'notification'],
        source_url: null,
      });
      expect(report.section3.find((p) => p.policy_id === 'P04')!.jurisdiction).toBe('Seattle, WA');
      expect(report.section3.find((p) => p.policy_id === 'P08')!.jurisdiction).toBe('Oregon');
    });

    it('computes every Section IV figure from the data (rule 9)', () => {
      // Issued before the week: OLD1 (2016-11-15), OLD2 (2016-12-01). Lags in days: L3 0, FIA 0, FPA 1, TR 1,
      // OLD2 62, OLD1 71: median 1. Missing citizenship: FIA. Missing criminal activity: L3, FPA.
      expect(report.section4.figures).toEqual({
        declines_issued_before_period: 2,
        oldest_issued_date: '2016-11-15',
        median_recording_lag_days: 1,
        excluded_unresolved: 0,
        missing_citizenship: 1,
        missing_criminal_activity: 2,
        corrections_since_previous_edition: 0,
        declines_not_on_map: 0,
        declines_without_date: 0,
        unresolved_detainers_issued: 0,
      });
      expect(report.section4.notes).toContain(
        '2 declines counted here were on detainers issued before the period; the oldest was issued on 2016-11-15.',
      );
    });

    it('offers declines among the detainers issued in the period (--decline-basis issued)', async () => {
      const issued = await buildReport(store, WEEK, { declineBasis: 'issued' });
      // L3, TR, FPA, FIA and DL were issued in the week and declined; OLD1/OLD2 were not issued in it.
      expect(issued.totals.declined).toBe(5);
      expect(issued.decline_basis).toBe('issued');
      expect(issued.title).toContain('For Declined Detainers Issued');
    });

    it('is a pure function of the data: the same bytes twice', async () => {
      const again = renderJson(await buildReport(store, WEEK));
      expect(again).toBe(jsonByStore.get(factory.name));
    });
  });
}

describe.runIf(await storeAvailable(STORES[1]!))('both stores', () => {
  it('give byte-identical report JSON for the same data', () => {
    expect(jsonByStore.get('postgres')).toBeDefined();
    expect(jsonByStore.get('postgres')).toBe(jsonByStore.get('duckdb'));
  });
});
