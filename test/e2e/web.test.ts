/**
 * The web app in headless Chromium (Debian's, through playwright-core): open the
 * home page, click Travis County on the map and see its declines, switch
 * edition, download the PDF, use the map by keyboard; axe-core finds no
 * serious or critical violation on any page type. Screenshots go to test/artifacts.
 */

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { policySpec } from '../../src/ingest/policies.js';
import { correctEdition, publishEdition } from '../../src/report/editions.js';
import { weekPeriod } from '../../src/report/period.js';
import type { Store } from '../../src/store/store.js';
import { launchChromium } from '../helpers/browser.js';
import { csvFile, DETAINER_HEADER, detainerRow } from '../helpers/csv.js';
import { fixture } from '../helpers/fixtures.js';
import { duckdbFactory } from '../helpers/stores.js';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
const hasChromium = existsSync('/usr/bin/chromium') || process.env.CI === 'true';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe.runIf(hasChromium)('the web app in a browser', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let server: { url: string; close: () => Promise<void> };
  let browser: Browser;
  let page: Page;
  /** What the pages' Content-Security-Policy blocked: nothing, when the island keeps to it. */
  const cspViolations: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    ({ store, cleanup } = await duckdbFactory.create());
    await importFile(store, policySpec, fixture('rules', 'policies.csv'), { rejectsPath: false });
    await importFile(store, detainerSpec, fixture('rules', 'detainers.csv'), { rejectsPath: false });
    // Two declines at the Travis County Jail, recorded in the week.
    const travis = csvFile([
      DETAINER_HEADER,
      detainerRow('TV1', {
        outcome: 'declined',
        declined_date: '2017-01-30',
        criminal_activity: 'Assault (charge)',
      }),
      detainerRow('TV2', {
        issued_date: '2017-01-31',
        outcome: 'declined',
        declined_date: '2017-02-02',
        citizenship: 'Honduras',
      }),
    ]);
    await importFile(store, detainerSpec, travis, { rejectsPath: false });
    const week = weekPeriod('2017-01-28');
    await publishEdition(store, week, { now: new Date('2017-02-06T12:00:00Z') });
    await importFile(store, detainerSpec, fixture('rules', 'corrections.csv'), { rejectsPath: false });
    await correctEdition(store, week, {
      note: 'Franklin County decline re-attributed to Iowa',
      now: new Date('2017-02-13T12:00:00Z'),
    });
    server = await startServer(store, 0);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${page.url()}: ${m.text()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await cleanup?.();
  });

  it('opens the home page on the latest edition', async () => {
    await page.goto(server.url);
    await expect(page.locator('h1').first().textContent()).resolves.toBe(
      'Weekly Declined Detainer Outcome Report',
    );
    await expect(page.locator('p.edition').textContent()).resolves.toContain('Edition 2');
    await expect(page.locator('aside.errata').textContent()).resolves.toContain('re-attributed to Iowa');
    await page.screenshot({ path: `${artifacts}home.png` });
  });

  it('shows Travis County’s declines when it is clicked on the map', async () => {
    await page.locator('a.county-link[data-fips="48453"]').click();
    const panel = page.locator('#county-panel');
    await panel.waitFor({ state: 'visible' });
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('Travis County, TX (48453)');
    expect(text).toContain('Travis County Jail');
    expect(text).toContain('Assault (charge)');
    expect(text).toContain('Honduras');
    await expect(panel.locator('a[href="/counties/48453"]').count()).resolves.toBe(1);
    await page.screenshot({ path: `${artifacts}map-panel.png` });
    await page.keyboard.press('Escape');
    await expect(panel.isHidden()).resolves.toBe(true);
  });

  it('works the map by keyboard: focus a county, Enter opens it, Escape returns focus', async () => {
    await page.goto(server.url);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    await page.locator('a.county-link[data-fips="48453"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('#county-panel').waitFor({ state: 'visible' });
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H2');
    await page.keyboard.press('Escape');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-fips'))).resolves.toBe(
      '48453',
    );
  });

  it('switches to another edition', async () => {
    await page.goto(server.url);
    await page.locator('.editions-list a', { hasText: 'Edition 1' }).click();
    await page.waitForURL(/edition=1/);
    await expect(page.locator('p.edition').textContent()).resolves.toContain(
      'Edition 1, published 2017-02-06',
    );
    await expect(page.locator('aside.errata').count()).resolves.toBe(0);
  });

  it('downloads the PDF', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.downloads a', { hasText: 'PDF' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('ddor-week-2017-01-28-edition-1.pdf');
    const path = await download.path();
    expect(readFileSync(path!).subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);

  it('has no serious or critical accessibility violations on any page type (axe-core)', async () => {
    const pages = [
      '/',
      '/reports/week/2017-01-28?edition=1',
      '/editions',
      '/counties/48453',
      '/policies',
      '/trends',
      '/quality',
    ];
    for (const path of pages) {
      await page.goto(`${server.url.replace(/\/$/, '')}${path}`);
      // Evaluated through the DevTools protocol: the page's CSP (no inline script) stays on.
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run: (
                o: unknown,
              ) => Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }>;
            };
          }
        ).axe;
        const result = await axe.run({ resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
      });
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad, `${path}: ${JSON.stringify(bad)}`).toEqual([]);
      await page.screenshot({ path: `${artifacts}page${path.replace(/[^a-z0-9]+/gi, '-')}.png` });
    }
    expect(cspViolations).toEqual([]);
  }, 120_000);
});
