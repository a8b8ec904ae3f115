import { writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../domain/spreadsheet.js';
import type { Rejection } from '../errors.js';

/** Writes every rejection as CSV: file, line, column, value, reason, hint. */
export async function writeRejectsCsv(path: string, rejections: Rejection[]): Promise<void> {
  const rows = rejections.map((r) =>
    [r.file, r.line, r.column, r.value ?? '', r.reason, r.hint].map(neutraliseFormula),
  );
  await writeFile(path, stringify([['file', 'line', 'column', 'value', 'reason', 'hint'], ...rows]));
}
