/**
 * Finding a county without JavaScript (issue 15): /counties?q=… lists the matches as links,
 * /counties by state, /api/v1/jurisdictions?q=… answers the same, and every page carries the
 * search form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`county search on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;

    beforeAll(async () => {
      ({ store, cleanup } = await factory.create());
      app = createApp(store);
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('answers /counties?q=… with links to every matching county, each with its state', async () => {
      const res = await app.request('/counties?q=Franklin');
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page).toContain('26 counties');
      expect(page).toContain('<a href="/counties/39049">Franklin County, Ohio</a>');
      expect(page).toContain('<a href="/counties/22041">Franklin Parish, Louisiana</a>');
      const stLouis = await (await app.request('/counties?q=St+Louis')).text();
      expect(stLouis).toContain('href="/counties/29189"');
      expect(stLouis).toContain('href="/counties/27137"');
      const accented = await (await app.request(`/counties?q=${encodeURIComponent('DONA ana')}`)).text();
      expect(accented).toContain('<a href="/counties/35013">Doña Ana County, New Mexico</a>');
      const none = await (await app.request('/counties?q=zzqx')).text();
      expect(none).toContain('No county matches');
    });

    it('lists the states, then a state’s counties, at /counties', async () => {
      const index = await (await app.request('/counties')).text();
      expect(index).toContain('<a href="/counties?state=TX">Texas</a>');
      const de = await (await app.request('/counties?state=DE')).text();
      expect(de).toContain('3 counties');
      expect(de.indexOf('/counties/10001')).toBeLessThan(de.indexOf('/counties/10003'));
      const bad = await app.request('/counties?state=XX');
      expect(bad.status).toBe(400);
    });

    it('puts the search form on every page', async () => {
      for (const path of ['/counties', '/policies', '/trends', '/counties/zz']) {
        const page = await (await app.request(path)).text();
        expect(page, path).toMatch(/<form method="get" action="\/counties"><label[^>]*for="site-q"/);
        expect(page, path).toContain('<script type="module" src="/assets/search.js"></script>');
        expect(page, path).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*application\/json)[^>]*>/);
        expect(page, path).not.toMatch(/\son[a-z]+=/);
      }
      const script = await app.request('/assets/search.js');
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toContain('javascript');
    });

    it('answers /api/v1/jurisdictions?q=… with the same counties, limited, in the OpenAPI document', async () => {
      const res = await app.request('/api/v1/jurisdictions?q=franklin&limit=3');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { total: number; counties: Array<{ fips: string; state: string }> };
      expect(body.total).toBe(26);
      expect(body.counties.map((c) => c.fips)).toEqual(['51620', '01059', '05047']);
      const travis = await (await app.request('/api/v1/jurisdictions?q=48453')).json();
      expect(travis).toEqual({
        q: '48453',
        state: null,
        total: 1,
        counties: [
          {
            fips: '48453',
            name: 'Travis County',
            state: 'TX',
            state_name: 'Texas',
            class: 'county',
            valid_to: null,
          },
        ],
      });
      const bad = await app.request('/api/v1/jurisdictions?state=XX');
      expect(bad.status).toBe(400);
      expect(Object.keys(((await bad.json()) as { error: object }).error)).toEqual([
        'status',
        'code',
        'message',
        'hint',
      ]);
      const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
        paths: Record<string, { get: { parameters: Array<{ name: string }> } }>;
      };
      expect(doc.paths['/api/v1/jurisdictions']!.get.parameters.map((p) => p.name).sort()).toEqual([
        'limit',
        'q',
        'state',
      ]);
    });
  });
}
