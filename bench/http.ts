/**
 * `npm run bench -- --http`: a load run on loopback (autocannon) against the
 * web app on the demo data: the home page and a published edition's report
 * JSON, printing requests/s and p50/p99 latency. Bounded: 10 connections, 8 s each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startServer } from '../src/cli/serve.js';
import { loadDemo } from '../src/demo/load.js';
import { publishEdition } from '../src/report/editions.js';
import { weekPeriod } from '../src/report/period.js';
import { openStore } from '../src/store/store.js';

export async function benchHttp(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ddor-http-'));
  const store = await openStore(join(dir, 'store.duckdb'));
  try {
    process.stderr.write('loading the demo data and publishing a week…\n');
    await loadDemo(store);
    await publishEdition(store, weekPeriod('2017-06-24'));
    const server = await startServer(store, 0);
    const lines = ['', '| endpoint | requests/s | p50 ms | p99 ms |', '|---|---:|---:|---:|'];
    for (const [label, path] of [
      ['home page (latest edition, server-rendered)', '/'],
      ['report JSON of a published edition', '/api/v1/reports/week/2017-06-24?edition=1'],
      ['report JSON, current data (built per request)', '/api/v1/reports/week/2017-06-24?edition=draft'],
    ] as const) {
      const result = await autocannon({
        url: `${server.url.replace(/\/$/, '')}${path}`,
        connections: 10,
        duration: 8,
      });
      lines.push(
        `| ${label} | ${Math.round(result.requests.average).toLocaleString('en-US')} | ${result.latency.p50} | ${result.latency.p99} |`,
      );
    }
    await server.close();
    return [...lines, ''];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
