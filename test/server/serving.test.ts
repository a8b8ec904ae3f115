/**
 * Serving (issue 10): on both stores, a response to the public is built once per store
 * generation and kept as bytes with its ETag and gzip and brotli forms, chosen by
 * Accept-Encoding; If-None-Match lists and weak tags answer 304; a draft is built once
 * until the next write (readers arriving together wait for the one build), and the next
 * write is seen at once; a request with credentials is never answered from what is kept.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { publishEdition } from '../../src/report/editions.js';
import { weekPeriod } from '../../src/report/period.js';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { csvFile, DETAINER_HEADER, detainerRow } from '../helpers/csv.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const EDITION = '/api/v1/reports/week/2017-01-28?edition=1';
const DRAFT = '/api/v1/reports/week/2017-02-04?edition=draft';

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`serving on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    let queries = 0;

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithRulesFixture(factory));
      await publishEdition(store, weekPeriod('2017-01-28'), { now: new Date('2017-02-06T12:00:00Z') });
      // Every query the app makes, counted (the generation is read through the store's own handle).
      const counter: KyselyPlugin = {
        transformQuery: (args) => {
          queries++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      app = createApp({ ...store, db: store.db.withPlugin(counter) });
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('sends the kept bytes as brotli, gzip or as they are, each form with its own ETag', async () => {
      const plain = await app.request(EDITION);
      const text = await plain.text();
      expect(plain.headers.get('content-encoding')).toBeNull();
      const br = await app.request(EDITION, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
      expect(br.headers.get('content-encoding')).toBe('br');
      expect(br.headers.get('vary')).toContain('Accept-Encoding');
      expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(text);
      const gz = await app.request(EDITION, { headers: { 'Accept-Encoding': 'gzip;q=1, br;q=0' } });
      expect(gz.headers.get('content-encoding')).toBe('gzip');
      expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(text);
      // What is kept carries every header of the first build: CORS's, the security headers.
      for (const r of [plain, br, gz]) {
        expect(r.headers.get('access-control-allow-origin')).toBe('*');
        expect(r.headers.get('x-content-type-options')).toBe('nosniff');
        expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      }
      const tags = [plain, br, gz].map((r) => r.headers.get('etag'));
      expect(new Set(tags).size).toBe(3);
      expect(tags[0]).toMatch(/^"[0-9a-f]{32}"$/);
    });

    it('answers If-None-Match lists and weak tags with 304', async () => {
      const first = await app.request(EDITION, { headers: { 'Accept-Encoding': 'br' } });
      const tag = first.headers.get('etag')!;
      for (const sent of [tag, `"nope", ${tag}`, `W/${tag}`, `W/"other", W/${tag}`]) {
        const res = await app.request(EDITION, {
          headers: { 'Accept-Encoding': 'br', 'If-None-Match': sent },
        });
        expect(res.status, sent).toBe(304);
        expect(res.headers.get('etag')).toBe(tag);
        expect(await res.text()).toBe('');
      }
      const other = await app.request(EDITION, {
        headers: { 'Accept-Encoding': 'br', 'If-None-Match': '"nope"' },
      });
      expect(other.status).toBe(200);
      // A tag of another coding is not this response.
      const gz = await app.request(EDITION, { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': tag } });
      expect(gz.status).toBe(200);
    });

    it('builds a page and a draft once until the next write, and sees that write at once', async () => {
      for (const path of [
        DRAFT,
        '/reports/week/2017-02-04?edition=draft',
        '/',
        '/maps/week/2017-01-28.svg?edition=1',
      ]) {
        const before = await (await app.request(path)).text();
        const counted = queries;
        const again = await Promise.all(Array.from({ length: 5 }, () => app.request(path)));
        for (const r of again) expect(await r.text(), path).toBe(before);
        const head = await app.request(path, { method: 'HEAD' });
        expect(head.status).toBe(200);
        expect(await head.text()).toBe('');
        expect(queries, `${path} was built again`).toBe(counted);
      }
      // Readers arriving together for what is not built yet wait for one build.
      const fresh = '/api/v1/reports/week/2017-02-11?edition=draft';
      const q0 = queries;
      await (await app.request(fresh)).text();
      const one = queries - q0;
      const q1 = queries;
      const wide = '/api/v1/reports/week/2017-02-18?edition=draft';
      const texts = await Promise.all(
        Array.from({ length: 8 }, async () => (await app.request(wide)).text()),
      );
      expect(new Set(texts).size).toBe(1);
      expect(queries - q1).toBeLessThanOrEqual(one);

      const draft = JSON.parse(await (await app.request(DRAFT)).text()) as {
        totals: { detainers_issued: number };
      };
      await importFile(
        store,
        detainerSpec,
        csvFile([DETAINER_HEADER, detainerRow('NEW1', { issued_date: '2017-02-06' })]),
        { rejectsPath: false },
      );
      const after = JSON.parse(await (await app.request(DRAFT)).text()) as {
        totals: { detainers_issued: number };
      };
      expect(after.totals.detainers_issued).toBe(draft.totals.detainers_issued + 1);
    });

    it('never answers a request with credentials from what is kept', async () => {
      expect((await app.request(DRAFT)).status).toBe(200);
      const res = await app.request(DRAFT, { headers: { Authorization: 'Bearer ddor_tok_forged' } });
      expect(res.status).toBe(401);
    });
  });
}
