/**
 * "Cite this edition" (issue 13, item 6), on both stores: APA, Chicago, BibTeX and CSL-JSON of a
 * published edition (golden files, the same bytes on each store), each with the pinned permanent
 * URL, edition number, publication date, publisher and content hash, and no accessed date; the
 * BibTeX key stable and escaped, the CSL-JSON valid under the CSL-JSON schema; the page block
 * and the endpoint, which never cites a draft.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bibtexKey, bibtexText, CITATION_STYLES, cslItem } from '../../src/render/cite.js';
import { showEdition } from '../../src/report/editions.js';
import type { Report } from '../../src/report/model.js';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { CslData } from '../helpers/csl.js';
import { PUBLIC_URL, storeWithEditions, WEEK } from '../helpers/editions.js';
import { expectGolden } from '../helpers/golden.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

const PERMANENT = `${PUBLIC_URL}/reports/week/2017-01-28?edition=2`;

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`citations on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    let correction: Report;

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithEditions(factory));
      app = createApp(store, { publicUrl: PUBLIC_URL });
      correction = (await showEdition(store, WEEK, 2)).report;
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('serves each style of an edition as a file (golden), with URL, edition, date, publisher and hash', async () => {
      const hash = correction.edition!.content_sha256;
      for (const style of CITATION_STYLES) {
        const res = await app.request(`/reports/week/2017-01-28/cite?edition=2&style=${style.id}`);
        expect(res.status, style.id).toBe(200);
        expect(res.headers.get('content-type')).toBe(`${style.mediaType}; charset=utf-8`);
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        const text = await res.text();
        expect(text, style.id).toContain(PERMANENT);
        expect(text, style.id).toContain(hash);
        expect(text, style.id).toContain('2017');
        expect(text, style.id).toMatch(/ddor/);
        expect(text, style.id).not.toMatch(/accessed|retrieved/i);
        expectGolden(
          `citations/week-2017-01-28-edition-2.${style.id === 'csl-json' ? 'csl.json' : style.id === 'bibtex' ? 'bib' : `${style.id}.txt`}`,
          text,
        );
      }
      const apa = await (await app.request('/reports/week/2017-01-28/cite?edition=2&style=apa')).text();
      expect(apa).toMatch(
        /^ddor\. \(2017, February 13\)\. Weekly Declined Detainer Outcome Report — .* \(Edition 2, correcting edition 1\) \[Report; content SHA-256 [0-9a-f]{64}\]\. https:\/\/ddor\.example\.org\/reports\/week\/2017-01-28\?edition=2\n$/,
      );
    });

    it('gives CSL-JSON that the CSL-JSON schema accepts: a report, issued date-parts, URL, version, note', async () => {
      const body = JSON.parse(
        await (await app.request('/reports/week/2017-01-28/cite?edition=2&style=csl-json')).text(),
      );
      expect(CslData.safeParse(body).error?.issues ?? []).toEqual([]);
      expect(body).toEqual([
        expect.objectContaining({
          id: 'ddor-week-2017-01-28-e2',
          type: 'report',
          issued: { 'date-parts': [[2017, 2, 13]] },
          URL: PERMANENT,
          version: '2',
          note: `Content SHA-256: ${correction.edition!.content_sha256}`,
        }),
      ]);
      // The checker is no rubber stamp: an unknown variable, a wrong type or a bad date fail it.
      const item = cslItem(correction, PERMANENT);
      expect(CslData.safeParse([{ ...item, accessed_on: 'x' }]).success).toBe(false);
      expect(CslData.safeParse([{ ...item, type: 'weekly-report' }]).success).toBe(false);
      expect(CslData.safeParse([{ ...item, issued: { 'date-parts': [[]] } }]).success).toBe(false);
      expect(CslData.safeParse([{ ...item, version: 2 }]).success).toBe(false);
    });

    it('keeps the BibTeX key stable and its fields escaped', async () => {
      expect(bibtexKey(correction)).toBe('ddor-week-2017-01-28-e2');
      const edition1 = (await showEdition(store, WEEK, 1)).report;
      expect(bibtexKey(edition1)).toBe('ddor-week-2017-01-28-e1');
      expect(
        bibtexKey({ ...edition1, period: { kind: 'quarter', start: '2017-01-01', end: '2017-03-31' } }),
      ).toBe('ddor-FY2017Q2-e1');
      expect(
        bibtexKey({ ...edition1, period: { kind: 'range', start: '2017-01-01', end: '2017-01-31' } }),
      ).toBe('ddor-2017-01-01_2017-01-31-e1');
      expect(bibtexText('50% & #1 — $5_000 {x} ~ ^ \\ – y')).toBe(
        '50\\% \\& \\#1 --- \\$5\\_000 \\{x\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{} -- y',
      );
      const bib = await (await app.request('/reports/week/2017-01-28/cite?edition=2&style=bibtex')).text();
      // Braces balance: the entry ends where it should.
      let depth = 0;
      for (const ch of bib.replace(/\\[{}]/g, '')) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
      expect(depth).toBe(0);
      expect(bib).toContain(
        'title = {{Weekly Declined Detainer Outcome Report --- For Recorded Declined Detainers',
      );
    });

    it('cites the latest edition by its number without ?edition=, never a draft, and names the styles', async () => {
      const latest = await (await app.request('/reports/week/2017-01-28/cite?style=chicago')).text();
      expect(latest).toContain(PERMANENT);
      for (const path of [
        '/reports/week/2017-01-28/cite?edition=draft&style=apa',
        '/reports/week/2017-02-04/cite?style=apa',
        '/reports/week/2017-01-28/cite?edition=9&style=apa',
      ]) {
        const res = await app.request(path);
        expect(res.status, path).toBe(404);
        expect(await res.text(), path).toContain('Only a published edition can be cited');
      }
      const unknown = await app.request('/reports/week/2017-01-28/cite?edition=2&style=mla');
      expect(unknown.status).toBe(400);
      expect(await unknown.text()).toContain('Ask for style=apa, chicago, bibtex, csl-json.');
    });

    it('offers "Cite this edition" on every page of a published edition, and not on a draft', async () => {
      for (const path of ['/reports/week/2017-01-28?edition=2', '/reports/week/2017-01-28', '/']) {
        const page = await (await app.request(path)).text();
        expect(page, path).toContain('<summary>Cite this edition</summary>');
        for (const id of ['apa', 'chicago', 'bibtex', 'csl-json'])
          expect(page, path).toContain(`<textarea id="cite-${id}" readonly`);
        expect(page, path).toContain(`>${PERMANENT}</a>`);
      }
      const first = await (await app.request('/reports/week/2017-01-28?edition=1')).text();
      expect(first).toContain(`${PUBLIC_URL}/reports/week/2017-01-28?edition=1`);
      const draft = await (await app.request('/reports/week/2017-02-04?edition=draft')).text();
      expect(draft).not.toContain('Cite this edition');
    });
  });
}
