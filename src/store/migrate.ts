import { type Kysely, Migrator, sql } from 'kysely';
import { storeError } from '../errors.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

/** Brings the schema up to date. A failed migration leaves the store as it was (DDL is transactional on both). */
export async function migrateToLatest(db: Kysely<Database>, dialect: 'duckdb' | 'postgres'): Promise<void> {
  const all = migrations(dialect);
  if (await isCurrent(db, Object.keys(all))) return;
  // Name the schema: PostgreSQL's introspection sees every schema, and a store in one
  // schema must not mistake another schema's migration tables for its own.
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  const migrator = new Migrator({
    db,
    migrationTableSchema: rows[0]?.schema,
    provider: { getMigrations: async () => all },
    migrationTableName: 'ddor_migration',
    migrationLockTableName: 'ddor_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw storeError(
      `migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
      'The store was left unchanged. Check that this ddor version matches the store, or start a new store with --db.',
    );
  }
}

/**
 * Whether every migration has run already (the common case: one short query), so that
 * opening a current store skips the Migrator's introspection of every table.
 */
async function isCurrent(db: Kysely<Database>, names: string[]): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`SELECT name FROM ddor_migration`.execute(db);
    const done = new Set(rows.map((r) => r.name));
    return rows.length === names.length && names.every((n) => done.has(n));
  } catch {
    return false; // a new store: no migration table yet
  }
}
