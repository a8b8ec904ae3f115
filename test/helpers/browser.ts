/** The browser tests' Chromium: Debian's, driven by playwright-core, with ddor's launch flags. */
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/render/browser.js';

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}

/** Signs `name` in through the sign-in form and waits for the office's first page. */
export async function signInAs(page: Page, base: string, name: string, password: string): Promise<void> {
  await page.goto(`${base}/sign-in?next=/work`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL(`${base}/work`), page.getByRole('button', { name: 'Sign in' }).click()]);
}
