/** The static archive's index page: every edition of every period, newest first, with errata and downloads. */
import type { FrozenEdition } from '../report/editions.js';
import { periodLabel, periodSlug } from '../report/period.js';
import { esc, num } from './escape.js';
import { formatOf, type ReportFormat } from './formats.js';
import { REPORT_CSS } from './html/styles.js';
import { reviewLine } from './labels.js';

export const editionDir = (e: FrozenEdition) =>
  `${periodSlug(e.report.period)}/edition-${e.report.edition!.number}`;

/** Each edition links its files in the order of `formats` (`--formats`). */
export function renderArchiveIndex(
  editions: FrozenEdition[],
  formats: readonly ReportFormat[],
  key: { keyId: string; pem: string } | null = null,
): string {
  const rows = editions
    .map((e) => {
      const r = e.report;
      const ed = r.edition!;
      const dir = editionDir(e);
      const links = formats
        .map(formatOf)
        .map((f) => `<a href="${esc(`${dir}/${f.download}`)}">${f.label}</a>`)
        .join(' · ');
      return `<tr><th scope="row">${esc(periodLabel(r.period))}${r.demo ? ' <span class="kind">(demo data)</span>' : ''}</th><td class="num">${ed.number}</td><td class="date">${esc(ed.published_at.slice(0, 10))}</td><td class="num">${num(r.totals.detainers_issued)}</td><td class="num">${num(r.totals.declined)}</td><td>${esc(ed.errata ?? '')}</td><td>${esc(reviewLine(r) ?? '')}</td><td>${links}</td><td><code>${ed.content_sha256.slice(0, 16)}…</code></td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Declined Detainer Outcome Report — archive of editions</title>
<style>${REPORT_CSS}</style></head>
<body>
<header class="title-block"><p class="kicker">Declined Detainer Outcome Report</p><h1>Archive of published editions</h1>
<p class="edition">${num(editions.length)} editions. A correction is a new edition; earlier editions stay here unchanged.</p></header>
<main>
<table><caption>Every edition, newest period first</caption>
<thead><tr><th scope="col">Period</th><th scope="col" class="num">Edition</th><th scope="col">Published</th><th scope="col" class="num">Detainers issued</th><th scope="col" class="num">Declined</th><th scope="col">Errata</th><th scope="col">Compiled and reviewed by</th><th scope="col">Downloads</th><th scope="col">Content SHA-256</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p>Each edition's JSON is the exact bytes published; its SHA-256 (with <code>edition</code> set to null) is the one shown. <a href="editions.json">editions.json</a> lists them all.</p>
<section aria-labelledby="verify"><h2 id="verify">Checking these editions</h2>
<p>Every edition is one entry of a single chain over all editions (<a href="chain.json">chain.json</a>): each entry commits to its edition's content, metadata and the entry before it${key ? ", and is signed with the publisher's Ed25519 key" : ''}. Check a mirror, or one downloaded file, offline: <code>ddor verify chain.json --key publisher.pub</code>, <code>ddor verify report.pdf --key publisher.pub</code>.</p>
${
  key
    ? `<p>Publisher's public key (<a href="publisher.pub">publisher.pub</a>), key id <code>${esc(key.keyId)}</code>:</p>\n<pre>${esc(key.pem.trim())}</pre>`
    : '<p>These editions were published unsigned: their hashes and chain can be checked, not who published them.</p>'
}
</section>
</main>
</body>
</html>
`;
}
