/**
 * Reads back the edition JSON a published edition's file carries, so `ddor verify` can check a
 * downloaded PDF, XLSX or HTML offline: the PDF's attachment `report.json`, the XLSX's hidden
 * sheet `ddor-edition`, the HTML's `<script type="application/json" id="ddor-edition">` block.
 * A JSON file is itself. What kind a file is comes from its first bytes, not its name.
 */
import { DdorError } from '../errors.js';

export type EmbeddingKind = 'json' | 'pdf' | 'xlsx' | 'html';

export function embeddingKind(bytes: Buffer): EmbeddingKind {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx';
  const head = bytes.subarray(0, 512).toString('utf8').trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'html';
  return 'json';
}

const missing = (file: string, what: string) =>
  new DdorError(
    'input',
    `${file} carries no edition JSON (${what})`,
    'Only published editions carry their JSON: download the edition (…?edition=N) or its report.json.',
  );

/** The edition JSON text inside a file of any format ddor writes. */
export async function embeddedJson(file: string, bytes: Buffer): Promise<string> {
  const kind = embeddingKind(bytes);
  if (kind === 'json') return bytes.toString('utf8');
  if (kind === 'html') {
    const { EDITION_SCRIPT_ID } = await import('./html/report.js');
    const m = new RegExp(
      `<script type="application/json" id="${EDITION_SCRIPT_ID}">([\\s\\S]*?)</script>`,
    ).exec(bytes.toString('utf8'));
    if (!m) throw missing(file, `no <script id="${EDITION_SCRIPT_ID}"> block`);
    return m[1]!;
  }
  if (kind === 'pdf') {
    const { EDITION_ATTACHMENT } = await import('./pdf.js');
    const {
      PDFArray,
      PDFDict,
      PDFDocument,
      PDFHexString,
      PDFName,
      PDFRawStream,
      PDFString,
      decodePDFRawStream,
    } = await import('pdf-lib');
    const doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
    const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
    const files = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
    const list = files?.lookupMaybe(PDFName.of('Names'), PDFArray);
    for (let i = 0; list && i + 1 < list.size(); i += 2) {
      const name = list.lookup(i);
      const text = name instanceof PDFHexString || name instanceof PDFString ? name.decodeText() : '';
      if (text !== EDITION_ATTACHMENT) continue;
      const spec = list.lookup(i + 1, PDFDict);
      const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F'));
      if (!(stream instanceof PDFRawStream)) break;
      return Buffer.from(decodePDFRawStream(stream).decode()).toString('utf8');
    }
    throw missing(file, `no attachment ${EDITION_ATTACHMENT}`);
  }
  const { EDITION_SHEET } = await import('./xlsx.js');
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  // exceljs's types want its own Buffer; a Node Buffer is one.
  await wb.xlsx.load(bytes as unknown as Parameters<typeof wb.xlsx.load>[0]);
  const sheet = wb.getWorksheet(EDITION_SHEET);
  if (!sheet) throw missing(file, `no sheet ${EDITION_SHEET}`);
  const parts: string[] = [];
  sheet.eachRow((row) => {
    parts.push(String(row.getCell(1).value ?? ''));
  });
  return parts.join('');
}
