/**
 * The county map of a report page as its own resource, `/maps/week/2017-01-28.svg?edition=N`
 * (and `range/FROM/TO.svg`, `quarter/FY2018Q2.svg`; `?edition=draft` for the current data;
 * `?kind=hold|notification|unknown` for one request kind):
 * the map with its counties linked to their county pages, which a report page shows in an
 * <object> (so the links work without JavaScript) and the map island draws into the page.
 * Kept like any response (response-cache.ts), so each edition's map is drawn once.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { reportOfKind } from '../report/kinds.js';
import type { Period } from '../report/period.js';
import type { Store } from '../store/store.js';
import { mayReadDrafts } from './auth.js';
import { HttpError } from './errors.js';
import { requestKindOf } from './pages/kind-toggle.js';
import { cacheControlOf, periodOf, resolveReport } from './reports.js';
import { mayBeFramedBy } from './security.js';

/** "2017-01-28.svg" → "2017-01-28"; any other name is no map. */
function svgName(file: string): string {
  const m = /^(.+)\.svg$/.exec(file);
  if (!m)
    throw new HttpError(404, 'not_found', `no map ${file}`, 'Maps are named like /maps/week/2017-01-28.svg.');
  return m[1]!;
}

export function registerMapAsset(app: OpenAPIHono, store: Store): void {
  const send = async (c: Context, period: Period) => {
    const resolved = await resolveReport(store, period, c.req.query('edition'), () =>
      mayReadDrafts(c, store),
    );
    const { renderMapSvg } = await import('../render/map.js');
    // `?kind=`: the map of one request kind, as the report page's kind toggle shows it.
    const kind = requestKindOf(c.req.query('kind'));
    const svg = renderMapSvg(kind ? reportOfKind(resolved.report, kind) : resolved.report, {
      countyHref: (fips) => `/counties/${fips}`,
      linkTarget: '_top',
    });
    c.header('Content-Type', 'image/svg+xml; charset=utf-8');
    c.header('Cache-Control', cacheControlOf(resolved));
    // The report page shows it in an <object>: this site may frame it, no other.
    mayBeFramedBy(c, ["'self'"]);
    return c.body(svg);
  };
  app.get('/maps/week/:file', (c) => send(c, periodOf('week', svgName(c.req.param('file')))));
  app.get('/maps/range/:from/:file', (c) =>
    send(c, periodOf('range', c.req.param('from'), svgName(c.req.param('file')))),
  );
  app.get('/maps/quarter/:file', (c) => send(c, periodOf('quarter', svgName(c.req.param('file')))));
}
