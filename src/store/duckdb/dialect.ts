/**
 * A Kysely dialect for DuckDB through `@duckdb/node-api`. DuckDB speaks
 * PostgreSQL's SQL closely enough that Kysely's Postgres compiler serves; the
 * driver hands out one shared connection at a time, since temp tables and
 * transactions belong to a connection.
 */
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  DialectAdapterBase,
  type Driver,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely';
import type { DuckSession } from './session.js';

class DuckDBAdapter extends DialectAdapterBase {
  override get supportsTransactionalDdl() {
    return true;
  }
  override get supportsReturning() {
    return true;
  }
  // One process holds a DuckDB file at a time (the file lock), so migrations need no lock of their own.
  async acquireMigrationLock(): Promise<void> {}
  async releaseMigrationLock(): Promise<void> {}
}

/** Enough of information_schema for Kysely's Migrator to see which tables exist. */
class DuckDBIntrospector implements DatabaseIntrospector {
  constructor(private readonly session: DuckSession) {}
  async getSchemas(): Promise<SchemaMetadata[]> {
    const rows = await this.session.all<{ name: string }>(
      'SELECT DISTINCT schema_name AS name FROM information_schema.schemata',
    );
    return rows.map((r) => ({ name: r.name }));
  }
  async getTables(): Promise<TableMetadata[]> {
    const rows = await this.session.all<{ t: string; s: string; c: string; dt: string; nul: string }>(
      `SELECT table_name AS t, table_schema AS s, column_name AS c, data_type AS dt, is_nullable AS nul
       FROM information_schema.columns WHERE table_catalog = current_database() ORDER BY table_name, ordinal_position`,
    );
    const tables = new Map<string, TableMetadata>();
    for (const r of rows) {
      let table = tables.get(r.t);
      if (!table) {
        table = { name: r.t, schema: r.s, isView: false, columns: [] };
        tables.set(r.t, table);
      }
      (table.columns as unknown[]).push({
        name: r.c,
        dataType: r.dt,
        isNullable: r.nul === 'YES',
        isAutoIncrementing: false,
        hasDefaultValue: false,
      });
    }
    return [...tables.values()];
  }
  async getMetadata() {
    return { tables: await this.getTables() };
  }
}

class DuckDBKyselyConnection implements DatabaseConnection {
  constructor(readonly session: DuckSession) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // DuckDB says whether the statement returned rows; the SQL text is never inspected.
    const { rows, changed } = await this.session.query(query.sql, [...query.parameters]);
    return changed === undefined ? { rows: rows as R[] } : { rows: [], numAffectedRows: BigInt(changed) };
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered; Kysely requires the method.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('ddor: streaming queries are not supported on DuckDB');
  }
}

/** How long destroy() waits for an interrupted query to hand its connection back before closing it anyway. */
const DESTROY_GRACE_MS = 2000;

/**
 * Hands Kysely one DuckDB connection per concurrent query, up to `size`: the
 * report's independent queries then run side by side. Each connection is used
 * by one holder at a time (a transaction stays on its connection). Every
 * connection opened is tracked, so destroy() closes them all, in use or not.
 */
class DuckDBDriver implements Driver {
  readonly #all = new Set<DuckDBKyselyConnection>();
  readonly #idle: DuckDBKyselyConnection[] = [];
  readonly #waiting: Array<{ resolve: (c: DuckDBKyselyConnection) => void; reject: (e: Error) => void }> = [];
  /** In-use connections destroy() waits for, with what to call when one comes back. */
  readonly #returning = new Map<DuckDBKyselyConnection, () => void>();
  #opening = 0;
  #destroyed = false;

  constructor(
    private readonly connect: () => Promise<DuckSession>,
    private readonly size: number,
  ) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#destroyed) throw new Error('ddor: the DuckDB store is closed');
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#all.size + this.#opening < this.size) {
      this.#opening++;
      try {
        const connection = new DuckDBKyselyConnection(await this.connect());
        if (this.#destroyed) {
          connection.session.close();
          throw new Error('ddor: the DuckDB store is closed');
        }
        this.#all.add(connection);
        return connection;
      } finally {
        this.#opening--;
      }
    }
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as DuckDBKyselyConnection).session.run('BEGIN TRANSACTION');
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as DuckDBKyselyConnection).session.run('COMMIT');
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as DuckDBKyselyConnection).session.run('ROLLBACK');
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as DuckDBKyselyConnection;
    const returned = this.#returning.get(c);
    if (returned) return returned();
    if (this.#destroyed) return;
    const next = this.#waiting.shift();
    if (next) next.resolve(c);
    else this.#idle.push(c);
  }
  /**
   * Closes every connection: idle ones at once; one in use is interrupted (its
   * query fails) and closed when it comes back, or after DESTROY_GRACE_MS.
   */
  async destroy(): Promise<void> {
    this.#destroyed = true;
    for (const w of this.#waiting.splice(0)) w.reject(new Error('ddor: the DuckDB store is closed'));
    const idle = new Set(this.#idle.splice(0));
    const inUse = [...this.#all].filter((c) => !idle.has(c));
    await Promise.all(
      inUse.map(
        (c) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, DESTROY_GRACE_MS);
            this.#returning.set(c, () => {
              clearTimeout(timer);
              resolve();
            });
            c.session.interrupt();
          }),
      ),
    );
    for (const c of this.#all) c.session.close();
    this.#all.clear();
    this.#returning.clear();
  }
}

export class DuckDBDialect implements Dialect {
  constructor(
    private readonly session: DuckSession,
    private readonly connect: () => Promise<DuckSession>,
    private readonly poolSize = 4,
  ) {}
  createAdapter(): DialectAdapter {
    return new DuckDBAdapter();
  }
  createDriver(): Driver {
    return new DuckDBDriver(this.connect, this.poolSize);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createIntrospector(): DatabaseIntrospector {
    return new DuckDBIntrospector(this.session);
  }
}
