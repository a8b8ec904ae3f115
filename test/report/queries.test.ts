/**
 * The store reads the report, the web app and the CLI share (src/report/queries.ts), on
 * both stores: when a policy is in force (SPEC §2 rule 5), which policies a county lies
 * under, Section III, the county profile and the policies page showing a policy alike, and
 * the quality page's weekly figures equal to each week's report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, weeklyDraftFigures } from '../../src/report/build.js';
import { addDays, lastWeekEndingBy, weekPeriod } from '../../src/report/period.js';
import { policiesWhere } from '../../src/report/queries.js';
import { countyProfile } from '../../src/report/series.js';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`shared reads on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithRulesFixture(factory));
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    const inForceOn = async (day: string) =>
      (await policiesWhere(store, { inForce: { start: day, end: day } })).map((p) => p.policy_id);

    it('has a policy in force from its enactment (a month from its 1st) until the day before its rescission', async () => {
      // P05: enacted 2016-06 (month). P03: rescinded 2017-01-27. P10: 2016-01 to 2017-01-31. P02: from 2017-02-01.
      expect(await inForceOn('2016-05-31')).not.toContain('P05');
      expect(await inForceOn('2016-06-01')).toContain('P05');
      expect(await inForceOn('2017-01-26')).toContain('P03');
      expect(await inForceOn('2017-01-27')).not.toContain('P03');
      expect(await inForceOn('2017-01-30')).toContain('P10');
      expect(await inForceOn('2017-01-31')).not.toContain('P10');
      expect(await inForceOn('2017-01-31')).not.toContain('P02');
      expect(await inForceOn('2017-02-01')).toContain('P02');
    });

    it('counts a policy in force at any time in a period (Section III)', async () => {
      const week = (await policiesWhere(store, { inForce: weekPeriod('2017-01-28') })).map(
        (p) => p.policy_id,
      );
      expect(week).toContain('P10'); // rescinded mid-week
      expect(week).toContain('P02'); // enacted mid-week
      expect(week).not.toContain('P03'); // rescinded the day before
      expect(week).not.toContain('P06'); // enacted after
    });

    it('finds the policies a county lies under: its state, the county, a place in it', async () => {
      const ids = async (state: string, fips: string) =>
        (await policiesWhere(store, { covering: { state, fips } })).map((p) => p.policy_id);
      expect(await ids('PA', '42055')).toEqual(['P05']);
      expect(await ids('WA', '53033')).toEqual(['P04']);
      expect(await ids('CA', '06085')).toEqual(['P09', 'P01']); // oldest enactment first
    });

    it('shows one policy alike in Section III, the county profile and the policies page', async () => {
      const report = await buildReport(store, weekPeriod('2017-01-28'));
      const row = report.section3.find((p) => p.policy_id === 'P05')!;
      expect(row).toMatchObject({
        jurisdiction: 'Franklin County, PA',
        enacted_date: '2016-06',
        aor: 'Philadelphia',
        restricts: ['detainer_hold'],
      });
      expect(report.section3.find((p) => p.policy_id === 'P02')).toMatchObject({
        jurisdiction: 'Travis County, TX',
        aor: 'San Antonio',
        enacted_date: '2017-02-01',
      });
      const profile = await countyProfile(store, '42055');
      expect(profile!.policies[0]).toMatchObject({ enacted_date: '2016-06', aor: 'Philadelphia' });
      const page = await (await createApp(store).request('/policies?state=PA&in_force=2017-01-28')).text();
      expect(page).toMatch(/>Franklin County, PA</);
      expect(page).toMatch(/>2016-06</);
      expect(page).not.toContain('2016-06-01');
    });

    it("gives the quality page each week's Section IV figures, equal to each week's report", async () => {
      const weeks = [12, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) =>
        lastWeekEndingBy(addDays('2017-02-17', -7 * i)),
      );
      const figures = await weeklyDraftFigures(store, weeks);
      const expected = [];
      for (const week of weeks) {
        expected.push({ week: week.start, figures: (await buildReport(store, week)).section4.figures });
      }
      expect(figures).toEqual(expected);
      // The fixture's week has declines issued before it, a lag and unresolved records: not all zeros.
      expect(figures.some((f) => f.figures.declines_issued_before_period > 0)).toBe(true);
      expect(await weeklyDraftFigures(store, [])).toEqual([]);
    });
  });
}
