/**
 * Reading a CSV file into `stg_raw` with DuckDB's read_csv, and accounting for
 * every record: each one the scan of csv-file.ts found is staged, or rejected
 * with its line (too long, wrong field count, or unreadable to DuckDB).
 */
import type { Rejection } from '../errors.js';
import type { DuckSession } from '../store/duckdb/session.js';
import { sqlString } from '../store/sql.js';
import { fileRejected, type RecordScan, scanRecords } from './csv-file.js';
import { formatBytes, MAX_ROW_BYTES } from './limits.js';
import type { ReadResult } from './spec.js';

/** Which header columns become which staged columns. */
export interface CsvColumns {
  /** The SELECT list over read_csv's columns `c0`, `c1`, … (one per header column). */
  select: string;
  /** Identifying columns found in the header and dropped unread. */
  dropped: string[];
  /** Unknown columns skipped. */
  ignored: string[];
}

/**
 * Stages `file` (whose header is `header`) as `stg_raw`: every field read as
 * text, strict RFC 4180 quoting, rows DuckDB cannot read kept aside in
 * `stg_read_errors`; a scan of the file runs alongside, and the two must agree.
 */
export async function stageCsv(
  stage: DuckSession,
  file: string,
  header: readonly string[],
  columns: CsvColumns,
  delimiter: ',' | '\t' = ',',
): Promise<ReadResult> {
  await stage.run('DROP TABLE IF EXISTS stg_read_errors');
  await stage.run('DROP TABLE IF EXISTS stg_read_scans');
  // The scan runs beside DuckDB's read (it is what every row is accounted against).
  const scanning = scanRecords(file, header.length, delimiter);
  scanning.catch(() => {});
  const types = header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  await readCsvInto(
    stage,
    file,
    `CREATE OR REPLACE TEMP TABLE stg_raw AS
    SELECT ${columns.select}
    FROM read_csv(${sqlString(file)}, header = true, auto_detect = false, columns = {${types}},
      delim = ${sqlString(delimiter)}, quote = '"', escape = '"', strict_mode = true, encoding = 'utf-8', ${CSV_LINE_OPTIONS},
      store_rejects = true, rejects_table = 'stg_read_errors', rejects_scan = 'stg_read_scans')`,
  );
  return finishCsvRead(stage, file, header.length, columns.dropped, columns.ignored, scanning);
}

/**
 * DuckDB's line limit, a little above MAX_ROW_BYTES: DuckDB counts a row's line
 * break and preceding blank lines in its size, so the exact limit is applied by
 * scanRecords; this one only bounds DuckDB's buffers.
 */
const CSV_LINE_OPTIONS = `max_line_size = ${MAX_ROW_BYTES + 65536}, buffer_size = ${32 * 1024 * 1024}`;

/** Runs a read_csv statement; a file DuckDB cannot parse at all is rejected, not an internal error. */
async function readCsvInto(stage: DuckSession, file: string, statement: string): Promise<void> {
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

const QUOTING_HINT = 'Quote every field that contains a comma, a quote or a line break ("like, this").';

/**
 * After DuckDB read a CSV into stg_raw: refuse bad encodings, and account for
 * every record the scan found: staged, or rejected with its line (too long,
 * wrong field count, or whatever DuckDB could not read). Rows DuckDB staged but
 * over the row limit are taken out of stg_raw again.
 */
async function finishCsvRead(
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
