/**
 * Rows of the staging session (DuckDB) into a table of a PostgreSQL transaction, by COPY.
 * DuckDB writes CSV files and PostgreSQL reads them; a large set of rows goes in slices, so
 * that DuckDB writes the next slice while PostgreSQL reads the one before (the two sides
 * take about as long, and each mostly waits for the other when they take turns).
 */
import { createReadStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ColumnDef } from '../columns.js';
import type { DuckSession } from '../duckdb/session.js';
import { sqlString } from '../sql.js';

/** Rows a slice: about 20 MB of CSV for a detainer file. */
export const COPY_SLICE_ROWS = 131_072;

export const columnList = (columns: readonly ColumnDef[]) => columns.map((c) => `"${c.name}"`).join(', ');

/**
 * Appends the rows of `select` (a query of `stage`) to `into` (columns in order) on `client`,
 * through CSV files in `dir`. `sliceBy` names an integer column of `select`, not copied, by
 * whose ranges a large copy goes in slices (the staged records' `rec`, ascending in the
 * staging table's order, so each slice reads only its part of the table). Returns how many
 * rows were copied. A failure on either side fails the copy, once the other side has stopped:
 * the caller's transaction rolls back.
 */
export async function copyStaged(
  stage: DuckSession,
  client: pg.PoolClient,
  dir: string,
  into: string,
  columns: readonly ColumnDef[],
  select: string,
  sliceBy?: string,
): Promise<number> {
  const name = `copy-${Math.random().toString(36).slice(2, 10)}`;
  const copied = sliceBy ? `SELECT * EXCLUDE (${sliceBy}) FROM (${select})` : select;
  let slices = [copied];
  const [{ n, lo, hi }] = (await stage.all<{ n: number; lo: number | null; hi: number | null }>(
    `SELECT count(*) AS n, ${sliceBy ? `min(${sliceBy}) AS lo, max(${sliceBy}) AS hi` : 'NULL AS lo, NULL AS hi'} FROM (${select})`,
  )) as [{ n: number; lo: number | null; hi: number | null }];
  if (sliceBy && Number(n) > COPY_SLICE_ROWS && lo !== null && hi !== null) {
    const count = Math.ceil(Number(n) / COPY_SLICE_ROWS);
    const step = Math.ceil((Number(hi) - Number(lo) + 1) / count);
    slices = Array.from({ length: count }, (_, i) => {
      const from = Number(lo) + i * step;
      return `${copied} WHERE ${sliceBy} >= ${from} AND ${sliceBy} < ${from + step}`;
    });
  }
  const write = async (i: number) => {
    const file = join(dir, `${name}-${i}.csv`);
    await stage.run(`COPY (${slices[i]}) TO ${sqlString(file)} (FORMAT csv, HEADER false)`);
    return file;
  };
  let writing = write(0);
  try {
    for (let i = 0; i < slices.length; i++) {
      const file = await writing;
      // DuckDB writes the next slice while PostgreSQL reads this one.
      if (i + 1 < slices.length) writing = write(i + 1);
      await pipeline(
        createReadStream(file),
        client.query(copyFrom(`COPY ${into} (${columnList(columns)}) FROM STDIN (FORMAT csv)`)),
      );
      rmSync(file, { force: true });
    }
  } finally {
    // A failed read leaves the next slice being written: the staging session is free only after it.
    await writing.catch(() => {});
  }
  return Number(n);
}
