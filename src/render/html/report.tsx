/**
 * The report as one self-contained HTML file: inline CSS and SVG, no external
 * request, no script, rendered from the Report alone with the components the
 * web pages use (./sections.tsx). Prints as the PDF.
 */
import { renderToString } from 'preact-render-to-string';
import type { Report } from '../../report/model.js';
import { periodLabel } from '../../report/period.js';
import { num } from '../escape.js';
import { titleParts } from '../labels.js';
import { Blocks, ReportSections, TitleBlock } from './sections.js';
import { REPORT_CSS } from './styles.js';

function ReportDocument({ report }: { report: Report }) {
  const { heading } = titleParts(report);
  const e = report.edition;
  const description = `${heading}: ${num(report.totals.detainers_issued)} detainers issued, ${num(report.totals.declined)} declined, ${periodLabel(report.period)}.`;
  return (
    <html lang="en">
      <head>
        <Blocks>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{report.title}</title>
          <meta name="description" content={description} />
          <meta name="generator" content={`ddor (${report.schema})`} />
          <style dangerouslySetInnerHTML={{ __html: REPORT_CSS }} />
        </Blocks>
      </head>
      <body>
        <Blocks>
          <TitleBlock report={report} />
          <main>
            <ReportSections report={report} />
          </main>
          <footer>
            <p>
              Built by ddor from the records in its store; every figure is computed from them by the rules of
              the report's specification. Data: the report JSON (schema <code>{report.schema}</code>)
              {e ? (
                <>
                  , content SHA-256 <code>{e.content_sha256}</code>
                </>
              ) : null}
              .
            </p>
          </footer>
        </Blocks>
      </body>
    </html>
  );
}

export function renderHtml(report: Report): string {
  return `<!doctype html>\n${renderToString(<ReportDocument report={report} />)}\n`;
}
