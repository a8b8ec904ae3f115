/**
 * The compare view (issue 15): /compare?a=…&b=… puts two periods side by side. Each is its latest
 * published edition, else the current data (as a report page; drafts need a session once the store
 * has accounts). Registered on the app with one call, `registerCompare(app, store)`.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  acceptedDate,
  type Period,
  periodPath,
  previousPeriod,
  saturdayOnOrBefore,
  weekPeriod,
} from '../report/period.js';
import type { Store } from '../store/store.js';
import { mayReadDrafts } from './auth.js';
import { HttpError } from './errors.js';
import { ComparePage } from './pages/compare.js';
import { html } from './pages/layout.js';
import { latestPeriod, periodOf, resolveReport } from './reports.js';

/** `2017-02-01` (the week containing it), `week/2017-01-28`, `quarter/FY2018Q2` or `range/FROM/TO`. */
export function comparedPeriod(text: string, which: string): Period {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return weekPeriod(saturdayOnOrBefore(acceptedDate(t, which)));
  const m = /^(week|quarter|range)\/([^/]+)(?:\/([^/]+))?$/.exec(t);
  if (!m) {
    throw new HttpError(
      400,
      'bad_request',
      `${which} is not a period`,
      'Write a date (the week containing it), week/2017-01-28, quarter/FY2017Q2 or range/2017-01-01/2017-03-31.',
    );
  }
  return periodOf(m[1]!, m[2]!, m[3]);
}

export function registerCompare(app: OpenAPIHono, store: Store): void {
  app.get('/compare', async (c) => {
    const q = c.req.query();
    const latest = q.b ? comparedPeriod(q.b, 'b') : await latestPeriod(store);
    if (!latest)
      throw new HttpError(
        404,
        'not_found',
        'the store holds no detainers yet',
        'Load data first (ddor demo).',
      );
    const b = latest;
    const a = q.a ? comparedPeriod(q.a, 'a') : (previousPeriod(b) ?? b);
    const drafts = () => mayReadDrafts(c, store);
    const [ra, rb] = await Promise.all([
      resolveReport(store, a, undefined, drafts),
      resolveReport(store, b, undefined, drafts),
    ]);
    return c.html(
      html(
        <ComparePage a={ra.report} b={rb.report} aText={q.a ?? periodPath(a)} bText={q.b ?? periodPath(b)} />,
      ),
    );
  });
}
