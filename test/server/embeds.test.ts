/**
 * Embeds and oEmbed (issue 13, item 5), on both stores: the map and county-card pages of a
 * published edition, framable by any site and only they (every other page keeps
 * frame-ancestors 'none'), with no cookie and no script; a draft is never embeddable; the
 * snippets on the pages; oEmbed 1.0 answers (one kept as a golden file), its 404 and 501;
 * discovery links; absolute URLs from the configured public URL, the Host header ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { PUBLIC_URL, storeWithEditions } from '../helpers/editions.js';
import { expectGolden } from '../helpers/golden.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

const MAP = '/embed/reports/week/2017-01-28/map?edition=2';
const CARD = '/embed/counties/06037/week/2017-01-28?edition=1';
const frameAncestors = (res: Response) =>
  /frame-ancestors ([^;]*)/.exec(res.headers.get('content-security-policy') ?? '')?.[1];

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`embeds and oEmbed on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const oembed = (url: string, more = '') =>
      app.request(`/oembed?url=${encodeURIComponent(url)}&format=json${more}`);

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithEditions(factory));
      app = createApp(store, { publicUrl: PUBLIC_URL });
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('serves the map of an edition as a light page any site may frame: no script, no cookie', async () => {
      const res = await app.request(MAP);
      expect(res.status).toBe(200);
      expect(frameAncestors(res)).toBe('*');
      expect(res.headers.get('x-frame-options')).toBeNull();
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      const html = await res.text();
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
      expect(html).toContain('<h1>Declined detainers by county</h1>');
      expect(html).toContain('Week of Jan. 28 – Feb. 3, 2017, edition 2 (correction)');
      expect(html).toContain(
        'Source: ddor, Declined Detainer Outcome Report, edition 2, published 2017-02-13. <a href="https://ddor.example.org/reports/week/2017-01-28?edition=2" target="_blank" rel="noopener">See the full edition</a>',
      );
      // Its county links open the county pages of this site, in a new tab.
      expect(html).toContain('href="https://ddor.example.org/counties/06029" target="_blank"');
    });

    it('serves a county card: its figures in the edition, its policies, attribution, link back', async () => {
      const res = await app.request(CARD);
      expect(res.status).toBe(200);
      expect(frameAncestors(res)).toBe('*');
      expect(res.headers.get('set-cookie')).toBeNull();
      const html = await res.text();
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('<h1>Los Angeles County, California</h1>');
      expect(html).toContain('FIPS 06037 · Week of Jan. 28 – Feb. 3, 2017, edition 1');
      expect(html).toContain('<dt>Declines recorded in the period</dt><dd>1</dd>');
      expect(html).toContain('<dt>Detainers issued to agencies here</dt><dd>5</dd>');
      expect(html).toContain('<dt>Section I rank</dt><dd>1 of 10</dd>');
      expect(html).toContain(
        '<ul class="policies"><li>California TRUST Act (California; law, enacted 2014-01-01; restricts detainer hold)</li></ul>',
      );
      // Edition 1 has been corrected since: the card says so and links to the correction.
      expect(html).toContain('This edition has since been corrected: ');
      expect(html).toContain('href="https://ddor.example.org/reports/week/2017-01-28?edition=2"');
    });

    it('lets only the embed pages be framed: every other page keeps frame-ancestors none', async () => {
      for (const path of [MAP, CARD, '/embed/reports/week/2017-01-21/map?edition=1']) {
        const res = await app.request(path);
        expect(frameAncestors(res), path).toBe('*');
        expect(res.headers.get('x-frame-options'), path).toBeNull();
      }
      for (const path of [
        '/',
        '/reports/week/2017-01-28?edition=2',
        '/counties/06037',
        '/editions',
        '/feed.xml',
        '/reports/week/2017-01-28/cite?edition=2&style=apa',
        '/embed/reports/week/2017-01-28/map?edition=draft',
        '/api/v1/editions',
      ]) {
        const res = await app.request(path);
        expect(frameAncestors(res), path).toBe("'none'");
        expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      }
      const oembedRes = await oembed(`${PUBLIC_URL}/reports/week/2017-01-28`);
      expect(frameAncestors(oembedRes)).toBe("'none'");
      // The map resource of a report page: this site only.
      expect(frameAncestors(await app.request('/maps/week/2017-01-28.svg?edition=2'))).toBe("'self'");
    });

    it('never embeds a draft; pins an embed without an edition to the latest one', async () => {
      for (const path of [
        '/embed/reports/week/2017-01-28/map?edition=draft',
        '/embed/reports/week/2017-02-04/map',
        '/embed/reports/week/2017-01-28/map?edition=3',
        '/embed/counties/06037/week/2017-02-04',
      ]) {
        const res = await app.request(path);
        expect(res.status, path).toBe(404);
        const page = await res.text();
        expect(page, path).toContain('Only a published edition can be embedded; a draft never is.');
      }
      expect((await app.request('/embed/reports/week/2017-01-28/map?edition=one')).status).toBe(400);
      const latest = await app.request('/embed/reports/week/2017-01-28/map');
      expect(latest.status).toBe(302);
      expect(latest.headers.get('location')).toBe('/embed/reports/week/2017-01-28/map?edition=2');
      // A county without a period: the newest edition that lists it.
      const card = await app.request('/embed/counties/06029');
      expect(card.status).toBe(302);
      expect(card.headers.get('location')).toBe('/embed/counties/06029/week/2017-01-28?edition=2');
      expect((await app.request('/embed/counties/10001')).status).toBe(404);
      expect((await app.request('/embed/counties/99999/week/2017-01-28?edition=1')).status).toBe(404);
    });

    it('offers the snippets and a discovery link on the pages that can be embedded', async () => {
      const page = await (await app.request('/reports/week/2017-01-28?edition=2')).text();
      expect(page).toContain('<summary>Embed this map</summary>');
      expect(page).toContain(
        '&lt;iframe src=&quot;https://ddor.example.org/embed/reports/week/2017-01-28/map?edition=2&quot;',
      );
      expect(page).toContain(
        '<link rel="alternate" type="application/json+oembed" href="https://ddor.example.org/oembed?url=https%3A%2F%2Fddor.example.org%2Freports%2Fweek%2F2017-01-28%3Fedition%3D2&amp;format=json"',
      );
      const county = await (await app.request('/counties/06037')).text();
      expect(county).toContain('<summary>Embed this county</summary>');
      expect(county).toContain('embed/counties/06037/week/2017-01-28?edition=2');
      expect(county).toContain('type="application/json+oembed"');
      // A county no edition lists has nothing to embed, and says so; a draft page offers no snippet.
      const none = await (await app.request('/counties/10001')).text();
      expect(none).toContain('No published edition lists this county yet');
      expect(none).not.toContain('application/json+oembed');
      const draft = await (await app.request('/reports/week/2017-02-04?edition=draft')).text();
      expect(draft).not.toContain('Embed this map');
      expect(draft).not.toContain('application/json+oembed');
      expect(await (await app.request(MAP)).text()).toContain('type="application/json+oembed"');
    });

    it('answers oEmbed 1.0 for a report page (golden), pinned to the edition', async () => {
      const res = await oembed(`${PUBLIC_URL}/reports/week/2017-01-28?edition=1`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        version: '1.0',
        type: 'rich',
        width: 640,
        height: 600,
        provider_name: 'ddor',
        provider_url: PUBLIC_URL,
      });
      expect(body.html).toBe(
        '<iframe src="https://ddor.example.org/embed/reports/week/2017-01-28/map?edition=1" title="Declined Detainer Outcome Report: declines by county, Week of Jan. 28 – Feb. 3, 2017, edition 1" width="640" height="600" style="border:0;max-width:100%" loading="lazy" sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>',
      );
      expectGolden('oembed/report-week-2017-01-28-edition-1.json', `${JSON.stringify(body, null, 2)}\n`);
    });

    it('answers for the latest edition, a county page and the embed pages; keeps within maxwidth and maxheight', async () => {
      const latest = (await (await oembed(`${PUBLIC_URL}/reports/week/2017-01-28`)).json()) as {
        html: string;
      };
      expect(latest.html).toContain('/embed/reports/week/2017-01-28/map?edition=2"');
      const home = (await (await oembed(`${PUBLIC_URL}/`)).json()) as { html: string };
      expect(home.html).toContain('/embed/reports/week/2017-01-28/map?edition=2"');
      const county = (await (await oembed(`${PUBLIC_URL}/counties/06037`)).json()) as Record<string, unknown>;
      expect(county).toMatchObject({ type: 'rich', width: 400, height: 460 });
      expect(county.html).toContain(
        'src="https://ddor.example.org/embed/counties/06037/week/2017-01-28?edition=2"',
      );
      const card = (await (await oembed(`${PUBLIC_URL}${CARD}`)).json()) as { html: string };
      expect(card.html).toContain(`src="${PUBLIC_URL}${CARD}"`);
      const small = (await (await oembed(`${PUBLIC_URL}${MAP}`, '&maxwidth=320&maxheight=300')).json()) as {
        width: number;
        height: number;
        html: string;
      };
      expect(small.width).toBe(320);
      expect(small.height).toBeLessThanOrEqual(300);
      expect(small.html).toContain(`width="320" height="${small.height}"`);
    });

    it('is 404 for what is not an embeddable page of this site, 501 for XML, in the one error shape', async () => {
      for (const url of [
        'https://elsewhere.example/reports/week/2017-01-28?edition=1',
        `${PUBLIC_URL}/reports/week/2017-01-28?edition=draft`,
        `${PUBLIC_URL}/reports/week/2017-02-04`,
        `${PUBLIC_URL}/reports/week/2017-01-29`,
        `${PUBLIC_URL}/editions`,
        `${PUBLIC_URL}/counties/10001`,
        'not a url',
      ]) {
        const res = await oembed(url);
        expect(res.status, url).toBe(404);
        const body = (await res.json()) as { error: Record<string, unknown> };
        expect(Object.keys(body.error), url).toEqual(['status', 'code', 'message', 'hint']);
      }
      const xml = await app.request(
        `/oembed?url=${encodeURIComponent(`${PUBLIC_URL}/reports/week/2017-01-28`)}&format=xml`,
      );
      expect(xml.status).toBe(501);
      expect(((await xml.json()) as { error: { code: string } }).error.code).toBe('not_implemented');
      expect((await oembed(`${PUBLIC_URL}/`, '&maxwidth=wide')).status).toBe(400);
      expect((await app.request('/oembed')).status).toBe(400);
    });

    it('builds every absolute URL from the public URL, whatever the Host header says', async () => {
      const forged = await app.request(MAP, { headers: { Host: 'evil.example' } });
      const text = await forged.text();
      expect(text).not.toContain('evil.example');
      expect(await (await app.request(MAP)).text()).toBe(text);
      const answer = await (
        await app.request(`/oembed?url=${encodeURIComponent(`${PUBLIC_URL}/`)}`, {
          headers: { Host: 'evil.example' },
        })
      ).text();
      expect(answer).not.toContain('evil.example');
      // The URL to embed is matched against the public URL, not the request's host.
      expect((await oembed('http://evil.example/reports/week/2017-01-28')).status).toBe(404);
    });
  });
}
