/**
 * `npm run bench -- --xlsx [N]`: writes a deterministic ICE-layout workbook of N
 * rows (default 300,000; about 100 MB with the real 35 columns), then imports it
 * in a child process and reports the rate and the child's peak RSS, so the figure
 * is the import's own.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Random } from '../src/demo/random.js';
import { ICE_2023_COLUMNS } from '../src/domain/ice.js';
import { packageRoot } from '../src/paths.js';

const HEADER: readonly string[] = ICE_2023_COLUMNS;
const FACILITIES = [
  ['TX', 'HOU', 'HARRIS COUNTY JAIL', 'HARRITX', 'HOUSTON'],
  ['CA', 'LOS', 'LOS ANGELES COUNTY JAIL', 'LACJAIL', 'LOS ANGELES'],
  ['AZ', 'PHO', 'MARICOPA COUNTY JAIL', 'MARICAZ', 'PHOENIX'],
  ['IL', 'CHI', 'COOK COUNTY JAIL', 'COOKCIL', 'CHICAGO'],
  ['IA', 'SPM', 'FRANKLIN COUNTY JAIL', 'FRANKIA', 'HAMPTON'],
  ['PA', 'PHI', 'FRANKLIN COUNTY JAIL', 'FRANKPA', 'CHAMBERSBURG'],
  ['GA', 'ATL', 'GWINNETT COUNTY JAIL', 'GWINNGA', 'LAWRENCEVILLE'],
  ['FL', 'MIA', 'TURNER GUILFORD KNIGHT CORRECTIONAL', 'TGKMIFL', 'MIAMI'],
];
const REASONS = [
  '',
  '',
  'Booked into Detention',
  'Booked into Detention',
  'Detainer Declined by LEA',
  'Lifted',
  'Transferred',
  'Case Closed',
];
const COUNTRIES = [
  'MEXICO',
  'MEXICO',
  'GUATEMALA',
  'HONDURAS',
  'EL SALVADOR',
  'KOREA, SOUTH',
  'CHINA, PEOPLES REPUBLIC OF',
  'BURMA',
];

export async function writeIceWorkbook(path: string, rows: number): Promise<void> {
  const r = new Random(300_000);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: false,
    useStyles: true,
  });
  const perSheet = Math.ceil(rows / 3);
  let n = 0;
  for (let s = 0; s < 3 && n < rows; s++) {
    const ws = wb.addWorksheet(`FY2024 part ${s + 1}`);
    ws.addRow(['U.S. Immigration and Customs Enforcement — Detainers (synthetic bench data)']).commit();
    ws.addRow([]).commit();
    ws.addRow(HEADER).commit();
    for (let i = 0; i < perSheet && n < rows; i++, n++) {
      const [state, aor, name, code, city] = FACILITIES[r.int(FACILITIES.length)]!;
      const day = new Date(Date.UTC(2023, 9, 1 + r.int(365)));
      const convicted = r.next() < 0.5;
      ws.addRow([
        day,
        state,
        aor,
        '',
        '',
        null,
        'ACTIVE',
        convicted ? '1 Convicted Criminal' : '2 Pending Criminal Charges',
        name,
        code,
        city,
        'Level 2',
        r.next() < 0.8 ? 'Male' : 'Female',
        COUNTRIES[r.int(COUNTRIES.length)],
        'MEXICO',
        new Date(Date.UTC(1970 + r.int(30), r.int(12), 1 + r.int(28))),
        String(1970 + r.int(30)),
        'EWI',
        convicted ? 'DRIVING UNDER INFLUENCE LIQUOR' : 'ASSAULT',
        r.int(30),
        0,
        0,
        '5404',
        day,
        convicted ? new Date(Date.UTC(2020, r.int(12), 1 + r.int(28))) : null,
        'N',
        'Reinstated Final Order',
        'Reinstated',
        REASONS[r.int(REASONS.length)],
        'DL',
        'Immigration Detainer - Notice of Action (I-247A)',
        'Y',
        'HOUSTON',
        `EID${n}`,
        `ANON${n}`,
      ]).commit();
    }
    ws.commit();
  }
  await wb.commit();
}

export interface ChildRun {
  ms: number;
  maxRssKb: number;
  inserted: number;
}

/** Runs one step of bench/import-child.ts in a process of its own: its time, peak RSS and row count. */
export function runChild(mode: 'detainers' | 'ice-xlsx' | 'read_csv' | 'exceljs', file: string, db: string) {
  const child = spawnSync(
    process.execPath,
    [join(packageRoot(), 'dist', 'bench', 'import-child.js'), mode, file, db],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (child.status !== 0) throw new Error(`bench: ${mode} of ${file} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as ChildRun;
}

export async function benchXlsx(rows: number): Promise<string[]> {
  const out = join(packageRoot(), 'bench', 'out');
  mkdirSync(out, { recursive: true });
  const file = join(out, `ice-${rows}.xlsx`);
  process.stderr.write(`writing a ${rows.toLocaleString('en-US')}-row ICE workbook…\n`);
  await writeIceWorkbook(file, rows);
  const mb = statSync(file).size / 1e6;
  const { ms, maxRssKb, inserted } = runChild('ice-xlsx', file, join(out, 'xlsx-store.duckdb'));
  return [
    '',
    `| ICE workbook import (${rows.toLocaleString('en-US')} rows, ${mb.toFixed(1)} MB xlsx, 3 sheets) | ${Math.round(ms).toLocaleString('en-US')} ms | ${Math.round((inserted / ms) * 1000).toLocaleString('en-US')} rows/s | peak RSS ${Math.round(maxRssKb / 1024).toLocaleString('en-US')} MB |`,
    '',
  ];
}
