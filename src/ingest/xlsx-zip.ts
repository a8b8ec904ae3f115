/**
 * The ZIP side of a workbook, read by ddor itself so that a zip bomb is
 * refused before it is inflated: the central directory gives each part's
 * declared sizes (checked against XLSX_LIMITS without inflating anything),
 * and each part is then inflated on demand, by random access, through a
 * counter that stops at the declared size and at the limits. exceljs parses
 * the XML of the parts it is handed; it never unzips, so it never writes the
 * temporary files its own reader makes for sheets stored before the shared
 * strings.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { pipeline, type Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { formatBytes, XLSX_LIMITS } from './limits.js';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** A workbook refused for its size or structure: the reason and what limit it broke, if any. */
export class XlsxLimitError extends Error {
  constructor(
    readonly reason: string,
    readonly hint: string,
  ) {
    super(reason);
  }
}

const LIMIT_HINT =
  'This workbook expands to far more data than a detainer release holds (it may be a zip bomb or damaged). Open it in a spreadsheet program and save it again, or export the sheets as CSV.';
const DAMAGED_HINT =
  'Open it in a spreadsheet program and save it again as .xlsx, or export the sheets as CSV.';

const damaged = (what: string) => new XlsxLimitError(`not a readable XLSX workbook (${what})`, DAMAGED_HINT);

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, position);
  return buf.subarray(0, n);
}

/** The parts exceljs reads; everything else (images, printer settings…) is never inflated. */
export const isWorkbookPart = (name: string) =>
  name === 'xl/_rels/workbook.xml.rels' ||
  name === 'xl/workbook.xml' ||
  name === 'xl/sharedStrings.xml' ||
  name === 'xl/styles.xml' ||
  /^xl\/worksheets\/sheet\d+\.xml$/.test(name);

/** Reads the central directory (ZIP64 too). */
export function readCentralDirectory(file: string): ZipEntry[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const tailLength = Math.min(size, 22 + 65535);
    const tail = readAt(fd, size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd === -1) throw damaged('no ZIP central directory: the file is truncated or not a workbook');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const locatorAt = size - tailLength + eocd - 20;
      const locator = locatorAt >= 0 ? readAt(fd, locatorAt, 20) : Buffer.alloc(0);
      if (locator.length < 20 || locator.readUInt32LE(0) !== 0x07064b50)
        throw damaged('a broken ZIP64 directory');
      const record = readAt(fd, Number(locator.readBigUInt64LE(8)), 56);
      if (record.length < 56 || record.readUInt32LE(0) !== 0x06064b50)
        throw damaged('a broken ZIP64 directory');
      count = Number(record.readBigUInt64LE(32));
      cdSize = Number(record.readBigUInt64LE(40));
      cdOffset = Number(record.readBigUInt64LE(48));
    }
    if (cdSize > 64 * 1024 * 1024 || cdOffset + cdSize > size)
      throw damaged('its ZIP directory is too large or lies outside the file');
    const cd = readAt(fd, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let k = 0; k < count; k++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50)
        throw damaged('a broken ZIP directory entry');
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      const entry: ZipEntry = {
        flags: cd.readUInt16LE(p + 8),
        method: cd.readUInt16LE(p + 10),
        compressedSize: cd.readUInt32LE(p + 20),
        uncompressedSize: cd.readUInt32LE(p + 24),
        localHeaderOffset: cd.readUInt32LE(p + 42),
        name: cd.toString('utf8', p + 46, p + 46 + nameLength),
      };
      // ZIP64 extended information: the 32-bit fields that are 0xffffffff, in this order.
      let x = p + 46 + nameLength;
      const extraEnd = x + extraLength;
      while (x + 4 <= extraEnd) {
        const id = cd.readUInt16LE(x);
        const len = cd.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let q = x + 4;
          for (const field of ['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const) {
            if (entry[field] === 0xffffffff && q + 8 <= x + 4 + len) {
              entry[field] = Number(cd.readBigUInt64LE(q));
              q += 8;
            }
          }
        }
        x += 4 + len;
      }
      entries.push(entry);
      p = extraEnd + commentLength;
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** Checks the declared sizes of the parts ddor would read, inflating nothing. */
export function checkDeclaredSizes(entries: ZipEntry[], limits = XLSX_LIMITS): void {
  let total = 0;
  for (const e of entries) {
    if (!isWorkbookPart(e.name)) continue;
    if (e.flags & 1) throw damaged(`its part ${e.name} is encrypted`);
    if (e.method !== 0 && e.method !== 8) throw damaged(`its part ${e.name} uses ZIP method ${e.method}`);
    total += e.uncompressedSize;
    if (e.name === 'xl/sharedStrings.xml' && e.uncompressedSize > limits.sharedStringsBytes) {
      throw new XlsxLimitError(
        `its shared strings declare ${formatBytes(e.uncompressedSize)} uncompressed, over the limit of ${formatBytes(limits.sharedStringsBytes)}`,
        LIMIT_HINT,
      );
    }
    if (
      e.uncompressedSize > limits.ratioFloorBytes &&
      e.uncompressedSize > limits.ratio * Math.max(e.compressedSize, 1)
    ) {
      throw new XlsxLimitError(
        `its part ${e.name} declares a compression ratio of ${Math.round(e.uncompressedSize / Math.max(e.compressedSize, 1))}:1 (${formatBytes(e.compressedSize)} → ${formatBytes(e.uncompressedSize)}), over the limit of ${limits.ratio}:1`,
        LIMIT_HINT,
      );
    }
  }
  if (total > limits.totalBytes) {
    throw new XlsxLimitError(
      `its sheets declare ${formatBytes(total)} uncompressed, over the limit of ${formatBytes(limits.totalBytes)}`,
      LIMIT_HINT,
    );
  }
}

/** Running totals of what has really been inflated, shared by the parts of one workbook. */
export interface InflateBudget {
  total: number;
}

/**
 * One part, inflated and counted as it streams: more bytes than its declared
 * size, than the limits, or a text run longer than the limit, and the stream
 * fails with an XlsxLimitError (inflation stops there).
 */
export function openPart(
  file: string,
  entry: ZipEntry,
  budget: InflateBudget,
  limits = XLSX_LIMITS,
): Readable {
  const fd = openSync(file, 'r');
  let header: Buffer;
  try {
    header = readAt(fd, entry.localHeaderOffset, 30);
  } finally {
    closeSync(fd);
  }
  if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50)
    throw damaged(`a broken ZIP entry for ${entry.name}`);
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw = createReadStream(file, {
    start,
    end: Math.max(start, start + entry.compressedSize - 1),
    highWaterMark: 64 * 1024,
  });
  const isShared = entry.name === 'xl/sharedStrings.xml';
  let inflated = 0;
  let run = 0; // bytes since the last '<'
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      inflated += chunk.length;
      budget.total += chunk.length;
      if (inflated > entry.uncompressedSize) {
        return done(
          new XlsxLimitError(
            `its part ${entry.name} inflates to more than the ${formatBytes(entry.uncompressedSize)} its ZIP directory declares`,
            LIMIT_HINT,
          ),
        );
      }
      if (isShared && inflated > limits.sharedStringsBytes) {
        return done(
          new XlsxLimitError(
            `its shared strings inflate to more than the limit of ${formatBytes(limits.sharedStringsBytes)}`,
            LIMIT_HINT,
          ),
        );
      }
      if (budget.total > limits.totalBytes) {
        return done(
          new XlsxLimitError(
            `its sheets inflate to more than the limit of ${formatBytes(limits.totalBytes)}`,
            LIMIT_HINT,
          ),
        );
      }
      // The longest run of bytes between two '<' bounds any one text the XML parser must buffer.
      let longest = 0;
      for (let i = 0; ; ) {
        const at = chunk.indexOf(0x3c, i);
        run += (at === -1 ? chunk.length : at) - i;
        if (run > longest) longest = run;
        if (at === -1) break;
        run = 0;
        i = at + 1;
      }
      if (longest > limits.textRunBytes) {
        return done(
          new XlsxLimitError(
            `its part ${entry.name} holds a text of more than ${formatBytes(limits.textRunBytes)} in one cell`,
            LIMIT_HINT,
          ),
        );
      }
      done(null, chunk);
    },
  });
  const streams = entry.method === 8 ? [raw, createInflateRaw(), counter] : [raw, counter];
  // pipeline destroys every stream on a failure; the error reaches the consumer through `counter`.
  return (pipeline as (...s: unknown[]) => Readable)(...streams, () => {});
}
