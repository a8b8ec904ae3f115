/**
 * `/reports/{period path}/cite?edition=N&style=apa|chicago|bibtex|csl-json`: a published edition's
 * citation as text, for reference managers and scripts (the page shows the same in "Cite this
 * edition"). Without `?edition=` the period's latest edition is cited, by its number. A draft is
 * never citable. The permanent URL in it is absolute with the configured public base URL.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { CITATION_STYLES, citationStyle } from '../render/cite.js';
import type { Report } from '../report/model.js';
import { type Period, periodPath } from '../report/period.js';
import type { Store } from '../store/store.js';
import { HttpError } from './errors.js';
import { editionPath } from './feeds.js';
import { absolute, publicUrlOf } from './public-url.js';
import { publishedEdition } from './published.js';
import { periodOf } from './reports.js';

export const citePath = (report: Report, style: string) =>
  `/reports/${periodPath(report.period)}/cite?edition=${report.edition!.number}&style=${style}`;

const STYLES_HINT = `Ask for style=${CITATION_STYLES.map((s) => s.id).join(', ')}.`;
const CITABLE = {
  only: 'citable',
  hint: 'Only a published edition can be cited: name one with ?edition=N (see /editions).',
};

export function registerCitations(app: OpenAPIHono, store: Store): void {
  const cite = async (c: Context, period: Period) => {
    const id = c.req.query('style') ?? '';
    const style = citationStyle(id);
    if (!style)
      throw new HttpError(
        400,
        'bad_request',
        id ? `no citation style ${id}` : 'no citation style given',
        STYLES_HINT,
      );
    const { frozen, latest } = await publishedEdition(store, period, c.req.query('edition'), CITABLE);
    const body = style.render(frozen.report, absolute(publicUrlOf(app), editionPath(frozen.report)));
    c.header('Content-Type', `${style.mediaType}; charset=utf-8`);
    c.header('Cache-Control', latest ? 'public, max-age=60' : 'public, max-age=86400');
    // Reference managers and scripts read it from anywhere.
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    return c.body(body);
  };
  app.get('/reports/week/:date/cite', (c) => cite(c, periodOf('week', c.req.param('date'))));
  app.get('/reports/range/:from/:to/cite', (c) =>
    cite(c, periodOf('range', c.req.param('from'), c.req.param('to'))),
  );
  app.get('/reports/quarter/:q/cite', (c) => cite(c, periodOf('quarter', c.req.param('q'))));
}
