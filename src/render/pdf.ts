/**
 * The PDF: the report's HTML printed by headless Chromium on Letter paper,
 * with page numbers, then given its title, subject and keywords with pdf-lib.
 * Text stays text (selectable, searchable, extractable with pdftotext).
 */

import type { Browser, Page } from 'playwright-core';
import type { Report } from '../report/model.js';
import { periodLabel } from '../report/period.js';
import { serializeReport } from '../report/serialize.js';
import { withBrowser } from './browser.js';
import { renderHtml } from './html/report.js';
import { updatePdf } from './pdf-update.js';

const FOOTER = `<div style="font-family: system-ui, sans-serif; font-size: 8px; color: #555; width: 100%; padding: 0 0.5in; display: flex; justify-content: space-between;">
<span class="title"></span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;

/** How the report prints: Letter, with its backgrounds, a footer with page numbers, tagged, with an outline. */
export const PDF_OPTIONS = {
  format: 'Letter',
  printBackground: true,
  displayHeaderFooter: true,
  headerTemplate: '<span></span>',
  footerTemplate: FOOTER,
  margin: { top: '0.55in', bottom: '0.7in', left: '0.5in', right: '0.5in' },
  preferCSSPageSize: false,
  tagged: true,
  outline: true,
} as const;

/** The attachment that carries a published edition's JSON, for `ddor verify report.pdf` (or `pdfdetach`). */
export const EDITION_ATTACHMENT = 'report.json';

export async function renderPdfWith(browser: Browser, report: Report, bytes?: string): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    return await renderPdfOn(page, report, bytes);
  } finally {
    await page.close();
  }
}

/** Prints the report on `page` (a new page, or one a server keeps for its next render). */
export async function renderPdfOn(page: Page, report: Report, bytes?: string): Promise<Buffer> {
  await page.setContent(renderHtml(report, { embedEdition: false }), { waitUntil: 'load' });
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf(PDF_OPTIONS);
  return withInfo(Buffer.from(pdf), report, bytes);
}

/**
 * The PDF's title, subject and keywords, and a published edition's JSON attached: appended
 * to Chromium's bytes as an incremental update (./pdf-update.ts), else rewritten with pdf-lib.
 */
async function withInfo(pdf: Buffer, report: Report, bytes?: string): Promise<Buffer> {
  const info = {
    title: report.title,
    subject: `Declined detainers ${periodLabel(report.period)}: ${report.totals.detainers_issued} detainers issued, ${report.totals.declined} declined${report.demo ? ' (DEMO DATA)' : ''}`,
    keywords: ['ICE detainers', 'Declined Detainer Outcome Report', report.period.start, report.period.end],
    creator: 'ddor',
    producer: 'ddor (Chromium)',
    // A fixed date keeps the same report's PDF the same bytes; the edition records when it was published.
    date: new Date(report.edition?.published_at ?? `${report.period.end}T00:00:00Z`),
  };
  const attachment = report.edition
    ? {
        name: EDITION_ATTACHMENT,
        bytes: Buffer.from(bytes ?? serializeReport(report), 'utf8'),
        mimeType: 'application/json',
        description: `The published edition's report JSON (${report.schema}): check it with ddor verify`,
      }
    : undefined;
  const updated = updatePdf(pdf, info, attachment);
  if (updated) return updated;
  const { PDFDocument } = await import('pdf-lib');
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  doc.setTitle(info.title, { showInWindowTitleBar: true });
  doc.setSubject(info.subject);
  doc.setKeywords(info.keywords);
  doc.setCreator(info.creator);
  doc.setProducer('ddor (Chromium, pdf-lib)');
  doc.setCreationDate(info.date);
  doc.setModificationDate(info.date);
  if (attachment) {
    await doc.attach(attachment.bytes, attachment.name, {
      mimeType: attachment.mimeType,
      description: attachment.description,
      creationDate: info.date,
      modificationDate: info.date,
    });
  }
  return Buffer.from(await doc.save());
}

export function renderPdf(report: Report, bytes?: string): Promise<Buffer> {
  return withBrowser((browser) => renderPdfWith(browser, report, bytes));
}
