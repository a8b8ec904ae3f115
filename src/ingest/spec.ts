import type { Rejection } from '../errors.js';
import type { RecordTable } from '../store/columns.js';
import type { DuckSession } from '../store/duckdb/session.js';
import type { SqlSession } from '../store/sql-session.js';
import type { StagedTable, Store } from '../store/store.js';
import type { Rule } from './rules.js';

/** What a reader may be asked for besides the file. */
export interface ReaderOptions {
  /** Skip unknown columns instead of refusing the file (canonical CSV). */
  ignoreExtra?: boolean;
  /** Rows read so far, for readers that stream (workbooks). */
  onRows?: (rows: number) => void;
}

/** What reading a file into `stg_raw` produced, whatever its format. */
export interface ReadResult {
  /** Records staged (each becomes one `rec`, 1-based, in file order). */
  staged: number;
  /** Records refused while reading (wrong field count…), with their lines. */
  structural: Rejection[];
  droppedColumns: string[];
  ignoredColumns: string[];
  /** Files read by layout (ICE's): the layout detected, and the source column of each field read. */
  layout?: string;
  columnsUsed?: Array<{ field: string; column: string }>;
  /** File label and line (or row) of each record, asked for on the error path only. */
  locate(recs: number[]): Promise<Map<number, { file: string; line: number }>>;
}

/**
 * The value stored in each column of the record table, as SQL over `stg_norm`,
 * keyed by column name; a column not named is stored as NULL.
 */
export type ValidSelect = Readonly<Record<string, string>>;

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
  read?(stage: DuckSession, file: string, options: ReaderOptions): Promise<ReadResult>;
  /** More staged tables to move into the store, and what to do with them after the records are written. */
  extraStaged?: StagedTable[];
  afterApply?(tx: SqlSession, importId: number): Promise<void>;
  rules: Rule[];
  /** What each column of `table` stores. */
  validSelect: ValidSelect;
}

/** SQL: a `YYYY-MM-DD` string as a DATE, NULL when it is not one (including impossible days). */
export const asDate = (col: string) =>
  `CASE WHEN regexp_full_match(r."${col}", '\\d{4}-\\d{2}-\\d{2}') THEN try_cast(r."${col}" AS DATE) END`;
