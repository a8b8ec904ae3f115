/**
 * SQL text built from values: the one place that quotes a string for SQL.
 * Used where values become part of a statement (reference tables, file paths,
 * rule reasons); values from a user's request go as parameters instead.
 */

/** A string as an SQL literal: `it's` → `'it''s'`. */
export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** A string or NULL as an SQL literal (null and undefined are NULL). */
export const sqlValue = (v: string | null | undefined): string => (v == null ? 'NULL' : sqlString(v));

/** Rows of strings as the body of a `VALUES` list: `('a', NULL), ('b', 'c')`. */
export const sqlValues = (rows: ReadonlyArray<ReadonlyArray<string | null>>): string =>
  rows.map((r) => `(${r.map(sqlValue).join(', ')})`).join(',\n');

/** A name as an SQL identifier: `my "col"` → `"my ""col"""`. */
export const sqlName = (name: string): string => `"${name.replaceAll('"', '""')}"`;
