/**
 * The store's generation: a value that changes with every committed write, so that
 * what is built from the store's contents (a draft report, a page) can be kept until
 * the next write instead of rebuilt per request.
 *
 * It is read from the audit trail: every write leaves its audit row in the same
 * transaction (store/audit.ts) and the trail is append-only, so `count(*)` grows
 * with each commit. `max(id)` alone would not do on PostgreSQL, where a transaction
 * can commit a lower id after another has committed a higher one.
 *
 * The value is `<audit rows>.<highest audit id>.<writes by this process>`. Reading it is
 * one cheap query, and this process remembers it: a write made through
 * this store's Kysely handle, or an import through `applyStaged`, forgets the
 * remembered value as soon as it commits (see `watchWrites`), and another process's
 * write (a PostgreSQL store shared with the CLI) is seen within GENERATION_TTL_MS.
 */
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

/** How long a generation read from the store is trusted when this process wrote nothing since. */
export const GENERATION_TTL_MS = 1000;

/** The remembered generation of one store handle. */
export class GenerationClock {
  private epoch = 0;
  private memo: { epoch: number; at: number; value: Promise<string> } | undefined;

  constructor(
    private readonly read: () => Promise<string>,
    private readonly ttlMs = GENERATION_TTL_MS,
  ) {}

  /** A write committed (or may have): the next `current()` reads the store again. */
  bump(): void {
    this.epoch++;
  }

  current(): Promise<string> {
    const now = Date.now();
    const m = this.memo;
    if (m && m.epoch === this.epoch && now - m.at < this.ttlMs) return m.value;
    // This process's own count of writes is part of it: a write here that leaves no audit
    // row (a test's direct insert, a repair) still changes it.
    const epoch = this.epoch;
    const value = this.read().then((audit) => `${audit}.${epoch}`);
    const memo = { epoch, at: now, value };
    this.memo = memo;
    value.catch(() => {
      if (this.memo === memo) this.memo = undefined;
    });
    return value;
  }
}

/** The generation as the audit trail shows it: `<rows>.<highest id>`. */
export function auditGeneration(db: Kysely<Database>): () => Promise<string> {
  return async () => {
    const row = await db
      .selectFrom('audit')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('id').as('m')])
      .executeTakeFirst();
    return `${Number(row?.n ?? 0)}.${Number(row?.m ?? 0)}`;
  };
}

const READ_ONLY = /^\s*(select|with|explain|show|pragma|describe)\b/i;

/** The same session, with `onWrite` after every statement that is not a read (a socket client's, store/duckdb/remote.ts). */
export function watchSession<
  S extends {
    query: (sql: string, params?: unknown[]) => Promise<unknown>;
    run: (sql: string, params?: unknown[]) => Promise<number>;
    all: (sql: string, params?: unknown[]) => Promise<unknown[]>;
  },
>(session: S, onWrite: () => void): S {
  const watched =
    <A extends unknown[], R>(fn: (sql: string, ...rest: A) => Promise<R>) =>
    async (sql: string, ...rest: A): Promise<R> => {
      try {
        return await fn.call(session, sql, ...rest);
      } finally {
        if (!READ_ONLY.test(sql)) onWrite();
      }
    };
  return Object.assign(Object.create(session) as S, {
    query: watched(session.query),
    run: watched(session.run),
    all: watched(session.all),
  });
}

const isWrite = (q: CompiledQuery) =>
  q.query.kind === 'SelectQueryNode' ? false : q.query.kind === 'RawNode' ? !READ_ONLY.test(q.sql) : true;

/**
 * The dialect with every write seen: after a statement that is not a read, and after
 * every commit, `onWrite` runs. Statements inside a transaction call it too (a read
 * made meanwhile sees the old generation and is forgotten at the commit).
 */
export function watchWrites(dialect: Dialect, onWrite: () => void): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => watchedDriver(dialect.createDriver(), onWrite),
  };
}

function watchedDriver(inner: Driver, onWrite: () => void): Driver {
  const innerOf = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const unwrap = (c: DatabaseConnection) => innerOf.get(c) ?? c;
  const driver: Driver = {
    init: () => inner.init(),
    async acquireConnection() {
      const connection = await inner.acquireConnection();
      const wrapped: DatabaseConnection = {
        async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
          try {
            return await connection.executeQuery<R>(query);
          } finally {
            if (isWrite(query)) onWrite();
          }
        },
        streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => {
          if (isWrite(query)) onWrite();
          return connection.streamQuery<R>(query, chunkSize);
        },
      };
      innerOf.set(wrapped, connection);
      return wrapped;
    },
    beginTransaction: (c, settings) => inner.beginTransaction(unwrap(c), settings),
    async commitTransaction(c) {
      try {
        await inner.commitTransaction(unwrap(c));
      } finally {
        onWrite();
      }
    },
    rollbackTransaction: (c) => inner.rollbackTransaction(unwrap(c)),
    releaseConnection: (c) => inner.releaseConnection(unwrap(c)),
    destroy: () => inner.destroy(),
  };
  if (inner.savepoint) driver.savepoint = (c, name, compile) => inner.savepoint!(unwrap(c), name, compile);
  if (inner.rollbackToSavepoint)
    driver.rollbackToSavepoint = (c, name, compile) => inner.rollbackToSavepoint!(unwrap(c), name, compile);
  if (inner.releaseSavepoint)
    driver.releaseSavepoint = (c, name, compile) => inner.releaseSavepoint!(unwrap(c), name, compile);
  return driver;
}
