import { existsSync } from 'node:fs';

/** Chromium is there (or must be: under CI=true a missing one fails the browser tests). */
export const hasChromium = existsSync('/usr/bin/chromium') || process.env.CI === 'true';
