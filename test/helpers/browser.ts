/** The browser tests' Chromium: Debian's, driven by playwright-core, with ddor's launch flags. */
import type { Browser } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/render/browser.js';

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}
