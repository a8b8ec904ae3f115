/** CSV output: one file per section, one row per county, decline or policy. */
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../domain/spreadsheet.js';
import { stateName } from '../domain/states.js';
import type { Report } from '../report/model.js';

const csv = (rows: unknown[][]) => stringify(rows.map((r) => r.map(neutraliseFormula)));

export function renderSection1Csv(report: Report): string {
  return csv([
    ['rank', 'county_fips', 'county', 'state', 'detainers_issued'],
    ...report.section1.map((r) => [r.rank, r.county.fips, r.county.name, r.county.state, r.detainers_issued]),
  ]);
}

export function renderSection2Csv(report: Report): string {
  const rows: unknown[][] = [
    [
      'state',
      'state_name',
      'county_fips',
      'county',
      'facility',
      'received_by',
      'citizenship',
      'issued_date',
      'declined_date',
      'recorded_date',
      'criminal_activity',
      'lift_reason',
    ],
  ];
  for (const g of report.section2) {
    for (const d of g.declines) {
      rows.push([
        g.county.state,
        stateName(g.county.state),
        g.county.fips,
        g.county.name,
        g.facility,
        d.received_by ?? '',
        d.citizenship ?? '',
        d.issued_date,
        d.declined_date ?? '',
        d.recorded_date ?? '',
        d.criminal_activity.map((c) => `${c.description} (${c.kind})`).join('; '),
        d.lift_reason ?? '',
      ]);
    }
  }
  return csv(rows);
}

export function renderSection3Csv(report: Report): string {
  return csv([
    [
      'policy_id',
      'level',
      'jurisdiction',
      'aor',
      'type',
      'title',
      'enacted_date',
      'rescinded_date',
      'criteria',
      'restricts',
      'source_url',
    ],
    ...report.section3.map((p) => [
      p.policy_id,
      p.level,
      p.jurisdiction,
      p.aor ?? '',
      p.type,
      p.title,
      p.enacted_date,
      p.rescinded_date ?? '',
      p.criteria ?? '',
      p.restricts.join(';'),
      p.source_url ?? '',
    ]),
  ]);
}

/** The CSV files of a report, by file name. */
export function renderCsvFiles(report: Report): Record<string, string> {
  return {
    'section1.csv': renderSection1Csv(report),
    'section2.csv': renderSection2Csv(report),
    'section3.csv': renderSection3Csv(report),
  };
}
