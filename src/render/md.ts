/** Markdown output: the four sections as readable text and pipe tables. */
import { stateName } from '../domain/states.js';
import type { Report } from '../report/model.js';
import { num } from './escape.js';
import {
  capitalise,
  countyAgainstIssued,
  DEMO,
  editionLine,
  headlineFigures,
  plainText,
  previousLine,
  SECTION1_TABLE,
  SECTION2_TABLE,
  SECTION3_TABLE,
  SECTIONS,
  type TableColumn,
} from './labels.js';

/**
 * Text from the data, made inert: `<`, `>` and `&` become entities (Markdown passes raw HTML through,
 * so a facility named `<script>…` would otherwise be a script in every page that renders report.md).
 */
const html = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
/** A table cell or heading from the data: HTML made inert; `\`, `|` and link brackets escaped; one line. */
const esc = (s: string) =>
  html(
    s
      .replaceAll('\\', '\\\\')
      .replaceAll('|', '\\|')
      .replaceAll('[', '\\[')
      .replaceAll(']', '\\]')
      .replaceAll('\r', '')
      .replaceAll('\n', ' '),
  );

/** A table for people: the columns' headers, then a row per item. */
function table<Row>(columns: ReadonlyArray<TableColumn<Row>>, rows: readonly Row[]): string {
  const head = columns.map((c) => c.label);
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows)
    lines.push(`| ${columns.map((c) => esc(plainText(c.cell(r)) || (c.empty ?? ''))).join(' | ')} |`);
  return lines.join('\n');
}

/** `## Section I — Counties …`: the section's name and title. */
const heading = (level: string, s: { name: string; title: string }) => `${level} ${s.name} — ${s.title}`;

export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  out.push(`# ${esc(report.title)}`, '');
  if (report.demo) out.push(`> **${DEMO.tag}** — ${DEMO.text}`, '');
  const e = report.edition;
  out.push(editionLine(report), '');
  if (e?.errata) out.push(`> **Errata (edition ${e.number}):** ${esc(e.errata)}`, '');
  for (const f of headlineFigures(report))
    out.push(`- ${capitalise(f.label)}: **${num(f.value)}**${f.previous ? ` (${f.previous})` : ''}`);
  out.push('');
  const compared = previousLine(report);
  if (compared) out.push(compared, '');

  out.push(heading('##', SECTIONS.section1), '');
  out.push(
    report.section1.length === 0 ? SECTIONS.section1.empty : table(SECTION1_TABLE, report.section1),
    '',
  );

  out.push(heading('##', SECTIONS.section2), '');
  if (report.section2.length === 0) out.push(SECTIONS.section2.empty, '');
  let state = '';
  let county = '';
  for (const g of report.section2) {
    if (g.county.state !== state) {
      state = g.county.state;
      out.push(`### ${esc(stateName(state))}`, '');
    }
    const against = countyAgainstIssued(report, g);
    if (g.county.fips !== county && against)
      out.push(`**${esc(g.county.name)} (${esc(g.county.fips)}):** ${against}`, '');
    county = g.county.fips;
    out.push(`#### ${esc(g.county.name)} (${esc(g.county.fips)}) — ${esc(g.facility)}`, '');
    out.push(table(SECTION2_TABLE, g.declines), '');
  }

  out.push(heading('##', SECTIONS.section3), '');
  out.push(
    report.section3.length === 0 ? SECTIONS.section3.empty : table(SECTION3_TABLE, report.section3),
    '',
  );

  out.push(heading('##', SECTIONS.section4), '');
  // Notes are ddor's own sentences (with `code` on purpose) around names from the data: only HTML is escaped.
  for (const n of report.section4.notes) out.push(`- ${html(n).replaceAll('\n', ' ')}`);
  out.push('');
  return out.join('\n');
}
