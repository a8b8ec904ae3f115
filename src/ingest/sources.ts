/**
 * Reading files whose columns are matched by name, not position (ICE's releases
 * and the Deportation Data Project's files): CSV and Parquet through DuckDB,
 * XLSX streamed with exceljs's XML parser over parts ddor unzips itself, within
 * size limits (preamble rows skipped, every sheet read). The header names the
 * file's layout (ice-layouts.ts). Only the layout's fields are ever read into
 * `stg_raw`; identifying columns are named and dropped unread; other columns
 * are not stored, but one whose values look like an A-number or an SSN
 * refuses the file (a column nobody described may identify people).
 */
import { closeSync, createWriteStream, openSync, readSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { DdorError, InputRejectedError, type Rejection } from '../errors.js';
import type { DuckSession } from '../store/duckdb/session.js';
import { sqlName, sqlString } from '../store/sql.js';
import { makeTempDir, removeTempDir } from '../temp-files.js';
import { readHeaderAndDelimiter } from './csv-file.js';
import { stageCsv } from './csv-staging.js';
import {
  detectLayout,
  type HeaderMapping,
  type IceField,
  type IceLayout,
  isCleanNames,
  looksLikeHeader,
} from './ice-layouts.js';
import { formatBytes, MAX_ROW_BYTES } from './limits.js';
import { IDENTIFIER_PATTERNS } from './privacy.js';
import type { ReadResult } from './spec.js';
import {
  checkDeclaredSizes,
  type InflateBudget,
  openPart,
  readCentralDirectory,
  XlsxLimitError,
  type ZipEntry,
} from './xlsx-zip.js';

/** The layouts a reader may meet, and the fields it stages (one text column each, in this order). */
export interface NamedColumns {
  layouts: readonly IceLayout[];
  fields: readonly string[];
}

/** Every identifier pattern that holds in any column (A-numbers, SSNs): RE2, as DuckDB reads it. */
const ANY_COLUMN_PATTERN = IDENTIFIER_PATTERNS.filter((p) => !p.freeTextOnly)
  .map((p) => `(?:${p.pattern})`)
  .join('|');
/** The same for JavaScript, which has no inline (?i): the flag applies to the whole (SSNs have no letters). */
const ANY_COLUMN_RE = new RegExp(
  IDENTIFIER_PATTERNS.filter((p) => !p.freeTextOnly)
    .map((p) => `(?:${p.pattern.replace('(?i)', '')})`)
    .join('|'),
  'i',
);

/**
 * SQL naming the first column outside the layout whose value looks like an A-number or an SSN
 * (NULL for nearly every row: one regular expression over the row's ignored columns first).
 */
function unlistedIdentifierSql(
  mapping: HeaderMapping,
  header: readonly string[],
  col: (i: number) => string,
) {
  if (mapping.ignoredAt.length === 0) return 'NULL::VARCHAR';
  const cells = mapping.ignoredAt.map((i) => `CAST(${col(i)} AS VARCHAR)`);
  const which = mapping.ignoredAt
    .map(
      (i) =>
        `CASE WHEN regexp_matches(CAST(${col(i)} AS VARCHAR), ${sqlString(ANY_COLUMN_PATTERN)}) THEN ${sqlString(header[i]!)} END`,
    )
    .join(', ');
  return `CASE WHEN regexp_matches(concat_ws(chr(31), ${cells.join(', ')}), ${sqlString(ANY_COLUMN_PATTERN)}) THEN coalesce(${which}) END`;
}

/** A column outside the layout holds what looks like a person's identifier: the file is refused, the value never shown. */
function unlistedIdentifier(
  file: string,
  column: string,
  line: number,
  layout: IceLayout,
): InputRejectedError {
  const reason = `column ${JSON.stringify(column)} is not in the layout ${layout.id}, and its values look like a personal identifier (an A-number or SSN)`;
  const hint =
    'ddor reads no column it does not know that may identify a person. Remove the column, or describe the file with --columns FILE and mark the column identifying (it is then dropped unread).';
  return new InputRejectedError(`${file} was rejected: ${reason}; nothing was imported`, [
    { file, line, column, value: null, reason, hint },
  ]);
}

/** After staging: refuse the file if a column outside the layout looked like identifiers; drop the marker column. */
async function checkUnlisted(
  stage: DuckSession,
  file: string,
  mapping: HeaderMapping,
  locate?: ReadResult['locate'],
) {
  const found = await stage.all<{ col: string; rec: number; line: number | null; f: string | null }>(
    `SELECT __idcol AS col, rowid + 1 AS rec, __line AS line, __file AS f FROM stg_raw WHERE __idcol IS NOT NULL ORDER BY rowid LIMIT 1`,
  );
  await stage.run('ALTER TABLE stg_raw DROP COLUMN __idcol');
  const hit = found[0];
  if (!hit) return;
  let line = hit.line === null ? Number(hit.rec) + 1 : Number(hit.line);
  let where = hit.f ?? file;
  if (hit.line === null && locate) {
    const at = (await locate([Number(hit.rec)])).get(Number(hit.rec));
    if (at) ({ line, file: where } = at);
  }
  throw unlistedIdentifier(where, hit.col, line, mapping.layout);
}

/** What the summary says about the layout: its name and form, and the source column of each field. */
function describeLayout(mapping: HeaderMapping, header: readonly string[]) {
  const form = mapping.layout.id === 'columns' ? '' : isCleanNames(header) ? " (DDP's cleaned names)" : '';
  return {
    layout: `${mapping.layout.id}: ${mapping.layout.release}${form}`,
    columnsUsed: [...mapping.positions]
      .sort((a, b) => a[1] - b[1])
      .map(([field, i]) => ({ field, column: header[i]! })),
  };
}

const selectList = (fields: readonly string[], mapping: HeaderMapping, col: (i: number) => string) =>
  fields
    .map((f) => {
      const i = mapping.positions.get(f as IceField);
      return i === undefined
        ? `NULL::VARCHAR AS "${f}"`
        : `NULLIF(trim(CAST(${col(i)} AS VARCHAR)), '') AS "${f}"`;
    })
    .join(', ');

async function readCsv(stage: DuckSession, file: string, { fields, layouts }: NamedColumns) {
  const { header, delimiter } = await readHeaderAndDelimiter(file);
  const mapping = detectLayout(file, header, layouts);
  const result = await stageCsv(
    stage,
    file,
    header,
    {
      select: `${selectList(fields, mapping, (i) => `c${i}`)}, NULL::VARCHAR AS __file, NULL::INTEGER AS __line, ${unlistedIdentifierSql(mapping, header, (i) => `c${i}`)} AS __idcol`,
      dropped: mapping.dropped,
      ignored: mapping.ignored,
    },
    delimiter,
  );
  await checkUnlisted(stage, file, mapping, result.locate);
  return { ...result, ...describeLayout(mapping, header) };
}

/** A row over MAX_ROW_BYTES, named by its file label and line (or sheet row, or Parquet row). */
export function rowTooLong(file: string, line: number, bytes: number): Rejection {
  return {
    file,
    line,
    column: '',
    value: null,
    reason: `row too long (${bytes.toLocaleString('en-US')} bytes, limit ${MAX_ROW_BYTES.toLocaleString('en-US')})`,
    hint: `A row may hold at most ${formatBytes(MAX_ROW_BYTES)} in the columns ddor reads; shorten the row.`,
  };
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

async function readParquet(stage: DuckSession, file: string, { fields, layouts }: NamedColumns) {
  let header: string[];
  try {
    header = (
      await stage.all<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`)
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
  const mapping = detectLayout(file, header, layouts);
  const quoted = (i: number) => sqlName(header[i]!);
  // A row's size is the UTF-8 bytes of the columns read, as for workbooks; longer rows are rejected.
  const bytes = [...mapping.positions.values()]
    .map((i) => `coalesce(strlen(CAST(${quoted(i)} AS VARCHAR)), 0)`)
    .join(' + ');
  const label = `${file} (Parquet row)`;
  await stage.run(`CREATE OR REPLACE TEMP TABLE stg_parquet AS
    SELECT ${selectList(fields, mapping, quoted)}, ${sqlString(label)} AS __file, CAST(file_row_number + 1 AS INTEGER) AS __line,
      CAST(${bytes || '0'} AS BIGINT) AS __bytes, ${unlistedIdentifierSql(mapping, header, quoted)} AS __idcol
    FROM read_parquet(${sqlString(file)}, file_row_number = true)`);
  await stage.run(`CREATE OR REPLACE TEMP TABLE stg_raw AS
    SELECT * EXCLUDE (__bytes) FROM stg_parquet WHERE __bytes <= ${MAX_ROW_BYTES} ORDER BY __line`);
  const long = await stage.all<{ line: number; bytes: number }>(
    `SELECT __line AS line, __bytes AS bytes FROM stg_parquet WHERE __bytes > ${MAX_ROW_BYTES} ORDER BY __line`,
  );
  await stage.run('DROP TABLE stg_parquet');
  await checkUnlisted(stage, file, mapping);
  const [{ n }] = (await stage.all<{ n: number }>('SELECT count(*) AS n FROM stg_raw')) as [{ n: number }];
  return {
    staged: Number(n),
    structural: long.map((r) => rowTooLong(label, Number(r.line), Number(r.bytes))),
    droppedColumns: mapping.dropped,
    ignoredColumns: mapping.ignored,
    locate: locatedBy(stage),
    ...describeLayout(mapping, header),
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

/** The parts of exceljs's streaming reader that parse XML: ddor hands them parts it inflated itself. */
interface WorkbookXml {
  _parseRels(part: Readable): Promise<void>;
  _parseWorkbook(part: Readable): Promise<void>;
  _parseSharedStrings(part: Readable): AsyncIterable<unknown>;
  _parseStyles(part: Readable): Promise<void>;
  _parseWorksheet(part: Readable, sheetNo: string): Iterable<{ value: WorksheetRows }>;
}
type WorksheetRows = AsyncIterable<{ number: number; values: unknown[] }> & { name?: string };

/**
 * Every worksheet of a workbook, in archive order, with exceljs's streaming
 * parser; the ZIP is read by xlsx-zip.ts, which refuses a workbook whose
 * declared or real sizes break XLSX_LIMITS before it can exhaust memory.
 */
async function* worksheets(file: string): AsyncGenerator<WorksheetRows> {
  const entries = readCentralDirectory(file);
  checkDeclaredSizes(entries);
  const budget: InflateBudget = { total: 0 };
  const part = (name: string) => entries.find((e) => e.name === name);
  const open = (e: ZipEntry) => openPart(file, e, budget);
  const ExcelJS = (await import('exceljs')).default;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as WorkbookXml;
  const rels = part('xl/_rels/workbook.xml.rels');
  if (rels) await reader._parseRels(open(rels));
  const workbook = part('xl/workbook.xml');
  if (workbook) await reader._parseWorkbook(open(workbook));
  const shared = part('xl/sharedStrings.xml');
  if (shared) for await (const _ of reader._parseSharedStrings(open(shared)));
  const styles = part('xl/styles.xml');
  if (styles) await reader._parseStyles(open(styles));
  for (const e of entries) {
    const sheetNo = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(e.name)?.[1];
    if (!sheetNo) continue;
    for (const { value } of reader._parseWorksheet(open(e), sheetNo)) yield value;
  }
}

const notAWorkbook = (file: string, reason: string, hint: string) =>
  new InputRejectedError(`${file} was rejected: ${reason}`, [
    { file, line: 1, column: '', value: null, reason, hint },
  ]);

/**
 * Streams every sheet; in each, the header is the first of its first 30 rows
 * that names at least three columns of a known layout, its prepare date among them. Rows are
 * written, mapped, to a temporary CSV that DuckDB then reads; a row whose read
 * cells exceed MAX_ROW_BYTES is rejected instead (no cell Excel can save is
 * that long: Excel stops at 32,767 characters).
 */
async function readXlsx(
  stage: DuckSession,
  file: string,
  { fields, layouts }: NamedColumns,
  onRows?: (n: number) => void,
) {
  // An xlsx file is a ZIP archive: refuse anything else before the ZIP reader sees it.
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
    throw notAWorkbook(
      file,
      'not an XLSX workbook (an xlsx file is a ZIP archive, and this is not one)',
      'Save the sheet as .xlsx, or export it as CSV.',
    );
  }
  const dir = makeTempDir('xlsx');
  try {
    const out = join(dir, 'rows.csv');
    const names = fields;
    const stream = createWriteStream(out);
    stream.on('error', () => {}); // surfaced by the final end() instead
    const write = async (line: string) => {
      if (!stream.write(line)) await new Promise<void>((r) => stream.once('drain', () => r()));
    };
    await write(`${[...names, '__file', '__line'].join(',')}\n`);
    const dropped = new Set<string>();
    const ignored = new Set<string>();
    const sheetsRead: string[] = [];
    const structural: Rejection[] = [];
    let total = 0;
    let described: ReturnType<typeof describeLayout> | undefined;
    const screened = new Set<string>();
    const layoutsSeen = new Set<string>();
    try {
      for await (const sheet of worksheets(file)) {
        const sheetName = sheet.name ?? `sheet ${sheetsRead.length + 1}`;
        const label = `${basename(file)} [${sheetName}]`;
        let mapping: HeaderMapping | undefined;
        let header: string[] = [];
        let scanned = 0;
        for await (const row of sheet) {
          const values = (row.values as unknown[]).slice(1).map(cellText);
          if (!mapping) {
            if (++scanned > 30) break;
            if (looksLikeHeader(values, layouts)) {
              mapping = detectLayout(file, values, layouts, ` in sheet "${sheetName}"`);
              header = values;
              for (const d of mapping.dropped) dropped.add(d);
              for (const i of mapping.ignored) ignored.add(i);
              sheetsRead.push(sheetName);
              if (!layoutsSeen.has(mapping.layout.id)) {
                layoutsSeen.add(mapping.layout.id);
                const d = describeLayout(mapping, values);
                described = described ? { ...d, layout: `${described.layout}; ${d.layout}` } : d;
              }
            }
            continue;
          }
          if (values.every((v) => v.trim() === '')) continue;
          // A column outside the layout that holds an A-number or SSN refuses the file. Each distinct
          // value is tested once (a sheet's cells repeat: places, dates, vocabularies).
          for (const i of mapping.ignoredAt) {
            const v = values[i];
            if (!v || screened.has(v)) continue;
            if (ANY_COLUMN_RE.test(v))
              throw unlistedIdentifier(label, header[i]!, row.number, mapping.layout);
            if (screened.size >= 100_000) screened.clear();
            screened.add(v);
          }
          const read = names.map((f) => {
            const i = mapping!.positions.get(f as IceField);
            return i === undefined ? '' : (values[i] ?? '');
          });
          const bytes = read.reduce((sum, v) => sum + Buffer.byteLength(v), 0);
          if (bytes > MAX_ROW_BYTES) structural.push(rowTooLong(label, row.number, bytes));
          else {
            await write(`${read.map(csvField).join(',')},${csvField(label)},${row.number}\n`);
            total++;
          }
          if ((total + structural.length) % 10_000 === 0) onRows?.(total + structural.length);
        }
      }
    } catch (error) {
      stream.destroy();
      if (error instanceof DdorError) throw error;
      if (error instanceof XlsxLimitError) throw notAWorkbook(file, error.reason, error.hint);
      throw notAWorkbook(
        file,
        `not a readable XLSX workbook (${error instanceof Error ? error.message : error})`,
        'Open it in a spreadsheet program and save it again as .xlsx, or export the sheets as CSV.',
      );
    }
    await new Promise<void>((resolve, reject) =>
      stream.end((e?: Error | null) => (e ? reject(e) : resolve())),
    );
    if (sheetsRead.length === 0) {
      throw notAWorkbook(
        file,
        'no sheet has a header row naming the expected columns in its first 30 rows',
        `Expected columns such as ${[...new Set(layouts.flatMap((l) => l.columns.issued_date ?? []))].join(', ')}, with the facility and lift reason; for another release, describe its columns with --columns FILE.`,
      );
    }
    const columns = [
      ...names.map((f) => `'${f}': 'VARCHAR'`),
      "'__file': 'VARCHAR'",
      "'__line': 'INTEGER'",
    ].join(', ');
    // Rows are at most MAX_ROW_BYTES of cells; quoting can double that.
    await stage.run(`CREATE OR REPLACE TEMP TABLE stg_raw AS
      SELECT ${names.map((f) => `NULLIF(trim("${f}"), '') AS "${f}"`).join(', ')}, __file, __line
      FROM read_csv(${sqlString(out)}, header = true, auto_detect = false, columns = {${columns}}, delim = ',', quote = '"', escape = '"',
        max_line_size = ${2 * MAX_ROW_BYTES + 65536}, buffer_size = ${4 * MAX_ROW_BYTES + 65536})`);
    return {
      staged: total,
      structural,
      droppedColumns: [...dropped],
      ignoredColumns: [...ignored],
      locate: locatedBy(stage),
      ...described,
    } satisfies ReadResult;
  } finally {
    removeTempDir(dir);
  }
}

/** DDP's other outputs: no library ddor keeps reads them; each has a Parquet or xlsx twin, or converts in one line. */
const CONVERT: Record<string, string> = {
  '.feather': 'a Feather (Arrow IPC) file',
  '.arrow': 'an Arrow IPC file',
  '.dta': 'a Stata file',
  '.sav': 'an SPSS file',
  '.rds': 'an R data file',
};
const CONVERT_HINT =
  'Use DDP\'s Parquet or xlsx copy of the same data, or convert it: in R, arrow::write_parquet(arrow::read_feather("f.feather"), "f.parquet") (haven::read_dta / read_sav for .dta / .sav); in Python, pandas.read_feather("f.feather").to_parquet("f.parquet").';

/** Reads a file by its extension: .xlsx, .parquet, else CSV (comma- or tab-separated). */
export function readByName(
  stage: DuckSession,
  file: string,
  columns: NamedColumns,
  onRows?: (n: number) => void,
): Promise<ReadResult> {
  const ext = extname(file).toLowerCase();
  if (CONVERT[ext]) throw new DdorError('usage', `ddor cannot read ${file}: ${CONVERT[ext]}`, CONVERT_HINT);
  if (ext === '.xlsx' || ext === '.xlsm') return readXlsx(stage, file, columns, onRows);
  if (ext === '.parquet') return readParquet(stage, file, columns);
  return readCsv(stage, file, columns);
}
