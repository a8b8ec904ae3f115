/**
 * Resolving counties in staged rows. Counties are resolved per distinct
 * (state, name) pair, never per row, and never guessed: a name that fits
 * several county-equivalents of the state is an error listing them.
 */
import type { DuckSession } from '../store/duckdb/session.js';
import type { Rule } from './rules.js';

/**
 * `lk_county(state, raw, n, fips, candidates)`: for each distinct (state code,
 * county name) of `pairs` (SELECTs yielding state, raw), how many county-equivalents
 * the name fits and, if one, its FIPS. A full-name match wins over a suffix-less one,
 * so "Franklin County" (VA) is 51067 while "Franklin" is ambiguous. Pairs are made
 * distinct first: a name met on many rows (or as "TX" and "Texas") is one question.
 */
export async function buildCountyLookup(stage: DuckSession, pairs: string[]): Promise<void> {
  await stage.run(`CREATE OR REPLACE TEMP TABLE lk_county AS
    WITH q AS (SELECT DISTINCT state, raw FROM (${pairs.join(' UNION ALL ')}) p),
    qk AS (SELECT state, raw, ddor_key(raw) AS k, ddor_short(raw) AS sk FROM q WHERE state IS NOT NULL AND raw IS NOT NULL),
    exact AS (SELECT qk.state, qk.raw, g.fips, g.name FROM qk JOIN ref_counties g ON g.state = qk.state AND g.full_key = qk.k),
    loose AS (SELECT qk.state, qk.raw, g.fips, g.name FROM qk JOIN ref_counties g
              ON g.state = qk.state AND (g.short_key = qk.k OR g.short_key = qk.sk)
              WHERE NOT EXISTS (SELECT 1 FROM exact e WHERE e.state = qk.state AND e.raw = qk.raw)),
    m AS (SELECT * FROM exact UNION ALL SELECT * FROM loose)
    SELECT qk.state, qk.raw, count(m.fips) AS n, min(m.fips) AS fips,
           string_agg(m.name || ' (' || m.fips || ')', ' or ' ORDER BY m.fips) AS candidates
    FROM qk LEFT JOIN m ON m.state = qk.state AND m.raw = qk.raw
    GROUP BY qk.state, qk.raw`);
}

/**
 * One county reference of a format: a FIPS column and a county-name column of
 * stg_raw, resolved into stg_norm columns prefixed `p` (`<p>county_fips` and
 * what its rules need), through `lk_county` and `ref_counties`.
 */
export function countyReference(p: string, fipsCol: string, nameCol: string) {
  return {
    /** Joins onto stg_raw `r`: `lk_county <p>lc` on (state code, name), `ref_counties <p>gf` on FIPS. */
    joins: (
      stateCode: string,
    ) => `LEFT JOIN lk_county ${p}lc ON ${p}lc.state = ${stateCode} AND ${p}lc.raw = r."${nameCol}"
    LEFT JOIN ref_counties ${p}gf ON ${p}gf.fips = r."${fipsCol}"`,

    /** The columns the reference adds to stg_norm. */
    select: `CASE WHEN r."${fipsCol}" IS NOT NULL THEN ${p}gf.fips WHEN ${p}lc.n = 1 THEN ${p}lc.fips END AS ${p}county_fips,
    ${p}gf.state AS ${p}fips_state, ${p}gf.name AS ${p}fips_name,
    CASE WHEN r."${fipsCol}" IS NOT NULL AND r."${nameCol}" IS NOT NULL AND ${p}gf.fips IS NOT NULL
      THEN ddor_key(r."${nameCol}") NOT IN (${p}gf.full_key, ${p}gf.short_key) AND ddor_short(r."${nameCol}") <> ${p}gf.short_key
      ELSE false END AS ${p}name_conflict,
    ${p}lc.n AS ${p}n, ${p}lc.candidates AS ${p}candidates`,

    /** Its rules, with `stateCode` the state (a stg_norm column); `active` limits them to rows that need a county. */
    rules: (stateCode: string, active = 'true'): Rule[] => [
      {
        column: fipsCol,
        when: `${active} AND "${fipsCol}" IS NULL AND "${nameCol}" IS NULL`,
        reason: 'no county given',
        hint: `Give ${fipsCol} (5-digit FIPS) or ${nameCol} with the state; counties are keyed by FIPS, never guessed.`,
        value: 'NULL',
      },
      {
        column: fipsCol,
        when: `"${fipsCol}" IS NOT NULL AND NOT regexp_full_match("${fipsCol}", '\\d{5}')`,
        reason: 'a county FIPS code has exactly 5 digits',
        hint: 'Write the state and county codes together with leading zeros, e.g. 06037 for Los Angeles County, CA.',
      },
      {
        column: fipsCol,
        when: `regexp_full_match("${fipsCol}", '\\d{5}') AND ${p}fips_state IS NULL`,
        reason: 'no county has this FIPS code',
        hint: 'Check the code against the Census county list (ddor uses 5-digit county FIPS codes).',
      },
      {
        column: fipsCol,
        when: `${p}fips_state IS NOT NULL AND ${stateCode} IS NOT NULL AND ${p}fips_state <> ${stateCode}`,
        reason: `'this FIPS code is ' || ${p}fips_name || ', ' || ${p}fips_state || ', not in ' || ${stateCode}`,
        reasonSql: true,
        hint: 'Same-name counties exist in many states: check both the FIPS code and the state.',
      },
      {
        column: nameCol,
        when: `${p}name_conflict`,
        reason: `'the county name does not match its FIPS code, which is ' || ${p}fips_name || ', ' || ${p}fips_state`,
        reasonSql: true,
        hint: `Correct either ${fipsCol} or ${nameCol}; ddor will not choose between them.`,
      },
      {
        column: nameCol,
        when: `"${fipsCol}" IS NULL AND "${nameCol}" IS NOT NULL AND ${stateCode} IS NOT NULL AND ${p}n = 0`,
        reason: `'no county of that name in ' || ${stateCode}`,
        reasonSql: true,
        hint: `Check the spelling or give ${fipsCol}.`,
      },
      {
        column: nameCol,
        when: `"${fipsCol}" IS NULL AND ${p}n > 1`,
        reason: `'ambiguous county name in ' || ${stateCode} || ': it could be ' || ${p}candidates`,
        reasonSql: true,
        hint: `Give ${fipsCol}, or the full name with its suffix (e.g. "Franklin city" or "Franklin County").`,
      },
    ],
  };
}
