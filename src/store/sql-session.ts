/**
 * The smallest interface the two backends share below Kysely: run a statement,
 * read rows as plain JS (dates as `YYYY-MM-DD` strings, counts as numbers).
 * Bulk import and migrations talk to it; queries go through Kysely.
 */
export type Row = Record<string, unknown>;

export interface SqlSession {
  readonly dialect: 'duckdb' | 'postgres';
  all<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<number>;
}

/** A promise queue: one holder at a time. DuckDB temp tables and transactions live on one connection. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const prev = this.#tail;
    this.#tail = prev.then(() => next);
    await prev;
    return release;
  }
}
