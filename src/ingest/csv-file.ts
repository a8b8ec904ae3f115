/**
 * What ddor reads of a CSV file outside DuckDB: its header, a check that it is
 * text, its SHA-256, and one pass that finds where each record starts and how
 * long it is (so every row is accounted for, and errors name real lines even
 * with quoted newlines).
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import { DdorError, InputRejectedError } from '../errors.js';
import { formatBytes, MAX_COLUMNS, MAX_HEADER_BYTES, MAX_ROW_BYTES } from './limits.js';

export function fileRejected(
  file: string,
  line: number,
  reason: string,
  hint: string,
  column = '',
): InputRejectedError {
  return new InputRejectedError(
    `${file} was rejected: ${reason}`,
    [{ file, line, column, value: null, reason, hint }],
    hint,
  );
}

/** Reads and parses the header row (up to MAX_HEADER_BYTES); refuses files that are not UTF-8 CSV text. */
export async function readHeader(file: string): Promise<string[]> {
  return (await readHeaderAndDelimiter(file, false)).header;
}

/**
 * The header and the field separator: a comma, or a tab when `tabs` allows it and the
 * first line has tabs but no comma-separated second column (ICE's older releases, such as
 * the NPR files, are tab-separated, some under a .csv name).
 */
export async function readHeaderAndDelimiter(
  file: string,
  tabs = true,
): Promise<{ header: string[]; delimiter: ',' | '\t' }> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new DdorError(
      'usage',
      `cannot read ${file}: no such file`,
      'Check the path; ddor import takes CSV files.',
    );
  }
  if (size === 0)
    throw fileRejected(file, 1, 'the file is empty', 'A CSV file needs a header row and data rows.');
  // Read until the first line break, in chunks, up to the header limit (and its line break).
  const fd = openSync(file, 'r');
  const chunks: Buffer[] = [];
  let read = 0;
  let end = -1;
  try {
    while (read < Math.min(size, MAX_HEADER_BYTES + 2)) {
      const chunk = Buffer.alloc(Math.min(65536, size - read, MAX_HEADER_BYTES + 2 - read));
      const n = readSync(fd, chunk, 0, chunk.length, read);
      if (n === 0) break;
      if (read === 0 && (chunk.includes(0) || (chunk[0] === 0x50 && chunk[1] === 0x4b))) {
        throw fileRejected(
          file,
          1,
          'this is not a CSV text file (it contains binary data)',
          'Export the data as CSV (UTF-8, comma-separated) and import that file.',
        );
      }
      const at = chunk.subarray(0, n).findIndex((b) => b === 0x0a || b === 0x0d);
      chunks.push(chunk.subarray(0, at === -1 ? n : at));
      if (at !== -1) {
        end = read + at;
        break;
      }
      read += n;
    }
  } finally {
    closeSync(fd);
  }
  const head = Buffer.concat(chunks);
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  if ((end === -1 && size > MAX_HEADER_BYTES + bom) || head.length - bom > MAX_HEADER_BYTES) {
    throw fileRejected(
      file,
      1,
      `the header row is longer than the limit of ${formatBytes(MAX_HEADER_BYTES)}`,
      'The first line must list the column names, comma-separated; check that the file has line breaks.',
    );
  }
  if (head.includes(0)) {
    throw fileRejected(
      file,
      1,
      'this is not a CSV text file (it contains binary data)',
      'Export the data as CSV (UTF-8, comma-separated) and import that file.',
    );
  }
  const firstLine = head.subarray(bom).toString('utf8');
  const delimiter = tabs && firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const records = await new Promise<string[][]>((resolve, reject) => {
    parse(firstLine, { relax_quotes: false, delimiter }, (err, out: string[][]) =>
      err ? reject(err) : resolve(out),
    );
  }).catch((err: Error) => {
    throw fileRejected(
      file,
      1,
      `the header row is not valid CSV: ${err.message}`,
      'The first line must list the column names, comma-separated.',
    );
  });
  const header = records[0];
  if (!header || header.every((h) => h.trim() === '')) {
    throw fileRejected(
      file,
      1,
      'the header row is empty',
      'The first line must list the column names, comma-separated.',
    );
  }
  if (header.length > MAX_COLUMNS) {
    throw fileRejected(
      file,
      1,
      `the header has ${header.length.toLocaleString('en-US')} columns, more than the limit of ${MAX_COLUMNS.toLocaleString('en-US')}`,
      'Keep the columns ddor reads (see the import formats in the README) and drop the rest.',
    );
  }
  return { header: header.map((h) => h.trim()), delimiter };
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Growable list of 32-bit integers (a line number per record: 4 bytes a row). */
class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(v: number) {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** What one pass over a CSV file found. Record indexes are 0-based, data records only (no header). */
export interface RecordScan {
  /** Data records (blank lines are not records). */
  records: number;
  /** Physical line (1-based, counting the header) on which record i starts. */
  line(i: number): number;
  /** The record DuckDB's rejects table calls line `duckLine` (it does not count line breaks inside quotes). */
  recordAtDuckLine(duckLine: number): number | undefined;
  /** Records longer than MAX_ROW_BYTES (without the line break). */
  tooLong: Array<{ index: number; bytes: number }>;
  /** Records whose field count differs from the header's. */
  malformed: Array<{ index: number; fields: number }>;
}

/**
 * One streaming pass over the file with RFC 4180 quoting (comma, double quote,
 * \n, \r\n or \r line breaks): memory stays flat whatever the row lengths.
 * Runs beside DuckDB's read; its count of records is what ddor checks that
 * every row was either staged or rejected against.
 */
export async function scanRecords(file: string, columns: number, delimiter = ','): Promise<RecordScan> {
  const separator = delimiter.charCodeAt(0);
  /** The bytes the scan acts on: line breaks, the quote and the delimiter. */
  const SPECIAL = new Uint8Array(256);
  for (const b of [0x0a, 0x0d, 0x22, separator]) SPECIAL[b] = 1;
  const starts = new IntList();
  const duckLines = new IntList();
  const tooLong: RecordScan['tooLong'] = [];
  const malformed: RecordScan['malformed'] = [];
  let base = 0; // absolute offset of the current chunk
  let inQuotes = false;
  let afterCr = false;
  let empty = true; // nothing of the current record seen yet
  let fields = 1;
  let recordStart = 0;
  let physLine = 1;
  let duckLine = 1;
  let recordLine = 1;
  let recordDuckLine = 1;
  let seenHeader = false;
  let first = true;
  const endRecord = (at: number) => {
    if (!empty) {
      if (!seenHeader) seenHeader = true;
      else {
        const index = starts.length;
        starts.push(recordLine);
        duckLines.push(recordDuckLine);
        const bytes = at - recordStart;
        if (bytes > MAX_ROW_BYTES) tooLong.push({ index, bytes });
        else if (fields !== columns) malformed.push({ index, fields });
      }
    }
    empty = true;
    fields = 1;
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let i = 0;
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        i = 3;
        recordStart = 3;
      }
    }
    for (const n = chunk.length; i < n; i++) {
      // Most bytes are none of the four that matter: skip them in a tight loop (the scan runs
      // beside DuckDB's read of the same file, and a byte-by-byte pass took a core for seconds).
      if (!empty && !afterCr) {
        while (i < n && !SPECIAL[chunk[i]!]) i++;
        if (i === n) break;
      }
      const b = chunk[i]!;
      if (b === 0x0a && afterCr) {
        // the \n of a \r\n: the break was counted at the \r
        afterCr = false;
        if (!inQuotes && empty) recordStart = base + i + 1;
        continue;
      }
      afterCr = b === 0x0d;
      if (b === 0x0a || b === 0x0d) {
        physLine++;
        if (inQuotes) continue;
        endRecord(base + i);
        duckLine++;
        recordStart = base + i + 1;
        continue;
      }
      if (empty) {
        empty = false;
        recordLine = physLine;
        recordDuckLine = duckLine;
      }
      if (b === 0x22) inQuotes = !inQuotes;
      else if (b === separator && !inQuotes) fields++;
    }
    base += chunk.length;
  }
  endRecord(base);
  return {
    records: starts.length,
    line: (i) => starts.data[i]!,
    recordAtDuckLine(line) {
      let lo = 0;
      let hi = duckLines.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const v = duckLines.data[mid]!;
        if (v === line) return mid;
        if (v < line) lo = mid + 1;
        else hi = mid - 1;
      }
      return undefined;
    },
    tooLong,
    malformed,
  };
}
