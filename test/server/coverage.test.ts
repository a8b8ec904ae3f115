/**
 * Honest coverage (issue 15): on both stores, weeks after the last issuing date hold only declines
 * recorded late; the trends and county charts end the issued line before them, hatch and label
 * them, state the coverage, and their tables and the API give no detainers-issued figure for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { csvFile, DETAINER_HEADER, detainerRow } from '../helpers/csv.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`issuing coverage on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;

    beforeAll(async () => {
      ({ store, cleanup } = await factory.create());
      // Issued in the weeks of Jan. 28 and Feb. 4, 2017 (the last issuing date: Feb. 6); one decline
      // recorded late, in the week of March 11.
      const file = csvFile([
        DETAINER_HEADER,
        detainerRow('A1', { issued_date: '2017-01-29' }),
        detainerRow('A2', { issued_date: '2017-02-06' }),
        detainerRow('A3', {
          issued_date: '2017-01-30',
          outcome: 'declined',
          declined_date: '2017-03-10',
          recorded_date: '2017-03-15',
        }),
      ]);
      await importFile(store, detainerSpec, file, { rejectsPath: false });
      app = createApp(store);
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('marks the weeks after the last issuing date in the API', async () => {
      const county = (await (await app.request('/api/v1/jurisdictions/48453')).json()) as {
        weeks: Array<{ week: string; detainers_issued: number; declined: number; issuing_data: boolean }>;
      };
      expect(county.weeks).toEqual([
        { week: '2017-01-28', detainers_issued: 2, declined: 0, issuing_data: true },
        { week: '2017-02-04', detainers_issued: 1, declined: 0, issuing_data: true },
        { week: '2017-03-11', detainers_issued: 0, declined: 1, issuing_data: false },
      ]);
    });

    it('ends the issued line, hatches and labels the late weeks, and states the coverage', async () => {
      for (const path of ['/trends', '/counties/48453']) {
        const page = await (await app.request(path)).text();
        expect(page, path).toContain('declines recorded late only');
        expect(page, path).toContain('fill="url(#late-only-wide)"');
        expect(page, path).toContain('fill="url(#late-only-compact)"');
        expect(page, path).toContain(
          'Issuing data cover the weeks of 2017-01-28 to 2017-02-04; the week after (2017-03-11, hatched) holds only declines recorded late',
        );
        // The issued line has two points (M and one L), the declines line three.
        const issued = /<path d="([^"]+)" fill="none" stroke="#045a8d"/.exec(page)![1]!;
        expect(issued.match(/[ML]/g)!.length, path).toBe(2);
        // The table gives no issued figure for the late week.
        expect(page, path).toMatch(/2017-03-11<\/a><\/th><td class="num">—<\/td><td class="num">1<\/td>/);
      }
    });
  });
}
