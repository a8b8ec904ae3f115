/**
 * The DuckDB Kysely dialect: a statement's rows come from DuckDB's result, not
 * from a guess at the SQL text, and destroy() closes every connection it opened.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBDialect } from '../../src/store/duckdb/dialect.js';
import { LocalDuckSession } from '../../src/store/duckdb/session.js';

let instance: DuckDBInstance;
let main: LocalDuckSession;
let opened: LocalDuckSession[];
let db: Kysely<unknown>;

beforeEach(async () => {
  instance = await DuckDBInstance.create(':memory:');
  main = new LocalDuckSession(await instance.connect());
  opened = [];
  db = new Kysely<unknown>({
    dialect: new DuckDBDialect(main, async () => {
      const session = new LocalDuckSession(await instance.connect());
      opened.push(session);
      return session;
    }),
  });
  await main.run('CREATE TABLE t (a INTEGER)');
  await main.run('INSERT INTO t VALUES (1), (2), (3)');
});

afterEach(async () => {
  await db.destroy();
  main.connection.closeSync();
  instance.closeSync();
});

/** A closed DuckDB connection refuses to run anything. */
async function isClosed(session: LocalDuckSession): Promise<boolean> {
  try {
    await session.all('SELECT 1');
    return false;
  } catch {
    return true;
  }
}

describe('DuckDB dialect: rows come from the result', () => {
  it('returns the rows of a parenthesised UNION', async () => {
    const { rows } = await sql<{ x: number }>`(SELECT 1 AS x) UNION ALL (SELECT 2) ORDER BY x`.execute(db);
    expect(rows).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it("returns the rows of DuckDB's FROM-first form", async () => {
    const { rows } = await sql<{ a: number }>`FROM t ORDER BY a`.execute(db);
    expect(rows).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });

  it('returns the rows of EXPLAIN', async () => {
    const { rows } = await sql<{ explain_key: string; explain_value: string }>`EXPLAIN SELECT 1`.execute(db);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]!.explain_key).toBe('physical_plan');
  });

  it('returns no rows and the changed count for a write, and the rows of RETURNING', async () => {
    const update = await sql`UPDATE t SET a = a + 10 WHERE a > 1`.execute(db);
    expect(update.rows).toEqual([]);
    expect(update.numAffectedRows).toBe(2n);
    const insert = await sql<{ a: number }>`INSERT INTO t VALUES (7) RETURNING a`.execute(db);
    expect(insert.rows).toEqual([{ a: 7 }]);
    const create = await sql`CREATE TABLE u (b INTEGER)`.execute(db);
    expect(create.rows).toEqual([]);
  });
});

describe('DuckDB dialect: destroy', () => {
  it('closes idle connections and connections in use', async () => {
    // A slow query holds one connection; a query beside it opens a second, idle afterwards.
    const slow = sql`SELECT count(*) FROM range(100000000000) a`.execute(db);
    slow.catch(() => {});
    await new Promise((r) => setTimeout(r, 100));
    await sql`SELECT 1`.execute(db);
    expect(opened.length).toBe(2);
    await db.destroy();
    await expect(slow).rejects.toThrow(/interrupt/i);
    for (const session of opened) expect(await isClosed(session)).toBe(true);
    // The session the dialect was given for introspection is the caller's to close.
    expect(await isClosed(main)).toBe(false);
  });

  it('closes a connection held by an open transaction', async () => {
    let inside!: () => void;
    const entered = new Promise<void>((r) => {
      inside = r;
    });
    let finish!: () => void;
    const held = db.transaction().execute(async (tx) => {
      await sql`SELECT 1`.execute(tx);
      inside();
      await new Promise<void>((r) => {
        finish = r;
      });
    });
    held.catch(() => {});
    await entered;
    const destroyed = db.destroy();
    finish();
    await destroyed;
    for (const session of opened) expect(await isClosed(session)).toBe(true);
  });
});
