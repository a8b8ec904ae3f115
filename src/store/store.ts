/**
 * The Store: one interface, two backends (embedded DuckDB, shared PostgreSQL)
 * behind Kysely's dialect seam. Queries are written once with Kysely; the only
 * backend-specific code is how a connection is opened and how staged rows
 * reach the store (same connection on DuckDB, COPY on PostgreSQL).
 */
import type { Kysely } from 'kysely';
import type { Actor } from './audit.js';
import type { ColumnDef } from './columns.js';
import type { DuckSession } from './duckdb/session.js';
import type { Database } from './schema.js';
import type { SqlSession } from './sql-session.js';

/** A table in the staging session whose rows an import moves into the store. */
export interface StagedTable {
  name: string;
  columns: readonly ColumnDef[];
}

/**
 * The staging session's rows, as an import's transaction reaches them (Store.applyStaged).
 * On DuckDB staging is the store's own connection and everything is in reach already; on
 * PostgreSQL each is a COPY, so an import copies only what it needs.
 */
export interface StagedRows {
  /** True where reaching a staged table costs a copy of its rows (PostgreSQL). */
  readonly copies: boolean;
  /** Makes the staging table `table` readable in the transaction under its own name. */
  bring(table: StagedTable): Promise<void>;
  /**
   * Appends the rows of `select`, a query of the staging session, to the store's table `into`.
   * `sliceBy` names an integer column of `select` that is not stored, ascending in the staged
   * rows' order (their `rec`), by whose ranges a large copy may go in slices.
   */
  append(into: string, columns: readonly ColumnDef[], select: string, sliceBy?: string): Promise<void>;
}

/** Text columns, by name (most staged columns are text). */
export const textColumns = (...names: string[]): ColumnDef[] => names.map((name) => ({ name, type: 'text' }));

export interface Store {
  readonly kind: 'duckdb' | 'postgres';
  /** Where the store lives, without credentials: a file path or a redacted URL. */
  readonly location: string;
  readonly db: Kysely<Database>;
  /** Who writes through this handle: every write's audit row names it (store/audit.ts). */
  readonly actor: Actor;
  /**
   * Runs `fn` with a DuckDB session for staging and validating an input file:
   * the store's own connection on DuckDB, an in-memory DuckDB on PostgreSQL.
   * Staging happens in temp tables and never touches the store's tables.
   */
  withStaging<T>(fn: (stage: DuckSession) => Promise<T>): Promise<T>;
  /**
   * Makes `staged` tables of the staging session visible to the store's session
   * under the same names, then runs `fn` in one transaction: all or nothing.
   * `fn` may bring more staged tables, or append a staging query's rows to a table,
   * through `rows`. A dry run's `fn` only reads, so the transaction commits nothing.
   */
  applyStaged<T>(
    stage: DuckSession,
    staged: StagedTable[],
    fn: (tx: SqlSession, rows: StagedRows) => Promise<T>,
  ): Promise<T>;
  /**
   * A value that changes with every committed write (store/generation.ts): what is built
   * from the store's contents can be kept under it. Cheap: remembered between writes.
   */
  generation(): Promise<string>;
  close(): Promise<void>;
  /**
   * DuckDB only: opens another connection of this process to the store, for a
   * client of the store's socket (`ddor serve`; store/duckdb/remote.ts).
   */
  readonly openLocalSession?: () => Promise<DuckSession>;
  /** True when the statements are carried out by the `ddor serve` holding the file. */
  readonly remote?: boolean;
}

export const DEFAULT_DB = './ddor.duckdb';

/** Opens the store named by `--db`, `DDOR_DB` or the default, creating and migrating it as needed. */
export async function openStore(location?: string): Promise<Store> {
  const where = location ?? process.env.DDOR_DB ?? DEFAULT_DB;
  if (/^postgres(ql)?:\/\//i.test(where)) {
    const { openPostgresStore } = await import('./postgres/open.js');
    return openPostgresStore(where);
  }
  const { openDuckDBStore } = await import('./duckdb/open.js');
  return openDuckDBStore(where);
}
