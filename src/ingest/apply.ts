/**
 * Moving validated rows into the store, in portable SQL that runs unchanged on
 * DuckDB and PostgreSQL. A changed record keeps its earlier version in the
 * history table, tagged with the import that superseded it.
 */
import type { RecordTable } from '../store/columns.js';
import type { SqlSession } from '../store/sql-session.js';

export interface ImportMeta {
  kind: 'detainers' | 'policies';
  fileName: string;
  sha256: string;
  rowsRead: number;
  isDemo: boolean;
}

export interface ApplyCounts {
  importId: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
}

const q = (name: string) => `"${name}"`;

export async function applyImport(
  tx: SqlSession,
  table: RecordTable,
  meta: ImportMeta,
): Promise<ApplyCounts> {
  const [{ id }] = (await tx.all<{ id: number }>(
    'SELECT coalesce(max(import_id), 0) + 1 AS id FROM imports',
  )) as [{ id: number }];
  const importId = Number(id);
  const cols = table.columns.map((c) => q(c.name));
  const key = q(table.key);
  const differs = table.columns
    .filter((c) => c.name !== table.key)
    .map((c) => `t.${q(c.name)} IS DISTINCT FROM s.${q(c.name)}`)
    .join(' OR ');

  const [{ n: valid }] = (await tx.all<{ n: number }>('SELECT count(*) AS n FROM stg_valid')) as [
    { n: number },
  ];
  await tx.run(
    `INSERT INTO ${table.history} (${cols.join(', ')}, import_id, superseded_by_import)
     SELECT ${cols.map((c) => `t.${c}`).join(', ')}, t.import_id, ${importId}
     FROM ${table.table} t JOIN stg_valid s ON s.${key} = t.${key} WHERE ${differs}`,
  );
  const updated = Number(
    (
      await tx.all<{ n: number }>(
        `SELECT count(*) AS n FROM ${table.history} WHERE superseded_by_import = ${importId}`,
      )
    )[0]!.n,
  );
  if (updated > 0) {
    await tx.run(
      `DELETE FROM ${table.table} WHERE ${key} IN
       (SELECT ${key} FROM ${table.history} WHERE superseded_by_import = ${importId})`,
    );
  }
  await tx.run(
    `INSERT INTO ${table.table} (${cols.join(', ')}, import_id)
     SELECT ${cols.map((c) => `s.${c}`).join(', ')}, ${importId} FROM stg_valid s
     WHERE NOT EXISTS (SELECT 1 FROM ${table.table} t WHERE t.${key} = s.${key})`,
  );
  // Counted with SELECTs: the drivers' "rows changed" figures differ between backends.
  const count = async (query: string) => Number((await tx.all<{ n: number }>(query))[0]!.n);
  const written = await count(`SELECT count(*) AS n FROM ${table.table} WHERE import_id = ${importId}`);
  const inserted = written - updated;

  if (table.table === 'detainers') {
    await tx.run(
      `INSERT INTO agencies (state, county_fips, name, agency_code, city, first_import_id)
       SELECT state, county_fips, name, max(agency_code), max(city), ${importId} FROM (
         SELECT state, county_fips, agency AS name, agency_code, city FROM stg_valid
         UNION ALL
         SELECT released_by_state, released_by_county_fips, released_by_agency, NULL, released_by_city
         FROM stg_valid WHERE released_by_agency IS NOT NULL
       ) a
       WHERE a.county_fips IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM agencies g WHERE g.state = a.state AND g.county_fips = a.county_fips AND g.name = a.name)
       GROUP BY state, county_fips, name`,
    );
  }

  await tx.run(
    `INSERT INTO quarantine (import_id, kind, file_name, line, column_name, value, reason, hint, record)
     SELECT ${importId}, '${meta.kind}', $1, line, column_name, value, reason, hint, record FROM stg_quarantine`,
    [meta.fileName],
  );

  const quarantined = await count(`SELECT count(*) AS n FROM quarantine WHERE import_id = ${importId}`);
  await tx.run(
    `INSERT INTO imports (import_id, kind, file_name, sha256, rows_read, inserted, updated, unchanged, quarantined, is_demo, imported_at)
     VALUES (${importId}, $1, $2, $3, ${meta.rowsRead}, ${inserted}, ${updated}, ${Number(valid) - written}, ${quarantined}, ${meta.isDemo}, CURRENT_TIMESTAMP)`,
    [meta.kind, meta.fileName, meta.sha256],
  );
  return { importId, inserted, updated, unchanged: Number(valid) - written, quarantined };
}
