/**
 * The reader's web in headless Chromium (issue 15): finding a county with the search field,
 * without JavaScript (the GET form) and with it (suggestions as you type).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { policySpec } from '../../src/ingest/policies.js';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/render/browser.js';
import type { Store } from '../../src/store/store.js';
import { fixture } from '../helpers/fixtures.js';
import { duckdbFactory } from '../helpers/stores.js';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
const hasChromium = existsSync('/usr/bin/chromium') || process.env.CI === 'true';

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
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
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
});
