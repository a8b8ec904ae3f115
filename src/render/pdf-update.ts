/**
 * A PDF's document information, viewer preference and attached files written as an
 * incremental update (ISO 32000-1 §7.5.6): new objects, an xref section and a trailer
 * appended to Chromium's bytes, which stay as they are. Nothing is parsed but the last
 * trailer and the catalog's dictionary, so a 30-page report is not read and written again.
 * Returns null when the file is not laid out as expected (an xref stream, a catalog that
 * already names files): the caller then takes the slower, general way (pdf-lib).
 */

export interface PdfInfo {
  title: string;
  subject: string;
  keywords: string[];
  creator: string;
  producer: string;
  /** CreationDate and ModDate. */
  date: Date;
}

export interface PdfAttachment {
  name: string;
  bytes: Buffer;
  mimeType: string;
  description: string;
}

/** A text string as UTF-16BE with its byte-order mark, in hex: any character, no escaping. */
function textString(s: string): string {
  const b = Buffer.from(`\ufeff${s}`, 'utf16le');
  b.swap16();
  return `<${b.toString('hex').toUpperCase()}>`;
}

function pdfDate(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `(D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z)`;
}

const pdfName = (s: string) =>
  `/${s.replace(/[^A-Za-z0-9._-]/g, (c) => `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;

export function updatePdf(pdf: Buffer, info: PdfInfo, attachment?: PdfAttachment): Buffer | null {
  const tail = pdf.subarray(Math.max(0, pdf.length - 2048)).toString('latin1');
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!startxref) return null;
  const prev = Number(startxref[1]);
  // A classic xref table and its trailer (an xref stream starts with "n 0 obj" instead).
  const trailerAt = pdf.lastIndexOf('trailer', pdf.length, 'latin1');
  if (pdf.subarray(prev, prev + 4).toString('latin1') !== 'xref' || trailerAt < prev) return null;
  const trailer = pdf.subarray(trailerAt, pdf.length).toString('latin1');
  const size = Number(/\/Size\s+(\d+)/.exec(trailer)?.[1]);
  const root = /\/Root\s+(\d+)\s+(\d+)\s+R/.exec(trailer);
  const id = /\/ID\s*(\[[^\]]*\])/.exec(trailer)?.[1];
  if (!size || !root || root[2] !== '0') return null;
  // The catalog: `N G obj << … >> endobj`, uncompressed (Chromium's Skia writes it so).
  const catalogAt = pdf.lastIndexOf(`\n${root[1]} ${root[2]} obj`, prev, 'latin1');
  if (catalogAt < 0) return null;
  const catalogEnd = pdf.indexOf('endobj', catalogAt, 'latin1');
  const catalogText = pdf.subarray(catalogAt, catalogEnd).toString('latin1');
  const dict = /obj\s*<<([\s\S]*)>>\s*$/.exec(catalogText)?.[1];
  if (dict === undefined || /\/(Names|AF)\b/.test(dict) || !/\/Type\s*\/Catalog/.test(dict)) return null;
  // Chromium asks viewers to show the title already; else it is asked for here.
  const viewer = /\/ViewerPreferences\b/.test(dict) ? '' : ' /ViewerPreferences << /DisplayDocTitle true >>';

  const parts: Buffer[] = [pdf.subarray(pdf.length - 1)[0] === 0x0a ? Buffer.alloc(0) : Buffer.from('\n')];
  let offset = pdf.length + parts[0]!.length;
  const entries: Array<[number, number]> = [];
  const add = (num: number, body: Buffer | string) => {
    entries.push([num, offset]);
    const head = Buffer.from(`${num} 0 obj\n`, 'latin1');
    const b = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
    const foot = Buffer.from('\nendobj\n', 'latin1');
    parts.push(head, b, foot);
    offset += head.length + b.length + foot.length;
  };

  let next = size;
  const infoNum = next++;
  const when = pdfDate(info.date);
  add(
    infoNum,
    `<< /Title ${textString(info.title)} /Subject ${textString(info.subject)} /Keywords ${textString(info.keywords.join(' '))} /Creator ${textString(info.creator)} /Producer ${textString(info.producer)} /CreationDate ${when} /ModDate ${when} >>`,
  );
  let names = '';
  if (attachment) {
    const fileNum = next++;
    const specNum = next++;
    add(
      fileNum,
      Buffer.concat([
        Buffer.from(
          `<< /Type /EmbeddedFile /Subtype ${pdfName(attachment.mimeType)} /Length ${attachment.bytes.length} /Params << /Size ${attachment.bytes.length} /CreationDate ${when} /ModDate ${when} >> >>\nstream\n`,
          'latin1',
        ),
        attachment.bytes,
        Buffer.from('\nendstream', 'latin1'),
      ]),
    );
    add(
      specNum,
      `<< /Type /Filespec /F ${textString(attachment.name)} /UF ${textString(attachment.name)} /EF << /F ${fileNum} 0 R >> /Desc ${textString(attachment.description)} /AFRelationship /Data >>`,
    );
    names = ` /Names << /EmbeddedFiles << /Names [${textString(attachment.name)} ${specNum} 0 R] >> >> /AF [${specNum} 0 R]`;
  }
  // The catalog again, under its own number: with the viewer preference and the files.
  add(Number(root[1]), `<<${dict}${viewer}${names} >>`);

  // One xref subsection per object, in number order.
  const xrefAt = offset;
  const rows = ['xref', '0 1', '0000000000 65535 f\r'];
  for (const [num, at] of [...entries].sort((a, b) => a[0] - b[0]))
    rows.push(`${num} 1`, `${String(at).padStart(10, '0')} 00000 n\r`);
  rows.push(
    'trailer',
    `<< /Size ${next} /Root ${root[1]} ${root[2]} R /Info ${infoNum} 0 R${id ? ` /ID ${id}` : ''} /Prev ${prev} >>`,
    'startxref',
    String(xrefAt),
    '%%EOF',
    '',
  );
  parts.push(Buffer.from(rows.join('\n'), 'latin1'));
  return Buffer.concat([pdf, ...parts]);
}
