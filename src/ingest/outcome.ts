/**
 * Recording one detainer's outcome by hand: an outcome that arrived by phone or
 * email (issue 11). The change is checked by the importer itself — the record,
 * with the change applied, goes through a dry run of the canonical CSV import,
 * so the same rules give the same reasons — then written like an import of one
 * record: an `imports` row ("manual entry"), the earlier version kept in the
 * history, and one audit row with the fields before and after, in one transaction.
 *
 * A record's version is the import that last changed it (`import_id`): a writer
 * sends the version it saw, and a record changed meanwhile is refused (HTTP 412)
 * naming the fields that changed since.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { DdorError, InputRejectedError, type Rejection } from '../errors.js';
import { recordAudit } from '../store/audit.js';
import { DETAINER_COLUMNS } from '../store/columns.js';
import type { DetainerColumns } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { makeTempDir, removeTempDir } from '../temp-files.js';
import { detainerSpec } from './detainers.js';
import { importFile } from './import.js';

/** The fields an outcome consists of: what the form and the API may change. */
export const OUTCOME_FIELDS = [
  'outcome',
  'declined_date',
  'recorded_date',
  'released_by_agency',
  'released_by_city',
  'released_by_county_fips',
  'released_by_state',
  'source',
] as const;
export type OutcomeField = (typeof OUTCOME_FIELDS)[number];

export type OutcomeChange = { outcome: string } & Partial<
  Record<Exclude<OutcomeField, 'outcome'>, string | null>
>;

export type DetainerRecord = DetainerColumns & { version: string };

/** A record's fields as stored, with its version; null when no record has that id. */
export async function detainerRecord(store: Store, id: string): Promise<DetainerRecord | null> {
  const row = await store.db
    .selectFrom('detainers')
    .selectAll()
    .where('detainer_id', '=', id)
    .executeTakeFirst();
  return row ? { ...row, import_id: Number(row.import_id), version: String(Number(row.import_id)) } : null;
}

/** A write based on a version that is no longer the record's: what changed since. */
export class StaleVersionError extends DdorError {
  constructor(
    readonly current: string,
    readonly changed: string[],
  ) {
    super(
      'conflict',
      `the record changed after you read it (version ${current} now); changed: ${changed.join(', ') || 'its version'}`,
      'Reload the record, check the new values, and make your change again.',
    );
  }
}

/** Field errors of a refused change, in the importer's words. */
export class OutcomeRejectedError extends InputRejectedError {}

const canonicalColumns = detainerSpec.columns.map((c) => c.name);

/** The canonical CSV row of a stored record with a change applied (the importer's input). */
function canonicalRow(
  record: DetainerColumns,
  change: Partial<Record<OutcomeField, string | null>>,
  countyOfFacility: string | null,
) {
  const merged: Record<string, string | null> = { ...(record as unknown as Record<string, string | null>) };
  for (const f of OUTCOME_FIELDS) if (f in change) merged[f] = change[f] ?? null;
  merged.county_fips = record.county_fips ?? countyOfFacility;
  merged.county = null;
  merged.released_by_county = null;
  return canonicalColumns.map((c) => merged[c] ?? '');
}

async function fieldsChangedSince(store: Store, id: string, version: string, now: DetainerColumns) {
  const seen = await store.db
    .selectFrom('detainer_history')
    .selectAll()
    .where('detainer_id', '=', id)
    .where('import_id', '=', Number(version))
    .executeTakeFirst();
  if (!seen) return [];
  // The record's own columns (its version is which import wrote it, not a field).
  return DETAINER_COLUMNS.map((c) => c.name as keyof DetainerColumns).filter(
    (k) => String(seen[k] ?? '') !== String(now[k] ?? ''),
  );
}

export interface RecordedOutcome {
  record: DetainerRecord;
  importId: number;
  changed: OutcomeField[];
}

/**
 * Records a detainer's outcome. `version` is the version the writer saw
 * (`null`: no precondition, for the CLI-like callers that just read it).
 */
export async function recordOutcome(
  store: Store,
  id: string,
  change: OutcomeChange,
  version: string | null,
): Promise<RecordedOutcome> {
  const record = await detainerRecord(store, id);
  if (!record)
    throw new DdorError(
      'not_found',
      'no detainer record has that id',
      'Find the record in the import it came from.',
    );
  if (version !== null && version !== record.version) {
    const changed = await fieldsChangedSince(store, id, version, record);
    throw new StaleVersionError(record.version, changed);
  }
  // A declined detainer's recorded date defaults to its declined date, as in the importer.
  const next: Partial<Record<OutcomeField, string | null>> = { ...change };
  if (next.outcome === 'declined' && !next.recorded_date && next.declined_date)
    next.recorded_date = next.declined_date;
  for (const f of OUTCOME_FIELDS) if (next[f] === '') next[f] = null;
  const changed = OUTCOME_FIELDS.filter(
    (f) => f in next && (next[f] ?? null) !== ((record[f] as string | null) ?? null),
  );
  if (changed.length === 0)
    throw new DdorError(
      'conflict',
      'nothing to change: the record already says this',
      'Change a field first.',
    );

  const facility = record.facility_key
    ? await store.db
        .selectFrom('facilities')
        .select('county_fips')
        .where('facility_key', '=', record.facility_key)
        .executeTakeFirst()
    : undefined;
  // The importer's own check, as a dry run of the record with the change applied.
  const dir = makeTempDir('outcome');
  const file = join(dir, 'outcome.csv');
  try {
    writeFileSync(
      file,
      stringify([canonicalColumns, canonicalRow(record, next, facility?.county_fips ?? null)]),
    );
    await importFile(store, detainerSpec, file, { dryRun: true, rejectsPath: false });
  } catch (error) {
    if (!(error instanceof InputRejectedError)) throw error;
    // Only the fields being changed are the writer's: stored facts of other fields stand as imported.
    const own = error.rejections.filter((r) => (OUTCOME_FIELDS as readonly string[]).includes(r.column));
    if (own.length > 0) {
      const shown: Rejection[] = own.map((r) => ({ ...r, file: 'the form', line: 1 }));
      throw new OutcomeRejectedError(
        `the outcome was not recorded: ${own[0]!.column} ${own[0]!.reason}`,
        shown,
      );
    }
  } finally {
    removeTempDir(dir);
  }

  const before = Object.fromEntries(changed.map((f) => [f, record[f] ?? null]));
  const after = Object.fromEntries(changed.map((f) => [f, next[f] ?? null]));
  const sha256 = createHash('sha256').update(JSON.stringify({ id, after })).digest('hex');
  const importId = await store.db.transaction().execute(async (tx) => {
    const { n } = (await tx
      .selectFrom('imports')
      .select((eb) => eb.fn.max('import_id').as('n'))
      .executeTakeFirstOrThrow()) as { n: number | null };
    const importId = Number(n ?? 0) + 1;
    const { version: _, ...stored } = record;
    await tx
      .insertInto('detainer_history')
      .values({ ...stored, superseded_by_import: importId })
      .execute();
    const updated = await tx
      .updateTable('detainers')
      .set({ ...(after as Partial<DetainerColumns>), import_id: importId })
      .where('detainer_id', '=', id)
      .where('import_id', '=', record.import_id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      // Someone changed it between our read and this write: nothing of ours stays.
      throw new StaleVersionError('newer', []);
    }
    await tx
      .insertInto('imports')
      .values({
        import_id: importId,
        kind: 'detainers',
        file_name: `manual entry by ${store.actor.name}`,
        sha256,
        rows_read: 1,
        inserted: 0,
        updated: 1,
        unchanged: 0,
        quarantined: 0,
        is_demo: false,
        imported_at: new Date().toISOString(),
        lift_table_name: null,
        lift_table_sha256: null,
      })
      .execute();
    await recordAudit(tx, store.actor, {
      action: 'outcome.record',
      target: `detainer ${id}`,
      detail: { import_id: importId, version_before: record.version, before, after },
    });
    return importId;
  });
  return { record: (await detainerRecord(store, id))!, importId, changed };
}
