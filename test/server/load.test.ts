/**
 * Safe under load (issue 10): a flood of PDF requests for different weeks starts one
 * Chromium, never renders more pages at once than the limit, and the requests beyond
 * the limit and the queue get 503 with Retry-After in the one error shape; a published
 * edition's PDF asked for by many at once is rendered once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { publishEdition } from '../../src/report/editions.js';
import { addDays, weekPeriod } from '../../src/report/period.js';
import type { Store } from '../../src/store/store.js';
import { hasChromium } from '../helpers/chromium.js';
import { storeWithRulesFixture } from '../helpers/stores.js';

const CONCURRENCY = 2;
const QUEUE = 4;

/**
 * Chromium processes below this one: browsers (no --type) and the renderers of pages (not
 * the one of its own internal UI, --top-chrome-webui). The crash reporter is no browser.
 */
function chromiumBelow(
  root: number,
  before = new Set<number>(),
): { browsers: number; renderers: number; pids: Set<number> } {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(Number(name), readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // gone meanwhile
    }
  }
  // Below `root`, and not below a browser that was there `before` (another test's, in this worker).
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (before.has(p)) return false;
      if (p === root) return true;
    }
    return false;
  };
  const pids = new Set<number>();
  let browsers = 0;
  let renderers = 0;
  for (const [pid, line] of cmd) {
    if (!/\/(chromium|chrome)$/.test(line.split(' ')[0] ?? '') || before.has(pid) || !below(pid)) continue;
    // A browser is started by this process: a process without --type under a Chromium is
    // one of its own, forked and not yet given its new command line.
    if (!line.includes('--type=') && !/\/(chromium|chrome)\s/.test(`${cmd.get(parent.get(pid)!) ?? ''} `)) {
      browsers++;
      pids.add(pid);
    } else if (line.includes('--type=renderer') && !line.includes('--top-chrome-webui')) renderers++;
  }
  return { browsers, renderers, pids };
}

describe.runIf(hasChromium)('PDF renders under a flood', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    ({ store, cleanup } = await storeWithRulesFixture());
    await publishEdition(store, weekPeriod('2017-01-28'), { now: new Date('2017-02-06T12:00:00Z') });
    server = await startServer(store, 0, { renderConcurrency: CONCURRENCY, renderQueue: QUEUE });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await cleanup?.();
  });

  it('runs one Chromium, at most the limit of pages at once, and answers the excess 503 with Retry-After', async () => {
    const others = chromiumBelow(process.pid).pids;
    const seen = { browsers: 0, renderers: 0 };
    const sampler = setInterval(() => {
      const now = chromiumBelow(process.pid, others);
      seen.browsers = Math.max(seen.browsers, now.browsers);
      seen.renderers = Math.max(seen.renderers, now.renderers);
    }, 20);
    const weeks = Array.from({ length: 12 }, (_, i) => addDays('2016-11-05', 7 * i));
    const responses = await Promise.all(
      weeks.map((w) => fetch(`${server.url}api/v1/reports/week/${w}.pdf?edition=draft`)),
    ).finally(() => clearInterval(sampler));
    const ok = responses.filter((r) => r.status === 200);
    const busy = responses.filter((r) => r.status === 503);
    expect(ok.length + busy.length).toBe(12);
    expect(ok.length).toBeGreaterThanOrEqual(CONCURRENCY + QUEUE);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of ok)
      expect(
        Buffer.from(await r.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    for (const r of busy) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = (await r.json()) as { error: Record<string, unknown> };
      expect(Object.keys(body.error)).toEqual(['status', 'code', 'message', 'hint']);
      expect(body.error.status).toBe(503);
    }
    expect(seen.browsers).toBe(1);
    expect(seen.renderers).toBeGreaterThan(0);
    // One page per render at once, and the one spare renderer Chromium keeps ready for a next page.
    expect(seen.renderers).toBeLessThanOrEqual(CONCURRENCY + 1);
  }, 120_000);

  it("renders a published edition's PDF once for many readers at once, and keeps it", async () => {
    const url = `${server.url}api/v1/reports/week/2017-01-28.pdf?edition=1`;
    const responses = await Promise.all(Array.from({ length: 12 }, () => fetch(url)));
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    const bodies = await Promise.all(responses.map(async (r) => Buffer.from(await r.arrayBuffer())));
    for (const b of bodies) expect(b.equals(bodies[0]!)).toBe(true);
    expect(new Set(responses.map((r) => r.headers.get('etag'))).size).toBe(1);
  }, 120_000);
});
