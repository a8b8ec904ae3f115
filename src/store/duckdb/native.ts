/**
 * `@duckdb/node-api`, loaded with `require`. It is a CommonJS package: importing it as ESM
 * makes Node scan each of its re-exported files for export names first (cjs-module-lexer),
 * about 70 ms at every start of `ddor`; `require` loads the same module without that.
 */
import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';

const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDB;

export const {
  DuckDBInstance,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  ResultReturnType,
} = duckdb;
export type DuckDBInstance = DuckDB.DuckDBInstance;
export type ResultReturnType = DuckDB.ResultReturnType;
export type DuckDBTypeId = DuckDB.DuckDBTypeId;
export type { DuckDBConnection, DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';

/**
 * The memory DuckDB may hold before it spills to its temp folder. Its own default, 80% of
 * the machine's memory, let a 10M-row import grow to 10 GB; with this a 10M-row import stays
 * under 1 GB of RSS (issue 10), and the report's queries, which aggregate a period's rows,
 * never come near it.
 */
export const DUCKDB_MEMORY_LIMIT = '512MB';
