import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detainerSpec } from '../ingest/detainers.js';
import { type ImportSummary, importFile } from '../ingest/import.js';
import { policySpec } from '../ingest/policies.js';
import type { Store } from '../store/store.js';
import { makeTempDir, removeTempDir } from '../temp-files.js';
import { type DemoOptions, demoDataPath, demoDetainersCsv } from './generate.js';

/** Loads the demo policies and detainers through the ordinary import path, marked as demo data. */
export async function loadDemo(store: Store, options: DemoOptions = {}): Promise<ImportSummary[]> {
  const dir = makeTempDir('demo');
  try {
    const detainers = join(dir, 'demo-detainers.csv');
    writeFileSync(detainers, demoDetainersCsv(options));
    const policies = await importFile(store, policySpec, demoDataPath('policies.csv'), {
      demo: true,
      rejectsPath: false,
    });
    const records = await importFile(store, detainerSpec, detainers, { demo: true, rejectsPath: false });
    return [policies, records];
  } finally {
    removeTempDir(dir);
  }
}
