/**
 * ICE's own detainer files, as released under FOIA and republished by the
 * Deportation Data Project, in any of the layouts of ice-layouts.ts (detected
 * from the header) or one a user describes (--columns). Columns are matched by
 * name. Outcomes come from the lift reason (a documented table; of two lift
 * reasons the later one decides), criminal activity from every charge column
 * the layout has, counties from the facility: its code in the registry, else
 * its city through the Census places, else a county its own name names among
 * the place's counties, else the resolution queue — never a guess.
 */
import { foldName } from '../domain/collate.js';
import { CRIMINALITY, DETAINER_TYPE_LABELS } from '../domain/ice.js';
import { DDOR_FORMS_REGEX } from '../domain/vocab.js';
import { countyByFips } from '../geo/gazetteer.js';
import { countyNamedIn, placeParts } from '../geo/places.js';
import { DETAINERS } from '../store/columns.js';
import type { DuckSession } from '../store/duckdb/session.js';
import { sqlValue, sqlValues } from '../store/sql.js';
import { type Store, textColumns } from '../store/store.js';
import { ICE_FIELD_NAMES, ICE_LAYOUTS, type IceLayout, LAYOUT_GROUPS } from './ice-layouts.js';
import { defaultLiftTable, type LiftTable } from './lift-reasons.js';
import { AOR, buildCountryLookup, buildDuplicateLookup, buildStateLookup } from './resolve.js';
import { DATE_HINT, dateRangeRule, notBefore, requiredRule } from './rules.js';
import { readByName } from './sources.js';
import type { ImportSpec, ReaderOptions } from './spec.js';

/** --format names for ICE's files: any layout (`ice`), the older group names, and each layout by id. */
export const ICE_FORMATS: readonly string[] = [
  'ice',
  ...Object.keys(LAYOUT_GROUPS),
  ...ICE_LAYOUTS.map((l) => l.id),
];

/** The layouts a --format name admits. */
export function layoutsFor(format: string): readonly IceLayout[] {
  if (format === 'ice') return ICE_LAYOUTS;
  const ids = LAYOUT_GROUPS[format] ?? [format];
  const layouts = ICE_LAYOUTS.filter((l) => ids.includes(l.id));
  if (layouts.length === 0) throw new Error(`ddor: no ICE layout ${format}`);
  return layouts;
}

interface Registry {
  facilities: Array<{ facility_key: string; state: string; county_fips: string | null; resolved_by: string }>;
  agencies: Array<{ agency_code: string; state: string; county_fips: string }>;
}

const norm = (v: string) => v.trim().replace(/\s+/g, ' ').toUpperCase();

/**
 * A facility name as SPEC §2.11 compares names (case, accents, punctuation and spacing
 * folded), in the registry's upper case: "Doña Ana County Det. Ctr." → "DONAANACOUNTYDETCTR".
 */
const foldKey = (v: string) => foldName(v).toUpperCase();

/**
 * A facility's key in the registry: its code, or its folded name, city and state.
 * `legacyFacilityKey` is the key ddor wrote before names were folded as SPEC §2.11 says
 * (case and spacing only); a facility already registered under it keeps it.
 */
export function facilityKey(
  name: string,
  code: string | null,
  city: string | null,
  state: string | null,
): string {
  return code ? `code:${norm(code)}` : `name:${foldKey(name)}|${foldKey(city ?? '')}|${norm(state ?? '')}`;
}

export function legacyFacilityKey(name: string, city: string | null, state: string | null): string {
  return `name:${norm(name)}|${norm(city ?? '')}|${norm(state ?? '')}`;
}

const percent = (share: number | null) =>
  share === null
    ? ''
    : `, ${share >= 0.995 || share < 0.005 ? (share * 100).toFixed(1) : Math.round(share * 100)}%`;

/** "Franklin County (39049, 94%) or …": each county of a place, with its share of the place's 2020 population. */
function candidatesText(parts: ReadonlyArray<{ fips: string; share: number | null }>): string {
  return parts
    .map((p) => `${countyByFips(p.fips)?.name ?? p.fips} (${p.fips}${percent(p.share)})`)
    .join(' or ');
}

/** How a facility without a registered code is attributed: by its city, or by the county its name names. */
function attributeByPlace(
  name: string,
  city: string | null,
  state: string | null,
): { county: string | null; how: string; candidates: string | null } {
  if (!city || !state) return { county: null, how: 'queued', candidates: 'no city given for this facility' };
  const parts = placeParts(city, state);
  if (parts.length === 1) return { county: parts[0]!.fips, how: 'place', candidates: null };
  if (parts.length === 0)
    return { county: null, how: 'queued', candidates: `${city} is not in the place gazetteer` };
  const spans = `${city} spans ${candidatesText(parts)}`;
  const named = countyNamedIn(
    name,
    parts.map((p) => p.fips),
  );
  if (named)
    return {
      county: named,
      how: 'facility_name',
      candidates: `${spans}; the facility's name names ${countyByFips(named)!.name}`,
    };
  return { county: null, how: 'queued', candidates: spans };
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
    let key = facilityKey(r.facility!, r.facility_code, r.city, r.state);
    if (!r.facility_code && !known.has(key)) {
      const legacy = legacyFacilityKey(r.facility!, r.city, r.state);
      if (known.has(legacy)) key = legacy;
    }
    const reg = known.get(key);
    let state = r.state ?? reg?.state ?? null;
    let county: string | null = null;
    let how = 'queued';
    let candidates: string | null = null;
    // New facilities are registered; queued ones are tried again (the rules or the Census data may have grown).
    let write = !reg;
    if (reg?.county_fips) {
      county = reg.county_fips;
      how = reg.resolved_by;
    } else if (r.facility_code && byCode.has(norm(r.facility_code))) {
      const a = byCode.get(norm(r.facility_code))!;
      county = a.county_fips;
      state ??= a.state;
      how = 'code';
      write = true;
    } else {
      ({ county, how, candidates } = attributeByPlace(r.facility!, r.city, state));
      write ||= county !== null;
    }
    values.push(
      `(${[r.facility, r.facility_code, r.city, r.state, key, state, county, how, candidates].map(sqlValue).join(', ')}, ${write}, ${!reg})`,
    );
  }
  await stage.run(`CREATE OR REPLACE TEMP TABLE lk_facility (facility VARCHAR, facility_code VARCHAR, city VARCHAR,
    state VARCHAR, key VARCHAR, fac_state VARCHAR, county_fips VARCHAR, resolved_by VARCHAR, candidates VARCHAR, write BOOLEAN, is_new BOOLEAN)`);
  for (let i = 0; i < values.length; i += 1000) {
    await stage.run(`INSERT INTO lk_facility VALUES ${values.slice(i, i + 1000).join(', ')}`);
  }
  // One row a key: spellings that fold to one facility (SPEC §2.11) are registered once, by the first name.
  await stage.run(`CREATE OR REPLACE TEMP TABLE stg_facilities AS
    SELECT key AS facility_key, facility AS name, facility_code AS code, city, fac_state AS state, county_fips, candidates,
      resolved_by FROM lk_facility WHERE write AND fac_state IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY key ORDER BY county_fips NULLS LAST, facility, city) = 1`);
}

const FIELDS: readonly string[] = ICE_FIELD_NAMES;
const ANY_DATE = (x: string) =>
  `CAST(coalesce(try_strptime(${x}, '%Y-%m-%d'), try_strptime(${x}, '%Y-%m-%d %H:%M:%S'), try_strptime(${x}, '%Y-%m-%dT%H:%M:%S'), try_strptime(${x}, '%m/%d/%Y')) AS DATE)`;
// The fields added with later layouts come last: NULL in the older ones, concat_ws skips them, and ids made before stay.
const hashed = `sha256(concat_ws('|', r.issued_date, r.lift_date, r.lift_reason, r.facility, r.facility_code, r.city, r.state,
  r.aor, r.citizenship, r.detainer_type, r.msc_charge, r.msc_conviction_date, r.criminality, r.lift_reason2, r.msc_status,
  r.charge, r.charge_status, r.charge_conviction_date, r.pending_charge, r.pending_status))`;

/** A charge as an entry's description: no ";" (the entry separator), single spaces. */
const description = (col: string) => `replace(replace(${col}, ';', ','), '  ', ' ')`;
/** A charge status that says so. */
const says = (col: string, what: 'convict' | 'pend') =>
  `coalesce(regexp_matches(${col}, '(?i)${what}'), false)`;

/**
 * Criminal activity (SPEC's entries) from every charge column the layout has, in this order:
 * - the most serious conviction (MSC) charge: `conviction` when it has a conviction date, its
 *   status says convicted or the criminality is "Convicted Criminal"; `pending` when the
 *   criminality or status says pending; else `charge`;
 * - the most serious charge, unless it repeats the MSC charge: `conviction` with a conviction
 *   date or a status that says convicted, `pending` with a status that says pending, else `charge`;
 * - the most serious pending charge, unless it repeats one above: `pending` (`conviction` if its
 *   status says convicted).
 * With no charge at all, the criminality itself ("Convicted criminal (conviction)").
 */
const CRIMINAL_SQL = `NULLIF(concat_ws('; ',
  CASE WHEN r.msc_charge IS NOT NULL THEN ${description('r.msc_charge')} || ' (' ||
    CASE WHEN r.msc_conviction_date IS NOT NULL OR lc.kind = 'conviction' OR ${says('r.msc_status', 'convict')} THEN 'conviction'
         WHEN lc.kind = 'pending' OR ${says('r.msc_status', 'pend')} THEN 'pending' ELSE 'charge' END || ')' END,
  CASE WHEN r.charge IS NOT NULL AND upper(r.charge) IS DISTINCT FROM upper(r.msc_charge) THEN ${description('r.charge')} || ' (' ||
    CASE WHEN r.charge_conviction_date IS NOT NULL OR ${says('r.charge_status', 'convict')} THEN 'conviction'
         WHEN ${says('r.charge_status', 'pend')} THEN 'pending' ELSE 'charge' END || ')' END,
  CASE WHEN r.pending_charge IS NOT NULL AND upper(r.pending_charge) IS DISTINCT FROM upper(r.msc_charge)
      AND upper(r.pending_charge) IS DISTINCT FROM upper(r.charge) THEN ${description('r.pending_charge')} || ' (' ||
    CASE WHEN ${says('r.pending_status', 'convict')} THEN 'conviction' ELSE 'pending' END || ')' END,
  CASE WHEN r.msc_charge IS NULL AND r.charge IS NULL AND r.pending_charge IS NULL AND lc.kind IS NOT NULL AND lc.kind <> ''
    THEN lc.label || ' (' || lc.kind || ')' END), '')`;

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
 * A spec for ICE's files in the layouts `format` admits (`ice`: any), or in the one layout a
 * user described (`columns`, from --columns). Outcomes come from `liftTable` (default: the
 * shipped data/lift-reasons.csv); an import with another table records it on the import.
 */
export function iceSpec(
  format = 'ice',
  liftTable: LiftTable = defaultLiftTable(),
  columns?: IceLayout,
): ImportSpec {
  const unknownReason = liftReasonRule(liftTable);
  const layouts = columns ? [columns] : layoutsFor(format);
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
      return readByName(stage, file, { layouts, fields: FIELDS }, options.onRows);
    },

    async normalize(stage, context) {
      await buildStateLookup(stage, ['state']);
      await resolveFacilities(stage, context as Registry);
      await buildCountryLookup(stage, 'citizenship');
      await stage.run(`CREATE OR REPLACE TEMP TABLE lk_reason AS
        SELECT d.raw, t.outcome FROM (SELECT lift_reason AS raw FROM stg_raw WHERE lift_reason IS NOT NULL
          UNION SELECT lift_reason2 FROM stg_raw WHERE lift_reason2 IS NOT NULL) d
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
          ${ANY_DATE('r.charge_conviction_date')} AS n_charge_conv,
          coalesce(r.lift_reason2, r.lift_reason) AS n_reason,
          CASE WHEN coalesce(r.lift_reason2, r.lift_reason) IS NULL THEN 'pending' ELSE coalesce(lr2.outcome, CASE WHEN r.lift_reason2 IS NULL THEN lr.outcome END) END AS n_outcome,
          lr.outcome AS n_outcome1, lr2.outcome AS n_outcome2,
          lt.form AS n_form,
          la.code AS n_aor,
          ls.code AS state_given,
          f.key AS n_facility_key, f.fac_state AS n_state,
          lco.name AS n_citizenship, coalesce(lco.is_unknown, false) AS citizenship_unknown,
          lc.known AS crim_known,
          ${CRIMINAL_SQL} AS n_criminal,
          coalesce(r.detainer_id,
            'ice-' || substr(${hashed}, 1, 16) || '-' || row_number() OVER (PARTITION BY ${hashed} ORDER BY r.rowid)) AS n_id,
          dup.first_rec AS dup_of
        FROM stg_raw r
        LEFT JOIN lk_state ls ON ls.raw = r.state
        LEFT JOIN lk_facility f ON f.facility IS NOT DISTINCT FROM r.facility AND f.facility_code IS NOT DISTINCT FROM r.facility_code
          AND f.city IS NOT DISTINCT FROM r.city AND f.state IS NOT DISTINCT FROM ls.code
        LEFT JOIN lk_reason lr ON lr.raw = r.lift_reason
        LEFT JOIN lk_reason lr2 ON lr2.raw = r.lift_reason2
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
        when: 'lift_reason IS NOT NULL AND n_outcome1 IS NULL',
        ...unknownReason,
      },
      {
        column: 'lift_reason2',
        when: 'lift_reason2 IS NOT NULL AND n_outcome2 IS NULL',
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
        hint: "This layout names no state (2025-ICFO-18038 has none): import first a release that gives this facility's code with its state (ICE's 2023–2026 or ERO Detainers files), so the code is in the registry.",
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
      {
        column: 'charge_conviction_date',
        when: 'charge_conviction_date IS NOT NULL AND n_charge_conv IS NULL',
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
      lift_reason: 'n_reason',
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
      // A queued facility that the rules now attribute leaves the queue; one resolved before is never touched.
      await tx.run(`UPDATE facilities SET county_fips = s.county_fips, candidates = s.candidates, resolved_by = s.resolved_by,
          updated_at = CURRENT_TIMESTAMP
        FROM stg_facilities s WHERE facilities.facility_key = s.facility_key AND facilities.county_fips IS NULL
          AND s.county_fips IS NOT NULL`);
      await tx.run(`INSERT INTO facilities (facility_key, name, code, city, state, county_fips, candidates, resolved_by, updated_at)
        SELECT facility_key, name, code, city, state, county_fips, candidates, resolved_by, CURRENT_TIMESTAMP FROM stg_facilities s
        WHERE NOT EXISTS (SELECT 1 FROM facilities f WHERE f.facility_key = s.facility_key)`);
    },
  };
}
