/**
 * Holds and notifications (issue 15), on both stores: the JSON's split by request kind, the report
 * page's toggle (?kind=, no JavaScript) and the downloads' columns. The fixture's week holds 43
 * hold requests (I-247D) and one notification request (L4, I-247N, Los Angeles); one more detainer
 * without a form (kind unknown) is declined at the Travis County Jail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import type { Report } from '../../src/report/model.js';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { csvFile, DETAINER_HEADER, detainerRow } from '../helpers/csv.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const WEEK = '/reports/week/2017-01-28';

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`request kinds on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithRulesFixture(factory));
      const noForm = csvFile([
        DETAINER_HEADER,
        detainerRow('NF1', { outcome: 'declined', declined_date: '2017-01-31', citizenship: 'Peru' }),
      ]);
      await importFile(store, detainerSpec, noForm, { rejectsPath: false });
      app = createApp(store);
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('splits totals, Section I and each decline by request kind in the JSON', async () => {
      const report = (await (await app.request(`/api/v1${WEEK}?edition=draft`)).json()) as Report;
      expect(report.totals.detainers_issued).toBe(45);
      expect(report.totals_by_kind).toEqual({
        detainers_issued: { hold: 43, notification: 1, unknown: 1 },
        declined: { hold: 6, notification: 0, unknown: 1 },
      });
      const la = report.section1.find((r) => r.county.fips === '06037')!;
      expect(la.detainers_issued_by_kind).toEqual({ hold: 4, notification: 1, unknown: 0 });
      const kinds = report.section2.flatMap((g) => g.declines.map((d) => d.request_kind));
      expect(kinds.filter((k) => k === 'unknown')).toHaveLength(1);
      expect(kinds.filter((k) => k === 'hold')).toHaveLength(6);
    });

    it('toggles the page by ?kind=, without JavaScript', async () => {
      const all = await (await app.request(WEEK)).text();
      expect(all).toContain(
        `<a href="${WEEK}?edition=draft&amp;kind=notification">Notifications (I-247N)</a>`,
      );
      expect(all).toContain(`<a href="${WEEK}?edition=draft" aria-current="true">All requests</a>`);

      const notif = await (await app.request(`${WEEK}?kind=notification`)).text();
      expect(notif).toContain('Showing notifications (i-247n) only');
      expect(notif).toContain('<span class="n">1</span><span class="l">detainers issued</span>');
      expect(notif).toContain('No declines are counted in the period.');
      expect(notif).toContain('Section I — top 1 counties');
      expect(notif).toMatch(/aria-current="true">Notifications \(I-247N\)<\/a>/);

      const unknown = await (await app.request(`${WEEK}?kind=unknown`)).text();
      expect(unknown).toContain('<span class="n">1</span><span class="l">declines recorded</span>');
      expect(unknown).toContain('Travis County Jail');
      expect(unknown).toContain('Peru');
      expect(unknown).not.toContain('Cook County Jail');

      const bad = await app.request(`${WEEK}?kind=maybe`);
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('kind=maybe is not a request kind');
    });

    it('gives the kind in every download', async () => {
      const s2 = await (await app.request(`/api/v1${WEEK}.csv?edition=draft`)).text();
      const [header, ...rows] = s2.trim().split('\n');
      expect(header!.split(',').at(-1)).toBe('request_kind');
      expect(rows.filter((r) => r.endsWith(',unknown'))).toHaveLength(1);
      const s1 = await (await app.request(`/api/v1${WEEK}.csv?edition=draft&section=1`)).text();
      expect(s1.split('\n')[0]).toContain(
        'detainers_issued_hold,detainers_issued_notification,detainers_issued_unknown',
      );
      expect(s1.split('\n')[1]).toMatch(/^1,06037,.*,4,1,0$/);
      const md = await (await app.request(`/api/v1${WEEK}.md?edition=draft`)).text();
      expect(md).toContain('| 1 | Los Angeles County | California | 06037 | 5; 4 hold · 1 notification |');
    });
  });
}
