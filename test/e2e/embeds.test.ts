/**
 * Embeds in headless Chromium (issue 13, item 5): a page of another origin, served by a second
 * tiny HTTP server, pastes the oEmbed answer's <iframe>; the embedded map renders there (the
 * frame's document has the map's SVG) while a report page framed the same way is blocked
 * (frame-ancestors 'none'). The embed and cite blocks work without JavaScript; the embed pages
 * and a report page with its blocks open pass axe and fit a 390-px phone. Screenshots go to
 * test/artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import type { Store } from '../../src/store/store.js';
import { seriousViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { storeWithEditions } from '../helpers/editions.js';
import { phoneFit } from '../helpers/phone.js';
import { duckdbFactory } from '../helpers/stores.js';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
const hasChromium = existsSync('/usr/bin/chromium') || process.env.CI === 'true';

const MAP = 'embed/reports/week/2017-01-28/map?edition=2';
const CARD = 'embed/counties/06037/week/2017-01-28?edition=2';
const REPORT = 'reports/week/2017-01-28?edition=2';

describe.runIf(hasChromium)('embeds in a browser, on a page of another origin', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let ddor: { url: string; close: () => Promise<void> };
  let news: Server;
  let newsUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    ({ store, cleanup } = await storeWithEditions(duckdbFactory));
    ddor = await startServer(store, 0);
    // The snippet exactly as a newsroom's CMS gets it from oEmbed.
    const oembed = (await (
      await fetch(`${ddor.url}oembed?url=${encodeURIComponent(`${ddor.url}${REPORT}`)}&format=json`)
    ).json()) as { html: string };
    const story = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A story</title></head>
<body style="font-family: Georgia, serif; max-width: 700px; margin: 20px auto; padding: 0 12px">
<h1>Sheriffs and the list</h1><p>The map below is embedded from the report's site.</p>
${oembed.html.replace('<iframe ', '<iframe name="map" ')}
<p>Below, a page that is not meant to be embedded:</p>
<iframe name="page" src="${ddor.url}${REPORT}" title="A report page" width="640" height="200"></iframe>
</body></html>`;
    news = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(story);
    });
    await new Promise<void>((r) => news.listen(0, '127.0.0.1', () => r()));
    // 127.0.0.1 and another port: another origin than ddor's http://localhost:PORT.
    newsUrl = `http://127.0.0.1:${(news.address() as AddressInfo).port}/`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => news?.close(r));
    await ddor?.close();
    await store?.close();
    await cleanup?.();
  });

  it('renders the embedded map in a page of another origin, and blocks a framed report page', async () => {
    expect(new URL(newsUrl).origin).not.toBe(new URL(ddor.url).origin);
    const page = await browser.newPage({ viewport: { width: 760, height: 1000 } });
    await page.goto(newsUrl);
    const map = page.frame({ name: 'map' })!;
    await map.waitForLoadState();
    await map.locator('svg.ddor-map').waitFor();
    await expect(map.locator('svg.ddor-map path.county').count()).resolves.toBeGreaterThan(3000);
    await expect(map.locator('h1').textContent()).resolves.toBe('Declined detainers by county');
    await expect(map.locator('.source a').getAttribute('href')).resolves.toBe(`${ddor.url}${REPORT}`);
    // The report page refused to be framed: Chromium shows its error page in that frame instead.
    const framed = page.frame({ name: 'page' })!;
    await framed.waitForLoadState();
    expect(framed.url()).toMatch(/^chrome-error:/);
    await expect(framed.locator('.title-block, svg.ddor-map').count()).resolves.toBe(0);
    await page.screenshot({ path: `${artifacts}embed-on-another-origin.png`, fullPage: true });
    await page.close();
  });

  it('opens the embed and cite blocks without JavaScript: a snippet to copy, citations to read', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1100, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(`${ddor.url}${REPORT}`);
    await expect(page.locator('#embed-map-code').isVisible()).resolves.toBe(false);
    await page.locator('summary', { hasText: 'Embed this map' }).click();
    await expect(page.locator('#embed-map-code').inputValue()).resolves.toContain(`src="${ddor.url}${MAP}"`);
    await page.locator('summary', { hasText: 'Cite this edition' }).click();
    await expect(page.locator('#cite-apa').inputValue()).resolves.toContain(`${ddor.url}${REPORT}`);
    await expect(page.locator('#cite-bibtex').inputValue()).resolves.toMatch(
      /^@techreport\{ddor-week-2017-01-28-e2,/,
    );
    await page.locator('#embed-map').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${artifacts}report-embed-cite.png` });
    await page.goto(`${ddor.url}counties/06037`);
    await page.locator('summary', { hasText: 'Embed this county' }).click();
    await expect(page.locator('#embed-county-code').inputValue()).resolves.toContain(
      `src="${ddor.url}${CARD}"`,
    );
    await context.close();
  });

  it('keeps the embed pages and the opened blocks accessible, and within a 390-px phone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    for (const path of [MAP, CARD, REPORT, 'counties/06037']) {
      await page.goto(`${ddor.url}${path}`);
      await page.evaluate(() => {
        for (const d of Array.from(document.querySelectorAll('details.share')))
          (d as HTMLDetailsElement).open = true;
      });
      const found = await phoneFit(page);
      expect(found.overflow, `${path} scrolls sideways`).toBe(0);
      expect(found.small, `${path}: text under 12 px`).toEqual([]);
      expect(await seriousViolations(page), path).toEqual([]);
      if (path === 'counties/06037')
        await page.locator('.share-blocks').screenshot({ path: `${artifacts}county-follow-embed-phone.png` });
    }
    await page.goto(`${ddor.url}${MAP}`);
    await page.screenshot({ path: `${artifacts}embed-map-phone.png`, fullPage: true });
    await context.close();
  });

  it('shows the embed pages at the size of their snippet', async () => {
    const page = await browser.newPage({ viewport: { width: 640, height: 600 } });
    await page.goto(`${ddor.url}${MAP}`);
    // The whole map page fits its iframe: nothing to scroll to.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThanOrEqual(600);
    await page.screenshot({ path: `${artifacts}embed-map.png` });
    await page.setViewportSize({ width: 400, height: 460 });
    await page.goto(`${ddor.url}${CARD}`);
    await expect(page.evaluate(() => document.documentElement.scrollHeight)).resolves.toBeLessThanOrEqual(
      460,
    );
    await page.screenshot({ path: `${artifacts}embed-county.png` });
    await page.close();
  });
});
