/**
 * Bulk loads into PostgreSQL: keeping a table's indexes up to date row by row costs several
 * times what the insert itself does, and building them afresh afterwards costs far less when
 * most of the table's rows are new. So when an insert at least doubles a table, its indexes and
 * key constraints are dropped for the insert and rebuilt, under the same names, before the
 * transaction commits: all or nothing as before (DDL is transactional), and a key the insert
 * broke fails the rebuild, and so the import. The cost: the table is locked for that transaction
 * (readers wait for the commit instead of reading the rows before it). DuckDB's tables carry no
 * such indexes (store/migrations), so there the insert runs as it is.
 */
import type { SqlSession } from './sql-session.js';

/** A table smaller than this is never worth the rebuild. */
const BULK_ROWS = 50_000;

interface Rebuild {
  drop: string;
  create: string;
}

/** The DDL that drops and re-creates each index and key constraint of `table` (PostgreSQL). */
async function rebuildsOf(tx: SqlSession, table: string): Promise<Rebuild[]> {
  const rows = await tx.all<{ name: string; constraint_def: string | null; index_def: string }>(
    `SELECT i.relname AS name, pg_get_constraintdef(c.oid) AS constraint_def, pg_get_indexdef(i.oid) AS index_def
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
     WHERE x.indrelid = to_regclass($1)
     ORDER BY c.oid IS NULL, i.relname`,
    [table],
  );
  return rows.map((r) =>
    r.constraint_def
      ? {
          drop: `ALTER TABLE ${table} DROP CONSTRAINT "${r.name}"`,
          create: `ALTER TABLE ${table} ADD CONSTRAINT "${r.name}" ${r.constraint_def}`,
        }
      : { drop: `DROP INDEX "${r.name}"`, create: r.index_def },
  );
}

/**
 * Runs `insert` (which adds `rows` rows to `table`) with the table's indexes rebuilt after it
 * instead of kept up to date by it, when that is cheaper: on PostgreSQL, for an insert of at
 * least BULK_ROWS rows into a table holding fewer rows than that.
 */
export async function bulkInsert(
  tx: SqlSession,
  table: string,
  rows: number,
  insert: () => Promise<unknown>,
): Promise<void> {
  if (tx.dialect !== 'postgres' || rows < BULK_ROWS) {
    await insert();
    return;
  }
  // Counting stops at `rows`: never more work than the insert's own.
  const [held] = await tx.all<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM ${table} LIMIT $1) t`,
    [rows],
  );
  if (Number(held?.n) >= rows) {
    await insert();
    return;
  }
  const rebuilds = await rebuildsOf(tx, table);
  for (const r of rebuilds) await tx.run(r.drop);
  await insert();
  for (const r of rebuilds) await tx.run(r.create);
  // The planner's figures of the table, which is mostly new rows now (autovacuum would take its time).
  await tx.run(`ANALYZE ${table}`);
}
