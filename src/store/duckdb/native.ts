/**
 * `@duckdb/node-api`, the one place it is imported. It is a CommonJS package of 180 small
 * files: the command line's bundle (vite.cli.config.ts) inlines it, which saves resolving,
 * reading and wrapping each file at every start of `ddor` (about 50 ms); elsewhere Node
 * loads it from node_modules as usual.
 */

import type * as DuckDB from '@duckdb/node-api';
import duckdb from '@duckdb/node-api';

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
export type { DuckDBConnection, DuckDBResult, DuckDBValue } from '@duckdb/node-api';

/**
 * The memory DuckDB may hold before it spills to its temp folder. Its own default, 80% of
 * the machine's memory, let a 10M-row import grow to 10 GB; with this a 10M-row import stays
 * under 1 GB of RSS (issue 10), and the report's queries, which aggregate a period's rows,
 * never come near it. The process holds more than DuckDB counts (Node's heap, the native
 * library, allocations outside DuckDB's buffer pool): at 512 MB a 10M-row import peaked at
 * 842 to 996 MiB in eight runs on one machine, too near the limit; at 448 MB, 829 to 881
 * MiB in three, in about the same time.
 */
export const DUCKDB_MEMORY_LIMIT = '448MB';
