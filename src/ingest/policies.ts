/** The canonical policy CSV (SPEC §3): normalisation and validation rules. */
import { POLICY_LEVELS, POLICY_TYPES, RESTRICTIONS } from '../domain/vocab.js';
import { POLICIES } from '../store/columns.js';
import { sqlString } from '../store/sql.js';
import { buildCountyLookup, countyReference } from './counties.js';
import { AOR, buildDuplicateLookup, buildStateLookup } from './resolve.js';
import {
  DATE_HINT,
  dateRangeRule,
  dateRules,
  enumRule,
  enumValue,
  keyRules,
  type Rule,
  requiredRule,
  stateRules,
} from './rules.js';
import { asDate, type ImportSpec } from './spec.js';

const COLUMNS = [
  ['policy_id', true],
  ['level', true],
  ['state', true],
  ['county_fips', false],
  ['county', false],
  ['place', false],
  ['aor', false],
  ['type', true],
  ['title', true],
  ['enacted_date', true],
  ['rescinded_date', false],
  ['restricts', true],
  ['criteria', false],
  ['source_url', false],
] as const;

const COUNTY = countyReference('c_', 'county_fips', 'county');
const restrictList = RESTRICTIONS.map(sqlString).join(', ');

export const policySpec: ImportSpec = {
  kind: 'policies',
  columns: COLUMNS.map(([name, required]) => ({ name, required })),
  anyOf: [],
  table: POLICIES,

  async normalize(stage) {
    await buildStateLookup(stage, ['state']);
    await buildCountyLookup(stage, [
      `SELECT ls.code AS state, r.county AS raw FROM stg_raw r JOIN lk_state ls ON ls.raw = r.state
       WHERE r.county_fips IS NULL AND r.county IS NOT NULL`,
    ]);
    await AOR.lookup(stage);
    const duplicates = await buildDuplicateLookup(stage, 'policy_id');
    // A view: the normalised rows are read twice (bad rows, valid rows), never stored whole.
    await stage.run(`CREATE OR REPLACE TEMP VIEW stg_norm AS
      SELECT r.rowid + 1 AS rec, r.*,
        ${enumValue('r.level', ['state', 'county', 'place'])} AS n_level,
        ls.code AS n_state,
        ${COUNTY.select},
        la.code AS n_aor,
        ${enumValue('r.type', POLICY_TYPES)} AS n_type,
        CASE WHEN regexp_full_match(r.enacted_date, '\\d{4}-\\d{2}-\\d{2}') THEN try_cast(r.enacted_date AS DATE)
             WHEN regexp_full_match(r.enacted_date, '\\d{4}-\\d{2}') THEN try_cast(r.enacted_date || '-01' AS DATE) END AS n_enacted,
        CASE WHEN regexp_full_match(r.enacted_date, '\\d{4}-\\d{2}') THEN 'month' ELSE 'day' END AS n_precision,
        ${asDate('rescinded_date')} AS n_rescinded,
        list_filter(list_transform(string_split(r.restricts, ';'), lambda x: lower(trim(x))), lambda x: x <> '') AS n_restricts_list,
        dup.first_rec AS dup_of
      FROM stg_raw r
      LEFT JOIN lk_state ls ON ls.raw = r.state
      ${COUNTY.joins('ls.code')}
      LEFT JOIN lk_aor la ON la.raw = r.aor
      ${duplicates}`);
  },

  rules: [
    ...keyRules('policy_id', 'policy'),
    requiredRule('level'),
    enumRule('level', 'n_level', POLICY_LEVELS),
    ...stateRules('state', 'n_state', true),
    ...COUNTY.rules('n_state', `n_level IN ('county', 'place')`),
    {
      column: 'county',
      when: `n_level = 'state' AND (county_fips IS NOT NULL OR county IS NOT NULL OR place IS NOT NULL)`,
      reason: 'a state-level policy names a county or place',
      hint: 'Use level county or place, or leave county_fips, county and place empty.',
      value: 'coalesce(county_fips, county, place)',
    },
    {
      column: 'place',
      when: `n_level = 'place' AND place IS NULL`,
      reason: 'a place-level policy needs its place (city name)',
      hint: 'Give the city, and the county it lies in so it can be mapped.',
    },
    {
      column: 'place',
      when: `n_level = 'county' AND place IS NOT NULL`,
      reason: 'a county-level policy names a place',
      hint: 'Use level place for a city policy, or leave place empty.',
    },
    AOR.rule,
    requiredRule('type'),
    enumRule('type', 'n_type', POLICY_TYPES),
    requiredRule('title'),
    requiredRule('enacted_date'),
    {
      column: 'enacted_date',
      when: 'enacted_date IS NOT NULL AND n_enacted IS NULL',
      reason: 'not a valid date',
      hint: `${DATE_HINT} When only the month is known, write YYYY-MM.`,
    },
    dateRangeRule('enacted_date', 'n_enacted'),
    ...dateRules('rescinded_date', 'n_rescinded', false),
    {
      column: 'rescinded_date',
      when: 'n_rescinded <= n_enacted',
      reason: 'rescinded on or before it was enacted',
      hint: 'rescinded_date is the first day the policy no longer applies; it comes after enacted_date.',
    },
    requiredRule('restricts'),
    {
      column: 'restricts',
      when: 'restricts IS NOT NULL AND len(n_restricts_list) = 0',
      reason: 'no restriction listed',
      hint: `List what the policy restricts, ";"-separated, from: ${RESTRICTIONS.join(', ')}.`,
    },
    {
      column: 'restricts',
      when: `len(list_filter(n_restricts_list, lambda x: x NOT IN (${restrictList}))) > 0`,
      reason: `'unknown restriction: ' || list_filter(n_restricts_list, lambda x: x NOT IN (${restrictList}))[1]`,
      reasonSql: true,
      hint: `Use ";"-separated values from: ${RESTRICTIONS.join(', ')}.`,
    },
    {
      column: 'source_url',
      when: `source_url IS NOT NULL AND NOT regexp_full_match(source_url, 'https?://[^\\s]+')`,
      reason: 'not a web address',
      hint: 'Give the full address starting with https:// or http://.',
    },
  ] satisfies Rule[],

  validSelect: {
    policy_id: 'policy_id',
    level: 'n_level',
    state: 'n_state',
    county_fips: `CASE WHEN n_level = 'state' THEN NULL ELSE c_county_fips END`,
    place: `CASE WHEN n_level = 'place' THEN place END`,
    aor: 'n_aor',
    type: 'n_type',
    title: 'title',
    enacted_date: 'n_enacted',
    enacted_precision: 'n_precision',
    rescinded_date: 'n_rescinded',
    restricts: `array_to_string(list_sort(list_distinct(n_restricts_list)), ';')`,
    criteria: 'criteria',
    source_url: 'source_url',
  },
};
