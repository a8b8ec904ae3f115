/** Child process of the xlsx bench: imports one workbook and prints time and peak RSS as JSON. */
import { rmSync } from 'node:fs';
import { iceSpec } from '../src/ingest/ice.js';
import { importFile } from '../src/ingest/import.js';
import { openStore } from '../src/store/store.js';

const [file, db] = process.argv.slice(2) as [string, string];
rmSync(db, { force: true });
const store = await openStore(db);
const t = performance.now();
const summary = await importFile(store, iceSpec('ice-xlsx'), file, { rejectsPath: false });
const ms = performance.now() - t;
await store.close();
process.stdout.write(
  JSON.stringify({
    ms,
    maxRssKb: process.resourceUsage().maxRSS,
    inserted: summary.inserted + summary.unchanged,
  }),
);
