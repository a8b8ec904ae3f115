/**
 * What changed (issue 15): the report page's previous-period figures and /compare?a=…&b=…, on
 * both stores, for the hand-built fixture (the week before Jan. 28, 2017 holds one detainer, PRE2
 * to Cook County, and one decline, PRE1's in Los Angeles).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

/** The text of a page section from one heading to the next, tags dropped. */
function sectionText(page: string, heading: string): string {
  const start = page.indexOf(heading);
  const end = page.indexOf('<h', start + heading.length);
  return page.slice(start, end === -1 ? undefined : end).replace(/<[^>]+>/g, ' ');
}

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`what changed on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithRulesFixture(factory));
      app = createApp(store);
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('shows the previous week’s totals and each Section I county’s movement on the report page', async () => {
      const page = await (await app.request('/reports/week/2017-01-28')).text();
      expect(page).toContain('<span class="was">previous week: 1; +43</span>');
      expect(page).toContain('Compared with the previous week, Jan. 21 – Jan. 27, 2017');
      expect(page).toMatch(/Cook County<\/th>.*?<td>down from 1<\/td>/);
      expect(page).toContain('href="/compare?b=week/2017-01-28"');
    });

    it('puts two periods side by side with the counties that entered or left each section', async () => {
      const res = await app.request('/compare?a=week/2017-01-21&b=2017-02-01');
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page).toContain('<h1>Compare Jan. 21 – Jan. 27, 2017 and Jan. 28 – Feb. 3, 2017</h1>');
      expect(page).toMatch(
        /<th scope="row">detainers issued<\/th><td class="num">1<\/td><td class="num">44<\/td><td class="num">\+43<\/td>/,
      );
      const enteredI = sectionText(page, 'Entered Section I in');
      expect(enteredI).toContain('Los Angeles County, CA');
      expect(enteredI).not.toContain('Cook County');
      expect(sectionText(page, 'Left Section I<')).toContain('None.');
      const enteredII = sectionText(page, 'Entered Section II');
      for (const c of ['Santa Clara County, CA', 'Cook County, IL', 'Walker County, TX'])
        expect(enteredII).toContain(c);
      expect(enteredII).not.toContain('Los Angeles'); // declines in both weeks
      expect(sectionText(page, 'Left Section II')).toContain('None.');
      // Rank in the first period beside the second's Section I.
      expect(page).toMatch(/Cook County, IL<\/a><\/th><td class="num">3<\/td><td class="num">1<\/td>/);
    });

    it('compares the latest period with the one before by default, and refuses what is not a period', async () => {
      const page = await (await app.request('/compare')).text();
      expect(page).toContain('<input name="b" value="week/');
      expect((await app.request('/compare?a=yesterday&b=week/2017-01-28')).status).toBe(400);
      expect((await app.request('/compare?a=week/2017-01-29&b=week/2017-01-28')).status).toBe(400);
    });
  });
}
