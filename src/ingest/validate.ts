/**
 * Step 2 of an import: the staged rows judged, set-wise. Identifiers typed
 * into values are masked first; the spec normalises the rows (`stg_norm`);
 * every rule runs in one query that also computes the values to store
 * (`stg_valid`); only the bad rows, usually none, are read again to say what
 * is wrong with each, located in the file by the reader.
 */
import type { Rejection } from '../errors.js';
import type { DuckSession } from '../store/duckdb/session.js';
import { screenIdentifiers } from './privacy.js';
import { createReferenceTables } from './refs.js';
import { anyRuleBroken, nameLengthRules, rejectsQuery } from './rules.js';
import type { ImportSpec, ReadResult } from './spec.js';

/** A rejection and the staged record it came from (null: refused while reading). */
export interface LocatedRejection extends Rejection {
  rec: number | null;
}

export interface Validation {
  /** Every rejection, structural and by rule, sorted by file, line, column and reason. */
  rejections: LocatedRejection[];
  /** Rows with at least one rejection. */
  rejectedRows: number;
  /** Cells in which an identifier was found by pattern. */
  identifierCells: number;
}

/** The SELECT list over stg_norm giving each column of the record table, in table order. */
function storedValues(spec: ImportSpec): string {
  const columns = new Set(spec.table.columns.map((c) => c.name));
  const unknown = Object.keys(spec.validSelect).filter((name) => !columns.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `ddor: the ${spec.kind} format stores ${unknown.join(', ')}, not columns of ${spec.table.table}`,
    );
  }
  return spec.table.columns.map((c) => spec.validSelect[c.name] ?? 'NULL').join(', ');
}

/**
 * Validates `stg_raw`. Leaves `stg_valid` (the rows to store: `rec`, their place
 * among the staged records, then the record table's columns) and `stg_raw`
 * (masked) for the steps after it.
 */
export async function validateStaged(
  stage: DuckSession,
  spec: ImportSpec,
  file: string,
  read: ReadResult,
  context: unknown,
  redactIdentifiers: boolean,
): Promise<Validation> {
  await createReferenceTables(stage);
  // Identifiers typed into other columns are masked before any rule can echo them.
  const screen = await screenIdentifiers(stage, spec.kind, redactIdentifiers);
  await spec.normalize(stage, context);
  const rules = [...nameLengthRules(spec.columns), ...spec.rules];
  // One pass over the normalised rows: the values to store, and whether the row breaks any rule.
  const cols = spec.table.columns.map((c) => `"${c.name}"`).join(', ');
  await stage.run(`CREATE OR REPLACE TEMP TABLE stg_checked AS
    SELECT * FROM (SELECT rec, ${anyRuleBroken(rules)} OR rec IN (SELECT rec FROM stg_pii), ${storedValues(spec)}
      FROM stg_norm) t(rec, ddor_bad, ${cols})`);
  await stage.run(
    `CREATE OR REPLACE TEMP VIEW stg_valid AS SELECT rec, ${cols} FROM stg_checked WHERE NOT ddor_bad`,
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
  if (bad > 0) rejections.push(...(await locatedRejects(stage, file, read)));
  rejections.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column.localeCompare(b.column) ||
      a.reason.localeCompare(b.reason),
  );
  return {
    rejections,
    rejectedRows: Number(bad) + read.structural.length,
    identifierCells: screen.cells,
  };
}

/** The rows of stg_rejects with their file and line; `{record N}` in a reason becomes that record's line. */
async function locatedRejects(
  stage: DuckSession,
  file: string,
  read: ReadResult,
): Promise<LocatedRejection[]> {
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
  return cells.map((c) => {
    const loc = at(Number(c.rec));
    return {
      file: loc.file,
      line: loc.line,
      column: c.column_name,
      value: c.value,
      reason: c.reason.replace(/\{record (\d+)\}/g, (_, r: string) => `line ${at(Number(r)).line}`),
      hint: c.hint,
      rec: Number(c.rec),
    };
  });
}
