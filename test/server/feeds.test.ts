/**
 * The Atom feeds (issue 13, item 4), on both stores: /feed.xml and /counties/{fips}/feed.xml
 * parse as XML and meet RFC 4287's required elements; editions and corrections come newest
 * first with their totals, errata and change counts; a county's feed has the editions that list
 * it and the corrections that changed it, with what they say of it; every page names the site
 * feed, county pages their own; URLs come from the configured public URL, never the Host header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { atomEntries, atomProblems, feedHead } from '../helpers/atom.js';
import { ERRATA, PUBLIC_URL, storeWithEditions } from '../helpers/editions.js';
import { expectGolden } from '../helpers/golden.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

const ATOM = 'application/atom+xml; charset=utf-8';

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`Atom feeds on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const res = await app.request(path, { headers });
      expect(res.status, path).toBe(200);
      return { res, text: await res.text() };
    };

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithEditions(factory));
      app = createApp(store, { publicUrl: PUBLIC_URL });
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('serves every edition and correction, newest first, as valid Atom', async () => {
      const { res, text } = await get('/feed.xml');
      expect(res.headers.get('content-type')).toBe(ATOM);
      expect(atomProblems(text)).toEqual([]);
      expect(feedHead(text)).toEqual({
        id: `${PUBLIC_URL}/feed.xml`,
        title: 'Declined Detainer Outcome Report: editions and corrections',
        updated: '2017-02-13T12:00:00.000Z',
        self: `${PUBLIC_URL}/feed.xml`,
      });
      const entries = atomEntries(text);
      expect(entries.map((e) => [e.title, e.updated, e.alternate])).toEqual([
        [
          'Week of Jan. 28 – Feb. 3, 2017, edition 2 (correction)',
          '2017-02-13T12:00:00.000Z',
          `${PUBLIC_URL}/reports/week/2017-01-28?edition=2`,
        ],
        [
          'Week of Jan. 21 – Jan. 27, 2017, edition 1',
          '2017-02-07T09:30:00.000Z',
          `${PUBLIC_URL}/reports/week/2017-01-21?edition=1`,
        ],
        [
          'Week of Jan. 28 – Feb. 3, 2017, edition 1',
          '2017-02-06T12:00:00.000Z',
          `${PUBLIC_URL}/reports/week/2017-01-28?edition=1`,
        ],
      ]);
      // The permanent URL is the id: the same entry keeps it in every later build of the feed.
      expect(entries.map((e) => e.id)).toEqual(entries.map((e) => e.alternate));
      const [correction, , first] = entries;
      expect(first!.summary).toBe('44 detainers issued; 6 declines recorded in 6 counties of 5 states.');
      expect(first!.categories).toContain('edition');
      expect(correction!.categories).toContain('correction');
      // Errata (escaped in the XML, read back as written) and what the correction changed, counted.
      expect(correction!.summary).toContain(`Corrects edition 1. Errata: ${ERRATA}.`);
      expect(correction!.summary).toContain(
        'Changes: 2 decline rows added · 3 decline rows removed · 1 county added · 2 counties removed',
      );
      expect(correction!.content).toContain('<li>counties added: Kern County, CA (06029)</li>');
      expect(text).toContain('&amp; &lt;rechecked&gt;');
    });

    it('keeps the bytes of the feed (golden), the same on every store', async () => {
      expectGolden('feeds/feed.xml', (await get('/feed.xml')).text);
    });

    it('follows one county: the editions that list it, with its figures, and the corrections that changed it', async () => {
      // Los Angeles: edition 1 lists a decline and its Section I rank; the correction moved the
      // decline away; the week before lists a decline recorded then.
      const la = await get('/counties/06037/feed.xml');
      expect(la.res.headers.get('content-type')).toBe(ATOM);
      expect(atomProblems(la.text)).toEqual([]);
      expect(feedHead(la.text).self).toBe(`${PUBLIC_URL}/counties/06037/feed.xml`);
      const entries = atomEntries(la.text);
      expect(entries.map((e) => e.title)).toEqual([
        'Week of Jan. 28 – Feb. 3, 2017, edition 2 (correction)',
        'Week of Jan. 21 – Jan. 27, 2017, edition 1',
        'Week of Jan. 28 – Feb. 3, 2017, edition 1',
      ]);
      expect(entries[1]!.summary).toBe(
        'Los Angeles County, CA: 1 decline recorded in the period at 1 facility; 0 detainers issued to agencies here; not ranked in Section I.',
      );
      expect(entries[2]!.summary).toBe(
        'Los Angeles County, CA: 1 decline recorded in the period at 1 facility; 5 detainers issued to agencies here; rank 1 of 10 in Section I (5 detainers issued to a jurisdiction with a policy limiting cooperation).',
      );
      expect(entries[0]!.summary).toContain('0 declines recorded in the period; rank 1 of 10 in Section I');
      expect(entries[0]!.summary).toContain(
        'Corrects edition 1, changing Los Angeles County, CA: removed from Section II; 1 decline row removed.',
      );
      // Entry ids differ from the site feed's: the entry is about the county in that edition.
      expect(entries[0]!.id).toBe(`${PUBLIC_URL}/reports/week/2017-01-28?edition=2#county-06037`);

      // Franklin County, PA: the correction took its decline out of Section II and changed its Section I row.
      const pa = atomEntries((await get('/counties/42055/feed.xml')).text);
      expect(pa.map((e) => e.title)).toEqual([
        'Week of Jan. 28 – Feb. 3, 2017, edition 2 (correction)',
        'Week of Jan. 28 – Feb. 3, 2017, edition 1',
      ]);
      expect(pa[0]!.summary).toBe(
        `Franklin County, PA: 0 declines recorded in the period; rank 10 of 10 in Section I (1 detainer issued to a jurisdiction with a policy limiting cooperation). Corrects edition 1, changing Franklin County, PA: removed from Section II; 1 decline row removed; Section I detainers issued 2 → 1. Errata: ${ERRATA}.`,
      );

      // Kern County: only the correction lists it.
      const kern = atomEntries((await get('/counties/06029/feed.xml')).text);
      expect(kern.map((e) => e.title)).toEqual(['Week of Jan. 28 – Feb. 3, 2017, edition 2 (correction)']);
      expect(kern[0]!.summary).toContain('added to Section II');
    });

    it('is valid with no entry, and 404 for a FIPS code that names no county', async () => {
      // Delaware's Kent County is in no edition: a valid, empty feed with a fixed `updated`.
      const empty = await get('/counties/10001/feed.xml');
      expect(atomProblems(empty.text)).toEqual([]);
      expect(atomEntries(empty.text)).toEqual([]);
      expect(feedHead(empty.text).updated).toBe('1979-01-01T00:00:00Z');
      expect((await app.request('/counties/99999/feed.xml')).status).toBe(404);
      expect((await app.request('/counties/abc/feed.xml')).status).toBe(404);
    });

    it('names the site feed on every page, and a county page its own', async () => {
      const siteFeed = '<link rel="alternate" type="application/atom+xml" href="/feed.xml"';
      for (const path of [
        '/',
        '/reports/week/2017-01-28?edition=1',
        '/editions',
        '/policies',
        '/trends',
        '/counties/48453',
        '/counties',
        '/no-such-page',
      ]) {
        const res = await app.request(path);
        expect(await res.text(), path).toContain(siteFeed);
      }
      const county = await (await app.request('/counties/06037')).text();
      expect(county).toContain(
        '<link rel="alternate" type="application/atom+xml" href="/counties/06037/feed.xml"',
      );
    });

    it('builds its URLs from the configured public URL, not the Host header (kept responses are shared)', async () => {
      const forged = await get('/feed.xml', { Host: 'evil.example' });
      expect(forged.text).not.toContain('evil.example');
      const again = await get('/feed.xml');
      expect(again.text).toBe(forged.text);
      const plain = createApp(store, { publicUrl: 'http://localhost:8123' });
      const other = await (
        await plain.request('/counties/06037/feed.xml', { headers: { Host: 'evil.example' } })
      ).text();
      expect(feedHead(other).self).toBe('http://localhost:8123/counties/06037/feed.xml');
      expect(other).not.toContain('evil.example');
    });
  });
}
