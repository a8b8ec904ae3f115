/**
 * The output formats of a report: the one list the CLI, the API, the web pages
 * and the archive read. Adding a format is an entry here and its renderer.
 */
import type { Browser, Page } from 'playwright-core';
import type { Report } from '../report/model.js';
import { serializeReport } from '../report/serialize.js';
import { renderCsvFiles } from './csv.js';
import { renderMarkdown } from './md.js';

export interface RenderOptions {
  /** A published edition's frozen JSON bytes: `json` returns them, never re-serialised. */
  bytes?: string;
  /** A running Chromium for `pdf`; without one, pdf starts its own. */
  browser?: Browser;
  /** Or a page of a running Chromium to print on (the server's warm browser), lent for `fn`. */
  withPage?: <T>(fn: (page: Page) => Promise<T>) => Promise<T>;
  /** The PEM public key that signed a published edition, for the XLSX About sheet (null: unsigned). */
  publicKey?: string | null;
}

export interface FormatSpec {
  /** The name on the command line and the extension of its download URL. */
  readonly id: string;
  /** As the downloads lists show it. */
  readonly label: string;
  /** Without charset: text formats are sent as UTF-8. */
  readonly mediaType: string;
  /** Text (may go to stdout when it is one file) or binary. */
  readonly text: boolean;
  /** A browser shows it; the API sends no `attachment` disposition. */
  readonly inline: boolean;
  /** A published edition's rendering never changes: the API keeps it. */
  readonly cacheable: boolean;
  /** Slow to render (Chromium, exceljs): the server renders it in its bounded queue. */
  readonly heavy: boolean;
  /** Every file it renders to: one per section in section order, when it has several. */
  readonly files: readonly string[];
  /** The file a download link names. */
  readonly download: string;
  readonly render: (report: Report, options: RenderOptions) => Promise<Record<string, string | Buffer>>;
}

/** A format that renders to one file. */
function oneFile(
  name: string,
  render: (report: Report, options: RenderOptions) => string | Buffer | Promise<string | Buffer>,
): Pick<FormatSpec, 'files' | 'download' | 'render'> {
  return { files: [name], download: name, render: async (r, o) => ({ [name]: await render(r, o) }) };
}

// The heavier renderers (map geometry, exceljs, Chromium) load only when asked for,
// so every other command starts fast.
export const FORMATS = [
  {
    id: 'json',
    label: 'JSON',
    mediaType: 'application/json',
    text: true,
    inline: true,
    // Nothing to keep: a published edition's bytes are stored.
    cacheable: false,
    heavy: false,
    ...oneFile('report.json', (report, { bytes }) => bytes ?? serializeReport(report)),
  },
  {
    id: 'md',
    label: 'MD',
    mediaType: 'text/markdown',
    text: true,
    inline: false,
    cacheable: true,
    heavy: false,
    ...oneFile('report.md', renderMarkdown),
  },
  {
    id: 'csv',
    label: 'CSV',
    mediaType: 'text/csv',
    text: true,
    inline: false,
    cacheable: true,
    heavy: false,
    files: ['section1.csv', 'section2.csv', 'section3.csv'],
    download: 'section2.csv',
    render: async (report) => renderCsvFiles(report),
  },
  {
    id: 'html',
    label: 'HTML',
    mediaType: 'text/html',
    text: true,
    inline: true,
    cacheable: true,
    heavy: false,
    ...oneFile('report.html', async (report, { bytes }) =>
      (await import('./html/report.js')).renderHtml(report, { bytes }),
    ),
  },
  {
    id: 'pdf',
    label: 'PDF',
    mediaType: 'application/pdf',
    text: false,
    inline: false,
    cacheable: true,
    heavy: true,
    ...oneFile('report.pdf', async (report, { browser, withPage, bytes }) => {
      const { renderPdf, renderPdfOn, renderPdfWith } = await import('./pdf.js');
      if (browser) return renderPdfWith(browser, report, bytes);
      return withPage ? withPage((page) => renderPdfOn(page, report, bytes)) : renderPdf(report, bytes);
    }),
  },
  {
    id: 'xlsx',
    label: 'XLSX',
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    text: false,
    inline: false,
    cacheable: true,
    heavy: true,
    ...oneFile('report.xlsx', async (report, { bytes, publicKey }) =>
      (await import('./xlsx.js')).renderXlsx(report, { bytes, publicKey }),
    ),
  },
  {
    id: 'svg',
    label: 'map SVG',
    mediaType: 'image/svg+xml',
    text: true,
    inline: true,
    cacheable: true,
    heavy: false,
    ...oneFile('map.svg', async (report) => (await import('./map.js')).renderMapSvg(report)),
  },
] as const satisfies readonly FormatSpec[];

export type ReportFormat = (typeof FORMATS)[number]['id'];

export const FORMAT_IDS: readonly ReportFormat[] = FORMATS.map((f) => f.id);

export function isReportFormat(id: string): id is ReportFormat {
  return (FORMAT_IDS as readonly string[]).includes(id);
}

export function formatOf(id: ReportFormat): FormatSpec {
  return FORMATS.find((f) => f.id === id)!;
}

/** The Content-Type header of a format. */
export const contentType = (f: FormatSpec) => (f.text ? `${f.mediaType}; charset=utf-8` : f.mediaType);

/** One text file: it may go to stdout. */
export const mayGoToStdout = (f: FormatSpec) => f.text && f.files.length === 1;
