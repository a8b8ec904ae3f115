import { Kysely } from 'kysely';
import { storeError } from '../../errors.js';
import { localActor } from '../audit.js';
import { auditGeneration, GenerationClock, watchSession, watchWrites } from '../generation.js';
import { migrateToLatest } from '../migrate.js';
import type { Database } from '../schema.js';
import { Mutex } from '../sql-session.js';
import type { StagedRows, StagedTable, Store } from '../store.js';
import { DuckDBDialect } from './dialect.js';
import { DUCKDB_MEMORY_LIMIT, DuckDBInstance } from './native.js';
import { liveSocket, RemoteDuckSession, socketPathOf } from './remote.js';
import { type DuckSession, LocalDuckSession } from './session.js';

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

/** Where this DuckDB store's statements run: here, or in the server holding the file. */
interface Sessions {
  main: DuckSession;
  connect: () => Promise<DuckSession>;
  /** Opens a connection of this process for a socket client (local stores only). */
  openLocal?: () => Promise<DuckSession>;
  closeAll(): void;
}

async function localSessions(path: string): Promise<Sessions> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, { memory_limit: DUCKDB_MEMORY_LIMIT });
  } catch (error) {
    throw explainOpenError(path, error);
  }
  const connection = await instance.connect();
  const connect = async () => new LocalDuckSession(await instance.connect());
  return {
    main: new LocalDuckSession(connection),
    connect,
    openLocal: connect,
    closeAll() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Opens a DuckDB store: the file itself, or, while `ddor serve` holds it, the
 * server's socket beside it (store/duckdb/remote.ts), so that every command works
 * while the server runs.
 */
export async function openDuckDBStore(path: string): Promise<Store> {
  const remote = await liveSocket(socketPathOf(path));
  const sessions: Sessions = remote
    ? {
        main: remote,
        connect: () => RemoteDuckSession.connect(socketPathOf(path)),
        closeAll: () => remote.close(),
      }
    : await localSessions(path);
  const session = sessions.main;
  const mutex = new Mutex();
  // Staging and imports use `session` (under the mutex: temp tables live on a connection);
  // Kysely's queries get connections of their own.
  const clock = new GenerationClock(() => auditGeneration(db)());
  const db: Kysely<Database> = new Kysely<Database>({
    dialect: watchWrites(new DuckDBDialect(session, sessions.connect), () => clock.bump()),
  });
  try {
    await migrateToLatest(db, 'duckdb');
  } catch (error) {
    sessions.closeAll();
    throw error;
  }

  return {
    kind: 'duckdb',
    location: path,
    db,
    actor: localActor(),
    // A socket client's writes are this store's writes too: the server's kept pages learn of them at once.
    ...(sessions.openLocal
      ? { openLocalSession: async () => watchSession(await sessions.openLocal!(), () => clock.bump()) }
      : {}),
    remote: remote !== null,
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
    async applyStaged<T>(
      stage: DuckSession,
      _staged: StagedTable[],
      fn: (tx: DuckSession, rows: StagedRows) => Promise<T>,
    ) {
      // Staging ran on this very connection: its temp tables are already in reach.
      const rows: StagedRows = {
        copies: false,
        bring: async () => {},
        append: async (into, columns, select, sliceBy) => {
          const source = sliceBy ? `SELECT * EXCLUDE (${sliceBy}) FROM (${select})` : select;
          await stage.run(`INSERT INTO ${into} (${columns.map((c) => `"${c.name}"`).join(', ')}) ${source}`);
        },
      };
      await stage.run('BEGIN TRANSACTION');
      try {
        const result = await fn(stage, rows);
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
      sessions.closeAll();
    },
  };
}
