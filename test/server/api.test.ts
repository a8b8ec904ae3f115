/**
 * Every endpoint through app.request() (no socket): the report JSON is the CLI's
 * bytes, editions are served frozen with immutable caching and ETags, every route
 * is in the OpenAPI document, and every error has the one shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { buildReport } from '../../src/report/build.js';
import { correctEdition, publishEdition } from '../../src/report/editions.js';
import { weekPeriod } from '../../src/report/period.js';
import { serializeReport } from '../../src/report/serialize.js';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { fixture } from '../helpers/fixtures.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const WEEK = weekPeriod('2017-01-28');

function expectErrorShape(body: unknown, status: number) {
  expect(body).toEqual({
    error: { status, code: expect.any(String), message: expect.any(String), hint: expect.any(String) },
  });
  expect(Object.keys((body as { error: object }).error)).toEqual(['status', 'code', 'message', 'hint']);
}

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`API on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    let edition1: string;

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithRulesFixture(factory));
      edition1 = (await publishEdition(store, WEEK, { now: new Date('2017-02-06T12:00:00Z') })).bytes;
      await importFile(store, detainerSpec, fixture('rules', 'corrections.csv'), { rejectsPath: false });
      await correctEdition(store, WEEK, {
        note: 'Franklin County decline re-attributed',
        now: new Date('2017-02-13T12:00:00Z'),
      });
      app = createApp(store);
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('serves a published edition from its frozen bytes, immutable when pinned', async () => {
      const res = await app.request('/api/v1/reports/week/2017-01-28?edition=1');
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(edition1);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
      const again = await app.request('/api/v1/reports/week/2017-01-28?edition=1', {
        headers: { 'If-None-Match': etag },
      });
      expect(again.status).toBe(304);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('serves the latest edition by default and the current data as draft, as the CLI builds it', async () => {
      const latest = JSON.parse(await (await app.request('/api/v1/reports/week/2017-01-28')).text());
      expect(latest.edition.number).toBe(2);
      const draft = await app.request('/api/v1/reports/week/2017-01-28?edition=draft');
      expect(await draft.text()).toBe(serializeReport(await buildReport(store, WEEK)));
      expect(draft.headers.get('cache-control')).toBe('no-cache');
      const range = await app.request('/api/v1/reports/range/2017-01-28/2017-02-03?edition=draft');
      expect(JSON.parse(await range.text()).period).toEqual({
        start: '2017-01-28',
        end: '2017-02-03',
        kind: 'range',
      });
      const quarter = await app.request('/api/v1/reports/quarter/FY2017Q2');
      expect(JSON.parse(await quarter.text()).period).toEqual({
        start: '2017-01-01',
        end: '2017-03-31',
        kind: 'quarter',
      });
    });

    it('serves downloads with their types', async () => {
      const csv = await app.request('/api/v1/reports/week/2017-01-28.csv?edition=1');
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toBe(
        'attachment; filename="ddor-week-2017-01-28-edition-1-section2.csv"',
      );
      expect((await csv.text()).split('\n')[0]).toContain('citizenship,issued_date');
      const s1 = await app.request('/api/v1/reports/week/2017-01-28.csv?edition=1&section=1');
      expect((await s1.text()).startsWith('rank,county_fips')).toBe(true);
      const md = await app.request('/api/v1/reports/week/2017-01-28.md?edition=2');
      expect(await md.text()).toContain('**Errata (edition 2):** Franklin County decline re-attributed');
      const xlsx = await app.request('/api/v1/reports/week/2017-01-28.xlsx');
      expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
      expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
      const svg = await app.request('/api/v1/reports/week/2017-01-28.svg');
      expect((await svg.text()).startsWith('<svg')).toBe(true);
    });

    it('lists editions and describes a county', async () => {
      const editions = (await (await app.request('/api/v1/editions')).json()) as Array<{
        number: number;
        errata: string | null;
      }>;
      expect(editions.map((e) => [e.number, e.errata])).toEqual([
        [1, null],
        [2, 'Franklin County decline re-attributed'],
      ]);
      const county = (await (await app.request('/api/v1/jurisdictions/42055')).json()) as {
        county: { name: string };
        policies: Array<{ policy_id: string }>;
        editions: Array<{ number: number; declines: number }>;
        weeks: Array<{ week: string; detainers_issued: number; declined: number }>;
      };
      expect(county.county.name).toBe('Franklin County');
      expect(county.policies.map((p) => p.policy_id)).toEqual(['P05']);
      expect(county.editions).toEqual([
        expect.objectContaining({ number: 1, declines: 1 }),
        expect.objectContaining({ number: 2, declines: 0 }),
      ]);
      expect(county.weeks).toContainEqual({
        week: '2017-01-28',
        detainers_issued: 1,
        declined: 0,
        issuing_data: true,
      });
    });

    it('answers every error with the one shape', async () => {
      const cases: Array<[string, number]> = [
        ['/api/v1/reports/week/2017-01-29', 400],
        ['/api/v1/reports/week/not-a-date', 400],
        ['/api/v1/reports/week/2017-01-28?edition=x', 400],
        ['/api/v1/reports/week/2017-01-28?edition=9', 404],
        ['/api/v1/reports/week/2017-01-28.docx', 400],
        ['/api/v1/reports/quarter/FY2017Q5', 400],
        ['/api/v1/jurisdictions/99999', 404],
        ['/api/v1/jurisdictions/abc', 400],
        ['/api/v1/nothing', 404],
      ];
      for (const [path, status] of cases) {
        const res = await app.request(path);
        expect(res.status, path).toBe(status);
        expectErrorShape(await res.json(), status);
      }
    });

    it('documents every API route in its OpenAPI 3.1 document', async () => {
      const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
        openapi: string;
        paths: Record<string, unknown>;
      };
      expect(doc.openapi).toBe('3.1.0');
      const routes = app.routes.filter(
        (r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL' && r.path !== '/api/v1/openapi.json',
      );
      const documented = Object.keys(doc.paths).map((p) => p.replace(/\{(\w+)\}/g, ':$1'));
      for (const r of routes) expect(documented, r.path).toContain(r.path);
      expect(documented.sort()).toEqual([
        '/.well-known/ddor-publisher.pub',
        '/api/v1/audit',
        '/api/v1/detainers/:id',
        '/api/v1/detainers/:id/outcome',
        '/api/v1/disputes',
        '/api/v1/disputes/:n',
        '/api/v1/disputes/:n/status',
        '/api/v1/editions',
        '/api/v1/facilities/:key/county',
        '/api/v1/facilities/queue',
        '/api/v1/imports',
        '/api/v1/imports/:job',
        '/api/v1/imports/:job/rejects.csv',
        '/api/v1/jurisdictions',
        '/api/v1/jurisdictions/:fips',
        '/api/v1/proposals',
        '/api/v1/proposals/:id',
        '/api/v1/proposals/:id/approve',
        '/api/v1/proposals/:id/reject',
        '/api/v1/reports/quarter/:quarter',
        '/api/v1/reports/range/:from/:to',
        '/api/v1/reports/week/:date',
        '/api/v1/settings',
        '/api/v1/settings/two-person-rule',
        '/api/v1/tokens',
        '/api/v1/tokens/:id/revoke',
        '/api/v1/users',
        '/api/v1/users/:name/disable',
        '/api/v1/users/:name/tokens',
        '/oembed',
      ]);
    });

    it('renders every page type, without JavaScript', async () => {
      for (const path of [
        '/',
        '/reports/week/2017-01-28?edition=1',
        '/editions',
        '/counties/48453',
        '/counties?q=travis',
        '/counties',
        '/policies?state=CA',
        '/trends?state=TX',
        '/quality',
      ]) {
        const res = await app.request(path);
        expect(res.status, path).toBe(200);
        const page = await res.text();
        expect(page.startsWith('<!doctype html>'), path).toBe(true);
        expect(page).toContain('<main id="content">');
      }
      const home = await (await app.request('/')).text();
      // The map is its own resource, in an <object>: its counties are links without JavaScript.
      expect(home).toContain('data="/maps/week/2017-01-28.svg?edition=2"');
      const map = await app.request('/maps/week/2017-01-28.svg?edition=2');
      expect(map.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(map.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      // The Walker County decline is a link on the map, opening the county page in the page itself.
      expect(await map.text()).toContain('href="/counties/48471" target="_top"');
      expect(home).toContain('Errata — edition 2');
      const missing = await app.request('/counties/00000');
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('no county has FIPS code 00000');
      expect((await app.request('/reports?week=2017-02-01')).headers.get('location')).toBe(
        '/reports/week/2017-01-28',
      );
    });
  });
}
