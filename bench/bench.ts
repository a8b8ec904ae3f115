/**
 * `npm run bench`: speed figures, not a test. Generates 1,000,000 synthetic
 * detainers (deterministic), then times, on this machine:
 *   - DuckDB's bare read_csv loading the file into a new database (the floor), best of two,
 *   - `ddor import detainers` of the same file into a new DuckDB store, best of two,
 *   - a weekly report on the 1M-row store (cold, then the median of warm runs).
 * Options: --rows N (default 1000000), --keep (keep bench/out); --xlsx [N] instead times the import
 * of an N-row ICE workbook (default 300,000) and its peak memory; --http runs the loopback load test;
 * --chain [N] times the edition chain: publishing and verifying N signed editions (default 520).
 * --json [--quick] [--only GROUPS] prints issue 10's measures as JSON lines (bench/json.ts); --only
 * takes a comma-separated list of server, scale, archive, large.
 */
import { createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { demoDetainerRows } from '../src/demo/generate.js';
import { detainerSpec } from '../src/ingest/detainers.js';
import { importFile } from '../src/ingest/import.js';
import { policySpec } from '../src/ingest/policies.js';
import { dataPath, packageRoot } from '../src/paths.js';
import { buildReport } from '../src/report/build.js';
import { weekPeriod } from '../src/report/period.js';
import { openStore } from '../src/store/store.js';
import { benchChain } from './chain.js';
import { benchHttp } from './http.js';
import { benchJson, GROUPS, type Group } from './json.js';
import { benchXlsx } from './xlsx.js';

const args = process.argv.slice(2);
const xlsxAt = args.indexOf('--xlsx');
const rows = Number(args[args.indexOf('--rows') + 1] || 1_000_000) || 1_000_000;
const keep = args.includes('--keep');
const out = join(packageRoot(), 'bench', 'out');

const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

async function writeCsv(path: string, n = rows): Promise<void> {
  const stream = createWriteStream(path);
  let chunk: string[] = [];
  for (const row of demoDetainerRows({ seed: 1_000_000, weeks: 52, limit: n })) {
    chunk.push(row.map(csvField).join(','));
    if (chunk.length === 10_000) {
      if (!stream.write(`${chunk.join('\n')}\n`))
        await new Promise<void>((r) => stream.once('drain', () => r()));
      chunk = [];
    }
  }
  stream.write(chunk.length ? `${chunk.join('\n')}\n` : '');
  await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const result = await fn();
  return [result, performance.now() - t];
};
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const csv = join(out, 'detainers.csv');
  process.stderr.write(`generating ${fmt(rows)} synthetic detainers…\n`);
  const [, genMs] = await time(() => writeCsv(csv));
  const mb = statSync(csv).size / 1e6;

  // Each load runs twice, into a new database each time; the better time counts (this machine is noisy).
  const bareRuns: number[] = [];
  for (const run of [1, 2]) {
    const [, ms] = await time(async () => {
      const instance = await DuckDBInstance.create(join(out, `bare-${run}.duckdb`));
      const c = await instance.connect();
      await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv}', header = true)`);
      c.closeSync();
      instance.closeSync();
    });
    bareRuns.push(ms);
  }
  const bareMs = Math.min(...bareRuns);

  const importRuns: number[] = [];
  let store = await openStore(join(out, 'store-1.duckdb'));
  for (const run of [1, 2]) {
    if (run === 2) {
      await store.close();
      store = await openStore(join(out, 'store-2.duckdb'));
    }
    await importFile(store, policySpec, dataPath('demo', 'policies.csv'), { rejectsPath: false });
    const [summary, ms] = await time(() => importFile(store, detainerSpec, csv, { rejectsPath: false }));
    if (summary.inserted !== rows)
      throw new Error(`bench: imported ${summary.inserted} rows, expected ${rows}`);
    importRuns.push(ms);
  }
  const importMs = Math.min(...importRuns);

  const week = weekPeriod('2017-06-03');
  const [report, coldMs] = await time(() => buildReport(store, week));
  const warm: number[] = [];
  for (let i = 0; i < 9; i++) warm.push((await time(() => buildReport(store, week)))[1]);
  warm.sort((a, b) => a - b);
  await store.close();

  const lines = [
    '',
    `ddor bench — ${fmt(rows)} detainers, ${fmt(mb, 1)} MB CSV, DuckDB store, ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| step | ms | rows/s | vs bare read_csv |',
    '|---|---:|---:|---:|',
    `| generate CSV (deterministic) | ${fmt(genMs)} | ${fmt((rows / genMs) * 1000)} | |`,
    `| DuckDB bare read_csv → table (best of ${fmt(bareRuns[0]!)}, ${fmt(bareRuns[1]!)}) | ${fmt(bareMs)} | ${fmt((rows / bareMs) * 1000)} | 1.00× |`,
    `| ddor import detainers: validate, resolve, store (best of ${fmt(importRuns[0]!)}, ${fmt(importRuns[1]!)}) | ${fmt(importMs)} | ${fmt((rows / importMs) * 1000)} | ${fmt(importMs / bareMs, 2)}× |`,
    `| weekly report ${week.start}, first run | ${fmt(coldMs, 1)} | | |`,
    `| weekly report, median of 9 warm runs | ${fmt(warm[4]!, 1)} | | |`,
    '',
    `(report week: ${fmt(report.totals.detainers_issued)} issued, ${fmt(report.totals.declined)} declined)`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  if (!keep) rmSync(out, { recursive: true, force: true });
}

const chainAt = args.indexOf('--chain');
if (args.includes('--json')) {
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',') : undefined;
  const unknown = only?.filter((g) => !(GROUPS as readonly string[]).includes(g));
  if (unknown?.length) {
    process.stderr.write(
      `bench: --only takes ${GROUPS.join(', ')} (comma-separated), not ${unknown.join(', ')}\n`,
    );
    process.exit(1);
  }
  await benchJson({
    only: only as Group[] | undefined,
    quick: args.includes('--quick'),
    rows,
    csv: async (n: number) => {
      mkdirSync(out, { recursive: true });
      const csv = join(out, `detainers-${n}.csv`);
      process.stderr.write(`generating ${fmt(n)} synthetic detainers…\n`);
      await writeCsv(csv, n);
      return csv;
    },
  });
  if (!keep) rmSync(out, { recursive: true, force: true });
} else if (chainAt >= 0) {
  process.stdout.write((await benchChain(Number(args[chainAt + 1]) || 520)).join('\n'));
} else if (args.includes('--http')) {
  process.stdout.write((await benchHttp()).join('\n'));
} else if (xlsxAt >= 0) {
  const n = Number(args[xlsxAt + 1]) || 300_000;
  process.stdout.write((await benchXlsx(n)).join('\n'));
} else {
  await main();
}
