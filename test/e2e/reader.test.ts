/**
 * The reader's web in headless Chromium (issue 15): finding a county with the search field,
 * without JavaScript (the GET form) and with it (suggestions as you type); at 390×844 no page
 * type scrolls sideways or draws text under 12 px, and axe-core finds no serious violation; the
 * request-kind toggle and the compare view without JavaScript.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { policySpec } from '../../src/ingest/policies.js';
import type { Store } from '../../src/store/store.js';
import { seriousViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { fixture } from '../helpers/fixtures.js';
import { phoneFit } from '../helpers/phone.js';
import { duckdbFactory } from '../helpers/stores.js';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
const hasChromium = existsSync('/usr/bin/chromium') || process.env.CI === 'true';

/** One page of each type, and the report page's variants. */
const PAGE_TYPES = [
  '/',
  '/reports/week/2017-01-28?kind=notification',
  '/editions',
  '/counties/48453',
  '/counties?q=franklin',
  '/counties',
  '/policies',
  '/trends',
  '/quality',
  '/compare?a=week/2017-01-21&b=week/2017-01-28',
  '/no-such-page',
];

describe.runIf(hasChromium)('the reader’s web in a browser', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let server: { url: string; close: () => Promise<void> };
  let browser: Browser;
  const url = (path: string) => `${server.url.replace(/\/$/, '')}${path}`;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    ({ store, cleanup } = await duckdbFactory.create());
    await importFile(store, policySpec, fixture('rules', 'policies.csv'), { rejectsPath: false });
    await importFile(store, detainerSpec, fixture('rules', 'detainers.csv'), { rejectsPath: false });
    server = await startServer(store, 0);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await cleanup?.();
  });

  it('finds a county without JavaScript: the search field is a form to /counties', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url('/policies'));
    await page.locator('#site-q').fill('St Louis');
    await page.locator('#site-q').press('Enter');
    await page.waitForURL(/\/counties\?q=St\+Louis$/);
    const links = page.locator('ul.county-list a');
    await expect(links.allTextContents()).resolves.toEqual([
      'St. Louis city, Missouri',
      'St. Louis County, Minnesota',
      'St. Louis County, Missouri',
    ]);
    await page.locator('ul.county-list a', { hasText: 'St. Louis County, Missouri' }).click();
    await page.waitForURL(/\/counties\/29189$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('St. Louis County, Missouri');
    // The index by state, then a state's counties.
    await page.goto(url('/counties'));
    await page.locator('ul.state-list a', { hasText: 'Delaware' }).click();
    await expect(page.locator('ul.county-list a').count()).resolves.toBe(3);
    await context.close();
  });

  it('suggests counties as the reader types; arrow keys and Enter open one', async () => {
    const page = await browser.newPage();
    await page.goto(url('/trends'));
    await page.locator('#site-q').pressSequentially('franklin, o');
    await page.locator('#site-q-list [role=option]', { hasText: 'Franklin County, Ohio' }).waitFor();
    await page.locator('#site-q').fill('');
    await page.locator('#site-q').pressSequentially('trav');
    const option = page.locator('#site-q-list [role=option]', { hasText: 'Travis County, Texas' });
    await option.waitFor();
    await expect(page.locator('#site-q').getAttribute('aria-expanded')).resolves.toBe('true');
    await page.screenshot({ path: `${artifacts}search-suggestions.png` });
    await page.locator('#site-q').press('ArrowDown');
    await expect(page.locator('#site-q').getAttribute('aria-activedescendant')).resolves.toMatch(
      /^site-q-\d{5}$/,
    );
    const active = await page.locator('#site-q').getAttribute('aria-activedescendant');
    const fips = active!.slice('site-q-'.length);
    await page.locator('#site-q').press('Enter');
    await page.waitForURL(new RegExp(`/counties/${fips}$`));
    // Escape closes the list.
    await page.locator('#site-q').pressSequentially('dona');
    await page.locator('#site-q-list [role=option]', { hasText: 'Doña Ana County, New Mexico' }).waitFor();
    await page.locator('#site-q').press('Escape');
    await expect(page.locator('#site-q-list').isHidden()).resolves.toBe(true);
    await page.close();
  });

  it('fits a 390×844 phone: no page scrolls sideways, no visible text under 12 px, axe clean', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    for (const path of PAGE_TYPES) {
      await page.goto(url(path));
      const found = await phoneFit(page);
      expect(found.overflow, `${path} scrolls sideways`).toBe(0);
      expect(found.small, `${path}: text under 12 px`).toEqual([]);
      expect(await seriousViolations(page), path).toEqual([]);
      await page.screenshot({ path: `${artifacts}phone${path.replace(/[^a-z0-9]+/gi, '-')}.png` });
    }
    // A wide table scrolls in its own box, its row headers kept in view.
    await page.goto(url('/policies'));
    const table = await page.evaluate(() => {
      const t = document.querySelector('main table')!;
      const th = t.querySelector('tbody th[scope=row]')!;
      return {
        scrolls: t.scrollWidth > t.clientWidth,
        overflowX: getComputedStyle(t).overflowX,
        sticky: getComputedStyle(th).position,
      };
    });
    expect(table).toEqual({ scrolls: true, overflowX: 'auto', sticky: 'sticky' });
    await context.close();
  }, 180_000);

  it('switches request kind and compares two weeks without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url('/reports/week/2017-01-28'));
    await page.locator('.kind-toggle a', { hasText: 'Notifications (I-247N)' }).click();
    await page.waitForURL(/kind=notification/);
    await expect(page.locator('.headline .figure-box .n').first().textContent()).resolves.toBe('1');
    await expect(page.locator('p.kind-note').textContent()).resolves.toContain('notifications (i-247n) only');
    await page.locator('.toolbar a', { hasText: 'Compare with another period' }).click();
    await page.waitForURL(/\/compare\?b=week\/2017-01-28$/);
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Compare Jan. 21 – Jan. 27, 2017 and Jan. 28 – Feb. 3, 2017',
    );
    await page.locator('input[name=a]').fill('2017-02-04');
    await page.locator('form.toolbar button').click();
    await page.waitForURL(/a=2017-02-04/);
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Compare Feb. 4 – Feb. 10, 2017 and Jan. 28 – Feb. 3, 2017',
    );
    await context.close();
  });
});
