/**
 * Step 3 of an import: what becomes of rejected rows. All of them go to the
 * rejects CSV; then the file is refused whole (the default), or, under
 * --accept-partial, each rejected cell is staged for the quarantine table
 * with its row's known columns (never the dropped ones).
 */
import { InputRejectedError, type Rejection } from '../errors.js';
import type { DuckSession } from '../store/duckdb/session.js';
import { sqlString, sqlValue } from '../store/sql.js';
import { type StagedTable, textColumns } from '../store/store.js';
import { writeRejectsCsv } from './rejects.js';
import type { ImportSpec } from './spec.js';
import type { LocatedRejection, Validation } from './validate.js';

/** How many rejections an error or a summary lists (the rejects file has all). */
const MAX_LISTED = 1000;

/** The staged quarantine rows an import moves into the store. */
export const STAGED_QUARANTINE: StagedTable = {
  name: 'stg_quarantine',
  columns: [
    { name: 'line', type: 'integer' },
    ...textColumns('column_name', 'value', 'reason', 'hint', 'record'),
  ],
};
const DUCKDB_TYPES = { text: 'VARCHAR', date: 'DATE', integer: 'INTEGER' } as const;

/** The first rejections, as a user sees them. */
export const listed = (rejections: LocatedRejection[]): Rejection[] =>
  rejections.slice(0, MAX_LISTED).map(({ rec: _, ...r }) => r);

export interface RejectionOptions {
  acceptPartial?: boolean;
  /** Where to write rejected rows; false to write none. Default: `<file>.rejects.csv` beside the input. */
  rejectsPath?: string | false;
}

/**
 * Writes the rejects file and refuses the file if any row was rejected, unless
 * `acceptPartial`; then `stg_quarantine` holds the rejected cells. Returns the
 * rejects file written, if any.
 */
export async function settleRejections(
  stage: DuckSession,
  spec: ImportSpec,
  file: string,
  rowsRead: number,
  { rejections, rejectedRows }: Validation,
  options: RejectionOptions,
): Promise<string | null> {
  let rejectsFile: string | null = null;
  if (rejections.length > 0 && options.rejectsPath !== false) {
    rejectsFile = options.rejectsPath ?? `${file}.rejects.csv`;
    await writeRejectsCsv(rejectsFile, rejections);
  }

  if (rejectedRows > 0 && !options.acceptPartial) {
    throw new InputRejectedError(
      `${file}: ${rejectedRows} of ${rowsRead} rows rejected; nothing was imported`,
      listed(rejections),
      `Correct the rows listed${rejectsFile ? ` (all of them are in ${rejectsFile})` : ''} and import again, or pass --accept-partial to load the valid rows and quarantine the rest.`,
      rejections.length,
    );
  }

  const defs = STAGED_QUARANTINE.columns.map((c) => `${c.name} ${DUCKDB_TYPES[c.type]}`).join(', ');
  await stage.run(`CREATE OR REPLACE TEMP TABLE ${STAGED_QUARANTINE.name} (${defs})`);
  if (rejections.length > 0) await fillQuarantine(stage, spec, rejections);
  return rejectsFile;
}

/** One quarantine row per rejected cell, with the row's known columns as JSON (never the dropped ones). */
async function fillQuarantine(stage: DuckSession, spec: ImportSpec, rejections: LocatedRejection[]) {
  const rows = rejections.map(
    (r) =>
      `(${r.rec ?? 0}, ${r.line}, ${sqlString(r.column)}, ${sqlValue(r.value)}, ${sqlString(r.reason)}, ${sqlString(r.hint)})`,
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
