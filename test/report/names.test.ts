/**
 * SPEC §2.10 (names sort as a reader expects), §2.11 (a facility is one place,
 * whatever its spelling) and Markdown that passes no raw HTML through, on a
 * small fixture imported into both stores. Three weeks:
 *
 * - A (2017-01-28): policies in force for Travis (TX), Doña Ana (NM), Douglas
 *   (NE), Dearborn and DeKalb (IN), all enacted 2016-01-01. Restricting
 *   detainers: Travis 4, Doña Ana 2, Douglas 2, Dearborn 1, DeKalb 1. Declines
 *   at Dearborn, DeKalb, Travis (two facilities) and Harris (TX, a facility
 *   named `<script>…`).
 * - B (2017-02-04): four declines at Travis County Jail spelled three ways.
 * - C (2017-02-11): two declines at Doña Ana's detention center, one spelling each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareNames, foldName, nameSortKey } from '../../src/domain/collate.js';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { facilityQueue } from '../../src/ingest/facilities.js';
import { importFile } from '../../src/ingest/import.js';
import { policySpec } from '../../src/ingest/policies.js';
import { renderMarkdown } from '../../src/render/md.js';
import { buildReport } from '../../src/report/build.js';
import type { Report } from '../../src/report/model.js';
import { weekPeriod } from '../../src/report/period.js';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { csvFile, DETAINER_HEADER, detainerRow } from '../helpers/csv.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

const sorted = (names: string[]) => [...names].sort(compareNames);

describe('name collation (SPEC §2.10)', () => {
  it('ignores accents: Doña Ana files as "dona ana", before Douglas', () => {
    expect(sorted(['Douglas County', 'Doña Ana County'])).toEqual(['Doña Ana County', 'Douglas County']);
    expect(nameSortKey('Doña Ana County')).toBe(nameSortKey('Dona Ana County'));
  });

  it('ignores letter case: DeKalb files as "dekalb", after Dearborn', () => {
    expect(sorted(['DeKalb County', 'Dearborn County'])).toEqual(['Dearborn County', 'DeKalb County']);
  });

  it('ignores spaces and punctuation, letter by letter: Lake, La Salle, LaSalle', () => {
    expect(sorted(['LaSalle County', 'La Salle County', 'Lake County', 'Lafayette County'])).toEqual([
      'Lafayette County',
      'Lake County',
      'La Salle County',
      'LaSalle County',
    ]);
    expect(nameSortKey("O'Brien County")).toBe(nameSortKey('OBrien County'));
  });

  it('files St. as Saint and Ste. as Sainte: Missouri in the Census order', () => {
    // The Census Bureau numbered Missouri's counties alphabetically: 29183..29197 in this order.
    const missouri = [
      'St. Charles County',
      'St. Clair County',
      'Ste. Genevieve County',
      'St. Francois County',
      'St. Louis County',
      'Saline County',
      'Schuyler County',
    ];
    expect(sorted([...missouri].reverse())).toEqual(missouri);
    expect(sorted(['Ste. Genevieve County', 'St. Louis County'])).toEqual([
      'Ste. Genevieve County',
      'St. Louis County',
    ]);
    // Florida 12109..12115: St. Johns, St. Lucie, Santa Rosa, Sarasota.
    expect(sorted(['Sarasota County', 'Santa Rosa County', 'St. Lucie County', 'St. Johns County'])).toEqual([
      'St. Johns County',
      'St. Lucie County',
      'Santa Rosa County',
      'Sarasota County',
    ]);
    // A trailing "St" (a street) is left alone.
    expect(nameSortKey('Main St')).toBe('mainst');
  });

  it('is total: spellings that file alike are ordered by code point, never equal', () => {
    expect(compareNames('Dona Ana', 'Doña Ana')).toBeLessThan(0);
    expect(compareNames('TRAVIS COUNTY JAIL', 'Travis County Jail')).toBeLessThan(0);
    expect(compareNames('Travis County Jail', 'Travis County Jail')).toBe(0);
    // Code points, not UTF-16 units: U+FF21 (Ａ, folded to "a") sorts before U+1D400 (𝐀) at the second level.
    expect(compareNames('\u{FF21}', '\u{1D400}')).toBeLessThan(0);
  });

  it('folds a facility name over case, accents, punctuation and spacing only (SPEC §2.11)', () => {
    expect(foldName('TRAVIS COUNTY JAIL ')).toBe(foldName('Travis County Jail'));
    expect(foldName('Travis County-Jail')).toBe(foldName('Travis  County Jail'));
    expect(foldName('Doña Ana County Detention Center')).toBe(foldName('DONA ANA COUNTY DETENTION CENTER'));
    expect(foldName("St. Mary's Jail")).not.toBe(foldName("Saint Mary's Jail"));
  });
});

const POLICY_HEADER =
  'policy_id,level,state,county_fips,county,place,aor,type,title,enacted_date,rescinded_date,restricts,criteria,source_url';
const policy = (id: string, state: string, fips: string, title: string) =>
  `${id},county,${state},${fips},,,,agency_policy,${title},2016-01-01,,detainer_hold,,`;

const declined = (issued: string, declinedOn: string, recorded: string) => ({
  issued_date: issued,
  outcome: 'declined',
  declined_date: declinedOn,
  recorded_date: recorded,
});
const A = declined('2017-01-29', '2017-01-30', '2017-01-31');
const B = declined('2017-02-05', '2017-02-06', '2017-02-07');
const C = declined('2017-02-12', '2017-02-13', '2017-02-14');
const SCRIPT = '<script>alert(1)</script>';

/** detainerRow plus the releasing agency (in the receiving agency's county). */
const row = (id: string, over: Record<string, string> = {}, releasedBy = '') =>
  `${detainerRow(id, over)},${releasedBy ? `${releasedBy},${over.county_fips},${over.state}` : ',,'}`;

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`names in the report on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let weekA: Report;
    let weekB: Report;
    let weekC: Report;

    beforeAll(async () => {
      ({ store, cleanup } = await factory.create());
      const policies = csvFile([
        POLICY_HEADER,
        policy('N1', 'TX', '48453', 'Travis policy'),
        policy('N2', 'NM', '35013', 'Doña Ana policy'),
        policy('N3', 'NE', '31055', 'Douglas policy'),
        policy('N4', 'IN', '18029', 'Dearborn policy'),
        policy('N5', 'IN', '18033', 'DeKalb policy'),
      ]);
      const travis = { county_fips: '48453', state: 'TX' };
      const donaAna = { county_fips: '35013', state: 'NM' };
      const detainers = csvFile([
        `${DETAINER_HEADER},released_by_agency,released_by_county_fips,released_by_state`,
        // Week A. Travis: 4 restricting detainers, declines at two facilities.
        row('A1', { ...travis, agency: 'Travis County Jail', ...A }),
        row('A2', { ...travis, agency: 'del Valle Correctional Complex', ...A }),
        row('A3', { ...travis, agency: 'Travis County Jail' }),
        row('A4', { ...travis, agency: 'Travis County Jail' }),
        // Doña Ana and Douglas tie at 2; rule 10 puts Doña Ana first.
        row('A5', { ...donaAna, agency: 'Doña Ana County Detention Center' }),
        row('A6', { ...donaAna, agency: 'Doña Ana County Detention Center' }),
        row('A7', { county_fips: '31055', state: 'NE', agency: 'Douglas County Corrections' }),
        row('A8', { county_fips: '31055', state: 'NE', agency: 'Douglas County Corrections' }),
        row('A9', { county_fips: '18033', state: 'IN', agency: 'DeKalb County Jail', ...A }),
        row('A10', { county_fips: '18029', state: 'IN', agency: 'Dearborn County Jail', ...A }),
        row('A11', { county_fips: '48201', state: 'TX', agency: SCRIPT, ...A }),
        // Week B: one facility, spelled three ways; the last was "transferred" to itself.
        row('B1', { ...travis, agency: 'Travis County Jail', ...B }),
        row('B2', { ...travis, agency: 'Travis County Jail', ...B }),
        row('B3', { ...travis, agency: 'TRAVIS COUNTY JAIL ', ...B }),
        row('B4', { ...travis, agency: 'Travis County Jail', ...B }, 'travis county jail'),
        // Week C: two spellings, once each.
        row('C1', { ...donaAna, agency: 'Doña Ana County Detention Center', ...C }),
        row('C2', { ...donaAna, agency: 'Dona Ana County Detention Center', ...C }),
      ]);
      await importFile(store, policySpec, policies, { rejectsPath: false });
      await importFile(store, detainerSpec, detainers, { rejectsPath: false });
      weekA = await buildReport(store, weekPeriod('2017-01-28'), { top: 2 });
      weekB = await buildReport(store, weekPeriod('2017-02-04'));
      weekC = await buildReport(store, weekPeriod('2017-02-11'));
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('breaks a Section I tie at the cut by name as a reader files it: Doña Ana before Douglas', () => {
      expect(weekA.section1.map((r) => [r.rank, r.county.fips, r.detainers_issued])).toEqual([
        [1, '48453', 4],
        [2, '35013', 2],
      ]);
      expect(weekA.section1[1]!.county.name).toBe('Doña Ana County');
      const tie = weekA.section4.notes.find((n) => n.startsWith('Section I: a tie crosses the cut'));
      expect(tie).toContain('Listed: Doña Ana County, NM.');
      expect(tie).toContain(
        'Tied but not listed (ties are broken by county name, then state name): Douglas County, NE.',
      );
    });

    it('orders Section I ties below the cut the same way', async () => {
      const all = await buildReport(store, weekPeriod('2017-01-28'));
      expect(all.section1.map((r) => r.county.name)).toEqual([
        'Travis County',
        'Doña Ana County',
        'Douglas County',
        'Dearborn County',
        'DeKalb County',
      ]);
    });

    it('orders Section II by state, county and facility as a reader files them', () => {
      expect(weekA.section2.map((g) => `${g.county.state} ${g.county.name} — ${g.facility}`)).toEqual([
        'IN Dearborn County — Dearborn County Jail',
        'IN DeKalb County — DeKalb County Jail',
        `TX Harris County — ${SCRIPT}`,
        'TX Travis County — del Valle Correctional Complex',
        'TX Travis County — Travis County Jail',
      ]);
    });

    it('orders Section III ties (same enactment date) by jurisdiction as a reader files it', () => {
      expect(weekA.section3.map((p) => p.jurisdiction)).toEqual([
        'Dearborn County, IN',
        'DeKalb County, IN',
        'Doña Ana County, NM',
        'Douglas County, NE',
        'Travis County, TX',
      ]);
    });

    it('makes one facility of names that differ only in case and spacing, shown in its most frequent spelling', () => {
      expect(weekB.section2).toHaveLength(1);
      const [group] = weekB.section2;
      expect(group!.county.fips).toBe('48453');
      expect(group!.facility).toBe('Travis County Jail');
      expect(group!.declines).toHaveLength(4);
      expect(weekB.totals.facilities_with_declines).toBe(1);
      // B4's "releasing agency" is the same facility: no transfer to show.
      expect(group!.declines.map((d) => d.received_by)).toEqual([null, null, null, null]);
    });

    it('shows a facility whose spellings tie in the first spelling of rule 10', () => {
      expect(weekC.section2.map((g) => g.facility)).toEqual(['Dona Ana County Detention Center']);
      expect(weekC.totals.facilities_with_declines).toBe(1);
    });

    it("lists policies on the web page in Section III's order, not the database's", async () => {
      const page = await (await createApp(store).request('/policies')).text();
      const order = ['Dearborn County, IN', 'DeKalb County, IN', 'Doña Ana County, NM', 'Douglas County, NE'];
      const at = order.map((j) => page.indexOf(`<th scope="row">${j}</th>`));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    });

    it('orders the facility resolution queue by state, then name as a reader files it', async () => {
      const queued = (name: string) => ({
        facility_key: `name:${name.toUpperCase()}|LAS CRUCES|NM`,
        name,
        code: null,
        city: 'Las Cruces',
        state: 'NM',
        county_fips: null,
        candidates: null,
        resolved_by: 'queued',
        updated_at: '2017-02-01T00:00:00Z',
      });
      await store.db
        .insertInto('facilities')
        .values([queued('Douglas Street Jail'), queued('Doña Ana Annex'), queued('DeKalb Unit')])
        .execute();
      expect((await facilityQueue(store)).map((f) => f.name)).toEqual([
        'DeKalb Unit',
        'Doña Ana Annex',
        'Douglas Street Jail',
      ]);
    });

    it('passes no raw HTML from the data into Markdown', () => {
      expect(weekA.section2.some((g) => g.facility === SCRIPT)).toBe(true);
      const md = renderMarkdown(weekA);
      expect(md).not.toContain('<script>');
      expect(md).toContain('#### Harris County (48201) — &lt;script&gt;alert(1)&lt;/script&gt;');
    });
  });
}
