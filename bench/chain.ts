/**
 * `npm run bench -- --chain [N]`: the cost of the edition chain. Publishes N signed editions
 * (default 520: ten years of weeks) into a new DuckDB store holding the demo policies (so each
 * edition carries a real Section III), then times `ddor verify` of the whole chain in a new
 * process (every link, signature, row and edition's bytes), and, in one process, the reads that
 * walk the chain on every request: the list of editions and one edition.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile } from '../src/ingest/import.js';
import { policySpec } from '../src/ingest/policies.js';
import { dataPath, packageRoot } from '../src/paths.js';
import { listEditions, publishEdition, showEdition, verifyStore } from '../src/report/editions.js';
import { addDays, weekPeriod } from '../src/report/period.js';
import { openStore } from '../src/store/store.js';

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const result = await fn();
  return [result, performance.now() - t];
}

export async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await time(fn))[1]);
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)]!;
}

export async function benchChain(n: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ddor-chain-'));
  const path = join(dir, 'store.duckdb');
  try {
    let store = await openStore(path);
    await importFile(store, policySpec, dataPath('demo', 'policies.csv'), { rejectsPath: false });
    const { privateKey } = generateKeyPairSync('ed25519');
    process.stderr.write(`publishing ${fmt(n)} signed editions…\n`);
    const first = '2008-01-05'; // a Saturday
    const weeks = Array.from({ length: n }, (_, i) => weekPeriod(addDays(first, 7 * i)));
    const [, publishMs] = await time(async () => {
      for (const week of weeks) await publishEdition(store, week, { signingKey: privateKey });
    });
    const bytes = (await showEdition(store, weeks.at(-1)!)).bytes.length;
    await store.close();

    // A new process: nothing cached, every signature and every edition's bytes checked.
    const bin = join(packageRoot(), 'bin', 'ddor.js');
    const [verify, verifyMs] = await time(async () =>
      spawnSync(process.execPath, [bin, '--db', path, 'verify'], { encoding: 'utf8' }),
    );
    if (verify.status !== 0) throw new Error(`ddor verify failed: ${verify.stdout}${verify.stderr}`);
    const [, helpMs] = await time(async () =>
      spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' }),
    );

    store = await openStore(path);
    const [, verifyInProcessMs] = await time(() => verifyStore(store));
    const [, firstListMs] = await time(() => listEditions(store)); // each edition's bytes, once per process
    const listMs = await median(9, () => listEditions(store));
    const showMs = await median(9, () => showEdition(store, weeks[n >> 1]!));
    await store.close();

    return [
      '',
      `ddor bench — the edition chain: ${fmt(n)} signed editions (DuckDB, demo policies; ${fmt(bytes / 1024, 1)} KB of JSON each), ${new Date().toISOString().slice(0, 10)}`,
      '',
      '| step | ms | per edition |',
      '|---|---:|---:|',
      `| publish ${fmt(n)} signed editions, one after another (each walks the chain first) | ${fmt(publishMs)} | ${fmt(publishMs / n, 1)} |`,
      `| \`ddor verify\` of the whole chain, new process (every link, signature, row and edition's bytes) | ${fmt(verifyMs)} | ${fmt(verifyMs / n, 2)} |`,
      `| of which starting node and ddor (\`ddor --help\`) | ${fmt(helpMs)} | |`,
      `| verifyStore in a process that already checked the signatures | ${fmt(verifyInProcessMs)} | ${fmt(verifyInProcessMs / n, 2)} |`,
      `| list of editions, first in a process (chain walk + every edition's bytes once) | ${fmt(firstListMs)} | ${fmt(firstListMs / n, 2)} |`,
      `| list of editions, warm (chain walk and every row checked; median of 9) | ${fmt(listMs, 1)} | ${fmt(listMs / n, 3)} |`,
      `| one edition (\`report show\`, the API), warm (chain walk + its bytes; median of 9) | ${fmt(showMs, 1)} | |`,
      '',
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
