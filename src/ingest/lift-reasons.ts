/**
 * The lift-reason table (SPEC §2.12): ICE's lift reasons → ddor's outcomes, as
 * data. ddor ships one (data/lift-reasons.csv, the README's table);
 * `ddor import detainers --lift-reasons FILE` uses another. A table is checked
 * whole before any detainer file is read: header `lift_reason,outcome[,why]`,
 * every outcome one of SPEC §1's, no reason twice (compared as the import
 * compares them: case, accents and punctuation folded).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { OUTCOMES, type Outcome } from '../domain/vocab.js';
import { DdorError, InputRejectedError, type Rejection } from '../errors.js';
import { dataPath } from '../paths.js';

export interface LiftReasonRow {
  /** The reason as the table writes it ('' for the row documenting a blank reason). */
  reason: string;
  outcome: Outcome;
  why: string;
  /** The table's line the row starts on (the header is line 1). */
  line: number;
}

export interface LiftTable {
  /** The file's name, without its folder (what reports and `ddor imports` show). */
  name: string;
  path: string;
  sha256: string;
  /** The table shipped with ddor (or a byte-identical copy of it). */
  isDefault: boolean;
  rows: readonly LiftReasonRow[];
}

/**
 * A reason's matching key, the same as the import's `ddor_key` SQL macro (src/ingest/refs.ts):
 * trimmed, lower-cased, accents stripped, "saint" as "st", then letters and digits only.
 */
export function liftReasonKey(reason: string): string {
  return reason
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\bsaint\b/g, 'st')
    .replace(/[^a-z0-9]/g, '');
}

const HEADER = ['lift_reason', 'outcome', 'why'];
const FORMAT_HINT =
  'A lift-reason table is a UTF-8 CSV with the header lift_reason,outcome,why (why is optional), one reason per row; see the README, "Lift reasons → outcomes".';

export const defaultLiftTablePath = (): string => dataPath('lift-reasons.csv');

let shipped: LiftTable | undefined;

/** The table shipped with ddor. */
export function defaultLiftTable(): LiftTable {
  shipped ??= readTable(defaultLiftTablePath(), true);
  return shipped;
}

/** Reads and checks a lift-reason table; a byte-identical copy of the shipped table counts as the default. */
export function loadLiftTable(path: string): LiftTable {
  const table = readTable(path, false);
  return table.sha256 === defaultLiftTable().sha256 ? { ...table, isDefault: true } : table;
}

function readTable(path: string, isDefault: boolean): LiftTable {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DdorError(
      'usage',
      code === 'ENOENT'
        ? `cannot read the lift-reason table ${path}: no such file`
        : `cannot read the lift-reason table ${path}: ${code === 'EISDIR' ? 'it is a folder' : String(error)}`,
      'Check the path given to --lift-reasons.',
    );
  }
  const reject = (problems: Rejection[]): never => {
    throw new InputRejectedError(
      `${path} was rejected: it is not a valid lift-reason table; nothing was imported`,
      problems,
      problems[0]?.hint ?? FORMAT_HINT,
    );
  };
  const at = (line: number, column: string, value: string | null, reason: string, hint = FORMAT_HINT) => ({
    file: path,
    line,
    column,
    value,
    reason,
    hint,
  });

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return reject([at(1, '', null, 'the file is not valid UTF-8 text', 'Save the table as CSV UTF-8.')]);
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    const e = error as { lines?: number; message?: string };
    return reject([at(e.lines ?? 1, '', null, e.message ?? String(error))]);
  }
  if (records.length === 0) return reject([at(1, '', null, 'the file is empty')]);

  // A record ends on info.lines; it starts as many lines earlier as its fields hold line breaks.
  const startLine = (r: { record: string[]; info: { lines: number } }) =>
    r.info.lines - r.record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
  const header = records[0]!.record.map((h) => h.trim().toLowerCase());
  const headerLine = startLine(records[0]!);
  const problems: Rejection[] = [];
  header.forEach((h, i) => {
    if (h !== HEADER[i]) {
      problems.push(
        at(
          headerLine,
          records[0]!.record[i] || `#${i + 1}`,
          null,
          i < HEADER.length
            ? `column ${i + 1} of the header must be ${HEADER[i]}`
            : 'the header has a column after lift_reason,outcome,why',
        ),
      );
    }
  });
  if (header.length < 2) {
    problems.push(
      at(headerLine, HEADER[header.length]!, null, `the header has no ${HEADER[header.length]} column`),
    );
  }
  if (problems.length > 0) return reject(problems);

  const rows: LiftReasonRow[] = [];
  const seen = new Map<string, number>();
  for (const r of records.slice(1)) {
    const line = startLine(r);
    const reason = (r.record[0] ?? '').trim();
    const outcome = (r.record[1] ?? '').trim();
    const why = (r.record[2] ?? '').trim();
    const key = liftReasonKey(reason);
    let bad = false;
    const refuse = (column: string, value: string, reason: string, hint: string) => {
      bad = true;
      problems.push(at(line, column, value, reason, hint));
    };
    if (!(OUTCOMES as readonly string[]).includes(outcome)) {
      refuse(
        'outcome',
        outcome,
        outcome === '' ? 'no outcome given' : 'not an outcome',
        `Use one of ${OUTCOMES.join(', ')}.`,
      );
    }
    if (reason === '' && outcome !== 'pending' && !bad) {
      refuse(
        'outcome',
        outcome,
        'a blank lift reason is always pending',
        'A detainer without a lift reason is still open: its row, if any, says pending.',
      );
    }
    if (reason !== '' && key === '') {
      refuse(
        'lift_reason',
        reason,
        'not a lift reason: it has no letters or digits',
        'Reasons are matched by their letters and digits; write the reason as ICE spells it.',
      );
    }
    const earlier = reason !== '' && key === '' ? undefined : seen.get(key);
    if (earlier !== undefined) {
      refuse(
        'lift_reason',
        reason,
        `the same lift reason as line ${earlier}`,
        'Reasons are compared with case, accents, spaces and punctuation folded; keep one row per reason.',
      );
    } else if (reason === '' || key !== '') {
      seen.set(key, line);
    }
    if (!bad) rows.push({ reason, outcome: outcome as Outcome, why, line });
  }
  if (problems.length > 0) return reject(problems);
  if (rows.length === 0) return reject([at(headerLine, '', null, 'the table has no rows')]);
  return {
    name: basename(path),
    path: resolve(path),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    isDefault,
    rows,
  };
}
