/**
 * The report as an XLSX workbook (exceljs): a sheet per section and an About
 * sheet; real date and number cells, frozen header rows and autofilters. Text
 * cells that a spreadsheet would run as formulas are neutralised.
 */
import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../domain/spreadsheet.js';
import { stateName } from '../domain/states.js';
import type { Report } from '../report/model.js';
import { periodLabel } from '../report/period.js';

const date = (d: string | null) => (d ? new Date(`${d.length === 7 ? `${d}-01` : d}T00:00:00Z`) : null);
const text = (v: string | null | undefined) =>
  v === null || v === undefined ? null : (neutraliseFormula(v) as string);

interface Column {
  header: string;
  key: string;
  width: number;
  kind?: 'date' | 'month' | 'number';
}

function sheet(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: Array<Record<string, unknown>>) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  for (const r of rows) ws.addRow(r);
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    if (c.kind === 'date') col.numFmt = 'yyyy-mm-dd';
    if (c.kind === 'month') col.numFmt = 'yyyy-mm';
    if (c.kind === 'number') col.numFmt = '#,##0';
  });
  ws.getRow(1).font = { bold: true };
  ws.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: Math.max(1, rows.length + 1), column: columns.length },
  };
  return ws;
}

export async function renderXlsx(report: Report): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ddor';
  wb.title = report.title;
  // A fixed date keeps the same report the same workbook; editions carry their publication time.
  wb.created = new Date(report.edition?.published_at ?? `${report.period.end}T00:00:00Z`);
  wb.modified = wb.created;

  sheet(
    wb,
    'Section I',
    [
      { header: 'Rank', key: 'rank', width: 6, kind: 'number' },
      { header: 'County FIPS', key: 'fips', width: 12 },
      { header: 'County', key: 'county', width: 28 },
      { header: 'State', key: 'state', width: 8 },
      { header: 'Detainers issued', key: 'issued', width: 16, kind: 'number' },
    ],
    report.section1.map((r) => ({
      rank: r.rank,
      fips: r.county.fips,
      county: text(r.county.name),
      state: r.county.state,
      issued: r.detainers_issued,
    })),
  );

  sheet(
    wb,
    'Section II',
    [
      { header: 'State', key: 'state', width: 8 },
      { header: 'State name', key: 'state_name', width: 16 },
      { header: 'County FIPS', key: 'fips', width: 12 },
      { header: 'County', key: 'county', width: 24 },
      { header: 'Facility', key: 'facility', width: 40 },
      { header: 'Transferred from', key: 'received_by', width: 30 },
      { header: 'Citizenship', key: 'citizenship', width: 18 },
      { header: 'Issued', key: 'issued', width: 12, kind: 'date' },
      { header: 'Declined', key: 'declined', width: 12, kind: 'date' },
      { header: 'Recorded', key: 'recorded', width: 12, kind: 'date' },
      { header: 'Notable criminal activity', key: 'crime', width: 60 },
      { header: 'Lift reason (as in the source)', key: 'lift', width: 30 },
    ],
    report.section2.flatMap((g) =>
      g.declines.map((d) => ({
        state: g.county.state,
        state_name: stateName(g.county.state),
        fips: g.county.fips,
        county: text(g.county.name),
        facility: text(g.facility),
        received_by: text(d.received_by),
        citizenship: text(d.citizenship),
        issued: date(d.issued_date),
        declined: date(d.declined_date),
        recorded: date(d.recorded_date),
        crime: text(d.criminal_activity.map((c) => `${c.description} (${c.kind})`).join('; ')),
        lift: text(d.lift_reason),
      })),
    ),
  );

  const s3 = sheet(
    wb,
    'Section III',
    [
      { header: 'Policy id', key: 'id', width: 18 },
      { header: 'Level', key: 'level', width: 8 },
      { header: 'Jurisdiction', key: 'jurisdiction', width: 26 },
      { header: 'AOR', key: 'aor', width: 14 },
      { header: 'Type', key: 'type', width: 16 },
      { header: 'Title', key: 'title', width: 50 },
      { header: 'Enacted', key: 'enacted', width: 12, kind: 'date' },
      { header: 'Rescinded', key: 'rescinded', width: 12, kind: 'date' },
      { header: 'Detainers still honored when', key: 'criteria', width: 50 },
      { header: 'Restricts', key: 'restricts', width: 30 },
      { header: 'Source', key: 'source', width: 50 },
    ],
    report.section3.map((p) => ({
      id: text(p.policy_id),
      level: p.level,
      jurisdiction: text(p.jurisdiction),
      aor: text(p.aor),
      type: p.type,
      title: text(p.title),
      enacted: date(p.enacted_date),
      rescinded: date(p.rescinded_date),
      criteria: text(p.criteria),
      restricts: p.restricts.join('; '),
      source: p.source_url ? { text: p.source_url, hyperlink: p.source_url } : null,
    })),
  );
  // Month-precision enactments show as the month, as in the report.
  report.section3.forEach((p, i) => {
    if (p.enacted_date.length === 7) s3.getCell(i + 2, 7).numFmt = 'yyyy-mm';
  });

  const s4 = wb.addWorksheet('Section IV');
  s4.columns = [
    { header: 'Figure', key: 'k', width: 50 },
    { header: 'Value', key: 'v', width: 16 },
  ];
  const f = report.section4.figures;
  const figures: Array<[string, number | Date | null]> = [
    ['Declines on detainers issued before the period', f.declines_issued_before_period],
    ['Oldest issuing date among them', date(f.oldest_issued_date)],
    ['Median recording lag (days)', f.median_recording_lag_days],
    ['Declines excluded for an unresolved jurisdiction', f.excluded_unresolved],
    ['Rows missing citizenship', f.missing_citizenship],
    ['Rows missing criminal activity', f.missing_criminal_activity],
    ['Declines the map cannot draw', f.declines_not_on_map],
    ['Declines with no date in the source (issued in the period)', f.declines_without_date],
    ['Detainers at facilities not yet attributed to a county', f.unresolved_detainers_issued],
    ['Corrections since the previous edition', f.corrections_since_previous_edition],
  ];
  for (const [k, v] of figures) {
    const row = s4.addRow({ k, v });
    if (v instanceof Date) row.getCell(2).numFmt = 'yyyy-mm-dd';
  }
  s4.addRow({});
  s4.addRow({ k: 'Notes' }).font = { bold: true };
  for (const n of report.section4.notes) s4.addRow({ k: text(n) });
  s4.getRow(1).font = { bold: true };
  s4.views = [{ state: 'frozen', ySplit: 1 }];

  const about = wb.addWorksheet('About');
  about.columns = [
    { header: 'Field', key: 'k', width: 28 },
    { header: 'Value', key: 'v', width: 100 },
  ];
  const e = report.edition;
  const rows: Array<[string, string | number | Date | null]> = [
    ['Title', report.title],
    ['Period', periodLabel(report.period)],
    ['Period start', date(report.period.start)],
    ['Period end', date(report.period.end)],
    ['Period kind', report.period.kind],
    [
      'Decline basis',
      report.decline_basis === 'recorded'
        ? 'declines recorded in the period'
        : 'declines among detainers issued in the period',
    ],
    [
      'Data',
      report.demo
        ? 'DEMO DATA: synthetic records bundled with ddor, not real detainers'
        : 'records in the ddor store',
    ],
    ['Edition', e ? e.number : 'draft (not a published edition)'],
    ['Published', e ? new Date(e.published_at) : null],
    ['Content SHA-256', e?.content_sha256 ?? null],
    ['Errata', e?.errata ?? null],
    ['Detainers issued', report.totals.detainers_issued],
    ['Declined', report.totals.declined],
    [
      'Rules',
      'Declines are attributed to the releasing agency; lifted and issued-in-error detainers are never declines; counties are keyed by FIPS code.',
    ],
    ['Schema', `${report.schema} (the same report as JSON)`],
    [
      'Sources',
      'Section III source links; records imported into ddor with their file SHA-256 (ddor imports).',
    ],
  ];
  for (const [k, v] of rows) {
    const row = about.addRow({ k, v: typeof v === 'string' ? text(v) : v });
    if (v instanceof Date) row.getCell(2).numFmt = k === 'Published' ? 'yyyy-mm-dd hh:mm' : 'yyyy-mm-dd';
  }
  about.getRow(1).font = { bold: true };
  about.views = [{ state: 'frozen', ySplit: 1 }];

  return Buffer.from(await wb.xlsx.writeBuffer());
}
