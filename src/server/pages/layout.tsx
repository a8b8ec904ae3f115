/** The web app's page frame: navigation, skip link, the report's stylesheet plus the app's own. */
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { REPORT_CSS } from '../../render/html/styles.js';
import { REPORT_NAME } from '../../render/labels.js';

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
.chart text { font-size: 11px; fill: var(--ink); }
figure object.ddor-map-object { width: 100%; height: auto; aspect-ratio: 975 / 718; display: block; }
.filters { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: end; }
/* The office's pages (pages/work.tsx). */
.work-nav a { margin-right: 14px; }
.choice { display: block; }
.field-error { color: #a4000f; font-weight: 600; }
.notice { background: var(--band); border-left: 4px solid #2a6f2a; padding: 8px 12px; }
.alert { background: #fff4f4; border-left: 4px solid #a4000f; padding: 8px 12px; }
.side-by-side { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 18px; }
form.stack p { margin: 8px 0; }
form.stack label { display: block; font-weight: 600; }
.inline-form { display: inline; }
table.work td, table.work th { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
.scroll { overflow-x: auto; }
`;

export function Page(props: {
  title: string;
  current?: string;
  island?: boolean;
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
        <style dangerouslySetInnerHTML={{ __html: REPORT_CSS + APP_CSS }} />
        {props.island ? <script type="module" src="/assets/map.js" /> : null}
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
            {link('/trends', 'Trends', 'trends')}
            {link('/quality', 'Data quality', 'quality')}
            {link('/work', 'Office', 'work')}
            {link('/api/v1/openapi.json', 'API', 'api')}
          </nav>
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
