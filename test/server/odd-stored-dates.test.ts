/**
 * No page fails because of a stored value: a store that already holds dates
 * outside the accepted range (written before imports checked it, or by hand)
 * still serves the home page, /quality, /trends and county pages, which ignore
 * those dates instead of turning them into impossible periods.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`odd stored dates on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    let homeBefore: string;

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithRulesFixture(factory));
      homeBefore = await (await createApp(store).request('/')).text();
      // Rows an earlier ddor accepted: far-future and far-past dates, straight into the tables.
      await sql`INSERT INTO detainers (detainer_id, issued_date, agency, county_fips, state, outcome,
          declined_date, recorded_date, import_id)
        VALUES ('ODD-FUTURE', DATE '9999-12-31', 'Travis County Jail', '48453', 'TX', 'pending', NULL, NULL, 1),
               ('ODD-DECLINE', DATE '2017-01-30', 'Travis County Jail', '48453', 'TX', 'declined',
                 DATE '9999-12-30', DATE '9999-12-31', 1),
               ('ODD-PAST', DATE '0001-01-01', 'Travis County Jail', '48453', 'TX', 'pending', NULL, NULL, 1)`.execute(
        store.db,
      );
      await sql`INSERT INTO policies (policy_id, level, state, county_fips, type, title, enacted_date,
          enacted_precision, rescinded_date, restricts, import_id)
        VALUES ('ODD-P', 'county', 'TX', '48453', 'other', 'A policy with odd dates', DATE '0001-01-01', 'month',
          DATE '9999-12-31', 'detainer_hold', 1)`.execute(store.db);
      app = createApp(store);
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('serves every page that reads dates from the store', async () => {
      for (const path of [
        '/',
        '/quality',
        '/trends',
        '/trends?state=TX',
        '/counties/48453',
        '/policies',
        '/policies?state=TX',
        '/editions',
        '/api/v1/jurisdictions/48453',
      ]) {
        const res = await app.request(path);
        expect(res.status, path).toBe(200);
      }
    });

    it('shows the latest week of sane data on the home page, not a week in year 9999', async () => {
      const home = await (await app.request('/')).text();
      const title = (page: string) => /<title>(.*?)<\/title>/.exec(page)?.[1];
      expect(title(home)).toBe(title(homeBefore));
      expect(title(home)).toContain('2017');
    });

    it('leaves out-of-range weeks out of the trends', async () => {
      const county = (await (await app.request('/api/v1/jurisdictions/48453')).json()) as {
        weeks: Array<{ week: string }>;
      };
      expect(county.weeks.length).toBeGreaterThan(0);
      for (const w of county.weeks)
        expect(w.week >= '1979-01-01' && w.week < '9999-01-01', w.week).toBe(true);
      const trends = await (await app.request('/trends')).text();
      expect(trends).not.toContain('9999-12');
      expect(trends).not.toContain('0001-01');
    });
  });
}
