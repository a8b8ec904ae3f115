/**
 * The report as one self-contained HTML file: inline CSS and SVG, no external
 * request, no script, rendered from the Report alone with the components the
 * web pages use (./sections.tsx). Prints as the PDF.
 */
import { renderToString } from 'preact-render-to-string';
import type { Report } from '../../report/model.js';
import { periodLabel } from '../../report/period.js';
import { serializeReport } from '../../report/serialize.js';
import { num } from '../escape.js';
import { titleParts } from '../labels.js';
import { Blocks, ReportSections, TitleBlock } from './sections.js';
import { REPORT_CSS } from './styles.js';

/** The id of the JSON block that carries a published edition in its HTML, for `ddor verify report.html`. */
export const EDITION_SCRIPT_ID = 'ddor-edition';

/** JSON inside a script element: `<` escaped, so no `</script>` or `<!--` in the data can end or change it. */
const scriptJson = (json: string) => json.replaceAll('<', '\\u003c');

function ReportDocument({ report, json }: { report: Report; json: string | null }) {
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
            {e?.entry_sha256 ? (
              <p>
                {`Edition ${e.number}, entry ${e.sequence} of the chain of every published edition: entry SHA-256 `}
                <code>{e.entry_sha256}</code>
                {e.signature ? (
                  <>
                    {', signed with Ed25519 key '}
                    <code>{e.key_id}</code>
                  </>
                ) : (
                  ', published unsigned'
                )}
                {'. Check it yourself: '}
                <code>ddor verify report.html --key publisher.pub</code>
                {' (this file carries the edition JSON).'}
              </p>
            ) : null}
          </footer>
          {json !== null ? (
            <script
              type="application/json"
              id={EDITION_SCRIPT_ID}
              dangerouslySetInnerHTML={{ __html: scriptJson(json) }}
            />
          ) : null}
        </Blocks>
      </body>
    </html>
  );
}

/**
 * A published edition's HTML carries its JSON (`bytes`, else the report serialised) in a
 * `<script type="application/json">` block: data, never run. `embedEdition: false` leaves it
 * out (the PDF attaches the JSON instead).
 */
export function renderHtml(report: Report, options: { bytes?: string; embedEdition?: boolean } = {}): string {
  const json =
    report.edition && options.embedEdition !== false ? (options.bytes ?? serializeReport(report)) : null;
  return `<!doctype html>\n${renderToString(<ReportDocument report={report} json={json} />)}\n`;
}
