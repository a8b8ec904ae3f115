/**
 * Column lists of the record tables, in table order. Migrations, staging and
 * the import's apply step all read them, so a column is named in one place.
 */
export type ColumnType = 'text' | 'date' | 'integer';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  notNull?: boolean;
}

export const DETAINER_COLUMNS: readonly ColumnDef[] = [
  { name: 'detainer_id', type: 'text', notNull: true },
  { name: 'issued_date', type: 'date', notNull: true },
  { name: 'form', type: 'text' },
  { name: 'aor', type: 'text' },
  { name: 'agency', type: 'text', notNull: true },
  { name: 'agency_code', type: 'text' },
  { name: 'city', type: 'text' },
  { name: 'county_fips', type: 'text' },
  { name: 'state', type: 'text', notNull: true },
  { name: 'citizenship', type: 'text' },
  { name: 'criminal_activity', type: 'text' },
  { name: 'outcome', type: 'text', notNull: true },
  { name: 'declined_date', type: 'date' },
  { name: 'recorded_date', type: 'date' },
  { name: 'released_by_agency', type: 'text' },
  { name: 'released_by_city', type: 'text' },
  { name: 'released_by_county_fips', type: 'text' },
  { name: 'released_by_state', type: 'text' },
  { name: 'source', type: 'text' },
  { name: 'lift_reason', type: 'text' },
  { name: 'facility_key', type: 'text' },
];

export const POLICY_COLUMNS: readonly ColumnDef[] = [
  { name: 'policy_id', type: 'text', notNull: true },
  { name: 'level', type: 'text', notNull: true },
  { name: 'state', type: 'text', notNull: true },
  { name: 'county_fips', type: 'text' },
  { name: 'place', type: 'text' },
  { name: 'aor', type: 'text' },
  { name: 'type', type: 'text', notNull: true },
  { name: 'title', type: 'text', notNull: true },
  { name: 'enacted_date', type: 'date', notNull: true },
  { name: 'enacted_precision', type: 'text', notNull: true },
  { name: 'rescinded_date', type: 'date' },
  { name: 'restricts', type: 'text', notNull: true },
  { name: 'criteria', type: 'text' },
  { name: 'source_url', type: 'text' },
];

/** The record kinds an import can load, with their table, history table and key. */
export interface RecordTable {
  table: 'detainers' | 'policies';
  history: 'detainer_history' | 'policy_history';
  key: string;
  columns: readonly ColumnDef[];
  /**
   * On DuckDB, the order an import appends its rows in: an ORDER BY over the staged rows (`rec`
   * is a row's place in the file). DuckDB keeps rows in the order they were appended and skips a
   * row group whose smallest and largest values cannot match a filter, so rows that queries read
   * together should be stored together. None: the file's order. PostgreSQL reads through its
   * indexes.
   */
  storedOrder?: string;
}

export const DETAINERS: RecordTable = {
  table: 'detainers',
  history: 'detainer_history',
  key: 'detainer_id',
  columns: DETAINER_COLUMNS,
  // A week's report reads the detainers issued in the week and the declines recorded in it.
  // Declines are recorded days to months after their detainer was issued: among the rest, in
  // issuing order, a week's declines would be spread over months of row groups (on a 10M-row
  // store, most of the table). Stored after the rest, in recording order, they are read from a
  // row group or two; the rest keep the file's order (usually issuing order).
  storedOrder: "outcome = 'declined', CASE WHEN outcome = 'declined' THEN recorded_date END, rec",
};

export const POLICIES: RecordTable = {
  table: 'policies',
  history: 'policy_history',
  key: 'policy_id',
  columns: POLICY_COLUMNS,
};
