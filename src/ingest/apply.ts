/**
 * Step 4 of an import: the validated rows against the store, in portable SQL
 * that runs unchanged on DuckDB and PostgreSQL. What would change (new,
 * updated, unchanged records) is counted first, in one read-only query; only
 * a committing import then writes, in the same transaction. A changed record
 * keeps its earlier version in the history table, tagged with the import that
 * superseded it.
 */
import { recordAudit } from '../store/audit.js';
import { bulkInsert } from '../store/bulk-load.js';
import type { RecordTable } from '../store/columns.js';
import type { DuckSession } from '../store/duckdb/session.js';
import type { SqlSession } from '../store/sql-session.js';
import { type StagedRows, type StagedTable, type Store, textColumns } from '../store/store.js';
import { STAGED_QUARANTINE } from './rejections.js';
import type { ImportSpec } from './spec.js';

export interface ImportMeta {
  kind: 'detainers' | 'policies';
  fileName: string;
  sha256: string;
  rowsRead: number;
  isDemo: boolean;
}

export interface Changes {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ApplyCounts extends Changes {
  /** The import written, or null when nothing was (a dry run). */
  importId: number | null;
}

const q = (name: string) => `"${name}"`;

/** SQL: stored record `t` differs from staged record `s` with the same key. */
const differs = (table: RecordTable) =>
  table.columns
    .filter((c) => c.name !== table.key)
    .map((c) => `t.${q(c.name)} IS DISTINCT FROM s.${q(c.name)}`)
    .join(' OR ');

/**
 * Counts what `stg_valid` would change in `table`; with `commit`, writes it
 * (records, history, agencies, quarantine, the import row, the spec's extras).
 */
export async function applyImport(
  store: Store,
  stage: DuckSession,
  spec: ImportSpec,
  meta: ImportMeta,
  { commit }: { commit: boolean },
): Promise<ApplyCounts> {
  // The valid rows are brought in by countChanges, only as far as it needs them.
  const staged = commit ? [STAGED_QUARANTINE, ...(spec.extraStaged ?? [])] : [];
  if (commit && spec.table.table === 'detainers') {
    await stageAgencies(stage);
    staged.push(STAGED_AGENCIES);
  }
  return store.applyStaged(stage, staged, async (tx, rows) => {
    const changes = await countChanges(tx, stage, rows, spec.table);
    if (!commit) return { ...changes, importId: null };
    const { importId, quarantined } = await writeImport(tx, rows, spec.table, meta, changes);
    await spec.afterApply?.(tx, importId);
    // The audit row commits with the import, or not at all.
    await recordAudit(tx, store.actor, {
      action: meta.isDemo ? 'demo.load' : `import.${meta.kind}`,
      target: meta.fileName,
      detail: {
        import_id: importId,
        sha256: meta.sha256,
        rows_read: meta.rowsRead,
        ...changes,
        quarantined,
      },
    });
    return { ...changes, importId };
  });
}

/** The agencies (and releasing agencies) of the rows to store, one row each: a few thousand rows, whatever the file's size. */
const STAGED_AGENCIES: StagedTable = {
  name: 'stg_agencies',
  columns: textColumns('state', 'county_fips', 'name', 'agency_code', 'city'),
};

/** Groups the staged detainers' agencies in the staging session (DuckDB), so that only the groups reach the store. */
async function stageAgencies(stage: DuckSession): Promise<void> {
  await stage.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGED_AGENCIES.name} AS
     SELECT state, county_fips, name, max(agency_code) AS agency_code, max(city) AS city FROM (
       SELECT state, county_fips, agency AS name, agency_code, city FROM stg_valid
       UNION ALL
       SELECT released_by_state, released_by_county_fips, released_by_agency, NULL, released_by_city
       FROM stg_valid WHERE released_by_agency IS NOT NULL
     ) a
     WHERE county_fips IS NOT NULL
     GROUP BY state, county_fips, name`,
  );
}

/** New, updated and unchanged records, and whether every valid row is a new record. */
interface Counted extends Changes {
  /** No valid row's key is in the table: the rows can be appended as they are. */
  allNew: boolean;
}

/**
 * New, updated and unchanged records, counted with read-only SELECTs (the drivers' "rows
 * changed" figures differ). Where the valid rows must be copied to be compared (PostgreSQL),
 * their keys go first: when none is in the table already (a first load, a new week's file),
 * every row is new and the rows themselves are copied once, straight into the table
 * (writeImport); only otherwise are they copied to be compared column by column.
 */
async function countChanges(
  tx: SqlSession,
  stage: DuckSession,
  rows: StagedRows,
  table: RecordTable,
): Promise<Counted> {
  const key = q(table.key);
  if (rows.copies) {
    const [{ n: valid }] = (await stage.all<{ n: number }>('SELECT count(*) AS n FROM stg_valid')) as [
      { n: number },
    ];
    const [{ held }] = (await tx.all<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${table.table}) AS held`,
    )) as [{ held: boolean }];
    let known = 0;
    if (held) {
      const keys: StagedTable = { name: 'stg_valid_keys', columns: [{ name: table.key, type: 'text' }] };
      await stage.run(`CREATE OR REPLACE TEMP VIEW ${keys.name} AS SELECT ${key} FROM stg_valid`);
      await rows.bring(keys);
      const [{ n }] = (await tx.all<{ n: number }>(
        `SELECT count(*) AS n FROM ${keys.name} s JOIN ${table.table} t ON t.${key} = s.${key}`,
      )) as [{ n: number }];
      known = Number(n);
    }
    if (known === 0) return { inserted: Number(valid), updated: 0, unchanged: 0, allNew: true };
    await rows.bring({ name: 'stg_valid', columns: table.columns });
  }
  const [row] = (await tx.all<{ valid: number; inserted: number; updated: number }>(
    `SELECT count(*) AS valid,
       count(*) FILTER (WHERE t.${key} IS NULL) AS inserted,
       count(*) FILTER (WHERE t.${key} IS NOT NULL AND (${differs(table)})) AS updated
     FROM stg_valid s LEFT JOIN ${table.table} t ON t.${key} = s.${key}`,
  )) as [{ valid: number; inserted: number; updated: number }];
  const inserted = Number(row.inserted);
  const updated = Number(row.updated);
  const unchanged = Number(row.valid) - inserted - updated;
  return { inserted, updated, unchanged, allNew: updated + unchanged === 0 };
}

/** Writes the import whose changes were counted; returns its id and how many rows it quarantined. */
async function writeImport(
  tx: SqlSession,
  rows: StagedRows,
  table: RecordTable,
  meta: ImportMeta,
  changes: Counted,
) {
  const [{ id }] = (await tx.all<{ id: number }>(
    'SELECT coalesce(max(import_id), 0) + 1 AS id FROM imports',
  )) as [{ id: number }];
  const importId = Number(id);
  const cols = table.columns.map((c) => q(c.name));
  const key = q(table.key);

  if (changes.updated > 0) {
    await tx.run(
      `INSERT INTO ${table.history} (${cols.join(', ')}, import_id, superseded_by_import)
       SELECT ${cols.map((c) => `t.${c}`).join(', ')}, t.import_id, ${importId}
       FROM ${table.table} t JOIN stg_valid s ON s.${key} = t.${key} WHERE ${differs(table)}`,
    );
    await tx.run(
      `DELETE FROM ${table.table} WHERE ${key} IN
       (SELECT ${key} FROM ${table.history} WHERE superseded_by_import = ${importId})`,
    );
  }
  await bulkInsert(tx, table.table, changes.inserted, async () => {
    if (changes.allNew && rows.copies) {
      await rows.append(
        table.table,
        [...table.columns, { name: 'import_id', type: 'integer' }],
        `SELECT rec, ${cols.join(', ')}, ${importId} FROM stg_valid`,
        'rec',
      );
      return;
    }
    // The staged rows are in reach of the transaction (DuckDB's own, or copied to PostgreSQL).
    const order = tx.dialect === 'duckdb' && table.storedOrder ? ` ORDER BY ${table.storedOrder}` : '';
    await tx.run(
      `INSERT INTO ${table.table} (${cols.join(', ')}, import_id)
       SELECT ${cols.map((c) => `s.${c}`).join(', ')}, ${importId} FROM stg_valid s${
         changes.allNew ? '' : ` WHERE NOT EXISTS (SELECT 1 FROM ${table.table} t WHERE t.${key} = s.${key})`
       }${order}`,
    );
  });

  if (table.table === 'detainers') {
    await tx.run(
      `INSERT INTO agencies (state, county_fips, name, agency_code, city, first_import_id)
       SELECT state, county_fips, name, agency_code, city, ${importId} FROM ${STAGED_AGENCIES.name} a
       WHERE NOT EXISTS (SELECT 1 FROM agencies g WHERE g.state = a.state AND g.county_fips = a.county_fips AND g.name = a.name)`,
    );
  }

  await tx.run(
    `INSERT INTO quarantine (import_id, kind, file_name, line, column_name, value, reason, hint, record)
     SELECT ${importId}, '${meta.kind}', $1, line, column_name, value, reason, hint, record FROM stg_quarantine`,
    [meta.fileName],
  );
  const [{ n: quarantined }] = (await tx.all<{ n: number }>(
    `SELECT count(*) AS n FROM quarantine WHERE import_id = ${importId}`,
  )) as [{ n: number }];
  await tx.run(
    `INSERT INTO imports (import_id, kind, file_name, sha256, rows_read, inserted, updated, unchanged, quarantined, is_demo, imported_at)
     VALUES (${importId}, $1, $2, $3, ${meta.rowsRead}, ${changes.inserted}, ${changes.updated}, ${changes.unchanged}, ${Number(quarantined)}, ${meta.isDemo}, CURRENT_TIMESTAMP)`,
    [meta.kind, meta.fileName, meta.sha256],
  );
  return { importId, quarantined: Number(quarantined) };
}
