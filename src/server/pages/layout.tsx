/** The web app's page frame: navigation, skip link, the report's stylesheet plus the app's own. */
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { REPORT_CSS } from '../../render/html/styles.js';
import { REPORT_NAME } from '../../render/labels.js';
import { SITE_FEED_LINK } from '../feeds.js';

/** A `<link>` in a page's head: a feed (`application/atom+xml`), an oEmbed answer, … */
export interface HeadLink {
  rel: string;
  type: string;
  href: string;
  title?: string;
}

/** Every page names the site feed; a page adds its own links (a county its feed) with `headLinks`. */
const SITE_FEED_HEAD: HeadLink = { rel: 'alternate', type: 'application/atom+xml', ...SITE_FEED_LINK };

const APP_CSS = `
.skip { position: absolute; left: -999px; } .skip:focus { left: 12px; top: 8px; background: #fff; padding: 6px 10px; z-index: 10; }
header.site { display: flex; flex-wrap: wrap; gap: 6px 22px; align-items: baseline; border-bottom: 1px solid var(--rule); padding-bottom: 8px; margin-bottom: 14px; }
header.site .brand { font-weight: 700; color: var(--ink); text-decoration: none; }
header.site nav a { margin-right: 16px; }
header.site nav a[aria-current=page] { font-weight: 700; color: var(--ink); }
.toolbar { display: flex; flex-wrap: wrap; gap: 10px 26px; align-items: end; background: var(--band); padding: 10px 12px; border-radius: 4px; margin: 10px 0 16px; font-size: .92rem; }
.toolbar form { display: flex; gap: 6px; align-items: end; }
.toolbar label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
.toolbar input, .toolbar select, .toolbar button { font: inherit; padding: 3px 6px; }
.downloads a { margin-right: 10px; }
.editions-list a { margin-right: 8px; }
.editions-list a[aria-current=true] { font-weight: 700; }
#county-panel { position: fixed; right: 16px; top: 16px; bottom: 16px; width: min(420px, 92vw); overflow: auto; background: #fff; border: 1px solid var(--rule); box-shadow: 0 4px 18px rgba(0,0,0,.18); padding: 14px 16px; z-index: 20; }
#county-panel[hidden] { display: none; }
#map-tooltip { position: fixed; pointer-events: none; background: #1a1a1a; color: #fff; padding: 4px 8px; font-size: .8rem; border-radius: 3px; max-width: 320px; z-index: 15; }
svg.ddor-map a.county-link:focus path, svg.ddor-map a.county-link:hover path { stroke: #000; stroke-width: 1.5; }
.chart text { font-size: 12px; fill: var(--ink); }
.legend-issued { color: #045a8d; } .legend-declined { color: #8a3b00; }
.filters { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: end; }
.site-search { margin-left: auto; }
.site-search form { position: relative; display: flex; gap: 6px; align-items: center; }
.site-search input { font: inherit; padding: 4px 6px; width: 14em; max-width: 52vw; }
.site-search button { font: inherit; padding: 4px 8px; }
#site-q-list { position: absolute; top: 100%; left: 0; right: 0; z-index: 30; margin: 2px 0 0; padding: 0; list-style: none; background: #fff; border: 1px solid var(--rule); box-shadow: 0 4px 12px rgba(0,0,0,.15); }
#site-q-list[hidden] { display: none; }
#site-q-list li { padding: 8px 10px; cursor: pointer; }
#site-q-list li[aria-selected=true] { background: var(--band); outline: 2px solid var(--accent); }
#site-q-list li .kind { display: block; }
ul.county-list, ul.state-list { padding-left: 1.2em; }
ul.county-list li, ul.state-list li { margin: 6px 0; }
ul.state-list { columns: 14em; }
.kind-toggle { margin: 0 0 8px; font-size: .92rem; }
.kind-toggle a[aria-current=true] { font-weight: 700; color: var(--ink); }
p.kind-note { background: var(--band); padding: 6px 10px; border-left: 4px solid var(--accent); }
/* Phones first (issue 15): from 360 px wide no page scrolls sideways; wide tables and the map scroll
   in their own box with the row headers kept in view; each chart has a compact drawing whose text
   is never under 12 px. */
code { font-size: max(12px, .85em); }
header.site nav { display: flex; flex-wrap: wrap; gap: 4px 16px; }
header.site nav a { margin-right: 0; white-space: nowrap; }
svg.compact { display: none; }
@media (max-width: 999px) { svg.chart.wide { display: none; } svg.chart.compact { display: block; max-width: 520px; } }
@media (max-width: 775px) {
  svg.bars:not(.compact) { display: none; } svg.bars.compact { display: block; max-width: 520px; }
  main table { display: block; overflow-x: auto; max-width: 100%; }
  main table.declines { table-layout: auto; }
  main table.declines td, main table.declines th { min-width: 7em; }
  main table th[scope=row], main table thead th:first-child, main table.keep thead th:nth-child(2) { position: sticky; left: 0; background: #fff; z-index: 1; }
  main table.keep thead th:first-child { position: static; }
  main table.keep thead th:nth-child(2) { background: var(--band); }
  main thead th:first-child { background: var(--band); }
  figure.map { overflow-x: auto; }
  figure.map svg, figure.map object.ddor-map-object { width: 1070px; max-width: none; }
  dl.figures { grid-template-columns: minmax(0, 1fr) auto; }
  .site-search { margin-left: 0; width: 100%; }
  .site-search input { flex: 1; max-width: none; width: auto; min-width: 0; }
  .toolbar form { flex-wrap: wrap; }
}
.side-by-side { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22em), 1fr)); gap: 0 24px; }
figure object.ddor-map-object { width: 100%; height: auto; aspect-ratio: 975 / 718; display: block; }
/* Disputes (pages/disputes.tsx): the honeypot is off-screen, never shown or reached. */
form.stack label.choice { font-weight: 400; } .choice input { margin: 0 .45em 0 0; }
table.declines col.c-dispute { width: 9%; }
table.declines:has(col.c-dispute) col.c-crime { width: 27%; }
table.declines:has(col.c-dispute) col.c-from { width: 17.5%; }
.hp { position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }
.dispute-status { padding: 1px 6px; border-radius: 3px; background: var(--band); }
.dispute-status.upheld, .dispute-status.partly_upheld { background: #e3f1e3; }
.dispute-status.rejected { background: #f6e6e6; }
blockquote.dispute-text { white-space: pre-wrap; border-left: 4px solid var(--rule); margin: 8px 0; padding: 4px 12px; }
/* The office's pages (pages/work.tsx). */
.work-nav a { margin-right: 14px; }
.choice { display: block; }
.field-error { color: #a4000f; font-weight: 600; }
.notice { background: var(--band); border-left: 4px solid #2a6f2a; padding: 8px 12px; }
.alert { background: #fff4f4; border-left: 4px solid #a4000f; padding: 8px 12px; }
form.stack p { margin: 8px 0; }
form.stack label { display: block; font-weight: 600; }
form textarea, form input, form select { max-width: 100%; box-sizing: border-box; }
.inline-form { display: inline; }
table.work td, table.work th { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
.scroll { overflow-x: auto; }
/* Embed and cite (pages/share.tsx). */
details.share { margin: 10px 0; } details.share summary { cursor: pointer; font-weight: 600; }
details.share label { display: block; font-weight: 600; margin-top: 6px; }
details.share textarea { width: 100%; font: 13px/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
details.share p.cite-file { margin: 0 0 8px; font-size: .9rem; }
`;

/**
 * The county search on every page: a plain GET form (/counties?q=…) that works without JavaScript;
 * /assets/search.js (src/web/search.ts) adds suggestions as the reader types.
 */
function SiteSearch() {
  return (
    <search class="site-search">
      <form method="get" action="/counties">
        <label class="visually-hidden" for="site-q">
          Find a county by name or FIPS code
        </label>
        <input
          id="site-q"
          type="search"
          name="q"
          placeholder="Find a county"
          autocomplete="off"
          spellcheck={false}
        />
        <button type="submit">Find</button>
      </form>
    </search>
  );
}

export function Page(props: {
  title: string;
  current?: string;
  island?: boolean;
  /** More links for the head: the page's own feed, its oEmbed answer. */
  headLinks?: HeadLink[];
  children: ComponentChildren;
}) {
  const link = (href: string, label: string, key: string) => (
    <a href={href} aria-current={props.current === key ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — ddor`}</title>
        {[SITE_FEED_HEAD, ...(props.headLinks ?? [])].map((l) => (
          <link key={l.href} rel={l.rel} type={l.type} href={l.href} title={l.title} />
        ))}
        <style dangerouslySetInnerHTML={{ __html: REPORT_CSS + APP_CSS }} />
        {props.island ? <script type="module" src="/assets/map.js" /> : null}
        <script type="module" src="/assets/search.js" />
        <script type="module" src="/assets/scroll.js" />
      </head>
      <body>
        <a class="skip" href="#content">
          Skip to content
        </a>
        <header class="site">
          <a class="brand" href="/">
            {REPORT_NAME}
          </a>
          <nav aria-label="Site">
            {link('/', 'Latest', 'home')}
            {link('/editions', 'Editions', 'editions')}
            {link('/policies', 'Policies', 'policies')}
            {link('/counties', 'Counties', 'counties')}
            {link('/trends', 'Trends', 'trends')}
            {link('/disputes', 'Disputes', 'disputes')}
            {link('/quality', 'Data quality', 'quality')}
            {link('/work', 'Office', 'work')}
            {link('/api/v1/openapi.json', 'API', 'api')}
          </nav>
          <SiteSearch />
        </header>
        <main id="content">{props.children}</main>
        <footer>
          <p>
            ddor — every figure is computed from the records in the store by the rules of the report's
            specification. Counties are keyed by FIPS code; no person is identifiable.
          </p>
        </footer>
      </body>
    </html>
  );
}

export const html = (node: preact.VNode) => `<!doctype html>\n${renderToString(node)}`;
