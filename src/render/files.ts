/** Every output format of a report, rendered to named files. The one list the CLI and the archive share. */
import type { Browser } from 'playwright-core';
import type { Report } from '../report/model.js';
import { serializeReport } from '../report/serialize.js';
import { renderCsvFiles } from './csv.js';
import { renderMarkdown } from './md.js';

export const REPORT_FORMATS = ['json', 'md', 'csv', 'html', 'pdf', 'xlsx', 'svg'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Formats that are one text file, and so may go to stdout. */
export const TEXT_FORMATS: ReadonlySet<ReportFormat> = new Set(['json', 'md', 'html', 'svg']);

export const FILE_NAMES: Record<Exclude<ReportFormat, 'csv'>, string> = {
  json: 'report.json',
  md: 'report.md',
  html: 'report.html',
  pdf: 'report.pdf',
  xlsx: 'report.xlsx',
  svg: 'map.svg',
};

/**
 * Renders `report` in each format. `json` is `bytes` when given: a published
 * edition's frozen bytes, never re-serialised. A browser is started only for pdf.
 */
export async function renderFormats(
  report: Report,
  formats: readonly ReportFormat[],
  options: { bytes?: string; browser?: Browser } = {},
): Promise<Record<string, string | Buffer>> {
  const files: Record<string, string | Buffer> = {};
  for (const f of formats) {
    if (f === 'json') files[FILE_NAMES.json] = options.bytes ?? serializeReport(report);
    else if (f === 'md') files[FILE_NAMES.md] = renderMarkdown(report);
    else if (f === 'csv') Object.assign(files, renderCsvFiles(report));
    // The heavier renderers (map geometry, exceljs, Chromium) load only when asked for,
    // so every other command starts fast.
    else if (f === 'html') files[FILE_NAMES.html] = (await import('./html/report.js')).renderHtml(report);
    else if (f === 'svg') files[FILE_NAMES.svg] = (await import('./map.js')).renderMapSvg(report);
    else if (f === 'xlsx') files[FILE_NAMES.xlsx] = await (await import('./xlsx.js')).renderXlsx(report);
    else if (f === 'pdf') {
      const { renderPdfWith } = await import('./pdf.js');
      const { withBrowser } = await import('./browser.js');
      files[FILE_NAMES.pdf] = options.browser
        ? await renderPdfWith(options.browser, report)
        : await withBrowser((b) => renderPdfWith(b, report));
    }
  }
  return files;
}
