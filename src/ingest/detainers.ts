/** The canonical detainer CSV (SPEC §3): normalisation and validation rules. */
import { DETAINER_FORMS, OUTCOME_SOURCES, OUTCOMES } from '../domain/vocab.js';
import { DETAINERS } from '../store/columns.js';
import { buildCountyLookup, countyReference } from './counties.js';
import { AOR, buildCountryLookup, buildDuplicateLookup, buildStateLookup } from './resolve.js';
import {
  dateRules,
  enumRule,
  enumValue,
  keyRules,
  notBefore,
  type Rule,
  requiredRule,
  stateRules,
} from './rules.js';
import { asDate, type ImportSpec } from './spec.js';

const COLUMNS = [
  ['detainer_id', true],
  ['issued_date', true],
  ['form', false],
  ['aor', false],
  ['agency', true],
  ['agency_code', false],
  ['city', false],
  ['county_fips', false],
  ['county', false],
  ['state', true],
  ['citizenship', false],
  ['criminal_activity', false],
  ['outcome', true],
  ['declined_date', false],
  ['recorded_date', false],
  ['released_by_agency', false],
  ['released_by_city', false],
  ['released_by_county_fips', false],
  ['released_by_county', false],
  ['released_by_state', false],
  ['source', false],
] as const;

const COUNTY = countyReference('c_', 'county_fips', 'county');
const RELEASED_BY_COUNTY = countyReference('rb_', 'released_by_county_fips', 'released_by_county');

const ENTRY = `'(?i)^(.*\\S)\\s*\\((conviction|charge|pending)\\)$'`;

/** A date only a declined detainer has: given with another outcome, it is rejected. */
const declinedOnly = (column: string, given: string, hint: string): Rule => ({
  column,
  when: `n_outcome <> 'declined' AND "${column}" IS NOT NULL`,
  reason: `'${given}, but the outcome is ' || n_outcome`,
  reasonSql: true,
  hint,
});

export const detainerSpec: ImportSpec = {
  kind: 'detainers',
  columns: COLUMNS.map(([name, required]) => ({ name, required })),
  anyOf: [['county_fips', 'county']],
  table: DETAINERS,

  async normalize(stage) {
    await buildStateLookup(stage, ['state', 'released_by_state']);
    await buildCountyLookup(stage, [
      `SELECT ls.code AS state, r.county AS raw FROM stg_raw r JOIN lk_state ls ON ls.raw = r.state
       WHERE r.county_fips IS NULL AND r.county IS NOT NULL`,
      `SELECT coalesce(lrs.code, ls.code) AS state, r.released_by_county AS raw FROM stg_raw r
       LEFT JOIN lk_state ls ON ls.raw = r.state LEFT JOIN lk_state lrs ON lrs.raw = r.released_by_state
       WHERE r.released_by_county_fips IS NULL AND r.released_by_county IS NOT NULL`,
    ]);
    await buildCountryLookup(stage, 'citizenship');
    await stage.run(`CREATE OR REPLACE TEMP TABLE lk_crime AS
      WITH d AS (SELECT DISTINCT criminal_activity AS raw FROM stg_raw WHERE criminal_activity IS NOT NULL),
      e AS (SELECT raw, list_filter(list_transform(string_split(raw, ';'), lambda x: trim(x)), lambda x: x <> '') AS parts FROM d)
      SELECT raw,
        list_filter(parts, lambda x: NOT regexp_matches(x, ${ENTRY}))[1] AS bad_entry,
        array_to_string(list_transform(parts, lambda x:
          regexp_extract(x, ${ENTRY}, 1) || ' (' || lower(regexp_extract(x, ${ENTRY}, 2)) || ')'), '; ') AS normalized
      FROM e`);
    await AOR.lookup(stage);
    const duplicates = await buildDuplicateLookup(stage, 'detainer_id');
    // A view: the normalised rows are read twice (bad rows, valid rows), never stored whole.
    await stage.run(`CREATE OR REPLACE TEMP VIEW stg_norm AS
      SELECT r.rowid + 1 AS rec, r.*,
        ${asDate('issued_date')} AS n_issued,
        ${enumValue(`regexp_replace(replace(r.form, ' ', ''), '^(?i)I-?247-?', 'I-247')`, DETAINER_FORMS, true)} AS n_form,
        la.code AS n_aor,
        ls.code AS n_state,
        ${COUNTY.select},
        lco.name AS n_citizenship, coalesce(lco.is_unknown, false) AS citizenship_unknown,
        lcr.normalized AS n_criminal, lcr.bad_entry AS criminal_bad,
        ${enumValue('r.outcome', OUTCOMES)} AS n_outcome,
        ${asDate('declined_date')} AS n_declined,
        ${asDate('recorded_date')} AS n_recorded,
        lrs.code AS rb_state_given,
        coalesce(lrs.code, ls.code) AS rb_state,
        ${RELEASED_BY_COUNTY.select},
        ${enumValue('r.source', OUTCOME_SOURCES)} AS n_source,
        dup.first_rec AS dup_of
      FROM stg_raw r
      LEFT JOIN lk_state ls ON ls.raw = r.state
      LEFT JOIN lk_state lrs ON lrs.raw = r.released_by_state
      ${COUNTY.joins('ls.code')}
      ${RELEASED_BY_COUNTY.joins('coalesce(lrs.code, ls.code)')}
      LEFT JOIN lk_country lco ON lco.raw = r.citizenship
      LEFT JOIN lk_crime lcr ON lcr.raw = r.criminal_activity
      LEFT JOIN lk_aor la ON la.raw = r.aor
      ${duplicates}`);
  },

  rules: [
    ...keyRules('detainer_id', 'detainer'),
    ...dateRules('issued_date', 'n_issued', true),
    enumRule('form', 'n_form', DETAINER_FORMS),
    AOR.rule,
    requiredRule('agency'),
    ...stateRules('state', 'n_state', true),
    ...COUNTY.rules('n_state'),
    {
      column: 'citizenship',
      when: 'citizenship IS NOT NULL AND n_citizenship IS NULL AND NOT citizenship_unknown',
      reason: 'unknown country',
      hint: 'Use a country name (Mexico) or an ISO 3166 code (MX or MEX); leave it empty when unknown.',
    },
    {
      column: 'criminal_activity',
      when: 'criminal_bad IS NOT NULL',
      reason: `'each entry must read "description (conviction|charge|pending)"; this one does not: ' || criminal_bad`,
      reasonSql: true,
      hint: 'Separate entries with ";", e.g. "Burglary (conviction); DUI (pending)".',
      value: 'NULL',
    },
    requiredRule('outcome'),
    enumRule('outcome', 'n_outcome', OUTCOMES),
    ...dateRules('declined_date', 'n_declined', false),
    {
      column: 'declined_date',
      when: `n_outcome = 'declined' AND declined_date IS NULL`,
      reason: 'a declined detainer needs its declined_date',
      hint: 'Give the day the agency released the person despite the detainer.',
    },
    declinedOnly(
      'declined_date',
      'declined_date given',
      'Only declined detainers have a declined_date; correct the outcome or remove the date.',
    ),
    notBefore(
      'declined_date',
      'n_declined',
      'n_issued',
      'declined before the detainer was issued',
      'Check issued_date and declined_date.',
    ),
    ...dateRules('recorded_date', 'n_recorded', false),
    declinedOnly(
      'recorded_date',
      'recorded_date is the day a decline was recorded',
      'Remove recorded_date, or correct the outcome.',
    ),
    notBefore(
      'recorded_date',
      'n_recorded',
      'n_declined',
      'recorded before the decline happened',
      'A decline is recorded on or after its declined_date.',
    ),
    {
      column: 'released_by_agency',
      when: `released_by_agency IS NULL AND (released_by_city IS NOT NULL OR released_by_county_fips IS NOT NULL
             OR released_by_county IS NOT NULL OR released_by_state IS NOT NULL)`,
      reason: 'releasing-agency details given without released_by_agency',
      hint: 'Name the agency that released the person, or leave all released_by_ columns empty.',
      value: 'NULL',
    },
    ...stateRules('released_by_state', 'rb_state_given', false),
    ...RELEASED_BY_COUNTY.rules('rb_state', 'released_by_agency IS NOT NULL'),
    enumRule('source', 'n_source', OUTCOME_SOURCES),
  ] satisfies Rule[],

  validSelect: {
    detainer_id: 'detainer_id',
    issued_date: 'n_issued',
    form: 'n_form',
    aor: 'n_aor',
    agency: 'agency',
    agency_code: 'agency_code',
    city: 'city',
    county_fips: 'c_county_fips',
    state: 'n_state',
    citizenship: 'n_citizenship',
    criminal_activity: 'n_criminal',
    outcome: 'n_outcome',
    declined_date: 'n_declined',
    recorded_date: `CASE WHEN n_outcome = 'declined' THEN coalesce(n_recorded, n_declined) END`,
    released_by_agency: 'released_by_agency',
    released_by_city: 'CASE WHEN released_by_agency IS NOT NULL THEN released_by_city END',
    released_by_county_fips: 'CASE WHEN released_by_agency IS NOT NULL THEN rb_county_fips END',
    released_by_state: 'CASE WHEN released_by_agency IS NOT NULL THEN rb_state END',
    source: 'n_source',
  },
};
