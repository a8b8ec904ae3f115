/**
 * What a newsroom puts in a story: light pages made to be framed by any site, each pinned to a
 * published edition, and the oEmbed endpoint that hands out their <iframe>.
 *
 * - `/embed/reports/{period path}/map?edition=N`: the edition's county map, its title, period,
 *   attribution and a link back to the full edition;
 * - `/embed/counties/{fips}/{period path}?edition=N`: a county card, what that edition says of
 *   the county (declines, detainers issued, Section I rank) and the policies it lists for it;
 * - `/oembed?url=…&format=json&maxwidth=&maxheight=` (oEmbed 1.0, type "rich").
 *
 * The embed pages carry no script and set no cookie; they alone may be framed by any origin
 * (`mayBeFramedBy(c, ['*'])`), every other page keeps `frame-ancestors 'none'`. A draft is never
 * embeddable. Without `?edition=` an embed page redirects to its period's latest edition.
 * Absolute URLs use the configured public base URL (public-url.ts), never the request's Host.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { renderToString } from 'preact-render-to-string';
import { stateName } from '../domain/states.js';
import { countyByFips } from '../geo/gazetteer.js';
import { esc, num } from '../render/escape.js';
import { DECLINE_BASIS, DEMO_NOTICE, editionName, PUBLISHER, REPORT_NAME } from '../render/labels.js';
import { DECLINE_CLASSES, renderMapSvg } from '../render/map.js';
import { allEditions, listEditions } from '../report/editions.js';
import type { Report } from '../report/model.js';
import { type Period, periodPath } from '../report/period.js';
import type { Store } from '../store/store.js';
import { errorBody, HttpError } from './errors.js';
import { countyInReport, editionPath } from './feeds.js';
import { absolute, publicUrlOf } from './public-url.js';
import { countyOfUrl, publishedEdition } from './published.js';
import { periodOf } from './reports.js';
import { ErrorSchema } from './schemas.js';
import { mayBeFramedBy } from './security.js';

/** The iframe's size as the snippet and oEmbed give it (the page reflows to any width). */
export const EMBED_SIZES = {
  map: { width: 640, height: 600 },
  county: { width: 400, height: 460 },
} as const;
type EmbedKind = keyof typeof EMBED_SIZES;

export const mapEmbedPath = (report: Report) =>
  `/embed/reports/${periodPath(report.period)}/map?edition=${report.edition!.number}`;
export const countyEmbedPath = (fips: string, report: Report) =>
  `/embed/counties/${fips}/${periodPath(report.period)}?edition=${report.edition!.number}`;

/** The <iframe> a page of another site pastes; no script, sandboxed, links open a new tab. */
export function iframeSnippet(src: string, title: string, size: { width: number; height: number }): string {
  return `<iframe src="${esc(src)}" title="${esc(title)}" width="${size.width}" height="${size.height}" style="border:0;max-width:100%" loading="lazy" sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>`;
}

export const mapEmbedTitle = (report: Report) =>
  `${REPORT_NAME}: declines by county, ${editionName(report.period, report.edition!.number, report.edition!.supersedes)}`;
export function countyEmbedTitle(fips: string, report: Report): string {
  const c = countyByFips(fips);
  return `${c ? `${c.name}, ${c.state}` : fips} in the ${REPORT_NAME}, ${editionName(report.period, report.edition!.number, report.edition!.supersedes)}`;
}

/** The oEmbed discovery link of a page of this site (absolute, as consumers read it raw). */
export const oembedHref = (base: string, pageUrl: string) =>
  absolute(base, `/oembed?url=${encodeURIComponent(pageUrl)}&format=json`);

const NOT_EMBEDDABLE_HINT =
  'Only a published edition can be embedded; a draft never is. Embed an edition with ?edition=N (see /editions), or publish the period first (ddor report publish).';

const EMBEDDABLE = { only: 'embeddable', hint: NOT_EMBEDDABLE_HINT };

/** The latest edition of each period, newest period first. */
async function latestEditions(store: Store): Promise<Report[]> {
  const latest = new Map<string, Report>();
  for (const { report } of await allEditions(store)) {
    const key = `${report.period.start}/${report.period.end}`;
    const kept = latest.get(key);
    if (!kept || kept.edition!.number < report.edition!.number) latest.set(key, report);
  }
  return [...latest.values()].sort((a, b) =>
    a.period.end === b.period.end
      ? a.period.start < b.period.start
        ? 1
        : -1
      : a.period.end < b.period.end
        ? 1
        : -1,
  );
}

/** The edition a county card shows by default: the newest period's latest edition that lists the county. */
export async function countyCardEdition(store: Store, fips: string): Promise<Report | null> {
  return (await latestEditions(store)).find((r) => countyInReport(r, fips)) ?? null;
}

/** The latest edition number of the period, when later than `report`'s: the embed says it was corrected. */
async function correctedBy(store: Store, report: Report): Promise<number | null> {
  const numbers = (await listEditions(store))
    .filter((e) => e.period.start === report.period.start && e.period.end === report.period.end)
    .map((e) => e.number);
  const latest = Math.max(...numbers);
  return latest > report.edition!.number ? latest : null;
}

const EMBED_CSS = `
:root { --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --accent: #045a8d; --band: #f3f6f9; --warn: #8a3b00; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); line-height: 1.4; background: #fff; }
body { margin: 0; padding: 10px 12px; }
a { color: var(--accent); }
.kicker { text-transform: uppercase; letter-spacing: .06em; font-size: .75rem; color: var(--muted); margin: 0; }
h1 { font-size: 1.15rem; margin: 2px 0; line-height: 1.2; }
h2 { font-size: 1rem; margin: 12px 0 4px; }
p { margin: 4px 0; }
.period { color: var(--muted); font-size: .9rem; }
.demo { border: 2px solid var(--warn); color: var(--warn); background: #fff4e5; padding: 4px 8px; font-weight: 600; font-size: .85rem; }
.corrected { border-left: 4px solid var(--warn); background: #fffaf3; padding: 4px 8px; font-size: .85rem; }
figure { margin: 6px 0; }
figure svg { width: 100%; height: auto; display: block; }
svg a.county-link:focus path, svg a.county-link:hover path { stroke: #000; stroke-width: 1.5; }
ul.legend { display: flex; flex-wrap: wrap; gap: 2px 12px; list-style: none; padding: 0; margin: 4px 0; font-size: .8rem; }
ul.legend li { display: flex; align-items: center; gap: 4px; }
.swatch { display: inline-block; width: 22px; height: 12px; border: 1px solid #999; }
.hatch { background: repeating-linear-gradient(45deg, #b35806 0 1.5px, transparent 1.5px 5px); border-color: #b35806; }
.headline { font-size: .9rem; }
.source { font-size: .8rem; color: var(--muted); border-top: 1px solid var(--rule); margin-top: 8px; padding-top: 4px; }
dl.figures { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 2px 12px; margin: 8px 0; font-size: .92rem; }
dl.figures dt { color: var(--muted); }
dl.figures dd { margin: 0; font-weight: 700; text-align: right; font-variant-numeric: tabular-nums; }
ul.policies { padding-left: 1.1em; margin: 4px 0; font-size: .85rem; }
`;

/** The light page frame of an embed: no navigation, no script, the page's own small stylesheet. */
function EmbedFrame(props: {
  title: string;
  canonical: string;
  oembed: string;
  children: preact.ComponentChildren;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <link rel="canonical" href={props.canonical} />
        <link rel="alternate" type="application/json+oembed" href={props.oembed} title={props.title} />
        <style dangerouslySetInnerHTML={{ __html: EMBED_CSS }} />
      </head>
      <body>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

const external = { target: '_blank', rel: 'noopener' } as const;

function Attribution({ report, base }: { report: Report; base: string }) {
  const e = report.edition!;
  return (
    <p class="source">
      {`Source: ${PUBLISHER}, ${REPORT_NAME}, edition ${e.number}, published ${e.published_at.slice(0, 10)}. `}
      <a href={absolute(base, editionPath(report))} {...external}>
        See the full edition
      </a>
      .
    </p>
  );
}

function Notices({ report, corrected, base }: { report: Report; corrected: number | null; base: string }) {
  return (
    <>
      {report.demo ? <p class="demo">{DEMO_NOTICE}</p> : null}
      {corrected ? (
        <p class="corrected">
          {`This edition has since been corrected: `}
          <a
            href={absolute(base, `/reports/${periodPath(report.period)}?edition=${corrected}`)}
            {...external}
          >{`see edition ${corrected}`}</a>
          .
        </p>
      ) : null}
    </>
  );
}

function MapLegend() {
  return (
    <ul class="legend" aria-label="Legend: declines recorded">
      <li>
        <span class="swatch" style="background:#f4f4f4" />0
      </li>
      {DECLINE_CLASSES.map((k) => (
        <li key={k.label}>
          <span class="swatch" style={`background:${k.fill}`} />
          {k.label}
        </li>
      ))}
      <li>
        <span class="swatch hatch" />
        Policy limiting cooperation in force
      </li>
    </ul>
  );
}

function MapEmbed(props: { report: Report; base: string; corrected: number | null }) {
  const { report, base } = props;
  const e = report.edition!;
  const svg = renderMapSvg(report, {
    idPrefix: 'embed-map',
    mapOnly: true,
    countyHref: (fips) => absolute(base, `/counties/${fips}`),
    linkTarget: '_blank',
  });
  const t = report.totals;
  return (
    <EmbedFrame
      title={mapEmbedTitle(report)}
      canonical={absolute(base, editionPath(report))}
      oembed={oembedHref(base, absolute(base, mapEmbedPath(report)))}
    >
      <p class="kicker">{REPORT_NAME}</p>
      <h1>Declined detainers by county</h1>
      <p class="period">{editionName(report.period, e.number, e.supersedes)}</p>
      <Notices report={report} corrected={props.corrected} base={base} />
      <figure>
        <div dangerouslySetInnerHTML={{ __html: svg }} />
        <figcaption>
          <MapLegend />
        </figcaption>
      </figure>
      <p class="headline">
        {`${num(t.declined)} ${DECLINE_BASIS[report.decline_basis].figure} in ${num(t.jurisdictions_with_declines)} counties of ${num(t.states_with_declines)} states; ${num(t.detainers_issued)} detainers issued nationwide.`}
      </p>
      <Attribution report={report} base={base} />
    </EmbedFrame>
  );
}

function CountyCard(props: { fips: string; report: Report; base: string; corrected: number | null }) {
  const { fips, report, base } = props;
  const county = countyByFips(fips)!;
  const e = report.edition!;
  const found = countyInReport(report, fips);
  const policies = report.section3.filter(
    (p) => p.county_fips === fips || (p.level === 'state' && p.state === county.state),
  );
  return (
    <EmbedFrame
      title={countyEmbedTitle(fips, report)}
      canonical={absolute(base, `/counties/${fips}`)}
      oembed={oembedHref(base, absolute(base, countyEmbedPath(fips, report)))}
    >
      <p class="kicker">{REPORT_NAME}</p>
      <h1>{`${county.name}, ${stateName(county.state)}`}</h1>
      <p class="period">{`FIPS ${fips} · ${editionName(report.period, e.number, e.supersedes)}`}</p>
      <Notices report={report} corrected={props.corrected} base={base} />
      <dl class="figures">
        <dt>{`Declines ${DECLINE_BASIS[report.decline_basis].scope}`}</dt>
        <dd>{num(found?.declines ?? 0)}</dd>
        {found?.facilities ? (
          <>
            <dt>Facilities with declines</dt>
            <dd>{num(found.facilities)}</dd>
          </>
        ) : null}
        {found?.detainersIssued != null ? (
          <>
            <dt>Detainers issued to agencies here</dt>
            <dd>{num(found.detainersIssued)}</dd>
          </>
        ) : null}
        <dt>Section I rank</dt>
        <dd>{found?.ranked ? `${found.ranked.rank} of ${found.top}` : 'not ranked'}</dd>
        {found?.ranked ? (
          <>
            <dt>Detainers issued to a jurisdiction with a policy limiting cooperation (Section I)</dt>
            <dd>{num(found.ranked.detainers_issued)}</dd>
          </>
        ) : null}
      </dl>
      <h2>Policies limiting cooperation in this edition</h2>
      {policies.length === 0 ? <p>None listed for this county or its state.</p> : null}
      <ul class="policies">
        {policies.map((p) => (
          <li key={p.policy_id}>
            {`${p.title} (${p.jurisdiction}; ${p.type.replaceAll('_', ' ')}, enacted ${p.enacted_date}${p.rescinded_date ? `, rescinded ${p.rescinded_date}` : ''}; restricts ${p.restricts.join(', ').replaceAll('_', ' ')})`}
          </li>
        ))}
      </ul>
      <Attribution report={report} base={base} />
    </EmbedFrame>
  );
}

/** An embed page's headers: any site may frame it; it sets no cookie; read from anywhere. */
function sendEmbed(c: Context, page: preact.VNode) {
  mayBeFramedBy(c, ['*']);
  c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  c.header('Cache-Control', 'public, max-age=300');
  return c.html(`<!doctype html>\n${renderToString(page)}`);
}

/** To the pinned embed page: framed too, as a frame follows it. */
function redirectEmbed(c: Context, path: string) {
  mayBeFramedBy(c, ['*']);
  c.header('Cache-Control', 'public, max-age=60');
  return c.redirect(path);
}

const countyOf = (fips: string) => countyOfUrl(fips, '/embed/counties/48453');

/** `?maxwidth=` / `?maxheight=`: a positive whole number of pixels, or none. */
function pixels(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new HttpError(
      400,
      'bad_request',
      `${name}=${value} is not a number of pixels`,
      'Give a positive whole number, e.g. maxwidth=600.',
    );
  return n;
}

/** The embed size within the consumer's limits; the map keeps its proportions, with room for its text. */
export function embedSize(
  kind: EmbedKind,
  maxwidth?: number,
  maxheight?: number,
): { width: number; height: number } {
  const size = EMBED_SIZES[kind];
  const width = Math.min(size.width, maxwidth ?? size.width);
  // The map is 975 × 610; title, legend, headline and attribution take about 200 px more.
  const height = kind === 'map' ? Math.round((width * 610) / 975) + 200 : size.height;
  return { width, height: Math.min(height, maxheight ?? height) };
}

/** What an oEmbed `url` names: a map or a county card of a period's edition (null: nothing embeddable). */
type Embeddable =
  | { kind: 'map'; period: Period | null; edition: string | undefined }
  | { kind: 'county'; fips: string; period: Period | null; edition: string | undefined };

const PERIOD = '(week/[^/]+|quarter/[^/]+|range/[^/]+/[^/]+)';

function periodFromPath(path: string | undefined): Period | null {
  if (!path) return null;
  const [kind, a, b] = path.split('/') as [string, string, string | undefined];
  return periodOf(kind, a, b);
}

/** The pages that can be embedded: a report page or its map embed; a county page or its card embed. */
const EMBEDDABLE_PATHS: Array<{ kind: EmbedKind; pattern: RegExp; fips?: number; period?: number }> = [
  { kind: 'map', pattern: /^\/$/ },
  { kind: 'map', pattern: new RegExp(`^/reports/${PERIOD}$`), period: 1 },
  { kind: 'map', pattern: new RegExp(`^/embed/reports/${PERIOD}/map$`), period: 1 },
  { kind: 'county', pattern: /^\/(?:embed\/)?counties\/(\d{5})$/, fips: 1 },
  { kind: 'county', pattern: new RegExp(`^/embed/counties/(\\d{5})/${PERIOD}$`), fips: 1, period: 2 },
];

/** Reads a URL of this site as something to embed; null when it is not one. */
export function embeddableOf(url: string, base: string): Embeddable | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.origin !== new URL(base).origin) return null;
  const path = u.pathname.replace(/(.)\/+$/, '$1');
  for (const p of EMBEDDABLE_PATHS) {
    const m = p.pattern.exec(path);
    if (!m) continue;
    let period: Period | null;
    try {
      period = periodFromPath(p.period ? m[p.period] : undefined);
    } catch {
      return null; // a period that does not parse names no page
    }
    // Without a period the page shows the latest edition: an edition number alone names none.
    const edition = period ? (u.searchParams.get('edition') ?? undefined) : undefined;
    if (p.kind === 'map') return { kind: 'map', period, edition };
    return { kind: 'county', fips: m[p.fips!]!, period, edition };
  }
  return null;
}

const OEmbedQuery = z.object({
  url: z.string().openapi({
    description: 'A page of this site: a report page or its map embed, a county page or its card embed',
    example: 'http://localhost:8080/reports/week/2017-01-28?edition=1',
  }),
  format: z
    .string()
    .optional()
    .openapi({ description: 'json (the only format; xml is 501)', example: 'json' }),
  maxwidth: z.string().optional().openapi({ description: 'The widest iframe the consumer takes, in pixels' }),
  maxheight: z
    .string()
    .optional()
    .openapi({ description: 'The tallest iframe the consumer takes, in pixels' }),
});

const OEmbedSchema = z
  .object({
    version: z.literal('1.0'),
    type: z.literal('rich'),
    title: z.string(),
    html: z.string().describe('The <iframe> of the embed page, pinned to a published edition'),
    width: z.number().int(),
    height: z.number().int(),
    provider_name: z.string(),
    provider_url: z.string(),
    author_name: z.string(),
    author_url: z.string(),
    cache_age: z.number().int().describe('Seconds: an edition named by number never changes'),
  })
  .meta({ id: 'OEmbed' });

export function registerEmbeds(app: OpenAPIHono, store: Store): void {
  const base = () => publicUrlOf(app);

  const mapPage = async (c: Context, period: Period) => {
    const { frozen, latest } = await publishedEdition(store, period, c.req.query('edition'), EMBEDDABLE);
    if (latest) return redirectEmbed(c, mapEmbedPath(frozen.report));
    const corrected = await correctedBy(store, frozen.report);
    return sendEmbed(c, <MapEmbed report={frozen.report} base={base()} corrected={corrected} />);
  };
  app.get('/embed/reports/week/:date/map', (c) => mapPage(c, periodOf('week', c.req.param('date'))));
  app.get('/embed/reports/range/:from/:to/map', (c) =>
    mapPage(c, periodOf('range', c.req.param('from'), c.req.param('to'))),
  );
  app.get('/embed/reports/quarter/:q/map', (c) => mapPage(c, periodOf('quarter', c.req.param('q'))));

  const countyPage = async (c: Context, fips: string, period: Period) => {
    countyOf(fips);
    const { frozen, latest } = await publishedEdition(store, period, c.req.query('edition'), EMBEDDABLE);
    if (latest) return redirectEmbed(c, countyEmbedPath(fips, frozen.report));
    const corrected = await correctedBy(store, frozen.report);
    return sendEmbed(
      c,
      <CountyCard fips={fips} report={frozen.report} base={base()} corrected={corrected} />,
    );
  };
  app.get('/embed/counties/:fips', async (c) => {
    const fips = c.req.param('fips');
    countyOf(fips);
    const report = await countyCardEdition(store, fips);
    if (!report)
      throw new HttpError(
        404,
        'not_found',
        `no published edition lists the county ${fips}`,
        'A county card shows what a published edition says of the county: embed one with /embed/counties/FIPS/week/DATE?edition=N.',
      );
    return redirectEmbed(c, countyEmbedPath(fips, report));
  });
  app.get('/embed/counties/:fips/week/:date', (c) =>
    countyPage(c, c.req.param('fips'), periodOf('week', c.req.param('date'))),
  );
  app.get('/embed/counties/:fips/range/:from/:to', (c) =>
    countyPage(c, c.req.param('fips'), periodOf('range', c.req.param('from'), c.req.param('to'))),
  );
  app.get('/embed/counties/:fips/quarter/:q', (c) =>
    countyPage(c, c.req.param('fips'), periodOf('quarter', c.req.param('q'))),
  );

  // oEmbed consumers are servers and browsers alike: any origin may read it.
  app.use('/oembed', cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] }));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/oembed',
      summary:
        'oEmbed 1.0 (type "rich"): the <iframe> of a published edition\'s map, or of a county card, for a page URL of this site',
      request: { query: OEmbedQuery },
      responses: {
        200: { content: { 'application/json': { schema: OEmbedSchema } }, description: 'The embed' },
        400: {
          content: { 'application/json': { schema: ErrorSchema } },
          description: 'maxwidth or maxheight not a number',
        },
        404: {
          content: { 'application/json': { schema: ErrorSchema } },
          description: 'The URL is not an embeddable page of this site (a draft never is)',
        },
        501: {
          content: { 'application/json': { schema: ErrorSchema } },
          description: 'A format other than json',
        },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const format = q.format ?? 'json';
      // Answered, not thrown: a format not served is the consumer's choice, no fault to log.
      if (format !== 'json')
        return c.json(
          errorBody(
            new HttpError(
              501,
              'not_implemented',
              `oEmbed format ${format} is not served`,
              'Ask for format=json.',
            ),
          ),
          501,
        );
      const maxwidth = pixels(q.maxwidth, 'maxwidth');
      const maxheight = pixels(q.maxheight, 'maxheight');
      const what = embeddableOf(q.url, base());
      const nothing = () =>
        new HttpError(
          404,
          'not_found',
          `${q.url} is not an embeddable page of this site`,
          `Give the URL of a published edition's report page or a county page of ${base()}. ${NOT_EMBEDDABLE_HINT}`,
        );
      if (!what) throw nothing();
      if (what.edition === 'draft') throw nothing();
      let report: Report;
      const pinned = what.edition !== undefined;
      if (what.period) {
        report = (await publishedEdition(store, what.period, what.edition, EMBEDDABLE)).frozen.report;
      } else if (what.kind === 'map') {
        const latest = (await latestEditions(store))[0];
        if (!latest) throw nothing();
        report = latest;
      } else {
        countyOf(what.fips);
        const found = await countyCardEdition(store, what.fips);
        if (!found) throw nothing();
        report = found;
      }
      const size = embedSize(what.kind, maxwidth, maxheight);
      const [path, title] =
        what.kind === 'map'
          ? [mapEmbedPath(report), mapEmbedTitle(report)]
          : [countyEmbedPath(what.fips, report), countyEmbedTitle(what.fips, report)];
      c.header('Cross-Origin-Resource-Policy', 'cross-origin');
      c.header('Cache-Control', pinned ? 'public, max-age=86400' : 'public, max-age=300');
      return c.json(
        {
          version: '1.0' as const,
          type: 'rich' as const,
          title,
          html: iframeSnippet(absolute(base(), path), title, size),
          width: size.width,
          height: size.height,
          provider_name: PUBLISHER,
          provider_url: base(),
          author_name: PUBLISHER,
          author_url: base(),
          cache_age: pinned ? 86400 : 300,
        },
        200,
      );
    },
  );
}
