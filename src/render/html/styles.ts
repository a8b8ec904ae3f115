/** The report's stylesheet: inlined, so the HTML file stands alone. Screen and print. */
export const REPORT_CSS = `
:root { --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --accent: #045a8d; --band: #f3f6f9; --warn: #8a3b00; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); line-height: 1.45; }
body { margin: 0 auto; max-width: 1040px; padding: 24px 28px 48px; }
a { color: var(--accent); }
.title-block { border-bottom: 3px solid var(--ink); padding-bottom: 12px; margin-bottom: 18px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .78rem; color: var(--muted); margin: 0 0 4px; }
h1 { font-size: 1.9rem; margin: 0; line-height: 1.15; }
.subtitle { font-size: 1.2rem; margin: 4px 0 8px; }
.edition { margin: 0; color: var(--muted); font-size: .92rem; }
.demo { background: #fff4e5; border: 2px solid var(--warn); color: var(--warn); padding: 8px 12px; font-weight: 600; margin: 12px 0 0; }
.errata { border-left: 4px solid var(--warn); background: #fffaf3; padding: 8px 14px; margin: 14px 0; }
.errata h2 { font-size: 1rem; margin: 0 0 4px; border: 0; padding: 0; }
.headline { display: grid; grid-template-columns: repeat(5, 1fr); gap: 10px; margin: 18px 0 8px; }
.figure-box { background: var(--band); padding: 10px 12px; border-radius: 4px; }
.figure-box .n { display: block; font-size: 1.7rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.figure-box .l { font-size: .85rem; color: var(--muted); }
.figure-box .was { display: block; font-size: .78rem; color: var(--muted); margin-top: 2px; }
p.compared { font-size: .85rem; color: var(--muted); margin: 0 0 8px; }
nav.toc { font-size: .92rem; margin: 10px 0 20px; }
nav.toc ol { display: flex; flex-wrap: wrap; gap: 4px 22px; list-style: none; padding: 0; margin: 4px 0; }
h2 { font-size: 1.35rem; margin: 34px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.12rem; margin: 22px 0 6px; }
p.lede { color: var(--muted); margin: 0 0 10px; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin: 6px 0 14px; }
caption { text-align: left; font-weight: 600; padding: 4px 0 6px; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--rule); }
thead th { background: var(--band); border-bottom: 2px solid var(--ink); font-weight: 600; }
td.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.declines { table-layout: fixed; }
table.declines col.c-cit { width: 15%; } table.declines col.c-date { width: 10.5%; } table.declines col.c-crime { width: 34%; } table.declines col.c-from { width: 19.5%; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody th[scope=rowgroup] { background: #fafafa; font-weight: 600; padding-top: 8px; }
tbody th[scope=rowgroup] .sub { font-weight: 400; color: var(--muted); }
tbody tr.county-head th[scope=rowgroup] { background: var(--band); border-top: 2px solid var(--rule); }
.kind { font-size: .75rem; color: var(--muted); }
figure { margin: 8px 0 16px; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: .85rem; color: var(--muted); margin-top: 4px; }
.bars text { font-size: 12px; fill: var(--ink); }
.notes li { margin-bottom: 6px; }
dl.figures { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; font-size: .92rem; }
dl.figures dt { color: var(--muted); }
dl.figures dd { margin: 0; font-variant-numeric: tabular-nums; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--rule); font-size: .8rem; color: var(--muted); }
code { font-size: .85em; word-break: break-all; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 720px) { .headline { grid-template-columns: repeat(2, 1fr); } body { padding: 14px; } }
@page { size: Letter; margin: 0.55in 0.5in 0.7in; }
@media print {
  html { font-size: 10pt; }
  body { max-width: none; padding: 0; }
  nav.toc { display: none; }
  thead { display: table-header-group; }
  tr, .figure-box, figure, table.keep { break-inside: avoid; }
  h1, h2, h3, caption { break-after: avoid; }
  h2 { break-before: auto; }
  #section-2, #section-3, #section-4 { break-before: page; }
  a { color: var(--ink); text-decoration: none; }
  .headline { grid-template-columns: repeat(5, 1fr); }
  figure.map svg { max-height: 4.6in; width: auto; max-width: 100%; margin: 0 auto; }
}
`;
