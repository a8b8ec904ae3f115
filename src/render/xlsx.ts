/**
 * The report as an XLSX workbook (exceljs): a sheet per section and an About
 * sheet; real date and number cells, frozen header rows and autofilters. Text
 * cells that a spreadsheet would run as formulas are neutralised.
 */
import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../domain/spreadsheet.js';
import type { Report } from '../report/model.js';
import { periodLabel } from '../report/period.js';
import { serializeReport } from '../report/serialize.js';
import {
  capitalise,
  type DataColumn,
  DECLINE_BASIS,
  DEMO_NOTICE,
  declineLines,
  editionLine,
  headlineFigures,
  previousLine,
  previousName,
  SECTION1_DATA,
  SECTION2_DATA,
  SECTION3_DATA,
  SECTION4_FIGURES,
  SECTIONS,
} from './labels.js';

const date = (d: string | null) => (d ? new Date(`${d.length === 7 ? `${d}-01` : d}T00:00:00Z`) : null);
const text = (v: string | null | undefined) =>
  v === null || v === undefined ? null : (neutraliseFormula(v) as string);

/** A sheet of one section: a column per data column (./labels.ts), a row per item. */
function sheet<Row>(
  wb: ExcelJS.Workbook,
  name: string,
  columns: ReadonlyArray<DataColumn<Row>>,
  items: readonly Row[],
) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.label, key: c.key, width: c.width }));
  for (const item of items)
    ws.addRow(Object.fromEntries(columns.map((c) => [c.key, cellValue(c, c.value(item))])));
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    if (c.kind === 'date') col.numFmt = 'yyyy-mm-dd';
    if (c.kind === 'number') col.numFmt = '#,##0';
    if (c.kind === 'share') col.numFmt = '0.0%';
  });
  // Month-precision dates (enactments) show as the month, as in the report.
  items.forEach((item, r) => {
    columns.forEach((c, i) => {
      const v = c.value(item);
      if (c.kind === 'date' && typeof v === 'string' && v.length === 7)
        ws.getCell(r + 2, i + 1).numFmt = 'yyyy-mm';
    });
  });
  ws.getRow(1).font = { bold: true };
  ws.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: Math.max(1, items.length + 1), column: columns.length },
  };
  return ws;
}

function cellValue<Row>(c: DataColumn<Row>, v: ReturnType<DataColumn<Row>['value']>) {
  if (v === null || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.join('; ');
  if (c.kind === 'date') return date(v);
  if (c.kind === 'url') return { text: v, hyperlink: v };
  return text(v);
}

/** The hidden sheet that carries a published edition's JSON, for `ddor verify report.xlsx`. */
export const EDITION_SHEET = 'ddor-edition';
/** Under Excel's 32,767 characters a cell. */
const CHUNK = 30_000;

/**
 * The JSON in cells of at most CHUNK characters, each starting a line of the JSON where it
 * can (so no cell starts with `=`, `+`, `-` or `@`: JSON lines start with a space or a bracket).
 */
function jsonChunks(json: string): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of json.split(/(?<=\n)/)) {
    if (current.length + line.length > CHUNK && current) {
      chunks.push(current);
      current = '';
    }
    let rest = line;
    while (rest.length > CHUNK) {
      let cut = CHUNK;
      while (/[=+\-@\t\r]/.test(rest[cut] ?? '')) cut--;
      chunks.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current += rest;
  }
  if (current) chunks.push(current);
  return chunks;
}

export async function renderXlsx(
  report: Report,
  options: { bytes?: string; publicKey?: string | null } = {},
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ddor';
  wb.title = report.title;
  // A fixed date keeps the same report the same workbook; editions carry their publication time.
  wb.created = new Date(report.edition?.published_at ?? `${report.period.end}T00:00:00Z`);
  wb.modified = wb.created;

  sheet(wb, SECTIONS.section1.name, SECTION1_DATA, report.section1);
  sheet(wb, SECTIONS.section2.name, SECTION2_DATA, declineLines(report));
  sheet(wb, SECTIONS.section3.name, SECTION3_DATA, report.section3);

  const s4 = wb.addWorksheet(SECTIONS.section4.name);
  s4.columns = [
    { header: 'Figure', key: 'k', width: 50 },
    { header: 'Value', key: 'v', width: 16 },
  ];
  const f = report.section4.figures;
  const figures = SECTION4_FIGURES.map((fig): [string, number | Date | null] => {
    const v = fig.value(f);
    return [fig.kind === 'days' ? `${fig.label} (days)` : fig.label, typeof v === 'string' ? date(v) : v];
  });
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
    ['Decline basis', `declines ${DECLINE_BASIS[report.decline_basis].scope}`],
    ['Data', report.demo ? DEMO_NOTICE : 'records in the ddor store'],
    ['Edition', e ? e.number : editionLine(report)],
    ['Published', e ? new Date(e.published_at) : null],
    ['Content SHA-256', e?.content_sha256 ?? null],
    ['Errata', e?.errata ?? null],
    ...editionProof(report, options.publicKey ?? null),
    ...headlineFigures(report).map((h): [string, number] => [capitalise(h.label), h.value]),
    ...(report.previous
      ? [
          ['Compared with', previousLine(report)] as [string, string | null],
          ...headlineFigures(report).flatMap(
            (h): Array<[string, number]> => [
              [`${capitalise(h.label)}, ${previousName(report)}`, report.previous!.totals[h.key]],
              [`${capitalise(h.label)}, change`, report.previous!.change[h.key]],
            ],
          ),
        ]
      : []),
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

  if (e) {
    // The edition's JSON, in a hidden sheet: `ddor verify report.xlsx --key publisher.pub` reads it.
    const proof = wb.addWorksheet(EDITION_SHEET, { state: 'hidden' });
    for (const chunk of jsonChunks(options.bytes ?? serializeReport(report))) proof.addRow([chunk]);
  }

  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A published edition's place in the chain and how to check it (About sheet rows). */
function editionProof(report: Report, publicKey: string | null): Array<[string, string | number | null]> {
  const e = report.edition;
  if (!e?.entry_sha256) return [];
  return [
    ['Chain entry', e.sequence ?? null],
    ['Entry SHA-256', e.entry_sha256],
    ['Previous entry SHA-256', e.previous_entry_sha256 ?? 'none: the first edition published'],
    ['Signature (Ed25519)', e.signature ?? 'unsigned: published without a signing key'],
    ['Publisher key id', e.key_id ?? null],
    ['Publisher public key', publicKey],
    [
      'Check it yourself',
      'ddor verify report.xlsx --key publisher.pub (the edition JSON is in the hidden sheet ddor-edition; see the README, "Checking an edition yourself")',
    ],
  ];
}
