/**
 * Importing one canonical CSV file: read the header, stage the rows in DuckDB
 * (identifying columns never selected), validate them set-wise, then either
 * refuse the file whole (the default), or move the valid rows into the store in
 * one transaction and quarantine the rest (--accept-partial).
 */
import { basename } from 'node:path';
import { InputRejectedError, type Rejection } from '../errors.js';
import type { ColumnDef } from '../store/columns.js';
import type { DuckSession } from '../store/duckdb/session.js';
import type { Store } from '../store/store.js';
import { type ApplyCounts, applyImport } from './apply.js';
import { fileRejected, type RecordScan, readHeader, scanRecords, sha256File } from './csv-file.js';
import { formatBytes, MAX_NAME_CHARS, MAX_ROW_BYTES, NAME_COLUMNS } from './limits.js';
import { headerKey, isIdentifyingColumn, screenIdentifiers } from './privacy.js';
import { createReferenceTables } from './refs.js';
import { writeRejectsCsv } from './rejects.js';
import { anyRuleBroken, type Rule, rejectsQuery } from './rules.js';
import type { ImportSpec } from './spec.js';

export interface ImportOptions {
  dryRun?: boolean;
  acceptPartial?: boolean;
  ignoreExtra?: boolean;
  /** Where to write rejected rows; false to write none. Default: `<file>.rejects.csv` beside the input. */
  rejectsPath?: string | false;
  /** Mask values that look like a personal identifier (A-number, SSN, birth date) instead of rejecting their rows. */
  redactIdentifiers?: boolean;
  /** Marks the import as the bundled demo data (reports then say so). */
  demo?: boolean;
  onPhase?: (phase: ImportPhase) => void;
  /** Rows read so far, for readers that stream (workbooks). */
  onRows?: (rows: number) => void;
}

export type ImportPhase = 'reading' | 'validating' | 'writing' | 'done';

export interface ImportSummary {
  file: string;
  kind: ImportSpec['kind'];
  sha256: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  rejected: number;
  dryRun: boolean;
  importId: number | null;
  /** Identifying columns found in the header and dropped unread. */
  droppedColumns: string[];
  /** Unknown columns skipped under --ignore-extra. */
  ignoredColumns: string[];
  /** Cells in which an identifier was found by pattern (masked under --redact-identifiers, else their rows are rejected). */
  identifierCells: number;
  rejectsFile: string | null;
  /** The first rejections (all of them are in the rejects file). */
  rejections: Rejection[];
}

const MAX_LISTED = 1000;
const QUARANTINE_COLUMNS: ColumnDef[] = [
  { name: 'line', type: 'integer' },
  { name: 'column_name', type: 'text' },
  { name: 'value', type: 'text' },
  { name: 'reason', type: 'text' },
  { name: 'hint', type: 'text' },
  { name: 'record', type: 'text' },
];

class DryRunRollback extends Error {
  constructor(readonly counts: ApplyCounts) {
    super('dry run');
  }
}

interface HeaderPlan {
  /** Header position of each spec column present in the file. */
  positions: Map<string, number>;
  dropped: string[];
  ignored: string[];
}

function planHeader(file: string, header: string[], spec: ImportSpec, ignoreExtra: boolean): HeaderPlan {
  const known = new Set(spec.columns.map((c) => c.name));
  const positions = new Map<string, number>();
  const dropped: string[] = [];
  const ignored: string[] = [];
  const problems: Rejection[] = [];
  header.forEach((name, i) => {
    const key = headerKey(name);
    if (known.has(key)) {
      if (positions.has(key)) {
        problems.push({
          file,
          line: 1,
          column: name,
          value: null,
          reason: 'the column appears twice in the header',
          hint: 'Keep one column of each name.',
        });
      }
      positions.set(key, i);
    } else if (isIdentifyingColumn(name)) {
      dropped.push(name);
    } else if (ignoreExtra) {
      ignored.push(name);
    } else {
      problems.push({
        file,
        line: 1,
        column: name || `#${i + 1}`,
        value: null,
        reason: 'unknown column',
        hint: `Rename it to one of ${[...known].join(', ')}, or pass --ignore-extra to skip unknown columns.`,
      });
    }
  });
  for (const c of spec.columns) {
    if (c.required && !positions.has(c.name)) {
      problems.push({
        file,
        line: 1,
        column: c.name,
        value: null,
        reason: 'required column is missing from the header',
        hint: `Add a ${c.name} column (see the ${spec.kind} format in the README).`,
      });
    }
  }
  for (const group of spec.anyOf) {
    if (!group.some((g) => positions.has(g))) {
      problems.push({
        file,
        line: 1,
        column: group.join(' or '),
        value: null,
        reason: `the header needs at least one of ${group.join(', ')}`,
        hint: 'Counties are keyed by FIPS code; give county_fips, or county with state.',
      });
    }
  }
  if (problems.length > 0) {
    throw new InputRejectedError(
      `${file} was rejected: its header does not fit the ${spec.kind} format; nothing was imported`,
      problems,
      problems[0]!.hint,
    );
  }
  return { positions, dropped, ignored };
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

async function stageRows(
  stage: DuckSession,
  file: string,
  header: string[],
  spec: ImportSpec,
  plan: HeaderPlan,
) {
  const columns = header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const select = spec.columns
    .map((c) => {
      const pos = plan.positions.get(c.name);
      return pos === undefined ? `NULL::VARCHAR AS "${c.name}"` : `NULLIF(trim(c${pos}), '') AS "${c.name}"`;
    })
    .join(', ');
  await readCsvInto(
    stage,
    file,
    `CREATE OR REPLACE TEMP TABLE stg_raw AS
    SELECT ${select}
    FROM read_csv(${sqlString(file)}, header = true, auto_detect = false, columns = {${columns}},
      delim = ',', quote = '"', escape = '"', strict_mode = true, encoding = 'utf-8', ${CSV_LINE_OPTIONS},
      store_rejects = true, rejects_table = 'stg_read_errors', rejects_scan = 'stg_read_scans')`,
  );
}

/**
 * DuckDB's line limit, a little above MAX_ROW_BYTES: DuckDB counts a row's line
 * break and preceding blank lines in its size, so the exact limit is applied by
 * scanRecords; this one only bounds DuckDB's buffers.
 */
export const CSV_LINE_OPTIONS = `max_line_size = ${MAX_ROW_BYTES + 65536}, buffer_size = ${32 * 1024 * 1024}`;

/** Runs a read_csv statement; a file DuckDB cannot parse at all is rejected, not an internal error. */
export async function readCsvInto(stage: DuckSession, file: string, statement: string): Promise<void> {
  try {
    await stage.run(statement);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw fileRejected(
      file,
      1,
      `the file could not be read as CSV (${message.replace(/^[A-Za-z ]+Error: /, '')})`,
      'Save it as CSV UTF-8 with one kind of line break (all \\n or all \\r\\n) and RFC 4180 quoting.',
    );
  }
}

/** What reading a file into `stg_raw` produced, whatever its format. */
export interface ReadResult {
  /** Records staged (each becomes one `rec`, 1-based, in file order). */
  staged: number;
  /** Records refused while reading (wrong field count…), with their lines. */
  structural: Rejection[];
  droppedColumns: string[];
  ignoredColumns: string[];
  /** File label and line (or row) of each record, asked for on the error path only. */
  locate(recs: number[]): Promise<Map<number, { file: string; line: number }>>;
}

/** The canonical CSV path: header check, DuckDB's reader, csv-parse for line numbers of rejects. */
async function readCanonicalCsv(
  stage: DuckSession,
  file: string,
  spec: ImportSpec,
  options: ImportOptions,
): Promise<ReadResult> {
  const header = await readHeader(file);
  const plan = planHeader(file, header, spec, options.ignoreExtra ?? false);
  // The scan runs beside DuckDB's read (it is what every row is accounted against).
  const scanning = scanRecords(file, header.length);
  scanning.catch(() => {});
  await stageRows(stage, file, header, spec, plan);
  return finishCsvRead(stage, file, header.length, plan.dropped, plan.ignored, scanning);
}

const QUOTING_HINT = 'Quote every field that contains a comma, a quote or a line break ("like, this").';

/**
 * After DuckDB read a CSV into stg_raw: refuse bad encodings, and account for
 * every record the scan found: staged, or rejected with its line (too long,
 * wrong field count, or whatever DuckDB could not read). Rows DuckDB staged but
 * over the row limit are taken out of stg_raw again.
 */
export async function finishCsvRead(
  stage: DuckSession,
  file: string,
  columns: number,
  dropped: string[],
  ignored: string[],
  scanning: Promise<RecordScan>,
): Promise<ReadResult> {
  const readErrors = await stage.all<{ line: number; error_type: string; error_message: string }>(
    `SELECT line, min(error_type) AS error_type, min(error_message) AS error_message
     FROM stg_read_errors GROUP BY line ORDER BY line`,
  );
  const encoding = readErrors.find((e) => /unicode|encoding/i.test(e.error_type));
  if (encoding) {
    throw fileRejected(
      file,
      encoding.line,
      'the file is not valid UTF-8 text',
      'Save the file as CSV UTF-8 and import it again.',
    );
  }
  const scan = await scanning;
  const [{ n }] = (await stage.all<{ n: number }>('SELECT count(*) AS n FROM stg_raw')) as [{ n: number }];
  const rejected = new Map<number, Rejection>();
  const reject = (index: number, reason: string, hint: string) =>
    rejected.set(index, { file, line: scan.line(index), column: '', value: null, reason, hint });
  for (const t of scan.tooLong) {
    reject(
      t.index,
      `row too long (${t.bytes.toLocaleString('en-US')} bytes, limit ${MAX_ROW_BYTES.toLocaleString('en-US')})`,
      `A row may hold at most ${formatBytes(MAX_ROW_BYTES)}; check for a missing closing quote, or shorten the row.`,
    );
  }
  for (const m of scan.malformed) {
    reject(m.index, `the row has ${m.fields} fields, the header has ${columns}`, QUOTING_HINT);
  }
  const notStaged = new Set<number>();
  let unplaced = 0;
  for (const e of readErrors) {
    const index = scan.recordAtDuckLine(Number(e.line));
    if (index === undefined) {
      unplaced++;
      continue;
    }
    notStaged.add(index);
    if (!rejected.has(index)) reject(index, `the row could not be read: ${e.error_message}`, QUOTING_HINT);
  }
  // Never drop a row silently: what DuckDB staged and refused must add up to what the scan found.
  if (unplaced > 0 || Number(n) !== scan.records - notStaged.size) {
    throw fileRejected(
      file,
      1,
      `ddor could not account for every row (found ${scan.records}, read ${Number(n)}, refused ${notStaged.size + unplaced})`,
      'Save the file again as CSV UTF-8 with RFC 4180 quoting and import it again.',
    );
  }
  const indexes = [...rejected.keys()].sort((a, b) => a - b);
  const staged = indexes.filter((i) => !notStaged.has(i));
  if (staged.length > 0) {
    // Their place among the staged rows: index minus the records before it that were never staged.
    const refused = [...notStaged].sort((a, b) => a - b);
    let k = 0;
    const recs = staged.map((i) => {
      while (k < refused.length && refused[k]! < i) k++;
      return i - k + 1;
    });
    await stage.run(
      `CREATE OR REPLACE TEMP TABLE stg_raw_kept AS SELECT * FROM stg_raw WHERE rowid + 1 NOT IN (${recs.join(', ')}) ORDER BY rowid`,
    );
    await stage.run('DROP TABLE stg_raw');
    await stage.run('ALTER TABLE stg_raw_kept RENAME TO stg_raw');
  }
  let accepted: Int32Array | undefined;
  return {
    staged: Number(n) - staged.length,
    structural: indexes.map((i) => rejected.get(i)!),
    droppedColumns: dropped,
    ignoredColumns: ignored,
    async locate(recs) {
      if (!accepted) {
        accepted = new Int32Array(scan.records - indexes.length);
        let j = 0;
        for (let i = 0; i < scan.records; i++) if (!rejected.has(i)) accepted[j++] = i;
      }
      const at = accepted;
      return new Map(
        recs.map((r) => [r, { file, line: r >= 1 && r <= at.length ? scan.line(at[r - 1]!) : r + 1 }]),
      );
    },
  };
}

/** Ids, names, codes and places are keys and labels: each is bounded (MAX_NAME_CHARS). */
function nameLengthRules(spec: ImportSpec): Rule[] {
  return spec.columns
    .filter((c) => NAME_COLUMNS.has(c.name))
    .map((c) => ({
      column: c.name,
      when: `length("${c.name}") > ${MAX_NAME_CHARS}`,
      reason: `'too long for ${c.name.replaceAll('_', ' ')} (' || length("${c.name}") || ' characters, limit ${MAX_NAME_CHARS})'`,
      reasonSql: true,
      hint: 'An id, name, code or place fits on one line; check that the columns are not shifted or merged.',
      value: `left("${c.name}", 60) || '…'`,
    }));
}

interface LocatedRejection extends Rejection {
  rec: number | null;
}

export async function importFile(
  store: Store,
  spec: ImportSpec,
  file: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const name = basename(file);
  options.onPhase?.('reading');
  const context = spec.prepare ? await spec.prepare(store) : undefined;
  const hashing = sha256File(file);
  hashing.catch(() => {}); // a missing file is reported by the reader

  return store.withStaging(async (stage) => {
    await createReferenceTables(stage);
    await stage.run('DROP TABLE IF EXISTS stg_read_errors');
    await stage.run('DROP TABLE IF EXISTS stg_read_scans');
    const read = spec.read
      ? await spec.read(stage, file, options)
      : await readCanonicalCsv(stage, file, spec, options);

    options.onPhase?.('validating');
    // Identifiers typed into other columns are masked before any rule can echo them.
    const screen = await screenIdentifiers(stage, spec.kind, options.redactIdentifiers ?? false);
    await spec.normalize(stage, context);
    const rules = [...nameLengthRules(spec), ...spec.rules];
    // One pass over the normalised rows: the values to store, and whether the row breaks any rule.
    const cols = spec.table.columns.map((c) => `"${c.name}"`).join(', ');
    await stage.run(`CREATE OR REPLACE TEMP TABLE stg_checked AS
      SELECT * FROM (SELECT rec, ${anyRuleBroken(rules)} OR rec IN (SELECT rec FROM stg_pii), ${spec.validSelect}
        FROM stg_norm) t(rec, ddor_bad, ${cols})`);
    await stage.run(
      `CREATE OR REPLACE TEMP VIEW stg_valid AS SELECT ${cols} FROM stg_checked WHERE NOT ddor_bad`,
    );
    // Only the bad rows (usually none) are read again, to say what is wrong with each.
    const [{ anyBad }] = (await stage.all<{ anyBad: number }>(
      'SELECT count(*) AS "anyBad" FROM stg_checked WHERE ddor_bad',
    )) as [{ anyBad: number }];
    await stage.run(`CREATE OR REPLACE TEMP TABLE stg_bad AS
      SELECT * FROM stg_norm WHERE ${Number(anyBad) > 0 ? 'rec IN (SELECT rec FROM stg_checked WHERE ddor_bad)' : 'false'}`);
    await stage.run(`CREATE OR REPLACE TEMP TABLE stg_rejects AS ${rejectsQuery(rules, 'stg_bad')}
      UNION ALL SELECT rec, column_name, value, reason, hint FROM stg_pii`);
    const [{ bad }] = (await stage.all<{ bad: number }>(
      'SELECT count(DISTINCT rec) AS bad FROM stg_rejects',
    )) as [{ bad: number }];

    const rejections: LocatedRejection[] = read.structural.map((r) => ({ ...r, rec: null }));
    if (bad > 0) {
      const cells = await stage.all<{
        rec: number;
        column_name: string;
        value: string | null;
        reason: string;
        hint: string;
      }>('SELECT rec, column_name, value, reason, hint FROM stg_rejects ORDER BY rec, column_name');
      const refs = new Set<number>();
      for (const c of cells) {
        refs.add(Number(c.rec));
        for (const m of c.reason.matchAll(/\{record (\d+)\}/g)) refs.add(Number(m[1]));
      }
      const where = await read.locate([...refs]);
      const at = (rec: number) => where.get(rec) ?? { file, line: rec + 1 };
      for (const c of cells) {
        const loc = at(Number(c.rec));
        rejections.push({
          file: loc.file,
          line: loc.line,
          column: c.column_name,
          value: c.value,
          reason: c.reason.replace(/\{record (\d+)\}/g, (_, r: string) => `line ${at(Number(r)).line}`),
          hint: c.hint,
          rec: Number(c.rec),
        });
      }
    }
    rejections.sort(
      (a, b) =>
        a.file.localeCompare(b.file) ||
        a.line - b.line ||
        a.column.localeCompare(b.column) ||
        a.reason.localeCompare(b.reason),
    );
    const rejectedRows = Number(bad) + read.structural.length;
    const rowsRead = read.staged + read.structural.length;

    let rejectsFile: string | null = null;
    if (rejections.length > 0 && options.rejectsPath !== false) {
      rejectsFile = options.rejectsPath ?? `${file}.rejects.csv`;
      await writeRejectsCsv(rejectsFile, rejections);
    }

    if (rejectedRows > 0 && !options.acceptPartial) {
      throw new InputRejectedError(
        `${file}: ${rejectedRows} of ${rowsRead} rows rejected; nothing was imported`,
        rejections.slice(0, MAX_LISTED).map(({ rec: _, ...r }) => r),
        `Correct the rows listed${rejectsFile ? ` (all of them are in ${rejectsFile})` : ''} and import again, or pass --accept-partial to load the valid rows and quarantine the rest.`,
        rejections.length,
      );
    }

    await stage.run(`CREATE OR REPLACE TEMP TABLE stg_quarantine (line INTEGER, column_name VARCHAR, value VARCHAR,
      reason VARCHAR, hint VARCHAR, record VARCHAR)`);
    if (rejections.length > 0) await fillQuarantine(stage, spec, rejections);

    options.onPhase?.('writing');
    const meta = {
      kind: spec.kind,
      fileName: name,
      sha256: await hashing,
      rowsRead,
      isDemo: options.demo ?? false,
    };
    const staged = [
      { name: 'stg_valid', columns: spec.table.columns },
      { name: 'stg_quarantine', columns: QUARANTINE_COLUMNS },
      ...(spec.extraStaged ?? []),
    ];
    let counts: ApplyCounts;
    try {
      counts = await store.applyStaged(stage, staged, async (tx) => {
        const c = await applyImport(tx, spec.table, meta);
        await spec.afterApply?.(tx, c.importId);
        if (options.dryRun) throw new DryRunRollback(c);
        return c;
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
      counts = error.counts;
    }
    options.onPhase?.('done');
    return {
      file: name,
      kind: spec.kind,
      sha256: meta.sha256,
      rows: rowsRead,
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: counts.unchanged,
      quarantined: options.dryRun ? 0 : rejectedRows,
      rejected: rejectedRows,
      dryRun: options.dryRun ?? false,
      importId: options.dryRun ? null : counts.importId,
      droppedColumns: read.droppedColumns,
      ignoredColumns: read.ignoredColumns,
      identifierCells: screen.cells,
      rejectsFile,
      rejections: rejections.slice(0, MAX_LISTED).map(({ rec: _, ...r }) => r),
    };
  });
}

/** One quarantine row per rejected cell, with the row's known columns as JSON (never the dropped ones). */
async function fillQuarantine(stage: DuckSession, spec: ImportSpec, rejections: LocatedRejection[]) {
  const rows = rejections.map(
    (r) =>
      `(${r.rec ?? 0}, ${r.line}, ${sqlString(r.column)}, ${r.value === null ? 'NULL' : sqlString(r.value)}, ${sqlString(r.reason)}, ${sqlString(r.hint)})`,
  );
  await stage.run(
    'CREATE OR REPLACE TEMP TABLE stg_reject_cells (rec BIGINT, line INTEGER, column_name VARCHAR, value VARCHAR, reason VARCHAR, hint VARCHAR)',
  );
  for (let i = 0; i < rows.length; i += 1000) {
    await stage.run(`INSERT INTO stg_reject_cells VALUES ${rows.slice(i, i + 1000).join(', ')}`);
  }
  const struct = spec.columns.map((c) => `"${c.name}" := r."${c.name}"`).join(', ');
  await stage.run(`INSERT INTO stg_quarantine
    SELECT c.line, c.column_name, c.value, c.reason, c.hint, coalesce(CAST(to_json(struct_pack(${struct})) AS VARCHAR), '{}')
    FROM stg_reject_cells c LEFT JOIN stg_raw r ON r.rowid + 1 = c.rec ORDER BY c.line, c.column_name`);
}
