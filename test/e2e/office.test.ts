/**
 * An office's week in headless Chromium (issue 11), on both stores: an analyst
 * signs in, uploads a file with one bad row and sees the row named, fixes it and
 * uploads again, resolves a facility from the queue, records a decline by hand and
 * proposes the week; a reviewer signs in, sees the draft beside edition 1 with the
 * changes, and approves; the public home page then shows edition 2, whose title
 * block names both; the audit page lists every step. axe-core finds no serious or
 * critical violation on any office page.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { seriousViolations } from '../helpers/axe.js';
import { launchChromium, signInAs } from '../helpers/browser.js';
import { phoneFit } from '../helpers/phone.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const hasChromium = existsSync('/usr/bin/chromium') || process.env.CI === 'true';
const PASSWORD = 'correct horse battery staple';
const HEADER =
  'detainer_id,issued_date,form,aor,agency,agency_code,city,county_fips,county,state,citizenship,criminal_activity,outcome,declined_date,recorded_date,released_by_agency,released_by_city,released_by_county_fips,released_by_county,released_by_state,source';
const row = (id: string, issued: string) =>
  `${id},${issued},I-247D,SNA,Travis County Jail,,Austin,48453,,TX,Honduras,,declined,2017-02-01,,,,,,,lea_notice`;
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const FACILITY = 'name:columbus jail annex|columbus|OH';

for (const factory of STORES) {
  describe.runIf(hasChromium && (await storeAvailable(factory)))(
    `an office's week in a browser, on ${factory.name}`,
    () => {
      let store: Store;
      let cleanup: () => Promise<void>;
      let server: { url: string; close: () => Promise<void> };
      let browser: Browser;
      let dir: string;
      let base: string;

      beforeAll(async () => {
        ({ store, cleanup } = await storeWithRulesFixture(factory));
        await addUser(store, 'sam.okafor', 'analyst', PASSWORD);
        await addUser(store, 'maria.lopez', 'reviewer', PASSWORD);
        // Edition 1 of the week, published the office's way.
        const p = await propose(
          actingAs(store, { name: 'lee.chen', via: 'cli', from: 'setup' }),
          weekPeriod('2017-01-28'),
        );
        await approve(actingAs(store, { name: 'maria.lopez', via: 'cli', from: 'setup' }), p.id);
        // A facility in a city that spans counties, with one record: it waits in the queue.
        await store.db
          .insertInto('facilities')
          .values({
            facility_key: FACILITY,
            name: 'Columbus Jail Annex',
            code: null,
            city: 'Columbus',
            state: 'OH',
            county_fips: null,
            candidates: 'COLUMBUS spans Franklin County (39049, 97%) or Delaware County (39041, 2%)',
            resolved_by: 'queued',
            updated_at: new Date().toISOString(),
          })
          .execute();
        const [base0] = await store.db
          .selectFrom('detainers')
          .selectAll()
          .where('detainer_id', '=', 'L1')
          .execute();
        await store.db
          .insertInto('detainers')
          .values({
            ...base0!,
            detainer_id: 'Q1',
            agency: 'Columbus Jail Annex',
            city: 'Columbus',
            state: 'OH',
            county_fips: null,
            facility_key: FACILITY,
            outcome: 'declined',
            declined_date: '2017-01-31',
            recorded_date: '2017-01-31',
          })
          .execute();
        server = await startServer(store, 0);
        base = server.url.replace(/\/$/, '');
        dir = mkdtempSync(join(tmpdir(), 'ddor-office-e2e-'));
        browser = await launchChromium();
      }, 120_000);

      afterAll(async () => {
        await browser?.close();
        await server?.close();
        await store?.close();
        await cleanup?.();
        if (dir) rmSync(dir, { recursive: true, force: true });
      });

      const signIn = (page: Page, name: string) => signInAs(page, base, name, PASSWORD);

      it('goes from upload to published correction, each step on its page and in the audit trail', async () => {
        const checked: string[] = [];
        const axe = async (page: Page) => {
          expect(await seriousViolations(page), page.url()).toEqual([]);
          checked.push(new URL(page.url()).pathname);
        };

        const analyst = await (await browser.newContext()).newPage();
        await signIn(analyst, 'sam.okafor');
        await axe(analyst);

        // Upload with one bad row: refused whole, the row named.
        const bad = join(dir, 'weekly-extract.csv');
        writeFileSync(
          bad,
          `${HEADER}\n${row('E1', '2017-01-30')}\n${row('E2', '2017-02-31')}\n${row('E3', '2017-01-31')}\n`,
        );
        await analyst.goto(`${base}/work/import`);
        await axe(analyst);
        await analyst.getByLabel('File (CSV, xlsx or Parquet)').setInputFiles(bad);
        await analyst.getByRole('button', { name: 'Upload and import' }).click();
        await analyst.getByText('Nothing was imported.').waitFor({ timeout: 60_000 });
        mkdirSync(ARTIFACTS, { recursive: true });
        await analyst.screenshot({
          path: join(ARTIFACTS, `office-import-rejected-${factory.name}.png`),
          fullPage: true,
        });
        const rejected = analyst.getByRole('table', { name: /Rejected rows/ });
        await expect(rejected.textContent()).resolves.toContain(
          'weekly-extract.csv3issued_date2017-02-31impossible date',
        );
        await axe(analyst);

        // Fixed, and sent again.
        writeFileSync(
          bad,
          `${HEADER}\n${row('E1', '2017-01-30')}\n${row('E2', '2017-02-01')}\n${row('E3', '2017-01-31')}\n`,
        );
        await analyst.goto(`${base}/work/import`);
        await analyst.getByLabel('File (CSV, xlsx or Parquet)').setInputFiles(bad);
        await analyst.getByRole('button', { name: 'Upload and import' }).click();
        await analyst.getByText('Imported.').waitFor({ timeout: 60_000 });
        await expect(
          analyst.getByRole('table', { name: 'What the import did' }).textContent(),
        ).resolves.toContain('inserted3');

        // The queue: Columbus spans counties; the analyst picks Franklin.
        await analyst.goto(`${base}/work/queue`);
        await axe(analyst);
        await analyst.getByLabel('Franklin County, OH (39049)').check();
        await analyst.getByRole('button', { name: 'Resolve' }).click();
        await expect(analyst.getByRole('status').textContent()).resolves.toContain(
          'Franklin County, OH (39049)',
        );

        // A decline reported by phone, recorded by hand (keyboard only).
        await analyst.goto(`${base}/work/detainers`);
        await analyst.getByLabel('Detainer record id').fill('L1');
        await analyst.keyboard.press('Enter');
        await analyst.getByLabel('Outcome', { exact: true }).waitFor();
        await axe(analyst);
        // The importer's rules, at the field: a decline before the detainer was issued.
        await analyst.getByLabel('Outcome', { exact: true }).selectOption('declined');
        await analyst.getByLabel('Declined on').fill('2017-01-01');
        await analyst.getByRole('button', { name: 'Record the outcome' }).click();
        await expect(analyst.locator('#f-declined_date-error').textContent()).resolves.toContain(
          'declined before the detainer was issued',
        );
        await axe(analyst);
        await analyst.getByLabel('Declined on').fill('2017-01-29');
        await analyst.getByLabel('How the outcome became known').selectOption('officer_report');
        await analyst.getByLabel('Declined on').press('Enter');
        await expect(analyst.getByRole('status').textContent()).resolves.toContain('Outcome recorded.');

        // Propose the week: a correction of edition 1.
        await analyst.goto(`${base}/work/proposals`);
        await axe(analyst);
        await analyst.getByLabel('Week containing').fill('2017-01-28');
        await analyst
          .getByLabel(/^Note/)
          .fill(
            "Adds the week's late extract, Columbus in Franklin County, and a decline reported by phone.",
          );
        await analyst.getByRole('button', { name: 'Propose' }).click();
        await analyst.waitForURL(/\/work\/proposals\/\d+/);
        await expect(analyst.locator('main').textContent()).resolves.toContain(
          'A reviewer approves or rejects it',
        );
        const proposalUrl = analyst.url().split('?')[0]!;

        // The reviewer: the draft beside edition 1, the changes, approve.
        const reviewer = await (await browser.newContext()).newPage();
        await signIn(reviewer, 'maria.lopez');
        await reviewer.goto(proposalUrl);
        await axe(reviewer);
        const figures = reviewer.getByRole('table', { name: /Headline figures/ });
        await expect(figures.textContent()).resolves.toContain('Edition 1');
        const changes = await reviewer.locator('main').textContent();
        expect(changes).toContain('Franklin County');
        mkdirSync(ARTIFACTS, { recursive: true });
        await reviewer.screenshot({
          path: join(ARTIFACTS, `office-review-${factory.name}.png`),
          fullPage: true,
        });
        await reviewer.getByRole('button', { name: 'Approve and publish' }).click();
        await reviewer.waitForURL(/edition=2/);

        // The public: the home page shows edition 2, naming both.
        const publicPage = await (await browser.newContext()).newPage();
        await publicPage.goto(`${base}/`);
        const title = await publicPage.locator('.edition').first().textContent();
        expect(title).toContain('Edition 2');
        expect(title).toContain('Compiled by sam.okafor');
        expect(title).toContain('reviewed and approved by maria.lopez');

        // Each published figure traces to the imports and manual changes behind it, on the county pages.
        await publicPage.goto(`${base}/counties/48453`);
        const travis =
          (await publicPage.getByRole('table', { name: /The imports whose records/ }).textContent()) ?? '';
        expect(travis).toContain('weekly-extract.csv');
        expect(travis).toContain('sam.okafor');
        await publicPage.goto(`${base}/counties/06037`);
        expect(await publicPage.locator('#sources-h + table').textContent()).toContain(
          'manual entry by sam.okafor',
        );
        await publicPage.goto(`${base}/counties/39049`);
        expect(await publicPage.locator('main').textContent()).toContain(
          'Columbus Jail Annex: by sam.okafor',
        );

        // The audit page lists each step, by whom.
        await reviewer.goto(`${base}/work/audit`);
        await axe(reviewer);
        const audit = (await reviewer.getByRole('table').textContent()) ?? '';
        for (const step of [
          'sam.okafor',
          'import.detainers',
          'resolve.set',
          'outcome.record',
          'edition.propose',
          'edition.approve',
        ])
          expect(audit).toContain(step);
        // A refused import, a refused outcome and a refused approval left no row.
        const rows = await store.db
          .selectFrom('audit')
          .select(['actor', 'action'])
          .where('actor', '=', 'sam.okafor')
          .execute();
        expect(
          rows
            .map((r) => r.action)
            .filter((a) => a !== 'sign_in')
            .sort(),
        ).toEqual(['edition.propose', 'import.detainers', 'outcome.record', 'resolve.set']);
        expect(checked.length).toBeGreaterThanOrEqual(8);
      }, 240_000);

      it('fits the office pages to a 390×844 phone: no sideways scroll, no text under 12 px, axe clean', async () => {
        const context = await browser.newContext({
          viewport: { width: 390, height: 844 },
          deviceScaleFactor: 1,
        });
        const page = await context.newPage();
        await signIn(page, 'maria.lopez');
        for (const path of [
          '/work',
          '/work/import',
          '/work/queue',
          '/work/detainers?id=L2',
          '/work/proposals',
          '/work/proposals/1',
          '/work/audit',
        ]) {
          const res = await page.goto(`${base}${path}`);
          expect(res?.status(), path).toBe(200);
          const found = await phoneFit(page);
          expect(found.overflow, `${path} scrolls sideways`).toBe(0);
          expect(found.small, `${path}: text under 12 px`).toEqual([]);
          expect(await seriousViolations(page), path).toEqual([]);
        }
        await context.close();
      }, 120_000);

      it('keeps the office pages from the public and from the wrong role', async () => {
        const res = await fetch(`${base}/work`);
        expect(res.status).toBe(401);
        const analyst = await (await browser.newContext()).newPage();
        await signIn(analyst, 'sam.okafor');
        const users = await analyst.goto(`${base}/work/users`);
        expect(users?.status()).toBe(403);
        await axe403(analyst);
      }, 120_000);

      async function axe403(page: Page) {
        expect(await seriousViolations(page)).toEqual([]);
      }
    },
  );
}
