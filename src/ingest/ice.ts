/**
 * ICE's own detainer files, as released under FOIA and republished by the
 * Deportation Data Project: the 2023–2025 spreadsheets (xlsx, Title Case
 * headers, preamble rows, several sheets), DDP's cleaned snake_case files
 * (Parquet or CSV), older releases with a lift date, and the pre-2017 layout.
 * Columns are matched by name. Outcomes come from the lift reason (a documented
 * table), counties from the facility: its code in the registry, else its city
 * through the place gazetteer, else the resolution queue — never a guess.
 */
import { CRIMINALITY, DETAINER_TYPE_LABELS } from '../domain/ice.js';
import { DDOR_FORMS_REGEX } from '../domain/vocab.js';
import { countyByFips } from '../geo/gazetteer.js';
import { countiesOfPlace } from '../geo/places.js';
import { DETAINERS } from '../store/columns.js';
import type { DuckSession } from '../store/duckdb/session.js';
import { sqlValue, sqlValues } from '../store/sql.js';
import { type Store, textColumns } from '../store/store.js';
import { defaultLiftTable, type LiftTable } from './lift-reasons.js';
import { AOR, buildCountryLookup, buildDuplicateLookup, buildStateLookup } from './resolve.js';
import { DATE_HINT, dateRangeRule, notBefore, requiredRule } from './rules.js';
import { type FieldAliases, readByName } from './sources.js';
import type { ImportSpec, ReaderOptions } from './spec.js';

/** Each field and the header names (folded by headerKey) that carry it across the layouts. */
export const ICE_FIELDS: FieldAliases = {
  detainer_id: ['detainer_id'],
  issued_date: ['detainer_prepare_date', 'prepare_date'],
  lift_date: ['detainer_lift_date', 'lift_date'],
  lift_reason: ['detainer_lift_reason', 'lift_reason'],
  facility: ['detainer_facility', 'detainer_detention_facility', 'facility'],
  facility_code: ['detainer_facility_code', 'facility_code'],
  city: ['facility_city', 'city'],
  state: ['facility_state', 'state'],
  aor: ['facility_aor', 'detainer_aor', 'aor'],
  citizenship: ['citizenship_country', 'citizenship'],
  detainer_type: ['detainer_type'],
  msc_charge: ['msc_charge'],
  msc_conviction_date: ['msc_conviction_date'],
  criminality: ['detainer_criminality'],
};

export const ICE_FORMATS = ['ice', 'ice-xlsx', 'ddp', 'ice-legacy', 'ice-pre2017'] as const;
export type IceFormat = (typeof ICE_FORMATS)[number];

/** The columns each named layout must have (any of a group). */
const REQUIRED: Record<IceFormat, string[][]> = {
  ice: [['issued_date'], ['facility'], ['lift_reason']],
  'ice-xlsx': [['issued_date'], ['facility'], ['lift_reason'], ['state']],
  ddp: [['issued_date'], ['facility'], ['lift_reason'], ['state']],
  'ice-legacy': [['detainer_id'], ['issued_date'], ['lift_date'], ['lift_reason'], ['facility']],
  'ice-pre2017': [['issued_date'], ['lift_reason'], ['facility'], ['city'], ['state']],
};

interface Registry {
  facilities: Array<{ facility_key: string; state: string; county_fips: string | null; resolved_by: string }>;
  agencies: Array<{ agency_code: string; state: string; county_fips: string }>;
}

const norm = (v: string) => v.trim().replace(/\s+/g, ' ').toUpperCase();

/** A facility's key in the registry: its code, or its name, city and state. */
export function facilityKey(
  name: string,
  code: string | null,
  city: string | null,
  state: string | null,
): string {
  return code ? `code:${norm(code)}` : `name:${norm(name)}|${norm(city ?? '')}|${norm(state ?? '')}`;
}

function candidatesText(fips: string[]): string {
  return fips.map((f) => `${countyByFips(f)?.name ?? f} (${f})`).join(' or ');
}

/** Resolves each distinct facility of the file and writes lk_facility. */
async function resolveFacilities(stage: DuckSession, registry: Registry): Promise<void> {
  const rows = await stage.all<{
    facility: string | null;
    facility_code: string | null;
    city: string | null;
    state: string | null;
  }>(
    `SELECT DISTINCT r.facility, r.facility_code, r.city, ls.code AS state FROM stg_raw r LEFT JOIN lk_state ls ON ls.raw = r.state
     WHERE r.facility IS NOT NULL`,
  );
  const known = new Map(registry.facilities.map((f) => [f.facility_key, f]));
  const byCode = new Map(registry.agencies.map((a) => [norm(a.agency_code), a]));
  const values: string[] = [];
  for (const r of rows) {
    const key = facilityKey(r.facility!, r.facility_code, r.city, r.state);
    const reg = known.get(key);
    let state = r.state ?? reg?.state ?? null;
    let county: string | null = null;
    let how = 'queued';
    let candidates: string | null = null;
    const isNew = !reg;
    if (reg) {
      county = reg.county_fips;
      how = reg.resolved_by;
    } else if (r.facility_code && byCode.has(norm(r.facility_code))) {
      const a = byCode.get(norm(r.facility_code))!;
      county = a.county_fips;
      state ??= a.state;
      how = 'code';
    } else if (r.city && state) {
      const fips = countiesOfPlace(r.city, state);
      if (fips.length === 1) {
        county = fips[0]!;
        how = 'place';
      } else {
        candidates =
          fips.length > 1
            ? `${r.city} spans ${candidatesText(fips)}`
            : `${r.city} is not in the place gazetteer`;
      }
    } else {
      candidates = 'no city given for this facility';
    }
    values.push(
      `(${[r.facility, r.facility_code, r.city, r.state, key, state, county, how, candidates].map(sqlValue).join(', ')}, ${isNew})`,
    );
  }
  await stage.run(`CREATE OR REPLACE TEMP TABLE lk_facility (facility VARCHAR, facility_code VARCHAR, city VARCHAR,
    state VARCHAR, key VARCHAR, fac_state VARCHAR, county_fips VARCHAR, resolved_by VARCHAR, candidates VARCHAR, is_new BOOLEAN)`);
  for (let i = 0; i < values.length; i += 1000) {
    await stage.run(`INSERT INTO lk_facility VALUES ${values.slice(i, i + 1000).join(', ')}`);
  }
  await stage.run(`CREATE OR REPLACE TEMP TABLE stg_facilities AS
    SELECT DISTINCT key AS facility_key, facility AS name, facility_code AS code, city, fac_state AS state, county_fips, candidates,
      resolved_by FROM lk_facility WHERE is_new AND fac_state IS NOT NULL`);
}

const FIELDS = Object.keys(ICE_FIELDS);
const ANY_DATE = (x: string) =>
  `CAST(coalesce(try_strptime(${x}, '%Y-%m-%d'), try_strptime(${x}, '%Y-%m-%d %H:%M:%S'), try_strptime(${x}, '%Y-%m-%dT%H:%M:%S'), try_strptime(${x}, '%m/%d/%Y')) AS DATE)`;
const hashed = `sha256(concat_ws('|', r.issued_date, r.lift_date, r.lift_reason, r.facility, r.facility_code, r.city, r.state,
  r.aor, r.citizenship, r.detainer_type, r.msc_charge, r.msc_conviction_date, r.criminality))`;

/** The unknown-lift-reason rule: the default table points at the README, another table at itself. */
function liftReasonRule(table: LiftTable) {
  const known = table.rows.filter((r) => r.reason).map((r) => r.reason);
  return table.isDefault
    ? {
        reason: 'unknown lift reason',
        hint: `ddor maps lift reasons by a documented table (README, "Lift reasons"); an unknown one is not guessed. Known: ${known.slice(0, 8).join('; ')}…`,
      }
    : {
        reason: `lift reason not in the table ${table.name}`,
        hint: `Add a row for it to ${table.path} (lift_reason,outcome,why); an unknown reason is not guessed.`,
      };
}

/**
 * A spec for one ICE layout. Outcomes come from `liftTable` (default: the shipped
 * data/lift-reasons.csv); an import with another table records it on the import.
 */
export function iceSpec(format: IceFormat = 'ice', liftTable: LiftTable = defaultLiftTable()): ImportSpec {
  const unknownReason = liftReasonRule(liftTable);
  return {
    kind: 'detainers',
    columns: FIELDS.map((name) => ({ name, required: false })),
    anyOf: [],
    table: DETAINERS,

    async prepare(store: Store): Promise<Registry> {
      const facilities = await store.db
        .selectFrom('facilities')
        .select(['facility_key', 'state', 'county_fips', 'resolved_by'])
        .execute();
      const agencies = (await store.db
        .selectFrom('agencies')
        .select(['agency_code', 'state', 'county_fips'])
        .where('agency_code', 'is not', null)
        .execute()) as Registry['agencies'];
      return { facilities, agencies };
    },

    read(stage: DuckSession, file: string, options: ReaderOptions) {
      const source = { fields: ICE_FIELDS, required: REQUIRED[format], anchor: ['issued_date'] };
      return readByName(stage, file, source, options.onRows);
    },

    async normalize(stage, context) {
      await buildStateLookup(stage, ['state']);
      await resolveFacilities(stage, context as Registry);
      await buildCountryLookup(stage, 'citizenship');
      await stage.run(`CREATE OR REPLACE TEMP TABLE lk_reason AS
        SELECT d.raw, t.outcome FROM (SELECT DISTINCT lift_reason AS raw FROM stg_raw WHERE lift_reason IS NOT NULL) d
        LEFT JOIN (SELECT DISTINCT ddor_key(reason) AS key, outcome FROM (VALUES ${sqlValues(liftTable.rows.filter((r) => r.reason).map((r) => [r.reason, r.outcome]))}) v(reason, outcome)) t
        ON t.key = ddor_key(d.raw)`);
      await stage.run(`CREATE OR REPLACE TEMP TABLE lk_type AS
        SELECT d.raw, coalesce(
          CASE WHEN regexp_matches(upper(d.raw), '${DDOR_FORMS_REGEX}') THEN 'I-247' || regexp_extract(upper(d.raw), '${DDOR_FORMS_REGEX}', 1) END,
          t.form) AS form
        FROM (SELECT DISTINCT detainer_type AS raw FROM stg_raw WHERE detainer_type IS NOT NULL) d
        LEFT JOIN (SELECT ddor_key(label) AS key, form FROM (VALUES ${sqlValues(DETAINER_TYPE_LABELS.map(([l, f]) => [l, f]))}) v(label, form)) t
        ON t.key = ddor_key(d.raw)`);
      await stage.run(`CREATE OR REPLACE TEMP TABLE lk_crim AS
        SELECT d.raw, t.kind, t.label, t.key IS NOT NULL AS known
        FROM (SELECT DISTINCT criminality AS raw FROM stg_raw WHERE criminality IS NOT NULL) d
        LEFT JOIN (SELECT DISTINCT ddor_key(value) AS key, kind, label FROM (VALUES ${sqlValues(CRIMINALITY.map(([v, k, l]) => [v, k ?? '', l]))}) v(value, kind, label)) t
        ON t.key = ddor_key(d.raw)`);
      await AOR.lookup(stage, true);
      const duplicates = await buildDuplicateLookup(stage, 'detainer_id');
      await stage.run(`CREATE OR REPLACE TEMP VIEW stg_norm AS
        SELECT r.rowid + 1 AS rec, r.*,
          ${ANY_DATE('r.issued_date')} AS n_issued,
          ${ANY_DATE('r.lift_date')} AS n_lift,
          ${ANY_DATE('r.msc_conviction_date')} AS n_conv,
          CASE WHEN r.lift_reason IS NULL THEN 'pending' ELSE lr.outcome END AS n_outcome,
          lt.form AS n_form,
          la.code AS n_aor,
          ls.code AS state_given,
          f.key AS n_facility_key, f.fac_state AS n_state,
          lco.name AS n_citizenship, coalesce(lco.is_unknown, false) AS citizenship_unknown,
          lc.known AS crim_known,
          CASE WHEN r.msc_charge IS NOT NULL THEN
                 replace(replace(r.msc_charge, ';', ','), '  ', ' ') || ' (' ||
                 CASE WHEN r.msc_conviction_date IS NOT NULL OR lc.kind = 'conviction' THEN 'conviction'
                      WHEN lc.kind = 'pending' THEN 'pending' ELSE 'charge' END || ')'
               WHEN lc.kind IS NOT NULL AND lc.kind <> '' THEN lc.label || ' (' || lc.kind || ')' END AS n_criminal,
          coalesce(r.detainer_id,
            'ice-' || substr(${hashed}, 1, 16) || '-' || row_number() OVER (PARTITION BY ${hashed} ORDER BY r.rowid)) AS n_id,
          dup.first_rec AS dup_of
        FROM stg_raw r
        LEFT JOIN lk_state ls ON ls.raw = r.state
        LEFT JOIN lk_facility f ON f.facility IS NOT DISTINCT FROM r.facility AND f.facility_code IS NOT DISTINCT FROM r.facility_code
          AND f.city IS NOT DISTINCT FROM r.city AND f.state IS NOT DISTINCT FROM ls.code
        LEFT JOIN lk_reason lr ON lr.raw = r.lift_reason
        LEFT JOIN lk_type lt ON lt.raw = r.detainer_type
        LEFT JOIN lk_crim lc ON lc.raw = r.criminality
        LEFT JOIN lk_aor la ON la.raw = r.aor
        LEFT JOIN lk_country lco ON lco.raw = r.citizenship
        ${duplicates}`);
    },

    rules: [
      {
        column: 'detainer_id',
        when: 'dup_of IS NOT NULL',
        reason: `'duplicate detainer id: the same id is on {record ' || dup_of || '}'`,
        reasonSql: true,
        hint: 'Each detainer appears once per file.',
      },
      requiredRule('issued_date'),
      {
        column: 'issued_date',
        when: 'issued_date IS NOT NULL AND n_issued IS NULL',
        reason: 'not a date',
        hint: `${DATE_HINT} ICE's files also use MM/DD/YYYY and dates with a time.`,
      },
      dateRangeRule('issued_date', 'n_issued'),
      {
        column: 'lift_date',
        when: 'lift_date IS NOT NULL AND n_lift IS NULL',
        reason: 'not a date',
        hint: DATE_HINT,
      },
      dateRangeRule('lift_date', 'n_lift'),
      notBefore(
        'lift_date',
        'n_lift',
        'n_issued',
        'lifted before the detainer was prepared',
        'Check the prepare and lift dates.',
      ),
      {
        column: 'lift_reason',
        when: 'lift_reason IS NOT NULL AND n_outcome IS NULL',
        ...unknownReason,
      },
      requiredRule('facility'),
      {
        column: 'state',
        when: 'state IS NOT NULL AND state_given IS NULL',
        reason: 'unknown state',
        hint: 'Use a USPS code (PA) or the full state name (Pennsylvania).',
      },
      {
        column: 'state',
        when: 'facility IS NOT NULL AND state IS NULL AND n_state IS NULL',
        reason: 'no state for this facility',
        hint: 'Give a Facility State column, or register the facility code first (ddor resolve import).',
      },
      {
        ...AOR.rule,
        hint: 'Use an ICE field office code (SNA) or name (San Antonio, or "San Antonio Area of Responsibility").',
      },
      {
        column: 'citizenship',
        when: 'citizenship IS NOT NULL AND n_citizenship IS NULL AND NOT citizenship_unknown',
        reason: 'unknown country',
        hint: 'Use a country name (ICE spellings such as "KOREA, SOUTH" are known) or an ISO 3166 code.',
      },
      {
        column: 'criminality',
        when: 'criminality IS NOT NULL AND NOT crim_known',
        reason: 'unknown detainer criminality',
        hint: `Known values: ${CRIMINALITY.map(([v]) => v).join('; ')}.`,
      },
      {
        column: 'detainer_type',
        when: 'detainer_type IS NOT NULL AND n_form IS NULL',
        reason: 'unknown detainer type',
        hint: 'The label should name a form (I-247, I-247A, I-247D, I-247N, I-247X).',
      },
      {
        column: 'msc_conviction_date',
        when: 'msc_conviction_date IS NOT NULL AND n_conv IS NULL',
        reason: 'not a date',
        hint: DATE_HINT,
      },
    ],

    validSelect: {
      detainer_id: 'n_id',
      issued_date: 'n_issued',
      form: 'n_form',
      aor: 'n_aor',
      agency: 'facility',
      agency_code: 'facility_code',
      city: 'city',
      state: 'n_state',
      citizenship: 'n_citizenship',
      criminal_activity: 'n_criminal',
      outcome: 'n_outcome',
      declined_date: `CASE WHEN n_outcome = 'declined' THEN n_lift END`,
      recorded_date: `CASE WHEN n_outcome = 'declined' THEN n_lift END`,
      lift_reason: 'lift_reason',
      facility_key: 'n_facility_key',
    },

    extraStaged: [
      {
        name: 'stg_facilities',
        columns: textColumns(
          'facility_key',
          'name',
          'code',
          'city',
          'state',
          'county_fips',
          'candidates',
          'resolved_by',
        ),
      },
    ],

    async afterApply(tx, importId) {
      if (!liftTable.isDefault) {
        await tx.run(
          `UPDATE imports SET lift_table_name = $1, lift_table_sha256 = $2 WHERE import_id = ${Number(importId)}`,
          [liftTable.name, liftTable.sha256],
        );
      }
      await tx.run(`INSERT INTO facilities (facility_key, name, code, city, state, county_fips, candidates, resolved_by, updated_at)
        SELECT facility_key, name, code, city, state, county_fips, candidates, resolved_by, CURRENT_TIMESTAMP FROM stg_facilities s
        WHERE NOT EXISTS (SELECT 1 FROM facilities f WHERE f.facility_key = s.facility_key)`);
    },
  };
}
