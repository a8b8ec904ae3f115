/**
 * Reading files whose columns are matched by name, not position (ICE's releases
 * and the Deportation Data Project's files): CSV and Parquet through DuckDB,
 * XLSX streamed with exceljs (preamble rows skipped, every sheet read). Only
 * the mapped columns are ever read into `stg_raw`; identifying columns are
 * named and dropped, other columns are ignored.
 */
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { DdorError, InputRejectedError, type Rejection } from '../errors.js';
import type { DuckSession } from '../store/duckdb/session.js';
import { readHeader } from './csv-file.js';
import { finishCsvRead, type ReadResult } from './import.js';
import { headerKey, isIdentifyingColumn } from './privacy.js';

/** Field → the header names (as headerKey folds them) that carry it, in any layout. */
export type FieldAliases = Record<string, readonly string[]>;

const sql = (s: string) => `'${s.replaceAll("'", "''")}'`;

export interface Mapping {
  /** Field → index of its source column. */
  positions: Map<string, number>;
  dropped: string[];
  ignored: string[];
}

export function mapHeader(header: readonly string[], fields: FieldAliases): Mapping {
  const byKey = new Map<string, string>();
  for (const [field, aliases] of Object.entries(fields)) for (const a of aliases) byKey.set(a, field);
  const positions = new Map<string, number>();
  const dropped: string[] = [];
  const ignored: string[] = [];
  header.forEach((name, i) => {
    const field = byKey.get(headerKey(name));
    if (isIdentifyingColumn(name)) dropped.push(name);
    else if (field && !positions.has(field)) positions.set(field, i);
    else if (name.trim() !== '') ignored.push(name);
  });
  return { positions, dropped, ignored };
}

function requireFields(
  file: string,
  mapping: Mapping,
  required: readonly (readonly string[])[],
  fields: FieldAliases,
  where = '',
) {
  const problems: Rejection[] = [];
  for (const group of required) {
    if (!group.some((f) => mapping.positions.has(f))) {
      problems.push({
        file,
        line: 1,
        column: group.join(' or '),
        value: null,
        reason: `no column for ${group.join(' or ')}${where}`,
        hint: `Expected a column named one of: ${group.flatMap((f) => fields[f] ?? []).join(', ')}.`,
      });
    }
  }
  if (problems.length > 0) {
    throw new InputRejectedError(
      `${file} was rejected: its columns do not fit the format; nothing was imported`,
      problems,
      problems[0]!.hint,
    );
  }
}

const selectList = (fields: FieldAliases, mapping: Mapping, col: (i: number) => string) =>
  Object.keys(fields)
    .map((f) => {
      const i = mapping.positions.get(f);
      return i === undefined
        ? `NULL::VARCHAR AS "${f}"`
        : `NULLIF(trim(CAST(${col(i)} AS VARCHAR)), '') AS "${f}"`;
    })
    .join(', ');

async function readCsv(
  stage: DuckSession,
  file: string,
  fields: FieldAliases,
  required: readonly (readonly string[])[],
) {
  const header = await readHeader(file);
  const mapping = mapHeader(header, fields);
  requireFields(file, mapping, required, fields);
  const columns = header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  await stage.run(`CREATE OR REPLACE TEMP TABLE stg_raw AS
    SELECT ${selectList(fields, mapping, (i) => `c${i}`)}, NULL::VARCHAR AS __file, NULL::INTEGER AS __line
    FROM read_csv(${sql(file)}, header = true, auto_detect = false, columns = {${columns}},
      delim = ',', quote = '"', escape = '"', strict_mode = true, encoding = 'utf-8',
      store_rejects = true, rejects_table = 'stg_read_errors', rejects_scan = 'stg_read_scans')`);
  return finishCsvRead(stage, file, header.length, mapping.dropped, mapping.ignored);
}

/** Records located by the __file and __line columns the reader wrote. */
function locatedBy(stage: DuckSession): ReadResult['locate'] {
  return async (recs) => {
    if (recs.length === 0) return new Map();
    const rows = await stage.all<{ rec: number; f: string; l: number }>(
      `SELECT rowid + 1 AS rec, __file AS f, __line AS l FROM stg_raw WHERE rowid + 1 IN (${recs.join(', ')})`,
    );
    return new Map(rows.map((r) => [Number(r.rec), { file: r.f, line: Number(r.l) }]));
  };
}

async function readParquet(
  stage: DuckSession,
  file: string,
  fields: FieldAliases,
  required: readonly (readonly string[])[],
) {
  let header: string[];
  try {
    header = (
      await stage.all<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet(${sql(file)})`)
    ).map((r) => r.column_name);
  } catch (error) {
    throw new InputRejectedError(`${file} was rejected: it is not a readable Parquet file`, [
      {
        file,
        line: 1,
        column: '',
        value: null,
        reason: `not a readable Parquet file (${error instanceof Error ? error.message.split('\n')[0] : error})`,
        hint: 'Check that the file is complete, or export it as CSV.',
      },
    ]);
  }
  const mapping = mapHeader(header, fields);
  requireFields(file, mapping, required, fields);
  const quoted = (i: number) => `"${header[i]!.replaceAll('"', '""')}"`;
  await stage.run(`CREATE OR REPLACE TEMP TABLE stg_raw AS
    SELECT ${selectList(fields, mapping, quoted)}, ${sql(`${file} (Parquet row)`)} AS __file, CAST(file_row_number + 1 AS INTEGER) AS __line
    FROM read_parquet(${sql(file)}, file_row_number = true) ORDER BY file_row_number`);
  const [{ n }] = (await stage.all<{ n: number }>('SELECT count(*) AS n FROM stg_raw')) as [{ n: number }];
  return {
    staged: Number(n),
    structural: [],
    droppedColumns: mapping.dropped,
    ignoredColumns: mapping.ignored,
    locate: locatedBy(stage),
  };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as {
      text?: unknown;
      richText?: Array<{ text: string }>;
      result?: unknown;
      error?: unknown;
    };
    if (v.richText) return v.richText.map((t) => t.text).join('');
    if (v.result !== undefined) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error !== undefined) return '';
  }
  return String(value);
}

const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/**
 * Streams every sheet; in each, the header is the first of its first 30 rows
 * that names at least three known columns including one of `anchor`. Rows are
 * written, mapped, to a temporary CSV that DuckDB then reads.
 */
async function readXlsx(
  stage: DuckSession,
  file: string,
  fields: FieldAliases,
  required: readonly (readonly string[])[],
  anchor: readonly string[],
  onRows?: (n: number) => void,
) {
  // An xlsx file is a ZIP archive: refuse anything else before exceljs's unzip pipeline sees it.
  const magic = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    readSync(fd, magic, 0, 4, 0);
  } catch {
    throw new DdorError('usage', `cannot read ${file}: no such file`, 'Check the path.');
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (magic.readUInt32LE(0) !== 0x04034b50) {
    throw new InputRejectedError(`${file} was rejected: it is not an XLSX workbook`, [
      {
        file,
        line: 1,
        column: '',
        value: null,
        reason: 'not an XLSX workbook (an xlsx file is a ZIP archive, and this is not one)',
        hint: 'Save the sheet as .xlsx, or export it as CSV.',
      },
    ]);
  }
  const ExcelJS = (await import('exceljs')).default;
  const dir = mkdtempSync(join(tmpdir(), 'ddor-xlsx-'));
  const out = join(dir, 'rows.csv');
  const names = Object.keys(fields);
  const stream = createWriteStream(out);
  stream.on('error', () => {}); // surfaced by the final end() instead
  const write = async (line: string) => {
    if (!stream.write(line)) await new Promise<void>((r) => stream.once('drain', () => r()));
  };
  await write(`${[...names, '__file', '__line'].join(',')}\n`);
  const dropped = new Set<string>();
  const ignored = new Set<string>();
  const sheetsRead: string[] = [];
  let total = 0;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    for await (const sheet of reader) {
      const sheetName = (sheet as unknown as { name?: string }).name ?? `sheet ${sheetsRead.length + 1}`;
      let mapping: Mapping | undefined;
      let scanned = 0;
      for await (const row of sheet as AsyncIterable<{ number: number; values: unknown[] }>) {
        const values = (row.values as unknown[]).slice(1).map(cellText);
        if (!mapping) {
          if (++scanned > 30) break;
          const m = mapHeader(values, fields);
          if (m.positions.size >= 3 && anchor.some((a) => m.positions.has(a))) {
            requireFields(file, m, required, fields, ` in sheet "${sheetName}"`);
            mapping = m;
            for (const d of m.dropped) dropped.add(d);
            for (const i of m.ignored) ignored.add(i);
            sheetsRead.push(sheetName);
          }
          continue;
        }
        if (values.every((v) => v.trim() === '')) continue;
        const cells = names.map((f) => {
          const i = mapping!.positions.get(f);
          return i === undefined ? '' : csvField(values[i] ?? '');
        });
        await write(`${cells.join(',')},${csvField(`${basename(file)} [${sheetName}]`)},${row.number}\n`);
        if (++total % 10_000 === 0) onRows?.(total);
      }
    }
  } catch (error) {
    stream.destroy();
    rmSync(dir, { recursive: true, force: true });
    if (error instanceof DdorError) throw error;
    throw new InputRejectedError(`${file} was rejected: it is not a readable XLSX workbook`, [
      {
        file,
        line: 1,
        column: '',
        value: null,
        reason: `not a readable XLSX workbook (${error instanceof Error ? error.message : error})`,
        hint: 'Open it in a spreadsheet program and save it again as .xlsx, or export the sheets as CSV.',
      },
    ]);
  }
  await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
  try {
    if (sheetsRead.length === 0) {
      throw new InputRejectedError(
        `${file} was rejected: no sheet has a header row with the expected columns`,
        [
          {
            file,
            line: 1,
            column: '',
            value: null,
            reason: 'no sheet has a header row naming the expected columns in its first 30 rows',
            hint: `Expected columns such as ${anchor.flatMap((a) => fields[a] ?? []).join(', ')}.`,
          },
        ],
      );
    }
    const columns = [
      ...names.map((f) => `'${f}': 'VARCHAR'`),
      "'__file': 'VARCHAR'",
      "'__line': 'INTEGER'",
    ].join(', ');
    await stage.run(`CREATE OR REPLACE TEMP TABLE stg_raw AS
      SELECT ${names.map((f) => `NULLIF(trim("${f}"), '') AS "${f}"`).join(', ')}, __file, __line
      FROM read_csv(${sql(out)}, header = true, auto_detect = false, columns = {${columns}}, delim = ',', quote = '"', escape = '"')`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    staged: total,
    structural: [],
    droppedColumns: [...dropped],
    ignoredColumns: [...ignored],
    locate: locatedBy(stage),
  } satisfies ReadResult;
}

/** Reads a file by its extension: .xlsx, .parquet, else CSV. */
export function readByName(
  stage: DuckSession,
  file: string,
  fields: FieldAliases,
  required: readonly (readonly string[])[],
  anchor: readonly string[],
  onRows?: (n: number) => void,
): Promise<ReadResult> {
  const ext = extname(file).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return readXlsx(stage, file, fields, required, anchor, onRows);
  if (ext === '.parquet') return readParquet(stage, file, fields, required);
  return readCsv(stage, file, fields, required);
}
