/**
 * Resolving states, Areas of Responsibility, countries and duplicate keys in
 * staged rows, per distinct value, never per row (counties: counties.ts).
 */
import type { DuckSession } from '../store/duckdb/session.js';
import { sqlString } from '../store/sql.js';
import type { Rule } from './rules.js';

/** `lk_state(raw, code)` for every distinct raw state value in `sources` (SQL expressions over stg_raw). */
export async function buildStateLookup(stage: DuckSession, sources: string[]): Promise<void> {
  const distinct = sources
    .map((s) => `SELECT DISTINCT ${s} AS raw FROM stg_raw WHERE ${s} IS NOT NULL`)
    .join(' UNION ');
  await stage.run(`CREATE OR REPLACE TEMP TABLE lk_state AS
    SELECT d.raw, rs.code FROM (${distinct}) d LEFT JOIN ref_states rs ON rs.key = ddor_key(d.raw)`);
}

/** The `aor` column: how its values are looked up, and the rule for one that is not an AOR. */
export const AOR = {
  /**
   * `lk_aor(raw, code)`: the ICE Area of Responsibility of each distinct `aor`
   * value, by code or name; `iceSuffixes` also reads ICE's spellings with
   * "Area of Responsibility", "AOR" or "Field Office" after the name.
   */
  async lookup(stage: DuckSession, iceSuffixes = false): Promise<void> {
    const raw = iceSuffixes
      ? `regexp_replace(d.raw, '(?i)\\s*(area of responsibility|aor|field office)$', '')`
      : 'd.raw';
    await stage.run(`CREATE OR REPLACE TEMP TABLE lk_aor AS
      SELECT d.raw, ra.code FROM (SELECT DISTINCT aor AS raw FROM stg_raw WHERE aor IS NOT NULL) d
      LEFT JOIN ref_aors ra ON ra.key = ddor_key(${raw})`);
  },
  /** Over stg_norm, where `n_aor` is the looked-up code. */
  rule: {
    column: 'aor',
    when: 'aor IS NOT NULL AND n_aor IS NULL',
    reason: 'unknown Area of Responsibility',
    hint: 'Use an ICE field office code (SNA) or name (San Antonio).',
  } satisfies Rule,
};

/**
 * `lk_dup(key, first_rec)`: keys that appear more than once in the file, with
 * their first record. Returns the join that adds `dup_of` (that first record,
 * for the second and later ones) onto stg_raw `r`.
 */
export async function buildDuplicateLookup(stage: DuckSession, key: string): Promise<string> {
  await stage.run(`CREATE OR REPLACE TEMP TABLE lk_dup AS
    SELECT "${key}" AS key, min(rowid) + 1 AS first_rec FROM stg_raw WHERE "${key}" IS NOT NULL
    GROUP BY 1 HAVING count(*) > 1`);
  return `LEFT JOIN lk_dup dup ON dup.key = r."${key}" AND r.rowid + 1 > dup.first_rec`;
}

/** Citizenship values that mean "not known": stored as missing, counted in Section IV. */
const UNKNOWN_CITIZENSHIP = ['unknown', 'unk', 'na', 'none', 'notreported', 'stateless', 'unknowncountry'];

/** `lk_country(raw, name, is_unknown)` for every distinct value of `column` in stg_raw. */
export async function buildCountryLookup(stage: DuckSession, column: string): Promise<void> {
  await stage.run(`CREATE OR REPLACE TEMP TABLE lk_country AS
    SELECT d.raw, rc.name, ddor_key(d.raw) IN (${UNKNOWN_CITIZENSHIP.map(sqlString).join(', ')}) AS is_unknown
    FROM (SELECT DISTINCT "${column}" AS raw FROM stg_raw WHERE "${column}" IS NOT NULL) d
    LEFT JOIN ref_countries rc ON rc.key = ddor_key(d.raw)`);
}
