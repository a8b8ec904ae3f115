/** axe-core in a browser page: its serious and critical violations (none is the bar every page meets). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function seriousViolations(page: Page): Promise<Array<{ id: string; impact: string }>> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline script) stays on.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (o: unknown) => Promise<{ violations: Array<{ id: string; impact: string }> }> };
      }
    ).axe;
    return (await axe.run({ resultTypes: ['violations'] })).violations.map((v) => ({
      id: v.id,
      impact: v.impact,
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
