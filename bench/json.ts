/**
 * `npm run bench -- --json [--quick]`: the figures of issue 10, one JSON object a line,
 * `{"measure", "value", "unit", "baseline", "ratio"}`, each baseline measured in the same run
 * on this machine: bare `node:http` serving the same bytes from memory, Chromium printing the
 * same HTML, `node -e 0`, DuckDB's bare `read_csv`, PostgreSQL's `COPY FROM` into an
 * unindexed table, the same report on DuckDB. `ratio` is value ÷ baseline. `--quick` skips
 * the 10M-row and 300k-row cases. A measure that could not be taken has value null and a note.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import autocannon from 'autocannon';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startServer } from '../src/cli/serve.js';
import { loadDemo } from '../src/demo/load.js';
import { detainerSpec } from '../src/ingest/detainers.js';
import { importFile } from '../src/ingest/import.js';
import { policySpec } from '../src/ingest/policies.js';
import { dataPath, packageRoot } from '../src/paths.js';
import { launchBrowser } from '../src/render/browser.js';
import { renderHtml } from '../src/render/html/report.js';
import { PDF_OPTIONS } from '../src/render/pdf.js';
import { buildReport } from '../src/report/build.js';
import { publishEdition } from '../src/report/editions.js';
import { addDays, saturdayOnOrBefore, weekPeriod } from '../src/report/period.js';
import { openStore, type Store } from '../src/store/store.js';
import { median, time } from './chain.js';
import { runChild, writeIceWorkbook } from './xlsx.js';

export interface Measure {
  measure: string;
  value: number | null;
  unit: 'ms' | 'req/s' | 'MB';
  baseline: number | null;
  ratio: number | null;
  note?: string;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function measure(
  name: string,
  unit: Measure['unit'],
  value: number | null,
  baseline: number | null,
  note?: string,
): Measure {
  return {
    measure: name,
    value: value === null ? null : round(value, 1),
    unit,
    baseline: baseline === null ? null : round(baseline, 1),
    ratio: value !== null && baseline ? round(value / baseline, 3) : null,
    ...(note ? { note } : {}),
  };
}

const emit = (m: Measure) => process.stdout.write(`${JSON.stringify(m)}\n`);
const log = (s: string) => process.stderr.write(`${s}\n`);

/** Requests/s of `url` under `connections` connections for `seconds`, loopback. */
async function load(url: string, headers: Record<string, string>, connections: number, seconds = 6) {
  const r = await autocannon({ url, headers, connections, duration: seconds });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`bench: ${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

/** A bare node:http server answering every request with these bytes and headers from memory. */
async function bareServer(body: Buffer, headers: Record<string, string>) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { ...headers, 'Content-Length': body.length });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** ddor against a bare server sending the very bytes ddor sent, as a browser asks (brotli or gzip). */
async function httpMeasure(name: string, base: string, path: string, connections: number): Promise<Measure> {
  const headers = { 'Accept-Encoding': 'br, gzip' };
  const first = await fetch(`${base}${path.slice(1)}`, { headers });
  // fetch decodes: take the bytes again, undecoded, as they went on the wire.
  const raw = await new Promise<{ body: Buffer; headers: Record<string, string> }>((resolve, reject) => {
    import('node:http').then(({ get }) =>
      get(`${base}${path.slice(1)}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const h: Record<string, string> = {};
          for (const k of ['content-type', 'content-encoding', 'etag', 'vary', 'cache-control'])
            if (res.headers[k]) h[k] = String(res.headers[k]);
          resolve({ body: Buffer.concat(chunks), headers: h });
        });
      }).on('error', reject),
    );
  });
  await first.arrayBuffer();
  // Each side warmed for 2 s first (JIT, the first builds, the store's background work).
  await load(`${base}${path.slice(1)}`, headers, connections, 2);
  const ddor = await load(`${base}${path.slice(1)}`, headers, connections);
  const bare = await bareServer(raw.body, raw.headers);
  try {
    await load(bare.url, headers, connections, 2);
    const floor = await load(bare.url, headers, connections);
    log(
      `${name}: ${Math.round(ddor.rps)} req/s (p99 ${ddor.p99} ms) vs bare ${Math.round(floor.rps)} req/s (p99 ${floor.p99} ms), ${raw.body.length} bytes ${raw.headers['content-encoding'] ?? 'identity'}`,
    );
    return measure(name, 'req/s', ddor.rps, floor.rps);
  } finally {
    await bare.close();
  }
}

/** The week of the demo data with the most declines recorded. */
async function busiestWeek(store: Store): Promise<string> {
  const rows = await store.db
    .selectFrom('detainers')
    .select('recorded_date')
    .where('outcome', '=', 'declined')
    .where('recorded_date', 'is not', null)
    .execute();
  const byWeek = new Map<string, number>();
  for (const r of rows) {
    const w = saturdayOnOrBefore(String(r.recorded_date).slice(0, 10));
    byWeek.set(w, (byWeek.get(w) ?? 0) + 1);
  }
  return [...byWeek].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
}

async function serverMeasures(dir: string): Promise<Measure[]> {
  const out: Measure[] = [];
  let reportWarm = 0;
  const db = join(dir, 'demo.duckdb');
  const store = await openStore(db);
  log('loading the demo data and publishing a week…');
  await loadDemo(store);
  const published = '2017-06-24';
  await publishEdition(store, weekPeriod(published));
  const busiest = await busiestWeek(store);
  const server = await startServer(store, 0);
  try {
    for (const m of [
      ['http.edition_json', `/api/v1/reports/week/${published}?edition=1`, 10],
      ['http.home', '/', 10],
      ['http.draft_json', `/api/v1/reports/week/${addDays(published, -7)}?edition=draft`, 50],
    ] as const) {
      const r = await httpMeasure(m[0], server.url, m[1], m[2]);
      emit(r);
      out.push(r);
    }

    // The PDF: the server's warm browser (started by a first, small PDF) against Chromium
    // printing the same HTML, warm too. Each URL is rendered once (then kept), so the runs
    // take the week, the same dates as a range, and the draft of each.
    await (await fetch(`${server.url}api/v1/reports/week/2016-10-01.pdf?edition=draft`)).arrayBuffer();
    const end = addDays(busiest, 6);
    const runs: number[] = [];
    for (const path of [`week/${busiest}.pdf?edition=draft`, `range/${busiest}/${end}.pdf?edition=draft`]) {
      const [res, ms] = await time(async () => {
        const r = await fetch(`${server.url}api/v1/reports/${path}`);
        return Buffer.from(await r.arrayBuffer());
      });
      if (res.subarray(0, 5).toString() !== '%PDF-') throw new Error('bench: the PDF is not a PDF');
      runs.push(ms);
    }
    const report = await buildReport(store, weekPeriod(busiest));
    reportWarm = await median(5, () => buildReport(store, weekPeriod(busiest)));
    const htmlFile = join(dir, 'busiest.html');
    writeFileSync(htmlFile, renderHtml(report, { embedEdition: false }));
    const browser = await launchBrowser();
    const chromiumRuns: number[] = [];
    try {
      const page = await browser.newPage();
      for (let i = 0; i < 3; i++) {
        const [, ms] = await time(async () => {
          await page.goto(`file://${htmlFile}`, { waitUntil: 'load' });
          await page.emulateMedia({ media: 'print' });
          await page.pdf(PDF_OPTIONS);
        });
        chromiumRuns.push(ms);
      }
    } finally {
      await browser.close();
    }
    const pdf = measure('pdf.busiest_week', 'ms', Math.min(...runs), Math.min(...chromiumRuns.slice(1)));
    log(
      `pdf.busiest_week ${busiest}: ddor ${runs.map(Math.round).join(', ')} ms; Chromium ${chromiumRuns.map(Math.round).join(', ')} ms`,
    );
    emit(pdf);
    out.push(pdf);
  } finally {
    await server.close();
    await store.close();
  }

  // The CLI, end to end, in a new process each time. NODE_EXTRA_CA_CERTS (set on some machines)
  // makes every Node process read and parse a whole CA bundle before its first line runs
  // (about 90 ms on the 2-core machine here); ddor's command needs no certificate, so the
  // command and its baselines run without it, and the note gives the command's time with it.
  const bin = join(packageRoot(), 'bin', 'ddor.js');
  const { NODE_EXTRA_CA_CERTS: extraCerts, ...plainEnv } = process.env;
  const reportBuild = (env: NodeJS.ProcessEnv) => async () => {
    const r = spawnSync(
      process.execPath,
      [bin, '--db', db, 'report', 'build', '--week', busiest, '--format', 'json'],
      { stdio: ['ignore', 'ignore', 'pipe'], env },
    );
    if (r.status !== 0) throw new Error(`bench: ddor report build failed: ${r.stderr}`);
  };
  const cli = await median(7, reportBuild(plainEnv));
  const withCerts = extraCerts ? await median(5, reportBuild(process.env)) : null;
  const node = await median(7, async () => {
    spawnSync(process.execPath, ['-e', '0'], { env: plainEnv });
  });
  // The floor under the command: Node, DuckDB's native module and opening the store file
  // (one query), in a new process; and the report built in a warm process (its queries).
  const open = `require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(db)}).then((i) => i.connect()).then((c) => c.run('SELECT 1'))`;
  const duck = await median(5, async () => {
    const r = spawnSync(process.execPath, ['-e', open], {
      cwd: packageRoot(),
      stdio: ['ignore', 'ignore', 'pipe'],
      env: plainEnv,
    });
    if (r.status !== 0) throw new Error(`bench: opening the store with DuckDB alone failed: ${r.stderr}`);
  });
  const c = measure(
    'cli.report_json',
    'ms',
    cli,
    node,
    `baseline: node -e 0; floor: node with @duckdb/node-api opening the store ${Math.round(duck)} ms, plus the report built in a warm process ${Math.round(reportWarm)} ms; ${withCerts === null ? 'NODE_EXTRA_CA_CERTS is not set' : `without NODE_EXTRA_CA_CERTS (with it, as this machine sets it: ${Math.round(withCerts)} ms)`}`,
  );
  emit(c);
  out.push(c);
  return out;
}

const PG_URL =
  process.env.DDOR_BENCH_PG ?? process.env.DDOR_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

async function pgSchema(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE; CREATE SCHEMA ${name}`);
  await admin.end();
  return {
    url: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${name}`)}`,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await c.end();
    },
  };
}

/** 1M rows: import into DuckDB vs read_csv; into PostgreSQL vs COPY; the report on each. */
async function scaleMeasures(dir: string, csv: string, rows: number): Promise<Measure[]> {
  const out: Measure[] = [];
  const week = weekPeriod('2017-06-03');
  const [, bareMs] = await time(async () => {
    const instance = await DuckDBInstance.create(join(dir, 'bare.duckdb'));
    const c = await instance.connect();
    await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv}', header = true)`);
    c.closeSync();
    instance.closeSync();
  });
  const duck = await openStore(join(dir, 'store.duckdb'));
  await importFile(duck, policySpec, dataPath('demo', 'policies.csv'), { rejectsPath: false });
  const [, importMs] = await time(() => importFile(duck, detainerSpec, csv, { rejectsPath: false }));
  const m1 = measure('import.duckdb_1m', 'ms', importMs, bareMs);
  emit(m1);
  out.push(m1);
  await buildReport(duck, week);
  const duckReport = await median(5, () => buildReport(duck, week));
  await duck.close();

  let schema: Awaited<ReturnType<typeof pgSchema>> | undefined;
  try {
    schema = await pgSchema(`ddor_bench_${process.pid}`);
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    const header = readFileSync(csv, 'utf8').slice(0, 4096).split('\n')[0]!.split(',');
    await client.query(`CREATE TABLE bare (${header.map((h) => `"${h}" text`).join(', ')})`);
    const [, copyMs] = await time(() =>
      pipeline(
        createReadStream(csv),
        client.query(copyFrom('COPY bare FROM STDIN (FORMAT csv, HEADER true)')),
      ),
    );
    await client.query('DROP TABLE bare');
    await client.end();
    const store = await openStore(schema.url);
    try {
      await importFile(store, policySpec, dataPath('demo', 'policies.csv'), { rejectsPath: false });
      const [summary, pgMs] = await time(() => importFile(store, detainerSpec, csv, { rejectsPath: false }));
      if (summary.inserted !== rows) throw new Error(`bench: imported ${summary.inserted} of ${rows} rows`);
      const m2 = measure('import.pg_1m', 'ms', pgMs, copyMs);
      emit(m2);
      out.push(m2);
      await buildReport(store, week);
      const pgReport = await median(5, () => buildReport(store, week));
      const m3 = measure('report.pg_1m', 'ms', pgReport, duckReport);
      emit(m3);
      out.push(m3);
    } finally {
      await store.close();
    }
  } catch (error) {
    log(`PostgreSQL at ${PG_URL}: ${error instanceof Error ? error.message : error}`);
    for (const name of ['import.pg_1m', 'report.pg_1m'])
      if (!out.some((m) => m.measure === name)) {
        const m = measure(
          name,
          'ms',
          null,
          null,
          `not measured: ${error instanceof Error ? error.message : error}`,
        );
        emit(m);
        out.push(m);
      }
  } finally {
    await schema?.drop();
  }
  return out;
}

/** `ddor archive build` of 520 weekly editions, without PDF. */
async function archiveMeasure(dir: string): Promise<Measure> {
  const path = join(dir, 'archive.duckdb');
  const store = await openStore(path);
  await importFile(store, policySpec, dataPath('demo', 'policies.csv'), { rejectsPath: false });
  const { privateKey } = generateKeyPairSync('ed25519');
  log('publishing 520 editions for the archive…');
  for (let i = 0; i < 520; i++)
    await publishEdition(store, weekPeriod(addDays('2008-01-05', 7 * i)), { signingKey: privateKey });
  await store.close();
  const bin = join(packageRoot(), 'bin', 'ddor.js');
  const [r, ms] = await time(async () =>
    spawnSync(
      process.execPath,
      [
        bin,
        '--db',
        path,
        'archive',
        'build',
        '--out',
        join(dir, 'archive'),
        '--formats',
        'html,json,csv,xlsx,svg',
      ],
      { encoding: 'utf8' },
    ),
  );
  if (r.status !== 0) throw new Error(`bench: archive build failed: ${r.stderr}`);
  const m = measure('archive.520', 'ms', ms, null);
  emit(m);
  return m;
}

/**
 * The full run's large cases, each step in a child process of its own (bench/import-child.ts)
 * so that its peak RSS is its own: 10M canonical rows into a new DuckDB store against DuckDB's
 * bare read_csv of the same file (time and peak RSS), the weekly report on that store warm,
 * and the 300k-row ICE workbook against exceljs's streaming reader reading it to nothing.
 */
async function largeMeasures(dir: string, csv: (rows: number) => Promise<string>): Promise<Measure[]> {
  const out: Measure[] = [];
  const rows = 10_000_000;
  const file = await csv(rows);
  log(`reading ${rows.toLocaleString('en-US')} rows with bare read_csv, then importing them…`);
  const bare = runChild('read_csv', file, join(dir, 'bare-10m.duckdb'));
  rmSync(join(dir, 'bare-10m.duckdb'), { force: true });
  const storePath = join(dir, 'store-10m.duckdb');
  const ddor = runChild('detainers', file, storePath);
  rmSync(file, { force: true });
  if (ddor.inserted !== rows) throw new Error(`bench: imported ${ddor.inserted} of ${rows} rows`);
  const mb = (kb: number) => kb / 1024;
  log(
    `import.duckdb_10m: ${Math.round(ddor.ms)} ms, peak RSS ${Math.round(mb(ddor.maxRssKb))} MB; read_csv ${Math.round(bare.ms)} ms, peak RSS ${Math.round(mb(bare.maxRssKb))} MB`,
  );
  out.push(
    measure(
      'import.duckdb_10m_rss',
      'MB',
      mb(ddor.maxRssKb),
      mb(bare.maxRssKb),
      `peak RSS of the import's process; baseline: bare read_csv's process (target: under 1,024 MB)`,
    ),
    measure('import.duckdb_10m', 'ms', ddor.ms, bare.ms, 'baseline: bare read_csv of the same file'),
  );
  const store = await openStore(storePath);
  try {
    const week = weekPeriod('2017-06-03');
    await buildReport(store, week);
    out.push(
      measure('report.duckdb_10m', 'ms', await median(5, () => buildReport(store, week)), null, 'warm'),
    );
  } finally {
    await store.close();
  }
  rmSync(storePath, { force: true });

  const xlsxRows = 300_000;
  const workbook = join(dir, `ice-${xlsxRows}.xlsx`);
  log(`writing a ${xlsxRows.toLocaleString('en-US')}-row ICE workbook…`);
  await writeIceWorkbook(workbook, xlsxRows);
  const reader = runChild('exceljs', workbook, join(dir, 'unused.duckdb'));
  const xlsx = runChild('ice-xlsx', workbook, join(dir, 'xlsx-store.duckdb'));
  log(
    `xlsx.300k: ${Math.round(xlsx.ms)} ms (${xlsx.inserted} rows, peak RSS ${Math.round(mb(xlsx.maxRssKb))} MB); exceljs reading it: ${Math.round(reader.ms)} ms`,
  );
  out.push(
    measure('xlsx.300k', 'ms', xlsx.ms, reader.ms, "baseline: exceljs's streaming reader, rows to nothing"),
  );
  for (const m of out) emit(m);
  return out;
}

/** The groups of measures, in the order they run; `--only` picks some of them. */
export const GROUPS = ['server', 'scale', 'archive', 'large'] as const;
export type Group = (typeof GROUPS)[number];

export async function benchJson(options: {
  quick: boolean;
  rows: number;
  csv: (rows: number) => Promise<string>;
  /** The groups to run (default: all, less `large` under --quick). */
  only?: Group[];
}) {
  const dir = join(tmpdir(), `ddor-bench-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const runs = (g: Group) => (options.only ? options.only.includes(g) : g !== 'large' || !options.quick);
  try {
    if (runs('server')) await serverMeasures(dir);
    if (runs('scale')) {
      const csv = await options.csv(options.rows);
      await scaleMeasures(dir, csv, options.rows);
      rmSync(csv, { force: true });
    }
    if (runs('archive')) await archiveMeasure(dir);
    if (runs('large')) await largeMeasures(dir, options.csv);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
