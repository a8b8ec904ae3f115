import { DuckDBInstance } from '@duckdb/node-api';
import { Kysely } from 'kysely';
import { storeError } from '../../errors.js';
import { localActor } from '../audit.js';
import { auditGeneration, GenerationClock, watchWrites } from '../generation.js';
import { migrateToLatest } from '../migrate.js';
import type { Database } from '../schema.js';
import { Mutex } from '../sql-session.js';
import type { StagedTable, Store } from '../store.js';
import { DuckDBDialect } from './dialect.js';
import { DuckSession } from './session.js';

function explainOpenError(path: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/lock/i.test(message)) {
    const pid = /PID (\d+)/.exec(message)?.[1];
    return storeError(
      `the store ${path} is locked by another process${pid ? ` (PID ${pid})` : ''}`,
      'DuckDB lets one process open a store file at a time. Stop the other ddor (for example a running `ddor serve`), or point --db at another file.',
    );
  }
  return storeError(
    `cannot open the store ${path}: ${message}`,
    'Check that the path is a DuckDB file written by ddor and that its folder exists and is writable.',
  );
}

export async function openDuckDBStore(path: string): Promise<Store> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path);
  } catch (error) {
    throw explainOpenError(path, error);
  }
  const connection = await instance.connect();
  const session = new DuckSession(connection);
  const mutex = new Mutex();
  // Staging and imports use `session` (under the mutex: temp tables live on a connection);
  // Kysely's queries get connections of their own.
  const clock = new GenerationClock(() => auditGeneration(db)());
  const db: Kysely<Database> = new Kysely<Database>({
    dialect: watchWrites(
      new DuckDBDialect(session, async () => new DuckSession(await instance.connect())),
      () => clock.bump(),
    ),
  });
  try {
    await migrateToLatest(db, 'duckdb');
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    throw error;
  }

  return {
    kind: 'duckdb',
    location: path,
    db,
    actor: localActor(),
    async withStaging<T>(fn: (stage: DuckSession) => Promise<T>): Promise<T> {
      const release = await mutex.lock();
      try {
        return await fn(session);
      } finally {
        // The staging session is the store's own connection: whatever it wrote is a write.
        clock.bump();
        release();
      }
    },
    async applyStaged<T>(stage: DuckSession, _staged: StagedTable[], fn: (tx: DuckSession) => Promise<T>) {
      // Staging ran on this very connection: its temp tables are already in reach.
      await stage.run('BEGIN TRANSACTION');
      try {
        const result = await fn(stage);
        await stage.run('COMMIT');
        clock.bump();
        return result;
      } catch (error) {
        await stage.run('ROLLBACK');
        throw error;
      }
    },
    generation: () => clock.current(),
    async close() {
      await db.destroy();
      connection.closeSync();
      instance.closeSync();
    },
  };
}
