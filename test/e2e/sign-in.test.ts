/**
 * The sign-in page in headless Chromium with JavaScript off: axe-core finds no
 * serious or critical violation on it (signed out, after a failed attempt,
 * signed in), and a person can follow the sign-in link from a draft, sign in
 * with the plain form and land on the draft.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/auth/accounts.js';
import { startServer } from '../../src/cli/serve.js';
import type { Store } from '../../src/store/store.js';
import { seriousViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { storeWithRulesFixture } from '../helpers/stores.js';

const hasChromium = existsSync('/usr/bin/chromium') || process.env.CI === 'true';
const PASSWORD = 'correct horse battery staple';

describe.runIf(hasChromium)('signing in, in a browser without JavaScript', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let server: { url: string; close: () => Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    ({ store, cleanup } = await storeWithRulesFixture());
    await addUser(store, 'maria.lopez', 'analyst', PASSWORD);
    server = await startServer(store, 0);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await cleanup?.();
  });

  /** The whole path, in one browser context: `check` runs on each state of the page. */
  async function signInAndOut(page: Page, check: (page: Page) => Promise<void>) {
    const base = server.url.replace(/\/$/, '');
    const draft = await page.goto(`${base}/reports/week/2017-01-28?edition=draft`);
    expect(draft?.status()).toBe(401);
    await check(page);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await check(page);

    await page.getByLabel('User name').fill('maria.lopez');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('do not match');
    await check(page);

    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([
      page.waitForURL(`${base}/reports/week/2017-01-28?edition=draft`),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await expect(page.locator('h1').first().textContent()).resolves.toBe(
      'Weekly Declined Detainer Outcome Report',
    );

    await page.goto(`${base}/sign-in`);
    await expect(page.locator('main').textContent()).resolves.toContain('You are signed in as maria.lopez');
    await check(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    const after = await page.goto(`${base}/reports/week/2017-01-28?edition=draft`);
    expect(after?.status()).toBe(401);
  }

  it("works without JavaScript: from a draft's sign-in link, through a failed and a good attempt, to the draft and out", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await signInAndOut(await context.newPage(), async () => {});
    await context.close();
  }, 120_000);

  it('has no serious or critical accessibility violation in any state (axe-core)', async () => {
    const context = await browser.newContext();
    await signInAndOut(await context.newPage(), async (page) => {
      expect(await seriousViolations(page), page.url()).toEqual([]);
    });
    await context.close();
  }, 120_000);
});
