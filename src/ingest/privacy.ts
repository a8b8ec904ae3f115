/**
 * Keeping people out of the store. Two defences, both before anything is
 * validated or written:
 *
 * 1. Columns that identify a person are recognised by their header and
 *    dropped as a file is read (the staging query never selects them), so no
 *    name, A-number, birth date or person id reaches the store, a rejects file
 *    or an error message.
 * 2. Values that look like an identifier typed into another column (an
 *    A-number in `criminal_activity`, a birth date in `agency`) are found by
 *    pattern in the staged rows. The row is rejected ("looks like a personal
 *    identifier"), or with `--redact-identifiers` the value is masked; either
 *    way the identifier itself is replaced before any rule, rejects file or
 *    quarantine row can echo it.
 */
import type { DuckSession } from '../store/duckdb/session.js';
import { sqlString as lit, sqlName as quote } from '../store/sql.js';

const IDENTIFYING: RegExp[] = [
  /^(first|last|middle|full|given|family|sur|person|subject|detainee|alien|maiden|inmate|prisoner|offender)_?names?$/,
  /^(subject|detainee|inmate|person|alien)_(first|last|middle|full|given|family|sur)_?names?$/,
  /^names?$/,
  /^alias(es)?$/,
  /^(a|alien)$/, // "A#", "Alien #": headerKey folds the "#" away
  /^a_?(number|num|no|nbr)$/,
  /^alien_?(number|num|no|nbr|id|file_number|file_no)$/,
  /^alien_number_unique_identifier$/,
  /^(anumber|anum)$/,
  /birth_?(date|day|year|dt|place)$/,
  /^(date|year|day|place)_of_birth$/,
  /^dob$/,
  /^(person|subject|individual|detainee|alien|anonymi[sz]ed|unique|inmate|civilian)_?(id|identifier|number)$/,
  /^(anonymi[sz]ed_)?unique_(id|identifier)$/, // "Anonymized Unique Identifier" (ICE's 2026 releases)
  /^birth_(city|state)$/, // 2025-ICFO-18038's birth place
  /(^|_)employee_id$/, // the ICE officers of 2025-ICFO-18038 (Government_Employee_ID, Return_to_Employee_ID)
  /^eid(_|$)/,
  /^(ssn|social_security_number|social_security_no|fbi|fbi_number|fbi_no|fin|sid|state_id_number|state_id)$/,
  /^(booking|booking_number|booking_no|booking_id|inmate_number|inmate_no)$/,
];

/** Header names are compared lower-cased with runs of non-letters folded to `_`. */
export function headerKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

export function isIdentifyingColumn(name: string): boolean {
  const key = headerKey(name);
  return IDENTIFYING.some((re) => re.test(key));
}

/**
 * Identifier patterns looked for in the values of a staged file (RE2 syntax, as
 * DuckDB and JavaScript both read it). `freeTextOnly` patterns are looked for
 * only in free-text columns, where a date has no business (date columns hold
 * dates by design).
 */
export const IDENTIFIER_PATTERNS: ReadonlyArray<{
  kind: string;
  label: string;
  pattern: string;
  freeTextOnly: boolean;
}> = [
  {
    kind: 'a_number',
    label: 'an A-number',
    // A012345678, A12345678, A# 012-345-678, A-012345678, and the bare ###-###-### form.
    pattern: String.raw`(?i)(\bA\s*#?\s*-?\s*\d{3}-?\d{3}-?\d{2,3}\b)|(\b\d{3}-\d{3}-\d{3}\b)`,
    freeTextOnly: false,
  },
  {
    kind: 'ssn',
    label: 'a Social Security number',
    pattern: String.raw`\b\d{3}-\d{2}-\d{4}\b`,
    freeTextOnly: false,
  },
  {
    kind: 'birth_date',
    label: 'a birth date',
    // A full date (day, month and year) in any common form, or a DOB / "born" marker.
    pattern: String.raw`(?i)(\b\d{4}-\d{1,2}-\d{1,2}\b)|(\b\d{1,2}/\d{1,2}/\d{2,4}\b)|(\b\d{1,2}-\d{1,2}-\d{4}\b)|(\bd\.?o\.?b\b)|(\bborn\b)`,
    freeTextOnly: true,
  },
];

/**
 * Text people write to ddor (a dispute, the office's reasoning) checked as imports check
 * free text: A-numbers and SSNs anywhere, and a birth-date marker ("DOB", "born"). Dates
 * themselves are allowed: a dispute about a row's dates names dates. The label of the first
 * identifier found, or null.
 */
const WRITTEN_TEXT_CHECKS = [
  ...IDENTIFIER_PATTERNS.filter((p) => !p.freeTextOnly),
  {
    kind: 'birth_date',
    label: 'a birth date',
    pattern: String.raw`(?i)(\bd\.?o\.?b\b)|(\bborn\b)|(\bbirth\s*date\b)|(\bdate\s+of\s+birth\b)`,
  },
].map((p) => ({ label: p.label, re: new RegExp(p.pattern.replace('(?i)', ''), 'i') }));

export function identifierInText(text: string): string | null {
  return WRITTEN_TEXT_CHECKS.find((c) => c.re.test(text))?.label ?? null;
}

/** What replaces an identifier found in a value under --redact-identifiers (and in every rejection). */
export const REDACTED = '[identifier removed]';

/**
 * The staged columns that hold free text written by people: names of agencies
 * and facilities, places, charges. Dates, codes of vocabularies and ids are
 * checked for A-numbers and SSNs only.
 */
const FREE_TEXT = new Set([
  'agency',
  'agency_code',
  'city',
  'criminal_activity',
  'released_by_agency',
  'released_by_city',
  'facility',
  'facility_code',
  'msc_charge',
  'msc_status',
  'charge',
  'charge_status',
  'pending_charge',
  'pending_status',
  'criminality',
]);

const DATE_COLUMN = /(^|_)date$/;

export interface IdentifierScreen {
  /** Cells in which an identifier was found (masked in stg_raw either way). */
  cells: number;
  /** Rows with at least one such cell. */
  rows: number;
}

/** A cell separator no identifier pattern can match (nor \\s, \\d, \\w or punctuation): a match never spans two cells. */
const CELL_SEPARATOR = 'chr(1)';

/**
 * SQL: whether any of `checks` matches its column in a row. The columns that share a set of
 * patterns are joined into one string, cells apart by CELL_SEPARATOR, and matched once by one
 * pattern with the set's patterns as alternatives: two regular-expression calls a row instead
 * of one per column and pattern (about fifty for ICE's files), and the same answer, since a
 * pattern matches the joined string exactly where it matches one of its cells.
 */
export function anyIdentifier(
  checks: ReadonlyArray<{ column: string; kind: string; pattern: string }>,
): string {
  const columnsBySet = new Map<string, { patterns: string[]; columns: string[] }>();
  const kindsOf = new Map<string, string[]>();
  for (const c of checks) kindsOf.set(c.column, [...(kindsOf.get(c.column) ?? []), c.kind]);
  for (const [column, kinds] of kindsOf) {
    const set = kinds.join(',');
    const patterns = kinds.map((k) => IDENTIFIER_PATTERNS.find((p) => p.kind === k)!.pattern);
    const group = columnsBySet.get(set) ?? { patterns, columns: [] };
    group.columns.push(column);
    columnsBySet.set(set, group);
  }
  return [...columnsBySet.values()]
    .map(({ patterns, columns }) => {
      // RE2's (?i) applies to what follows it: each pattern keeps its own flags in a group of its own.
      const either = patterns
        .map((p) => (p.startsWith('(?i)') ? `(?i:${p.slice(4)})` : `(?:${p})`))
        .join('|');
      const cells =
        columns.length === 1
          ? quote(columns[0]!)
          : `concat_ws(${CELL_SEPARATOR}, ${columns.map(quote).join(', ')})`;
      return `coalesce(regexp_matches(${cells}, ${lit(either)}), false)`;
    })
    .join(' OR ');
}

/**
 * Looks for identifier patterns in every text column of `stg_raw` and masks
 * each match with REDACTED in place. Writes `stg_pii(rec, column_name, value,
 * reason, hint)`: one row per affected cell (the masked value), empty under
 * `redact`, where the masking is the whole answer. Policies describe
 * jurisdictions, not persons, and dates in their titles are ordinary: only
 * A-numbers and SSNs are looked for there.
 */
export async function screenIdentifiers(
  stage: DuckSession,
  kind: 'detainers' | 'policies',
  redact: boolean,
): Promise<IdentifierScreen> {
  await stage.run(
    'CREATE OR REPLACE TEMP TABLE stg_pii (rec BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR, hint VARCHAR)',
  );
  const columns = (
    await stage.all<{ name: string }>(
      `SELECT column_name AS name FROM duckdb_columns() WHERE table_name = 'stg_raw' AND data_type = 'VARCHAR' AND NOT internal
       ORDER BY column_index`,
    )
  ).map((c) => c.name);
  const checks = columns.flatMap((column) =>
    IDENTIFIER_PATTERNS.filter(
      (p) => !p.freeTextOnly || (kind === 'detainers' && FREE_TEXT.has(column) && !DATE_COLUMN.test(column)),
    ).map((p) => ({ column, ...p })),
  );
  if (checks.length === 0) return { cells: 0, rows: 0 };
  // One pass over the file finds the rows worth a closer look (usually none).
  await stage.run(
    `CREATE OR REPLACE TEMP TABLE stg_pii_rows AS SELECT rowid AS rid FROM stg_raw WHERE ${anyIdentifier(checks)}`,
  );
  const [{ n }] = (await stage.all<{ n: number }>('SELECT count(*) AS n FROM stg_pii_rows')) as [
    { n: number },
  ];
  if (Number(n) === 0) return { cells: 0, rows: 0 };

  const byColumn = new Map<string, typeof checks>();
  for (const c of checks) byColumn.set(c.column, [...(byColumn.get(c.column) ?? []), c]);
  const hint = redact
    ? ''
    : 'No name, A-number, SSN or birth date may be imported. Remove it from the file, or pass --redact-identifiers to mask such values and import the rest.';
  for (const [column, list] of byColumn) {
    const kindOf = `CASE ${list.map((c) => `WHEN regexp_matches(${quote(column)}, ${lit(c.pattern)}) THEN ${lit(c.label)}`).join(' ')} END`;
    let masked = quote(column);
    for (const c of list) masked = `regexp_replace(${masked}, ${lit(c.pattern)}, ${lit(REDACTED)}, 'g')`;
    await stage.run(`CREATE OR REPLACE TEMP TABLE stg_pii_cells AS
      SELECT rowid AS rid, ${kindOf} AS what, ${masked} AS masked FROM stg_raw
      WHERE rowid IN (SELECT rid FROM stg_pii_rows) AND ${kindOf} IS NOT NULL`);
    await stage.run(`INSERT INTO stg_pii SELECT rid + 1, ${lit(column)}, masked,
      'looks like a personal identifier (' || what || ')', ${lit(hint)} FROM stg_pii_cells`);
    await stage.run(
      `UPDATE stg_raw SET ${quote(column)} = c.masked FROM stg_pii_cells c WHERE stg_raw.rowid = c.rid`,
    );
  }
  const [counts] = (await stage.all<{ cells: number; rows: number }>(
    'SELECT count(*) AS cells, count(DISTINCT rec) AS rows FROM stg_pii',
  )) as [{ cells: number; rows: number }];
  if (redact) await stage.run('DELETE FROM stg_pii');
  return { cells: Number(counts.cells), rows: Number(counts.rows) };
}
