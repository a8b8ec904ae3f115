/**
 * The report as one self-contained HTML file: inline CSS and SVG, no external
 * request, rendered from the Report alone. Semantic, accessible tables
 * (captions, scoped headers); prints as the PDF.
 */
import { stateName } from '../../domain/states.js';
import type { EditionChanges, Report, Section2Group } from '../../report/model.js';
import { periodLabel } from '../../report/period.js';
import { esc, num } from '../escape.js';
import { type MapOptions, renderMapSvg } from '../map.js';
import { section1BarChart } from './charts.js';
import { REPORT_CSS } from './styles.js';

const crime = (c: { description: string; kind: string }) =>
  `${esc(c.description)} <span class="kind">(${esc(c.kind)})</span>`;
const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;

export function titleParts(report: Report): { heading: string; subtitle: string } {
  const [heading, subtitle] = report.title.split(' — ');
  return { heading: heading ?? report.title, subtitle: subtitle ?? '' };
}

export function editionLine(report: Report): string {
  const e = report.edition;
  if (!e) return 'Draft built from the current data — not a published edition.';
  const when = e.published_at.slice(0, 10);
  return `Edition ${e.number}, published ${when}${e.supersedes ? ` — corrects edition ${e.supersedes}` : ''}.`;
}

function changesList(c: EditionChanges): string {
  const items: string[] = [];
  for (const [k, v] of Object.entries(c.totals))
    items.push(`${esc(k.replaceAll('_', ' '))}: ${num(v.before)} → ${num(v.after)}`);
  const county = (x: { name: string; state: string; fips: string }) =>
    `${esc(x.name)}, ${esc(x.state)} (${x.fips})`;
  if (c.counties_added.length) items.push(`counties added: ${c.counties_added.map(county).join('; ')}`);
  if (c.counties_removed.length) items.push(`counties removed: ${c.counties_removed.map(county).join('; ')}`);
  for (const ch of c.counties_changed)
    items.push(`${county(ch.county)}: ${ch.declines_before} → ${ch.declines_after} declines`);
  if (c.rows_added.length) items.push(`${plural(c.rows_added.length, 'decline row')} added`);
  if (c.rows_removed.length) items.push(`${plural(c.rows_removed.length, 'decline row')} removed`);
  if (c.policies_added.length) items.push(`policies added: ${c.policies_added.map(esc).join(', ')}`);
  if (c.policies_removed.length) items.push(`policies removed: ${c.policies_removed.map(esc).join(', ')}`);
  if (c.policies_changed.length) items.push(`policies changed: ${c.policies_changed.map(esc).join(', ')}`);
  return items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : '';
}

function headline(report: Report): string {
  const t = report.totals;
  const box = (n: number, label: string) =>
    `<div class="figure-box"><span class="n">${num(n)}</span><span class="l">${label}</span></div>`;
  return `<section class="headline" aria-label="Headline figures">${[
    box(t.detainers_issued, 'detainers issued'),
    box(
      t.declined,
      report.decline_basis === 'recorded' ? 'declines recorded' : 'declines among those issued',
    ),
    box(t.jurisdictions_with_declines, 'counties with declines'),
    box(t.states_with_declines, 'states with declines'),
    box(t.facilities_with_declines, 'facilities with declines'),
  ].join('')}</section>`;
}

function section1(report: Report): string {
  const head =
    '<h2 id="section-1">Section I. Counties with policies limiting cooperation, by detainers issued</h2>';
  if (report.section1.length === 0) {
    return `${head}<p>No detainers were issued in the period to a jurisdiction with a policy limiting cooperation.</p>`;
  }
  const rows = report.section1
    .map(
      (r) =>
        `<tr><td class="num">${r.rank}</td><th scope="row">${esc(r.county.name)}</th><td>${esc(stateName(r.county.state))}</td><td>${r.county.fips}</td><td class="num">${num(r.detainers_issued)}</td></tr>`,
    )
    .join('');
  return `${head}
<p class="lede">Detainers issued in the period to agencies in a county, city or state with a policy limiting cooperation in force on the issuing date.</p>
<figure>${section1BarChart(report)}<figcaption>Top ${report.section1.length} counties by detainers issued to a restricting jurisdiction.</figcaption></figure>
<table class="keep"><caption>Section I — top ${report.section1.length} counties</caption>
<thead><tr><th scope="col" class="num">Rank</th><th scope="col">County</th><th scope="col">State</th><th scope="col">FIPS</th><th scope="col" class="num">Detainers issued</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function mapSection(report: Report, options: MapOptions): string {
  return `<h2 id="map">Map of declines</h2>
<figure class="map">${renderMapSvg(report, options)}<figcaption>Counties shaded by declines counted in the period (fixed classes, comparable between weeks); hatched counties had a policy limiting cooperation in force at some time during the period. County boundaries of 2017 (us-atlas); see Section IV for declines drawn elsewhere.</figcaption></figure>`;
}

function section2(report: Report): string {
  const head = `<h2 id="section-2">Section II. Declined detainers by jurisdiction and facility</h2>`;
  if (report.section2.length === 0) return `${head}<p>No declines are counted in the period.</p>`;
  const byState = new Map<string, Section2Group[]>();
  for (const g of report.section2) byState.set(g.county.state, [...(byState.get(g.county.state) ?? []), g]);
  const parts = [
    head,
    `<p class="lede">${plural(report.totals.declined, 'decline')} ${report.decline_basis === 'recorded' ? 'recorded in the period' : 'among detainers issued in the period'}, by the agency that released the person. No names or identifiers are published.</p>`,
  ];
  for (const [state, groups] of byState) {
    const total = groups.reduce((s, g) => s + g.declines.length, 0);
    parts.push(`<h3>${esc(stateName(state))} <span class="kind">— ${plural(total, 'decline')}</span></h3>`);
    parts.push(`<table class="declines"><caption class="visually-hidden">Declines in ${esc(stateName(state))}</caption>
<colgroup><col class="c-cit"><col class="c-date"><col class="c-date"><col class="c-date"><col class="c-crime"><col class="c-from"></colgroup>
<thead><tr><th scope="col">Citizenship</th><th scope="col">Issued</th><th scope="col">Declined</th><th scope="col">Recorded</th><th scope="col">Notable criminal activity</th><th scope="col">Transferred from</th></tr></thead>`);
    for (const g of groups) {
      parts.push(
        `<tbody><tr><th scope="rowgroup" colspan="6">${esc(g.county.name)} <span class="sub">(${g.county.fips})</span> — ${esc(g.facility)} <span class="sub">· ${plural(g.declines.length, 'decline')}</span></th></tr>`,
      );
      for (const d of g.declines) {
        parts.push(
          `<tr><td>${esc(d.citizenship ?? '—')}</td><td class="date">${d.issued_date}</td><td class="date">${d.declined_date ?? '—'}</td><td class="date">${d.recorded_date ?? '—'}</td><td>${d.criminal_activity.map(crime).join('; ') || '—'}</td><td>${esc(d.received_by ?? '')}${d.lift_reason ? `${d.received_by ? '<br>' : ''}<span class="kind">lift reason: ${esc(d.lift_reason)}</span>` : ''}</td></tr>`,
        );
      }
      parts.push('</tbody>');
    }
    parts.push('</table>');
  }
  return parts.join('\n');
}

function section3(report: Report): string {
  const head =
    '<h2 id="section-3">Section III. Policies limiting cooperation in force during the period</h2>';
  if (report.section3.length === 0) return `${head}<p>No policy was in force during the period.</p>`;
  const rows = report.section3
    .map((p) => {
      const source = p.source_url ? `<a href="${esc(p.source_url)}">source</a>` : '—';
      const enacted = `${p.enacted_date}${p.rescinded_date ? `<br><span class="kind">rescinded ${p.rescinded_date}</span>` : ''}`;
      return `<tr><th scope="row">${esc(p.jurisdiction)}</th><td>${esc(p.aor ?? '')}</td><td>${esc(p.type.replaceAll('_', ' '))}</td><td>${esc(p.title)}</td><td>${enacted}</td><td>${esc(p.criteria ?? '')}</td><td>${esc(p.restricts.join(', ').replaceAll('_', ' '))}</td><td>${source}</td></tr>`;
    })
    .join('');
  return `${head}
<table><caption>${plural(report.section3.length, 'policy', 'policies')}, newest enactment first</caption>
<thead><tr><th scope="col">Jurisdiction</th><th scope="col">AOR</th><th scope="col">Type</th><th scope="col">Title</th><th scope="col">Enacted</th><th scope="col">Detainers still honored when</th><th scope="col">Restricts</th><th scope="col">Source</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function section4(report: Report): string {
  const f = report.section4.figures;
  const fig = (label: string, value: string) => `<dt>${label}</dt><dd>${value}</dd>`;
  return `<h2 id="section-4">Section IV. Scope and data fidelity</h2>
<ul class="notes">${report.section4.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
<dl class="figures">${[
    fig('Declines on detainers issued before the period', num(f.declines_issued_before_period)),
    fig('Oldest issuing date among them', f.oldest_issued_date ?? '—'),
    fig(
      'Median recording lag',
      f.median_recording_lag_days === null ? '—' : `${f.median_recording_lag_days} days`,
    ),
    fig('Declines excluded for an unresolved jurisdiction', num(f.excluded_unresolved)),
    fig('Rows missing citizenship', num(f.missing_citizenship)),
    fig('Rows missing criminal activity', num(f.missing_criminal_activity)),
    fig('Declines the map cannot draw', num(f.declines_not_on_map)),
    fig('Declines with no date in the source (issued in the period)', num(f.declines_without_date)),
    fig('Detainers at facilities not yet attributed to a county', num(f.unresolved_detainers_issued)),
    fig('Corrections since the previous edition', num(f.corrections_since_previous_edition)),
  ].join('')}</dl>`;
}

/** The report's sections (errata, headline figures, I, map, II, III, IV): the web app embeds these. */
export function renderReportSections(report: Report, mapOptions: MapOptions = {}): string {
  const e = report.edition;
  const errata =
    e?.errata || e?.changes
      ? `<aside class="errata" aria-label="Errata"><h2>Errata — edition ${e.number}</h2>${e.errata ? `<p>${esc(e.errata)}</p>` : ''}${e.changes ? changesList(e.changes) : ''}</aside>`
      : '';
  return `${errata}
${headline(report)}
<nav class="toc" aria-label="Sections"><ol><li><a href="#section-1">Section I</a></li><li><a href="#map">Map</a></li><li><a href="#section-2">Section II</a></li><li><a href="#section-3">Section III</a></li><li><a href="#section-4">Section IV</a></li></ol></nav>
${section1(report)}
${mapSection(report, mapOptions)}
${section2(report)}
${section3(report)}
${section4(report)}`;
}

export function renderHtml(report: Report): string {
  const { heading, subtitle } = titleParts(report);
  const e = report.edition;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(report.title)}</title>
<meta name="description" content="${esc(`${heading}: ${num(report.totals.detainers_issued)} detainers issued, ${num(report.totals.declined)} declined, ${periodLabel(report.period)}.`)}">
<meta name="generator" content="ddor (${report.schema})">
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="title-block">
<p class="kicker">Declined Detainer Outcome Report</p>
<h1>${esc(heading)}</h1>
<p class="subtitle">${esc(subtitle)}</p>
<p class="edition">${esc(editionLine(report))}</p>
${report.demo ? '<p class="demo">DEMO DATA — built from synthetic records bundled with ddor, not real detainers.</p>' : ''}
</header>
<main>
${renderReportSections(report)}
</main>
<footer>
<p>Built by ddor from the records in its store; every figure is computed from them by the rules of the report's specification. Data: the report JSON (schema <code>${report.schema}</code>)${e ? `, content SHA-256 <code>${e.content_sha256}</code>` : ''}.</p>
</footer>
</body>
</html>
`;
}
