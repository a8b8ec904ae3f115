import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { storeError } from '../../errors.js';
import { makeTempDir, removeTempDir } from '../../temp-files.js';
import { localActor } from '../audit.js';
import type { ColumnDef } from '../columns.js';
import { DUCKDB_MEMORY_LIMIT, DuckDBInstance } from '../duckdb/native.js';
import { type DuckSession, LocalDuckSession } from '../duckdb/session.js';
import { auditGeneration, GenerationClock, watchWrites } from '../generation.js';
import { migrateToLatest } from '../migrate.js';
import type { Database } from '../schema.js';
import type { Row, SqlSession } from '../sql-session.js';
import type { StagedRows, StagedTable, Store } from '../store.js';
import { columnList, copyStaged } from './copy.js';

/** pg returns dates, counts and numerics as strings by default: convert them once, here. */
const TYPE_PARSERS: Record<number, (value: string) => unknown> = {
  1082: (v) => v, // date → 'YYYY-MM-DD'
  20: (v) => Number(v), // int8 (count)
  1700: (v) => Number(v), // numeric
  1184: (v) => new Date(v).toISOString(), // timestamptz
  1114: (v) => new Date(`${v}Z`).toISOString(), // timestamp
};
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    return TYPE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format ?? 'text');
  },
};

class PgSession implements SqlSession {
  readonly dialect = 'postgres' as const;
  constructor(private readonly client: pg.PoolClient) {}
  async all<T extends Row = Row>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query(text, params)).rows as T[];
  }
  async run(text: string, params: unknown[] = []): Promise<number> {
    return (await this.client.query(text, params)).rowCount ?? 0;
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

const PG_TYPES = { text: 'varchar', date: 'date', integer: 'integer' } as const;

export async function openPostgresStore(url: string): Promise<Store> {
  const location = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, types, max: 4 });
  pool.on('error', () => {}); // idle-client errors surface on the next query instead
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    const message = error instanceof Error ? error.message : String(error);
    throw storeError(
      `cannot reach the PostgreSQL store ${location}: ${message}`,
      'Check that PostgreSQL is running and the URL (host, port, user, database) is right, e.g. postgres://user@127.0.0.1:5432/ddor.',
    );
  }
  const clock = new GenerationClock(() => auditGeneration(db)());
  const db: Kysely<Database> = new Kysely<Database>({
    dialect: watchWrites(new PostgresDialect({ pool }), () => clock.bump()),
  });
  await migrateToLatest(db, 'postgres');

  return {
    kind: 'postgres',
    location,
    db,
    actor: localActor(),
    async withStaging<T>(fn: (stage: DuckSession) => Promise<T>): Promise<T> {
      // What staging spills (large files) goes to ddor's temp folder, removed below, swept if killed.
      const spill = makeTempDir('stage');
      const instance = await DuckDBInstance.create(':memory:', {
        memory_limit: DUCKDB_MEMORY_LIMIT,
        temp_directory: spill,
      });
      const connection = await instance.connect();
      try {
        return await fn(new LocalDuckSession(connection));
      } finally {
        connection.closeSync();
        instance.closeSync();
        removeTempDir(spill);
      }
    },
    async applyStaged<T>(
      stage: DuckSession,
      staged: StagedTable[],
      fn: (tx: SqlSession, rows: StagedRows) => Promise<T>,
    ) {
      // The COPY files (store/postgres/copy.ts) live in ddor's temp folder: removed below, swept if killed.
      const dir = makeTempDir('pg');
      const client = await pool.connect();
      const copy = async (into: string, columns: readonly ColumnDef[], select: string, sliceBy?: string) => {
        await copyStaged(stage, client, dir, into, columns, select, sliceBy);
      };
      const rows: StagedRows = {
        copies: true,
        async bring(table) {
          const defs = table.columns.map((c) => `"${c.name}" ${PG_TYPES[c.type]}`).join(', ');
          await client.query(`CREATE TEMP TABLE ${table.name} (${defs}) ON COMMIT DROP`);
          await copy(table.name, table.columns, `SELECT ${columnList(table.columns)} FROM ${table.name}`);
          await client.query(`ANALYZE ${table.name}`);
        },
        append: copy,
      };
      try {
        await client.query('BEGIN');
        // One import at a time: import ids are sequential and history must not interleave.
        await client.query('SELECT pg_advisory_xact_lock(727001)');
        for (const table of staged) await rows.bring(table);
        const result = await fn(new PgSession(client), rows);
        await client.query('COMMIT');
        clock.bump();
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
        removeTempDir(dir);
      }
    },
    generation: () => clock.current(),
    async close() {
      await db.destroy();
    },
  };
}
