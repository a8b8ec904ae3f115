import type { Row, SqlSession } from '../sql-session.js';
import {
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  type DuckDBResult,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBValue,
  ResultReturnType,
} from './native.js';

/** Converts DuckDB values to the plain JS the rest of ddor uses. The one place that knows DuckDB's types. */
export function toJs(value: DuckDBValue): unknown {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    typeof value === 'number'
  ) {
    return value;
  }
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) {
    return new Date(Number(value.micros / 1000n)).toISOString();
  }
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBListValue) return value.items.map(toJs);
  return String(value);
}

/** DDOR_TRACE=1 prints each DuckDB statement's time to stderr (for finding slow steps). */
const TRACE = process.env.DDOR_TRACE === '1';

async function traced<T>(sql: string, fn: () => Promise<T>): Promise<T> {
  if (!TRACE) return fn();
  const t = performance.now();
  try {
    return await fn();
  } finally {
    process.stderr.write(
      `[duckdb ${(performance.now() - t).toFixed(1)} ms] ${sql.replace(/\s+/g, ' ').slice(0, 110)}\n`,
    );
  }
}

/**
 * How one column's values become JS, chosen once from the column's type: text needs nothing (null),
 * and a date's text is worked out once per distinct day (a week's thousands of rows share a few dozen).
 */
function columnConverter(type: DuckDBTypeId): ((value: DuckDBValue) => unknown) | null {
  if (type === DuckDBTypeId.VARCHAR) return null;
  if (type === DuckDBTypeId.DATE) {
    const days = new Map<number, string>();
    return (value) => {
      if (value === null) return null;
      const date = value as InstanceType<typeof DuckDBDateValue>;
      let text = days.get(date.days);
      if (text === undefined) {
        text = date.toString();
        days.set(date.days, text);
      }
      return text;
    };
  }
  return toJs;
}

/**
 * A query result's rows as objects keyed by column name, values converted as toJs does. The
 * result streams: while this thread converts one chunk of rows (column by column, each column's
 * conversion chosen once), DuckDB's threads produce the next, where reading a materialized
 * result would wait for all of them first (on a 10M-row store a week's 24,000 declines take
 * about as long to convert as to find).
 */
async function rowsOf<T extends Row>(result: DuckDBResult): Promise<T[]> {
  const names = result.columnNames();
  const converters = names.map((_, i) => columnConverter(result.columnTypeId(i)));
  const rows: T[] = [];
  let next = result.fetchChunk();
  try {
    for (;;) {
      const chunk = await next;
      if (chunk === null || chunk.rowCount === 0) break;
      next = result.fetchChunk();
      const columns = converters.map((convert, i) => {
        const values = chunk.getColumnValues(i);
        return convert === null ? values : values.map(convert);
      });
      for (let r = 0; r < chunk.rowCount; r++) {
        const obj: Row = {};
        for (let i = 0; i < names.length; i++) obj[names[i]!] = columns[i]![r];
        rows.push(obj as T);
      }
    }
  } catch (error) {
    // The chunk asked for ahead must not fail later unheard.
    await next.catch(() => {});
    throw error;
  }
  return rows;
}

/**
 * A DuckDB session: one connection's statements, in order. Temp tables and
 * transactions belong to it. It is either a connection in this process or,
 * while `ddor serve` holds the store file, a connection the server opened for
 * this process over its local socket (store/duckdb/remote.ts).
 */
export interface DuckSession extends SqlSession {
  readonly dialect: 'duckdb';
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<{ rows: T[]; changed?: number }>;
  /** Stops the statement running now (it fails). */
  interrupt(): void;
  /** Closes the connection; an open transaction is rolled back. */
  close(): void;
}

/** A session on a connection of this process. */
export class LocalDuckSession implements DuckSession {
  readonly dialect = 'duckdb' as const;
  constructor(readonly connection: DuckDBConnection) {}

  interrupt(): void {
    this.connection.interrupt();
  }

  close(): void {
    this.connection.closeSync();
  }

  async all<T extends Row = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return traced(sql, async () => rowsOf<T>(await this.connection.stream(sql, params as DuckDBValue[])));
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    const result = await traced(sql, () => this.connection.run(sql, params as DuckDBValue[]));
    return Number(result.rowsChanged);
  }

  /**
   * Runs any statement and returns what DuckDB says it returned (never guessed
   * from the SQL text): the rows of a query (SELECT, `FROM t`, EXPLAIN,
   * RETURNING…), or no rows and, for INSERT, UPDATE and DELETE, the rows changed.
   */
  async query<T extends Row = Row>(
    sql: string,
    params: unknown[] = [],
  ): Promise<{ rows: T[]; changed?: number }> {
    return traced(sql, async () => {
      const result = await this.connection.stream(sql, params as DuckDBValue[]);
      switch (result.returnType) {
        case ResultReturnType.QUERY_RESULT:
          return { rows: await rowsOf<T>(result) };
        case ResultReturnType.CHANGED_ROWS:
          return { rows: [], changed: Number(result.rowsChanged) };
        default:
          return { rows: [] };
      }
    });
  }
}
