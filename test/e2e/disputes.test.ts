/**
 * The day a sheriff disputes a row (issue 13), in headless Chromium, on both stores: a
 * reader, not signed in, reports an error on a Section II row of edition 1; an analyst
 * finds it in the queue with the contact and the record behind the row, upholds it,
 * corrects the record and proposes the correction citing it; a reviewer approves; the
 * public dispute page then says "Upheld" and links to edition 2, whose errata cite the
 * dispute; the county's feed has both editions and the feed of decisions the dispute; a
 * page of another origin embeds the corrected county card. axe-core finds no serious or critical violation on the pages of the way, and
 * the form fits a 390-px phone.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/auth/accounts.js';
import { startServer } from '../../src/cli/serve.js';
import { weekPeriod } from '../../src/report/period.js';
import { approve, propose } from '../../src/report/review.js';
import { actingAs } from '../../src/store/audit.js';
import type { Store } from '../../src/store/store.js';
import { atomProblems, parseXml } from '../helpers/atom.js';
import { seriousViolations } from '../helpers/axe.js';
import { launchChromium, signInAs } from '../helpers/browser.js';
import { phoneFit } from '../helpers/phone.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const hasChromium = existsSync('/usr/bin/chromium') || process.env.CI === 'true';
const PASSWORD = 'correct horse battery staple';
const CONTACT = 'records.unit@sheriff.example.gov';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

for (const factory of STORES) {
  describe.runIf(hasChromium && (await storeAvailable(factory)))(
    `a dispute from report to correction in a browser, on ${factory.name}`,
    () => {
      let store: Store;
      let cleanup: () => Promise<void>;
      let server: { url: string; close: () => Promise<void> };
      let browser: Browser;
      let base: string;

      beforeAll(async () => {
        ({ store, cleanup } = await storeWithRulesFixture(factory));
        await addUser(store, 'sam.okafor', 'analyst', PASSWORD);
        await addUser(store, 'maria.lopez', 'reviewer', PASSWORD);
        const p = await propose(
          actingAs(store, { name: 'sam.okafor', via: 'cli', from: 'setup' }),
          weekPeriod('2017-01-28'),
        );
        await approve(actingAs(store, { name: 'maria.lopez', via: 'cli', from: 'setup' }), p.id);
        server = await startServer(store, 0);
        base = server.url.replace(/\/$/, '');
        browser = await launchChromium();
      }, 120_000);

      afterAll(async () => {
        await browser?.close();
        await server?.close();
        await store?.close();
        await cleanup?.();
      });

      const signIn = (page: Page, name: string) => signInAs(page, base, name, PASSWORD);
      const axe = async (page: Page) => expect(await seriousViolations(page), page.url()).toEqual([]);

      it('goes from "Report an error" on a row to a correction that cites it', async () => {
        // The reader: edition 1, the first row of Section II, "Report an error".
        const reader = await (await browser.newContext()).newPage();
        await reader.goto(`${base}/reports/week/2017-01-28?edition=1`);
        const link = reader.locator('table.declines a', { hasText: 'Report an error' }).first();
        const facility = await reader.locator('table.declines tbody tr th').nth(1).textContent();
        const formHref = (await link.getAttribute('href'))!;
        await link.click();
        await reader.waitForURL(/\/disputes\/new\?/);
        await axe(reader);
        await expect(
          reader.getByRole('table', { name: 'The row as published' }).textContent(),
        ).resolves.toContain(facility!.split(' — ')[1]!.split(' · ')[0]!.trim());
        await reader.getByLabel(/^Not a decline/).check();
        await reader.getByLabel('The correct value, if you know it').fill('lifted on Jan. 30');
        await reader
          .getByLabel('Explanation (required)')
          .fill('ICE lifted this detainer before the release; our log has the lift notice.');
        await reader.getByLabel(/^Your contact/).fill(CONTACT);
        await reader.getByRole('button', { name: 'Send the report' }).click();
        await reader.waitForURL(/\/disputes\/\d+\?received=1$/);
        const number = Number(/\/disputes\/(\d+)/.exec(reader.url())![1]);
        await expect(reader.getByRole('status').textContent()).resolves.toContain(`dispute No. ${number}`);
        await expect(reader.locator('h1').textContent()).resolves.toContain('Received');
        expect(await reader.content()).not.toContain(CONTACT);
        await axe(reader);

        // The same form on a phone.
        const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
        await phone.goto(`${base}${formHref}`);
        expect(await phoneFit(phone)).toEqual({ overflow: 0, small: [] });

        // The analyst: the queue, the dispute with its contact and the record behind the row.
        const analyst = await (await browser.newContext()).newPage();
        await signIn(analyst, 'sam.okafor');
        // The office's first page counts what is open, and links to the queue.
        await analyst.getByRole('link', { name: '1 received, 0 under review' }).click();
        await analyst.waitForURL(`${base}/work/disputes`);
        await axe(analyst);
        await analyst.getByRole('link', { name: String(number), exact: true }).click();
        await analyst.waitForURL(`${base}/work/disputes/${number}`);
        await expect(analyst.locator('main').textContent()).resolves.toContain(CONTACT);
        await axe(analyst);
        await analyst.getByLabel('New status').selectOption('upheld');
        await analyst
          .getByLabel(/^Reasoning/)
          .fill('The lift notice is in the detainer file: the detainer was lifted, not declined.');
        await analyst.getByRole('button', { name: 'Change the status' }).click();
        await expect(analyst.getByRole('status').textContent()).resolves.toContain('upheld');

        // Correct the record behind the row.
        const recordLink = analyst
          .getByRole('table', { name: /^Record / })
          .getByRole('link')
          .first();
        const recordId = await recordLink.textContent();
        await recordLink.click();
        await analyst.getByLabel('Outcome', { exact: true }).selectOption('lifted');
        await analyst.getByLabel('Declined on').fill('');
        await analyst.getByLabel(/^Recorded on/).fill('');
        await analyst.getByRole('button', { name: 'Record the outcome' }).click();
        await expect(analyst.getByRole('status').textContent()).resolves.toContain('Outcome recorded.');
        expect(recordId).toBeTruthy();

        // Propose the correction from the dispute's page: the week and the dispute are filled in.
        await analyst.goto(`${base}/work/disputes/${number}`);
        await analyst.getByRole('link', { name: 'propose the correction citing this dispute' }).click();
        await expect(analyst.getByLabel(/^Disputes this correction answers/).inputValue()).resolves.toBe(
          String(number),
        );
        await analyst.getByLabel(/^Note/).fill('A lifted detainer had been counted as a decline.');
        await analyst.getByRole('button', { name: 'Propose' }).click();
        await analyst.waitForURL(/\/work\/proposals\/\d+/);
        await expect(analyst.locator('main').textContent()).resolves.toContain(`No. ${number}`);
        const proposalUrl = analyst.url().split('?')[0]!;

        // The reviewer approves: edition 2.
        const reviewer = await (await browser.newContext()).newPage();
        await signIn(reviewer, 'maria.lopez');
        await reviewer.goto(proposalUrl);
        await reviewer.getByRole('button', { name: 'Approve and publish' }).click();
        await reviewer.waitForURL(/\/reports\/week\/2017-01-28\?edition=2/);
        await expect(
          reviewer.getByRole('complementary', { name: 'Errata' }).textContent(),
        ).resolves.toContain(`dispute No. ${number}`);

        // The public dispute page: upheld, with the link to edition 2.
        await reader.goto(`${base}/disputes/${number}`);
        await expect(reader.locator('h1').textContent()).resolves.toContain('Upheld');
        const corrected = reader.getByRole('link', { name: /^edition 2 of / });
        await expect(corrected.first().getAttribute('href')).resolves.toBe(
          '/reports/week/2017-01-28?edition=2',
        );
        mkdirSync(ARTIFACTS, { recursive: true });
        await reader.screenshot({
          path: join(ARTIFACTS, `dispute-upheld-${factory.name}.png`),
          fullPage: true,
        });
        await axe(reader);
        for (const path of [`/disputes/${number}`, '/disputes']) {
          await phone.goto(`${base}${path}`);
          expect(await phoneFit(phone), path).toEqual({ overflow: 0, small: [] });
        }
        await corrected.first().click();
        await expect(reader.getByRole('complementary', { name: 'Errata' }).textContent()).resolves.toContain(
          `dispute No. ${number}`,
        );
        // The county page lists the dispute and its outcome.
        const fips = /\((\d{5})\)/.exec(facility!)![1];
        await reader.goto(`${base}/counties/${fips}`);
        await expect(reader.getByRole('table', { name: /^Disputes about/ }).textContent()).resolves.toContain(
          'Upheld',
        );
        expect(await reader.content()).not.toContain(CONTACT);

        // The county's feed has both editions; the dispute feed the decision.
        const feed = await (await fetch(`${base}/counties/${fips}/feed.xml`)).text();
        expect(atomProblems(feed)).toEqual([]);
        const links = parseXml(feed)
          .children.filter((e) => e.name === 'entry')
          .flatMap((e) => e.children.filter((l) => l.name === 'link').map((l) => l.attrs.href));
        expect(links.some((h) => h?.endsWith('/reports/week/2017-01-28?edition=1'))).toBe(true);
        expect(links.some((h) => h?.endsWith('/reports/week/2017-01-28?edition=2'))).toBe(true);
        const decisions = await (await fetch(`${base}/disputes/feed.xml`)).text();
        expect(atomProblems(decisions)).toEqual([]);
        expect(decisions).toContain(`Dispute No. ${number} upheld`);
        expect(feed + decisions).not.toContain(CONTACT);

        // A newsroom embeds the corrected county card, from another origin, by its oEmbed answer.
        const oembed = (await (
          await fetch(`${base}/oembed?url=${encodeURIComponent(`${base}/counties/${fips}`)}&format=json`)
        ).json()) as { html: string };
        const story = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A story</title></head><body><h1>The county disputed its row</h1>${oembed.html.replace('<iframe ', '<iframe name="card" ')}</body></html>`;
        const news = createServer((_req, res) => {
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          res.end(story);
        });
        await new Promise<void>((r) => news.listen(0, '127.0.0.1', () => r()));
        try {
          const newsUrl = `http://127.0.0.1:${(news.address() as AddressInfo).port}/`;
          expect(new URL(newsUrl).origin).not.toBe(new URL(base).origin);
          await reader.goto(newsUrl);
          // The snippet loads lazily: the frame is waited for, not looked up.
          const card = reader.frameLocator('iframe[name=card]');
          await expect(card.locator('h1').textContent()).resolves.toContain(
            (await (await fetch(`${base}/api/v1/jurisdictions/${fips}`)).json()).county.name,
          );
          await expect(reader.locator('iframe[name=card]').getAttribute('src')).resolves.toContain(
            'edition=2',
          );
        } finally {
          await new Promise((r) => news.close(r));
        }
      }, 240_000);
    },
  );
}
