/**
 * Headless Chromium for the PDF (and, later, screenshots): Debian's `chromium`
 * package driven by playwright-core. Nothing is downloaded; the flags keep
 * Chromium off the network.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { DdorError } from '../errors.js';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const path = process.env.DDOR_CHROMIUM ?? CANDIDATES.find((p) => existsSync(p));
  if (!path || !existsSync(path)) {
    throw new DdorError(
      'usage',
      'PDF output needs Chromium, and none was found',
      "Install Debian's package (apt-get install -y chromium), or set DDOR_CHROMIUM to a Chromium binary.",
    );
  }
  return path;
}

/** Starts Chromium (playwright-core loads only now: commands without a PDF never pay for it). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser();
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}
