/** Builders for files in ICE's and DDP's real layouts (exact header names of the 2023–2025 releases). */
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { ICE_2023_COLUMNS } from '../../src/domain/ice.js';
import { tempFile } from './csv.js';

export const ICE_2023_HEADER: readonly string[] = ICE_2023_COLUMNS;

export type IceRow = Partial<Record<string, string | Date>>;

/** Six detainers of the week 2024-01-06..2024-01-12, with identifying fields filled in (they must be dropped). */
export const ICE_ROWS: IceRow[] = [
  {
    'Detainer Prepare Date': new Date('2024-01-06T00:00:00Z'),
    'Facility State': 'TX',
    'Facility AOR': 'San Antonio Area of Responsibility',
    'Detainer Criminality': '1 Convicted Criminal',
    'Detainer Facility': 'DEL VALLE CORRECTIONAL COMPLEX',
    'Detainer Facility Code': 'TRAVITX',
    'Facility City': 'AUSTIN',
    'Citizenship Country': 'MEXICO',
    'MSC Charge': 'Burglary',
    'MSC Conviction Date': new Date('2020-05-01T00:00:00Z'),
    'Detainer Lift Reason': 'Detainer Declined by LEA',
    'Detainer Type': 'Immigration Detainer - Notice of Action (I-247A)',
  },
  {
    'Detainer Prepare Date': new Date('2024-01-07T00:00:00Z'),
    'Facility State': 'IA',
    'Facility AOR': 'SPM',
    'Detainer Criminality': '2 Pending Criminal Charges',
    'Detainer Facility': 'FRANKLIN COUNTY JAIL',
    'Facility City': 'HAMPTON',
    'Citizenship Country': 'KOREA, SOUTH',
    'MSC Charge': 'Theft',
    'Detainer Lift Reason': 'Booked into Detention',
    'Detainer Type': 'I-247A',
  },
  {
    'Detainer Prepare Date': new Date('2024-01-08T00:00:00Z'),
    'Facility State': 'PA',
    'Facility AOR': 'Philadelphia',
    'Detainer Criminality': '3 Other Immigration Violator',
    'Detainer Facility': 'FRANKLIN COUNTY JAIL',
    'Facility City': 'CHAMBERSBURG',
    'Citizenship Country': 'GUATEMALA',
    'Detainer Lift Reason': 'Detainer Declined by LEA',
    'Detainer Type': 'I-247A',
  },
  {
    'Detainer Prepare Date': new Date('2024-01-08T00:00:00Z'),
    'Facility State': 'TX',
    'Facility AOR': 'HOU',
    'Detainer Criminality': '3 Other Immigration Violator',
    'Detainer Facility': 'HARRIS COUNTY JAIL',
    'Detainer Facility Code': 'HARRITX',
    'Facility City': 'HOUSTON',
    'Citizenship Country': 'HONDURAS',
    'Detainer Lift Reason': 'Transferred',
    'Detainer Type': 'I-247A',
  },
  {
    'Detainer Prepare Date': new Date('2024-01-09T00:00:00Z'),
    'Facility State': 'CA',
    'Facility AOR': 'Los Angeles',
    'Detainer Criminality': '1 Convicted Criminal',
    'Detainer Facility': 'LOS ANGELES COUNTY JAIL',
    'Facility City': 'LOS ANGELES',
    'Citizenship Country': 'CHINA, PEOPLES REPUBLIC OF',
    'Detainer Lift Reason': 'Detainer Declined by LEA',
    'Detainer Type': 'I-247A',
  },
  {
    'Detainer Prepare Date': new Date('2024-01-10T00:00:00Z'),
    'Facility State': 'CA',
    'Facility AOR': 'Los Angeles',
    'Detainer Facility': 'LOS ANGELES COUNTY JAIL',
    'Facility City': 'LOS ANGELES',
    'Citizenship Country': 'BURMA',
    'Detainer Lift Reason': 'No longer in State, Local, or Federal Custody',
    'Detainer Type': 'I-247A',
  },
].map((r, i) => ({
  ...r,
  'Birth Date': new Date(`198${i}-02-0${i + 1}T00:00:00Z`),
  'Birth Year': `198${i}`,
  'Anonymized Identifier': `ANON-SECRET-${i}`,
  'EID DTA ID': `EID-SECRET-${i}`,
  Gender: 'M',
}));

/** An xlsx as ICE releases it: title rows before the header, data split over sheets, a notes sheet. */
export async function iceWorkbook(rows: IceRow[] = ICE_ROWS): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const notes = wb.addWorksheet('Notes');
  notes.addRow(['ICE Enforcement and Removal Operations']);
  notes.addRow(['Detainers FY2024 — see the data dictionary']);
  const header2 = [...ICE_2023_HEADER].reverse();
  const sheets: Array<[string, readonly string[], IceRow[], number]> = [
    ['FY2024 detainers', ICE_2023_HEADER, rows.slice(0, 4), 3],
    ['FY2024 detainers (2)', header2, rows.slice(4), 2],
  ];
  for (const [name, header, part, preamble] of sheets) {
    const ws = wb.addWorksheet(name);
    for (let i = 0; i < preamble; i++)
      ws.addRow(i === 0 ? ['U.S. Immigration and Customs Enforcement — Detainers'] : []);
    ws.addRow(header);
    for (const r of part) ws.addRow(header.map((h) => r[h] ?? null));
  }
  const path = tempFile(Buffer.alloc(0), `ice-${Date.now()}-${Math.random().toString(36).slice(2)}.xlsx`);
  await wb.xlsx.writeFile(path);
  return path;
}

const snake = (h: string) => h.toLowerCase().replace(/[^a-z0-9]+/g, '_');

/** The same records as a Deportation Data Project Parquet file (snake_case names, DATE columns). */
export async function ddpParquet(rows: IceRow[] = ICE_ROWS): Promise<string> {
  const csv = tempFile(
    `${ICE_2023_HEADER.map(snake).join(',')}\n${rows
      .map((r) =>
        ICE_2023_HEADER.map((h) => {
          const v = r[h];
          const s = v instanceof Date ? v.toISOString().slice(0, 10) : (v ?? '');
          return /[",]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
        }).join(','),
      )
      .join('\n')}\n`,
    `ddp-${Date.now()}.csv`,
  );
  const out = csv.replace(/\.csv$/, '.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run(`COPY (SELECT * REPLACE (CAST(detainer_prepare_date AS DATE) AS detainer_prepare_date)
    FROM read_csv('${csv}', header = true, all_varchar = true)) TO '${out}' (FORMAT parquet)`);
  c.closeSync();
  instance.closeSync();
  return out;
}

/** A row of a release, by its own column names. */
export type ReleaseRow = Record<string, string>;

const cleanName = (h: string) =>
  h
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/**
 * A file in a release's layout: `header` in release order, rows by column name. Forms: a
 * workbook as ICE releases it (six title rows, then the header), a comma- or tab-separated
 * text file, or Parquet; `clean` writes the header as DDP's cleaned files do (clean_names).
 */
export async function releaseFile(
  header: readonly string[],
  rows: readonly ReleaseRow[],
  form: 'xlsx' | 'csv' | 'tsv' | 'parquet',
  { clean = false, preamble = 6 }: { clean?: boolean; preamble?: number } = {},
): Promise<string> {
  const names = clean ? header.map(cleanName) : [...header];
  const cells = rows.map((r) => header.map((h) => r[h] ?? ''));
  const stamp = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  if (form === 'xlsx') {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Detainers');
    for (let i = 0; i < preamble; i++) ws.addRow(i === 0 ? ['U.S. Immigration and Customs Enforcement'] : []);
    ws.addRow(names);
    for (const r of cells) ws.addRow(r.map((v) => (v === '' ? null : v)));
    const path = tempFile(Buffer.alloc(0), `release-${stamp}.xlsx`);
    await wb.xlsx.writeFile(path);
    return path;
  }
  const sep = form === 'tsv' ? '\t' : ',';
  const quote = (s: string) => (/[",\n\t]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const text = `${[names, ...cells].map((r) => r.map(quote).join(sep)).join('\n')}\n`;
  const csv = tempFile(text, `release-${stamp}.${form === 'tsv' ? 'csv' : 'csv'}`);
  if (form !== 'parquet') return csv;
  const out = csv.replace(/\.csv$/, '.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run(
    `COPY (SELECT * FROM read_csv('${csv}', header = true, all_varchar = true)) TO '${out}' (FORMAT parquet)`,
  );
  c.closeSync();
  instance.closeSync();
  return out;
}
