import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DETAINER_HEADER =
  'detainer_id,issued_date,agency,county_fips,county,state,citizenship,criminal_activity,outcome,declined_date,recorded_date';

/** A good detainer row in the short header above; `over` replaces fields by name. */
export function detainerRow(id: string, over: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    detainer_id: id,
    issued_date: '2017-01-29',
    agency: 'Travis County Jail',
    county_fips: '48453',
    county: '',
    state: 'TX',
    citizenship: 'Mexico',
    criminal_activity: 'Burglary (charge)',
    outcome: 'honored',
    declined_date: '',
    recorded_date: '',
    ...over,
  };
  return DETAINER_HEADER.split(',')
    .map((c) => {
      const v = base[c] ?? '';
      return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
    })
    .join(',');
}

const dir = mkdtempSync(join(tmpdir(), 'ddor-csv-'));
let n = 0;

/** Writes a temporary file and returns its path. */
export function tempFile(content: string | Buffer, name = `input-${n++}.csv`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export const csvFile = (lines: string[]) => tempFile(`${lines.join('\n')}\n`);
