/**
 * The layouts of ICE's detainer releases that ddor reads, as data: each release by name,
 * the dates it covers, where its header is, which of its columns carries each ddor field,
 * and which of its columns identify a person (dropped unread). A file's layout is detected
 * from its header (`detectLayout`); DDP's cleaned copies of a release (janitor::clean_names:
 * `Detention Facility` → `detention_facility`) match the same layout, because headers are
 * compared folded (headerKey). A release nobody has described yet is read with a user's
 * own table (`--columns FILE`, `columnsLayout`), without code changes.
 *
 * Sources of the column names: DDP's public cleaning code (github.com/deportationdata/ice:
 * clean/detainers-latest.R, code/detainers-historical.R, code/compare-releases-detainers.qmd,
 * code/detainers-cpang/detainers-merge.R). README, "ICE and Deportation Data Project files",
 * says which layout was checked against what.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DdorError, InputRejectedError, type Rejection } from '../errors.js';
import { headerKey, isIdentifyingColumn } from './privacy.js';

/** The fields ddor reads from ICE's files (the staged columns), in staging order. */
export const ICE_FIELD_NAMES = [
  'detainer_id',
  'issued_date',
  'lift_date',
  'lift_reason',
  'lift_reason2',
  'facility',
  'facility_code',
  'city',
  'state',
  'aor',
  'citizenship',
  'detainer_type',
  'criminality',
  'msc_charge',
  'msc_conviction_date',
  'msc_status',
  'charge',
  'charge_status',
  'charge_conviction_date',
  'pending_charge',
  'pending_status',
] as const;
export type IceField = (typeof ICE_FIELD_NAMES)[number];

/** What each field means, for error messages, the --columns check and the README. */
export const ICE_FIELD_MEANINGS: Record<IceField, string> = {
  detainer_id: "ICE's detainer id: the record id (a re-import updates it)",
  issued_date: 'the day the detainer was prepared',
  lift_date: 'the day the detainer was lifted: the declined and recorded date of a decline',
  lift_reason: 'why the detainer was lifted (→ outcome, data/lift-reasons.csv)',
  lift_reason2: 'a second, later lift reason: when given, it decides the outcome',
  facility: 'the receiving facility',
  facility_code: "ICE's facility code (resolutions by code follow it across releases)",
  city: "the facility's city (→ county through the Census places)",
  state: "the facility's state",
  aor: 'the ICE Area of Responsibility',
  citizenship: 'country of citizenship',
  detainer_type: 'detainer type (→ form)',
  criminality: "ICE's criminality class (convicted, pending charges, other immigration violator)",
  msc_charge: 'most serious conviction (MSC) charge',
  msc_conviction_date: 'its conviction date (marks it a conviction; not stored)',
  msc_status: 'its criminal charge status',
  charge: 'most serious charge',
  charge_status: 'its criminal charge status',
  charge_conviction_date: 'its conviction date (marks it a conviction; not stored)',
  pending_charge: 'most serious pending charge',
  pending_status: 'its criminal charge status',
};

export interface IceLayout {
  /** Also its --format name. */
  id: string;
  /** The release, as ICE or DDP names it. */
  release: string;
  /** The detainers it covers (prepare dates). */
  covers: string;
  /** Files and header style. */
  files: string;
  /** Workbooks: title rows before the header (the header is searched in the first 30 rows whatever this says). */
  preamble: number;
  /** Field → the column names that carry it, as released. */
  columns: Partial<Record<IceField, readonly string[]>>;
  /** Columns that identify a person: dropped unread (the header rules of privacy.ts drop more). */
  identifying: readonly string[];
  /** Columns known and deliberately not read (only for --columns layouts: `ignore`). */
  ignore?: readonly string[];
  /** Where the column names were checked. */
  verified: string;
}

const NEEDED: readonly IceField[] = ['issued_date', 'facility', 'lift_reason'];

const DDP_CODE = 'github.com/deportationdata/ice';

/** Every layout ddor knows, newest release first. */
export const ICE_LAYOUTS: readonly IceLayout[] = [
  {
    id: 'ice-2026-08',
    release: 'ICE detainers, August 2026 release ("DPR" workbooks)',
    covers: 'FY2023 onward (as DDP compares it with the March 2026 release)',
    files: 'xlsx, Title Case headers after six title rows',
    preamble: 6,
    columns: {
      issued_date: ['Detainer Prepared Date'],
      lift_reason: ['Detainer Lift Reason'],
      criminality: ['Detainer Prepared Criminality'],
      detainer_type: ['Detainer Type'],
      facility: ['Detention Facility'],
      facility_code: ['Detention Facility Code'],
      aor: ['AOR'],
      city: ['City'],
      state: ['State'],
      citizenship: ['Citizenship Country'],
      msc_charge: ['MSC Charge'],
      msc_conviction_date: ['MSC Conviction Date'],
    },
    identifying: ['Birth Year', 'Alien File Number', 'Anonymized Unique Identifier'],
    verified: `DDP's code only (${DDP_CODE}, code/compare-releases-detainers.qmd)`,
  },
  {
    id: 'ice-2023',
    release: 'ICE detainers FY2023–FY2026, March 2026 release (and the earlier 2023–2025 spreadsheets)',
    covers: '2022-10-01 onward; DDP takes detainers prepared from 2025-03-16 from it',
    files: 'xlsx, Title Case headers after six title rows, data over several sheets',
    preamble: 6,
    columns: {
      issued_date: ['Detainer Prepare Date'],
      state: ['Facility State'],
      aor: ['Facility AOR'],
      criminality: ['Detainer Criminality'],
      facility: ['Detainer Facility'],
      facility_code: ['Detainer Facility Code'],
      city: ['Facility City'],
      citizenship: ['Citizenship Country'],
      msc_charge: ['MSC Charge'],
      msc_conviction_date: ['MSC Conviction Date'],
      lift_reason: ['Detainer Lift Reason'],
      detainer_type: ['Detainer Type'],
    },
    identifying: ['Birth Date', 'Birth Year', 'EID DTA ID', 'Anonymized Identifier'],
    verified: `DDP's code (${DDP_CODE}, code/detainers-latest.R, code/detainers-historical.R "March 2026 Release")`,
  },
  {
    id: 'ice-2025-icli-00019',
    release: 'ERO Detainers, 2025-ICLI-00019 / 2024-ICFO-39357 (DDP "detainers-latest")',
    covers: 'November 2023 – February 2025',
    files: 'xlsx, sheet "Detainers", Title Case headers after six title rows',
    preamble: 6,
    columns: {
      issued_date: ['Detainer Prepare Date'],
      state: ['Facility State'],
      aor: ['Facility AOR'],
      criminality: ['Detainer Prepared Criminality'],
      facility: ['Detention Facility'],
      facility_code: ['Detention Facility Code'],
      city: ['Facility City'],
      citizenship: ['Citizenship Country'],
      msc_charge: ['Most Serious Conviction (MSC) Charge'],
      msc_conviction_date: ['MSC Conviction Date'],
      lift_reason: ['Detainer Lift Reason'],
      detainer_type: ['Detainer Type'],
    },
    identifying: [
      'Birth Date',
      'Birth Year',
      'Alien File Number',
      'EID Case ID',
      'EID Subject ID',
      'EID DTA ID',
      'Unique Identifier',
    ],
    verified: `DDP's code (${DDP_CODE}, clean/detainers-latest.R: every column, in order)`,
  },
  {
    id: 'ice-2025-icfo-18038',
    release: '2025-ICFO-18038',
    covers: '2017-06-18 – 2025-03-15 (the window DDP takes from it)',
    files: 'xlsx, Snake_Case headers (about 125 columns), several files and sheets',
    preamble: 0,
    columns: {
      detainer_id: ['Detainer_ID'],
      issued_date: ['Detainer_Prepare_Date'],
      lift_date: ['Detainer_Lift_Date'],
      lift_reason: ['Detainer_Lift_Reason'],
      lift_reason2: ['Detainer_Lift_Reason2'],
      facility: ['Detainer_Detention_Facility'],
      facility_code: ['Detainer_Detention_Facility_Code'],
      aor: ['Detainer_AOR'],
      citizenship: ['Citizenship_Country'],
      detainer_type: ['Detainer_Type'],
      criminality: ['Detainer_Prepared_Criminality'],
      msc_charge: ['Detainer_Most_Serious_Conviction_Charge'],
      msc_conviction_date: ['Detainer_Most_Serious_Conviction_Conviction_Date'],
      msc_status: ['Detainer_Most_Serious_Conviction_Criminal_Charge_Status'],
      charge: ['Detainer_Most_Serious_Charge'],
      charge_status: ['Detainer_Most_Serious_Criminal_Charge_Status'],
      charge_conviction_date: ['Most_Serious_Charge_Conviction_Date'],
      pending_charge: ['Detainer_Most_Serious_Pending_Charge'],
      pending_status: ['Detainer_Most_Serious_Pending_Criminal_Charge_Status'],
    },
    identifying: [
      'Subject_Name',
      'Alien_File_Number',
      'Alien_Number_Unique_Identifier',
      'EID_Person_ID',
      'EID_Civilian_ID',
      'EID_Subject_ID',
      'EID_Case_ID',
      'EID_DTA_ID',
      'Birth_Date',
      'Birth_Year',
      'Birth_City',
      'Birth_State',
      'Government_Employee_ID',
      'Return_to_Employee_ID',
    ],
    verified: `DDP's code (${DDP_CODE}, code/detainers-historical.R: the column types it sets for 2025-ICFO-18038)`,
  },
  {
    id: 'ice-npr',
    release: 'NPR files (the pre-2017 release DDP calls "npr")',
    covers: 'before 2017-06-18',
    files: 'tab-separated .csv and comma-separated .txt, one header row',
    preamble: 0,
    columns: {
      issued_date: ['Prepare Date'],
      lift_date: ['Detainer Lift Date'],
      lift_reason: ['Detainer Lift Reason'],
      lift_reason2: ['Detainer Lift Reason 2'],
      facility: ['Detention Facility', 'Detainer Detention Facility'],
      facility_code: ['Detention Facility Code', 'Detainer Detention Facility Code'],
      aor: ['Area of Responsibility'],
      city: ['City'],
      state: ['State'],
      citizenship: ['Citizenship Country'],
      detainer_type: ['Detainer Type'],
    },
    identifying: ['Birth Date', 'Unique Identifier'],
    verified: `partly: Prepare Date, Area of Responsibility, (Detainer) Detention Facility and the Lift Reason 2 columns from DDP's code (${DDP_CODE}, code/detainers-historical.R); the rest as ddor read the pre-2017 layout before`,
  },
  {
    id: 'ddp-historical',
    release: 'DDP "detainers-historical" (npr + 2025-ICFO-18038 + March 2026, merged by DDP)',
    covers: 'all three releases, renamed to one set of columns',
    files: "DDP's outputs: Parquet (or CSV/xlsx exported from them), janitor::clean_names headers",
    preamble: 0,
    columns: {
      detainer_id: ['detainer_id'],
      issued_date: ['prepare_date'],
      lift_date: ['detainer_lift_date'],
      lift_reason: ['detainer_lift_reason'],
      lift_reason2: ['detainer_lift_reason2'],
      facility: ['detention_facility', 'detainer_facility'],
      facility_code: ['detention_facility_code', 'detainer_facility_code'],
      city: ['facility_city'],
      state: ['facility_state'],
      aor: ['detainer_aor', 'facility_aor'],
      citizenship: ['citizenship_country'],
      detainer_type: ['detainer_type'],
      criminality: ['detainer_prepared_criminality'],
      msc_charge: ['most_serious_conviction_charge'],
      msc_conviction_date: ['most_serious_conviction_conviction_date'],
      msc_status: ['detainer_most_serious_conviction_criminal_charge_status'],
      charge: ['detainer_most_serious_charge'],
      charge_status: ['detainer_most_serious_criminal_charge_status'],
      charge_conviction_date: ['most_serious_charge_conviction_date'],
      pending_charge: ['detainer_most_serious_pending_charge'],
      pending_status: ['detainer_most_serious_pending_criminal_charge_status'],
    },
    identifying: [
      'unique_identifier',
      'alien_file_number',
      'subject_name',
      'eid_person_id',
      'eid_civilian_id',
      'eid_subject_id',
      'eid_case_id',
      'eid_dta_id',
      'birth_date',
      'birth_year',
      'birth_city',
      'birth_state',
      'government_employee_id',
      'return_to_employee_id',
    ],
    verified: `DDP's code only (${DDP_CODE}, code/detainers-historical.R: its renames and coalesce_rename)`,
  },
];

/** The old --format names, each the layouts it meant. */
export const LAYOUT_GROUPS: Record<string, readonly string[]> = {
  'ice-xlsx': ['ice-2026-08', 'ice-2023', 'ice-2025-icli-00019'],
  ddp: ICE_LAYOUTS.map((l) => l.id),
  'ice-legacy': ['ice-2025-icfo-18038'],
  'ice-pre2017': ['ice-npr'],
};

/** A layout with its names folded as headers are compared. */
export interface FoldedLayout {
  layout: IceLayout;
  /** Folded header → field. */
  byKey: Map<string, IceField>;
  identifying: Set<string>;
  ignore: Set<string>;
}

const foldedCache = new Map<IceLayout, FoldedLayout>();
export function folded(layout: IceLayout): FoldedLayout {
  let f = foldedCache.get(layout);
  if (!f) {
    const byKey = new Map<string, IceField>();
    for (const [field, names] of Object.entries(layout.columns) as Array<[IceField, readonly string[]]>)
      for (const n of names) byKey.set(headerKey(n), field);
    f = {
      layout,
      byKey,
      identifying: new Set(layout.identifying.map(headerKey)),
      ignore: new Set((layout.ignore ?? []).map(headerKey)),
    };
    foldedCache.set(layout, f);
  }
  return f;
}

export interface HeaderMapping {
  layout: IceLayout;
  /** Field → index of its source column. */
  positions: Map<IceField, number>;
  /** Identifying columns: dropped unread. */
  dropped: string[];
  /** Columns neither read nor identifying (looked at only for identifiers typed into them). */
  ignored: string[];
  /** Indexes of the ignored columns. */
  ignoredAt: number[];
}

export function mapToLayout(header: readonly string[], layout: IceLayout): HeaderMapping {
  const f = folded(layout);
  const positions = new Map<IceField, number>();
  const dropped: string[] = [];
  const ignored: string[] = [];
  const ignoredAt: number[] = [];
  header.forEach((name, i) => {
    const key = headerKey(name);
    const field = f.byKey.get(key);
    if (f.identifying.has(key) || isIdentifyingColumn(name)) dropped.push(name);
    else if (field && !positions.has(field)) positions.set(field, i);
    else if (name.trim() !== '' && !f.ignore.has(key)) {
      ignored.push(name);
      ignoredAt.push(i);
    } else if (name.trim() !== '') ignored.push(name);
  });
  return { layout, positions, dropped, ignored, ignoredAt };
}

/** How many of a header's columns a layout names (fields and identifying columns alike). */
function score(header: readonly string[], layout: IceLayout): number {
  const f = folded(layout);
  return header.filter((h) => {
    const k = headerKey(h);
    return f.byKey.has(k) || f.identifying.has(k);
  }).length;
}

const missingOf = (m: HeaderMapping) => NEEDED.filter((field) => !m.positions.has(field));

/** Whether a row could be a header of one of `layouts` (a workbook's header is searched for). */
export function looksLikeHeader(row: readonly string[], layouts: readonly IceLayout[]): boolean {
  return layouts.some((l) => {
    const m = mapToLayout(row, l);
    return m.positions.size >= 3 && m.positions.has('issued_date');
  });
}

/**
 * The layout a header is in: of the layouts it has every needed field of (prepare date,
 * facility, lift reason), the one naming most of its columns (ties: the first listed). A
 * header that fits none is rejected, naming the fields it lacks in the closest layout.
 */
export function detectLayout(
  file: string,
  header: readonly string[],
  layouts: readonly IceLayout[],
  where = '',
): HeaderMapping {
  const ranked = layouts
    .map((layout) => ({ layout, score: score(header, layout), mapping: mapToLayout(header, layout) }))
    .sort((a, b) => b.score - a.score);
  const fit = ranked.find((r) => missingOf(r.mapping).length === 0);
  if (fit) return fit.mapping;
  const closest = ranked[0]!;
  const lacks = missingOf(closest.mapping);
  const problems: Rejection[] = lacks.map((field) => ({
    file,
    line: 1,
    column: field,
    value: null,
    reason: `no column for ${field}${where}`,
    hint: `The closest known layout is ${closest.layout.id} (${closest.layout.release}), which has ${field} as ${(closest.layout.columns[field] ?? []).map((c) => JSON.stringify(c)).join(' or ')}. If this is another release, describe its columns with --columns FILE (README, "Reading a new release").`,
  }));
  throw new InputRejectedError(
    `${file} was rejected: its columns fit no known ICE layout (it lacks ${lacks.join(', ')}; closest: ${closest.layout.id}); nothing was imported`,
    problems,
    problems[0]!.hint,
  );
}

/** Whether a header is written as DDP's cleaned files write it (janitor::clean_names: lower snake case). */
export function isCleanNames(header: readonly string[]): boolean {
  const named = header.filter((h) => h.trim() !== '');
  return named.length > 0 && named.every((h) => /^[a-z0-9_]+$/.test(h));
}

/**
 * A layout from a user's table (`--columns FILE`): a CSV with the header `column,field`,
 * one source column a row; field is a ddor field (ICE_FIELD_NAMES), `identifying` (dropped
 * unread) or `ignore` (not read). Checked whole before any file is read.
 */
export function columnsLayout(file: string): IceLayout {
  let rows: string[][];
  try {
    rows = parse(readFileSync(file), {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new DdorError('usage', `cannot read ${file}: no such file`, 'Check the path.');
    throw new InputRejectedError(`${file} was rejected: not a readable CSV file`, [
      {
        file,
        line: 1,
        column: '',
        value: null,
        reason: `not a readable CSV file (${error instanceof Error ? error.message : error})`,
        hint: 'Give a CSV with the header column,field.',
      },
    ]);
  }
  const problems: Rejection[] = [];
  const bad = (line: number, column: string, value: string | null, reason: string, hint: string) =>
    problems.push({ file, line, column, value, reason, hint });
  const [head, ...body] = rows;
  if (!head || headerKey(head[0] ?? '') !== 'column' || headerKey(head[1] ?? '') !== 'field') {
    bad(
      1,
      '',
      null,
      'the header must be column,field',
      'One row per source column: its header, then a ddor field, identifying or ignore.',
    );
  }
  const columns: Partial<Record<IceField, string[]>> = {};
  const identifying: string[] = [];
  const ignore: string[] = [];
  const seen = new Map<string, number>();
  body.forEach(([column = '', field = ''], i) => {
    const line = i + 2;
    if (!column) {
      bad(line, 'column', null, 'no source column named', 'Give the header as it is in the file.');
      return;
    }
    const key = headerKey(column);
    if (seen.has(key)) {
      bad(
        line,
        'column',
        column,
        `column listed twice (also on line ${seen.get(key)})`,
        'List each source column once.',
      );
      return;
    }
    seen.set(key, line);
    const f = field.toLowerCase();
    if (f === 'identifying') identifying.push(column);
    else if (f === 'ignore') {
      if (isIdentifyingColumn(column))
        identifying.push(column); // a name, A-number… column is dropped whatever the table says
      else ignore.push(column);
    } else if ((ICE_FIELD_NAMES as readonly string[]).includes(f)) {
      if (columns[f as IceField]) {
        bad(
          line,
          'field',
          field,
          `field ${f} given to two columns`,
          'Map each ddor field to one source column.',
        );
      } else if (isIdentifyingColumn(column)) {
        bad(
          line,
          'field',
          field,
          `${column} identifies a person and is never read`,
          'Map it as identifying.',
        );
      } else columns[f as IceField] = [column];
    } else {
      bad(
        line,
        'field',
        field,
        `unknown field ${JSON.stringify(field)}`,
        `Use one of: ${ICE_FIELD_NAMES.join(', ')}, identifying, ignore.`,
      );
    }
  });
  for (const needed of NEEDED) {
    if (!columns[needed] && problems.length === 0)
      bad(1, 'field', null, `no column is mapped to ${needed}`, `Every ICE file needs ${NEEDED.join(', ')}.`);
  }
  if (problems.length > 0) {
    throw new InputRejectedError(
      `${file} was rejected: the --columns table is not valid; nothing was imported`,
      problems,
      problems[0]!.hint,
    );
  }
  return {
    id: 'columns',
    release: `the columns described in ${file}`,
    covers: '',
    files: '',
    preamble: 0,
    columns,
    identifying,
    ignore,
    verified: 'the user',
  };
}
