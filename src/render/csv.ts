/** CSV output: one file per section, one row per county, decline or policy; columns from ./labels.ts. */
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../domain/spreadsheet.js';
import type { Report } from '../report/model.js';
import { type DataColumn, declineLines, SECTION1_DATA, SECTION2_DATA, SECTION3_DATA } from './labels.js';

/** The header of machine names, then a row per item; a list is `;`-separated, as in the import formats. */
function csv<Row>(columns: ReadonlyArray<DataColumn<Row>>, rows: readonly Row[]): string {
  const cell = (v: ReturnType<DataColumn<Row>['value']>) => (Array.isArray(v) ? v.join(';') : (v ?? ''));
  return stringify(
    [columns.map((c) => c.key), ...rows.map((r) => columns.map((c) => cell(c.value(r))))].map((r) =>
      r.map(neutraliseFormula),
    ),
  );
}

/** The CSV files of a report, by file name: section2.csv has one row per decline. */
export function renderCsvFiles(report: Report): Record<string, string> {
  return {
    'section1.csv': csv(SECTION1_DATA, report.section1),
    'section2.csv': csv(SECTION2_DATA, declineLines(report)),
    'section3.csv': csv(SECTION3_DATA, report.section3),
  };
}
