/** Markdown output: the four sections as readable text and pipe tables. */
import { stateName } from '../domain/states.js';
import type { Report } from '../report/model.js';

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
const num = (n: number) => n.toLocaleString('en-US');

function table(head: string[], rows: string[][]): string {
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.map(esc).join(' | ')} |`);
  return lines.join('\n');
}

export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  out.push(`# ${esc(report.title)}`, '');
  if (report.demo) out.push('> **DEMO DATA** — synthetic records bundled with ddor, not real detainers.', '');
  const e = report.edition;
  out.push(
    e ? `Edition ${e.number}, published ${e.published_at.slice(0, 10)}.` : 'Draft (not a published edition).',
    '',
  );
  if (e?.errata) out.push(`> **Errata (edition ${e.number}):** ${esc(e.errata)}`, '');
  const t = report.totals;
  out.push(
    `- Detainers issued: **${num(t.detainers_issued)}**`,
    `- Declined: **${num(t.declined)}**`,
    `- Counties with declines: ${num(t.jurisdictions_with_declines)}; states: ${num(t.states_with_declines)}; facilities: ${num(t.facilities_with_declines)}`,
    '',
  );

  out.push('## Section I — Counties with policies limiting cooperation, by detainers issued', '');
  out.push(
    report.section1.length === 0
      ? 'No detainers were issued in the period to a jurisdiction with such a policy.'
      : table(
          ['Rank', 'County', 'State', 'FIPS', 'Detainers issued'],
          report.section1.map((r) => [
            String(r.rank),
            r.county.name,
            r.county.state,
            r.county.fips,
            num(r.detainers_issued),
          ]),
        ),
    '',
  );

  out.push('## Section II — Declined detainers by jurisdiction and facility', '');
  if (report.section2.length === 0) out.push('No declines are counted in the period.', '');
  let state = '';
  for (const g of report.section2) {
    if (g.county.state !== state) {
      state = g.county.state;
      out.push(`### ${esc(stateName(state))}`, '');
    }
    out.push(`#### ${esc(g.county.name)} (${esc(g.county.fips)}) — ${esc(g.facility)}`, '');
    out.push(
      table(
        [
          'Citizenship',
          'Issued',
          'Declined',
          'Recorded',
          'Notable criminal activity',
          'Transferred from / source note',
        ],
        g.declines.map((d) => [
          d.citizenship ?? '—',
          d.issued_date,
          d.declined_date ?? '—',
          d.recorded_date ?? '—',
          d.criminal_activity.map((c) => `${c.description} (${c.kind})`).join('; ') || '—',
          [d.received_by, d.lift_reason ? `lift reason: ${d.lift_reason}` : null].filter(Boolean).join('; '),
        ]),
      ),
      '',
    );
  }

  out.push('## Section III — Policies limiting cooperation in force during the period', '');
  out.push(
    report.section3.length === 0
      ? 'No policy was in force during the period.'
      : table(
          [
            'Jurisdiction',
            'AOR',
            'Type',
            'Title',
            'Enacted',
            'Still honors detainers when',
            'Restricts',
            'Source',
          ],
          report.section3.map((p) => [
            p.jurisdiction,
            p.aor ?? '',
            p.type.replaceAll('_', ' '),
            p.title,
            p.enacted_date + (p.rescinded_date ? ` (rescinded ${p.rescinded_date})` : ''),
            p.criteria ?? '',
            p.restricts.join(', '),
            p.source_url ?? '',
          ]),
        ),
    '',
  );

  out.push('## Section IV — Scope and data fidelity', '');
  // Notes are ddor's own sentences (with `code` on purpose) around names from the data: only HTML is escaped.
  for (const n of report.section4.notes) out.push(`- ${html(n).replaceAll('\n', ' ')}`);
  out.push('');
  return out.join('\n');
}
