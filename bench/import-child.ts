/**
 * Child process of the benches, so that its peak RSS is the step's own: imports one file
 * (`detainers` or `ice-xlsx`), or reads it without ddor (`read_csv`: DuckDB's bare read_csv
 * into a table; `exceljs`: exceljs's streaming reader reading every row to nothing), and
 * prints `{ms, maxRssKb, inserted}` as JSON.
 */
import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { detainerSpec } from '../src/ingest/detainers.js';
import { iceSpec } from '../src/ingest/ice.js';
import { importFile } from '../src/ingest/import.js';
import { policySpec } from '../src/ingest/policies.js';
import { dataPath } from '../src/paths.js';
import { sqlString } from '../src/store/sql.js';
import { openStore } from '../src/store/store.js';

const [mode, file, db] = process.argv.slice(2) as [
  'detainers' | 'ice-xlsx' | 'read_csv' | 'exceljs',
  string,
  string,
];
rmSync(db, { force: true });
let inserted = 0;
let ms = 0;
if (mode === 'read_csv') {
  const instance = await DuckDBInstance.create(db);
  const c = await instance.connect();
  const t = performance.now();
  await c.run(`CREATE TABLE t AS SELECT * FROM read_csv(${sqlString(file)}, header = true)`);
  ms = performance.now() - t;
  inserted = Number((await c.runAndReadAll('SELECT count(*) FROM t')).getRows()[0]![0]);
  c.closeSync();
  instance.closeSync();
} else if (mode === 'exceljs') {
  const t = performance.now();
  for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }))
    for await (const _row of sheet) inserted++;
  ms = performance.now() - t;
} else {
  const store = await openStore(db);
  if (mode === 'detainers')
    await importFile(store, policySpec, dataPath('demo', 'policies.csv'), { rejectsPath: false });
  const t = performance.now();
  const summary = await importFile(store, mode === 'detainers' ? detainerSpec : iceSpec('ice-xlsx'), file, {
    rejectsPath: false,
  });
  ms = performance.now() - t;
  inserted = summary.inserted + summary.unchanged;
  await store.close();
}
process.stdout.write(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, inserted }));
