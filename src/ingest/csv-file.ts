/**
 * What ddor reads of a CSV file outside DuckDB: its header, a check that it is
 * text, its SHA-256, and, only when some rows were rejected, the line on which
 * each record starts (so errors name real lines even with quoted newlines).
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import { DdorError, InputRejectedError } from '../errors.js';

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

/** Reads and parses the header row; refuses files that are not UTF-8 CSV text. */
export async function readHeader(file: string): Promise<string[]> {
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
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(Math.min(size, 65536));
  readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  if (head.includes(0) || (head[0] === 0x50 && head[1] === 0x4b)) {
    throw fileRejected(
      file,
      1,
      'this is not a CSV text file (it contains binary data)',
      'Export the data as CSV (UTF-8, comma-separated) and import that file.',
    );
  }
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const end = text.search(/\r?\n/);
  const firstLine = end === -1 ? text : text.slice(0, end);
  const records = await new Promise<string[][]>((resolve, reject) => {
    parse(firstLine, { relax_quotes: false }, (err, out: string[][]) => (err ? reject(err) : resolve(out)));
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
  return header.map((h) => h.trim());
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface RecordLines {
  /** Start line (1-based, counting the header) of each well-formed data record, in order. */
  lines: number[];
  /** Records whose field count differs from the header's. */
  malformed: Array<{ line: number; fields: number }>;
}

/** Scans the file once with csv-parse. Used on the error path only. */
export async function scanRecordLines(file: string, columns: number): Promise<RecordLines> {
  const lines: number[] = [];
  const malformed: Array<{ line: number; fields: number }> = [];
  const parser = createReadStream(file).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, from_line: 2 }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    let inner = 0;
    for (const field of record) for (const ch of field) if (ch === '\n') inner++;
    const start = info.lines - inner;
    if (record.length === columns) lines.push(start);
    else malformed.push({ line: start, fields: record.length });
  }
  return { lines, malformed };
}
