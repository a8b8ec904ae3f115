import type { RecordTable } from '../store/columns.js';
import type { DuckSession } from '../store/duckdb/session.js';
import type { SqlSession } from '../store/sql-session.js';
import type { StagedTable, Store } from '../store/store.js';
import type { ImportOptions, ReadResult } from './import.js';
import type { Rule } from './rules.js';

/** One canonical import format: its header, how staged rows are normalised, validated and stored. */
export interface ImportSpec {
  kind: 'detainers' | 'policies';
  /** Columns the header may have; `required` ones must be present. */
  columns: ReadonlyArray<{ name: string; required: boolean }>;
  /** Column groups of which the header needs at least one (e.g. county_fips or county). */
  anyOf: ReadonlyArray<readonly string[]>;
  table: RecordTable;
  /** Builds `stg_norm` from `stg_raw`: `rec` (stg_raw's rowid + 1, the record's order in the file), the raw columns, and resolved `n_…` columns. */
  normalize(stage: DuckSession, context?: unknown): Promise<void>;
  /** Reads what normalize needs from the store before staging (e.g. the facility registry). */
  prepare?(store: Store): Promise<unknown>;
  /** Reads the file into `stg_raw` (default: the canonical CSV reader). */
  read?(stage: DuckSession, file: string, options: ImportOptions): Promise<ReadResult>;
  /** More staged tables to move into the store, and what to do with them after the records are written. */
  extraStaged?: StagedTable[];
  afterApply?(tx: SqlSession, importId: number): Promise<void>;
  rules: Rule[];
  /** SELECT list over stg_norm producing exactly `table.columns`, in order. */
  validSelect: string;
}

/** SQL: a `YYYY-MM-DD` string as a DATE, NULL when it is not one (including impossible days). */
export const asDate = (col: string) =>
  `CASE WHEN regexp_full_match(r."${col}", '\\d{4}-\\d{2}-\\d{2}') THEN try_cast(r."${col}" AS DATE) END`;
