/**
 * Validation as data: each rule names a column, a SQL condition over the
 * staged rows that makes a row bad, a reason and a hint. All rules run as one
 * set-based query, so a million rows validate in DuckDB, not in a JS loop.
 */
import { DATE_RANGE_HINT } from '../domain/dates.js';
import { sqlString } from '../store/sql.js';
import { MAX_NAME_CHARS, NAME_COLUMNS } from './limits.js';

export interface Rule {
  column: string;
  /** SQL condition over `stg_norm` that is true for a bad row. */
  when: string;
  /** Plain reason, or SQL (reasonSql) when the reason quotes the data (e.g. candidates). */
  reason: string;
  reasonSql?: boolean;
  hint: string;
  /** SQL for the offending value; defaults to the raw column. */
  value?: string;
}

/** SQL: true for a row that breaks any rule (NULL-safe: a rule that cannot be evaluated is not broken). */
export function anyRuleBroken(rules: Rule[]): string {
  return `coalesce(${rules.map((r) => `(${r.when})`).join('\n OR ')}, false)`;
}

/** Every broken rule of every row in `from` (the bad rows), one row per cell. */
export function rejectsQuery(rules: Rule[], from: string): string {
  return rules
    .map(
      (r) =>
        `SELECT rec, ${sqlString(r.column)} AS column_name, CAST(${r.value ?? `"${r.column}"`} AS VARCHAR) AS value,
        ${r.reasonSql ? r.reason : sqlString(r.reason)} AS reason, ${sqlString(r.hint)} AS hint FROM ${from} WHERE ${r.when}`,
    )
    .join('\nUNION ALL\n');
}

export const DATE_HINT = 'Write dates as YYYY-MM-DD, e.g. 2017-01-28.';

/**
 * A parsed date outside the accepted range (src/domain/dates.ts; the bounds are the
 * staging session's ddor_earliest_date() and ddor_latest_date() macros).
 */
export function dateRangeRule(column: string, parsed: string): Rule {
  return {
    column,
    when: `${parsed} < ddor_earliest_date() OR ${parsed} > ddor_latest_date()`,
    reason: `'date out of range: ' || strftime(${parsed}, '%Y-%m-%d') || ', ddor accepts ' || strftime(ddor_earliest_date(), '%Y-%m-%d') || ' to ' || strftime(ddor_latest_date(), '%Y-%m-%d')`,
    reasonSql: true,
    hint: DATE_RANGE_HINT,
  };
}

/** Rules for an optional or required `YYYY-MM-DD` column whose parsed value is in `parsed`. */
export function dateRules(column: string, parsed: string, required: boolean): Rule[] {
  const rules: Rule[] = [
    {
      column,
      when: `"${column}" IS NOT NULL AND NOT regexp_full_match("${column}", '\\d{4}-\\d{2}-\\d{2}')`,
      reason: 'not a date in YYYY-MM-DD form',
      hint: DATE_HINT,
    },
    {
      column,
      when: `"${column}" IS NOT NULL AND regexp_full_match("${column}", '\\d{4}-\\d{2}-\\d{2}') AND ${parsed} IS NULL`,
      reason: 'impossible date (no such day in the calendar)',
      hint: 'Check the month and day; ddor does not guess a date.',
    },
    dateRangeRule(column, parsed),
  ];
  if (required) rules.unshift(requiredRule(column));
  return rules;
}

/** Ids, names, codes and places are keys and labels: each is bounded (MAX_NAME_CHARS). */
export function nameLengthRules(columns: ReadonlyArray<{ name: string }>): Rule[] {
  return columns
    .filter((c) => NAME_COLUMNS.has(c.name))
    .map((c) => ({
      column: c.name,
      when: `length("${c.name}") > ${MAX_NAME_CHARS}`,
      reason: `'too long for ${c.name.replaceAll('_', ' ')} (' || length("${c.name}") || ' characters, limit ${MAX_NAME_CHARS})'`,
      reasonSql: true,
      hint: 'An id, name, code or place fits on one line; check that the columns are not shifted or merged.',
      value: `left("${c.name}", 60) || '…'`,
    }));
}

/** A date that may not come before another (`parsed` and `earlier` are parsed dates in stg_norm). */
export function notBefore(
  column: string,
  parsed: string,
  earlier: string,
  reason: string,
  hint: string,
): Rule {
  return { column, when: `${parsed} < ${earlier}`, reason, hint };
}

export function requiredRule(column: string): Rule {
  return {
    column,
    when: `"${column}" IS NULL`,
    reason: 'required value is missing',
    hint: `Every row needs a ${column}.`,
  };
}

export function enumRule(column: string, normalized: string, allowed: readonly string[]): Rule {
  return {
    column,
    when: `"${column}" IS NOT NULL AND ${normalized} IS NULL`,
    reason: 'not one of the allowed values',
    hint: `Use one of: ${allowed.join(', ')}.`,
  };
}

/** SQL: the value of `expr` lower-cased if it is one of `allowed`, else NULL. */
export function enumValue(expr: string, allowed: readonly string[], upper = false): string {
  const list = allowed.map((a) => sqlString(upper ? a.toUpperCase() : a.toLowerCase())).join(', ');
  const folded = upper ? `upper(${expr})` : `lower(${expr})`;
  return `CASE WHEN ${folded} IN (${list}) THEN ${folded} END`;
}

/** The record key: present, and once per file (a second row with it names the first one's line). */
export function keyRules(key: string, kind: string): Rule[] {
  return [
    requiredRule(key),
    {
      column: key,
      when: 'dup_of IS NOT NULL',
      reason: `'duplicate ${key}: the same id is on {record ' || dup_of || '}'`,
      reasonSql: true,
      hint: `Each ${kind} appears once per file; re-import a corrected file to update it.`,
    },
  ];
}

export function stateRules(column: string, normalized: string, required: boolean): Rule[] {
  const unknown: Rule = {
    column,
    when: `"${column}" IS NOT NULL AND ${normalized} IS NULL`,
    reason: 'unknown state',
    hint: 'Use a USPS code (PA) or the full state name (Pennsylvania).',
  };
  return required ? [requiredRule(column), unknown] : [unknown];
}
