/**
 * The web app and API on one Hono app: server-rendered pages (Preact), the JSON
 * API (SPEC §6, OpenAPI 3.1), one error shape, CORS for reads. Built around a
 * Store, testable with app.request() without opening a socket.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { etag, RETAINED_304_HEADERS } from 'hono/etag';
import { EARLIEST_DATE } from '../domain/dates.js';
import { facilityQueue } from '../ingest/facilities.js';
import { packageRoot } from '../paths.js';
import { weeklyDraftFigures } from '../report/build.js';
import { listDisputes } from '../report/disputes.js';
import { allEditions, listEditions } from '../report/editions.js';
import type { EditionChanges } from '../report/model.js';
import {
  acceptedDate,
  addDays,
  lastWeekEndingBy,
  type Period,
  periodPath,
  rangePeriod,
  saturdayOnOrBefore,
  weekPeriod,
} from '../report/period.js';
import { aorShown, enactedAsShown, jurisdictionName, newestEnactmentFirst } from '../report/policies.js';
import { countySources, policiesWhere } from '../report/queries.js';
import { weeklySeries } from '../report/series.js';
import type { Store } from '../store/store.js';
import { registerApi } from './api.js';
import { mayReadDrafts, registerAuth, signInNeeded } from './auth.js';
import { registerCitations } from './citations.js';
import { registerCompare } from './compare.js';
import { registerCounties } from './counties.js';
import { registerDisputes } from './disputes.js';
import { countyCardEdition, registerEmbeds } from './embeds.js';
import { errorBody, HttpError } from './errors.js';
import { registerFeeds } from './feeds.js';
import { registerMapAsset } from './map-asset.js';
import { type AppOptions, envCount, onClose } from './options.js';
import { CountySources } from './pages/county-sources.js';
import { registerDisputeTriage } from './pages/dispute-triage.js';
import { CountyDisputes, disputeFormHref } from './pages/disputes.js';
import { requestKindOf } from './pages/kind-toggle.js';
import { html } from './pages/layout.js';
import {
  CountyPage,
  EditionsPage,
  MessagePage,
  PoliciesPage,
  QualityPage,
  ReportPage,
  TrendsPage,
} from './pages/pages.js';
import { CountyEmbed, countyHeadLinks, EditionShare, editionHeadLinks } from './pages/share.js';
import { SignInNeededPage } from './pages/sign-in.js';
import { registerWorkPages } from './pages/work.js';
import { publicUrlOf, publicUrlOption, setPublicUrl } from './public-url.js';
import { RenderQueue, WarmBrowser } from './render-queue.js';
import { countyNamed, latestPeriod, periodOf, resolveReport } from './reports.js';
import { responseCache } from './response-cache.js';
import { registerSecurity } from './security.js';
import { registerWriteApi } from './write-api.js';

/** Filters are compared as text; a control character (PostgreSQL refuses NUL) is never a code or a word. */
function filterText(f: Record<string, string>, names: string[]): void {
  for (const name of names) {
    if (f[name] !== undefined && /\p{Cc}/u.test(f[name])) {
      throw new HttpError(
        400,
        'bad_request',
        `${name} contains a control character`,
        'Filters are codes and words, e.g. ?state=TX.',
      );
    }
  }
}

export function createApp(store: Store, options: AppOptions = {}): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new HttpError(
          400,
          'bad_request',
          `invalid ${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'does not match the API'}`,
          'See /api/v1/openapi.json for the accepted values.',
        );
      }
    },
  });
  setPublicUrl(app, publicUrlOption(options.publicUrl));
  registerSecurity(app);
  app.use(
    '*',
    etag({
      retainedHeaders: [
        ...RETAINED_304_HEADERS,
        'access-control-allow-origin',
        'access-control-expose-headers',
      ],
    }),
  );
  app.use('/api/*', cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['ETag'] }));
  app.use('*', responseCache(store, options.cacheBytes ?? envCount('DDOR_CACHE_MB', 256) * 1024 * 1024));
  registerAuth(app, store);

  app.onError((error, c) => {
    const body = errorBody(error);
    if (body.error.status >= 500 && body.error.code !== 'busy') console.error(error);
    if (body.error.status === 401) c.header('WWW-Authenticate', 'Bearer realm="ddor"');
    if (error instanceof HttpError) for (const [k, v] of Object.entries(error.headers)) c.header(k, v);
    if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/.well-known/') || c.req.path === '/oembed')
      return c.json(body, body.error.status as 400);
    if (body.error.status === 401) {
      const url = new URL(c.req.url);
      return c.html(
        html(
          <SignInNeededPage
            message={body.error.message}
            hint={body.error.hint}
            path={url.pathname + url.search}
          />,
        ),
        401,
      );
    }
    return c.html(
      html(<MessagePage status={body.error.status} message={body.error.message} hint={body.error.hint} />),
      body.error.status as 400,
    );
  });
  app.notFound((c) => {
    const body = {
      error: {
        status: 404,
        code: 'not_found',
        message: `no such page: ${c.req.path}`,
        hint: 'See / for the latest report, or /api/v1/openapi.json for the API.',
      },
    };
    if (c.req.path.startsWith('/api/')) return c.json(body, 404);
    return c.html(
      html(<MessagePage status={404} message={body.error.message} hint={body.error.hint} />),
      404,
    );
  });

  const renders = {
    queue: new RenderQueue(
      options.renderConcurrency ?? envCount('DDOR_RENDER_CONCURRENCY', 2),
      options.renderQueue ?? envCount('DDOR_RENDER_QUEUE', 8, 0),
    ),
    browser: new WarmBrowser(),
  };
  onClose(app, () => renders.browser.close());
  registerApi(app, store, renders);
  registerWriteApi(app, store);
  registerWorkPages(app, store);
  registerDisputes(app, store);
  registerDisputeTriage(app, store);
  registerCounties(app);
  registerCompare(app, store);
  registerFeeds(app, store);
  registerEmbeds(app, store);
  registerCitations(app, store);

  // Pages of published editions depend only on the edition and the list of editions: keep them.
  const pages = new Map<string, string>();
  const reportPage = async (c: Context, period: Period, edition: string | undefined, home = false) => {
    const kind = requestKindOf(c.req.query('kind'));
    const resolved = await resolveReport(store, period, edition, () => mayReadDrafts(c, store));
    const editions = await listEditions(store);
    const key = resolved.published
      ? `${resolved.report.edition!.content_sha256}|${resolved.report.edition!.number}|${editions.length}|${home}|${kind}`
      : '';
    const cached = key ? pages.get(key) : undefined;
    if (cached) return cached;
    const base = publicUrlOf(app);
    const page = html(
      <ReportPage
        report={resolved.report}
        editions={editions}
        draft={!resolved.published}
        home={home}
        kind={kind}
        share={resolved.published ? <EditionShare report={resolved.report} base={base} /> : null}
        headLinks={resolved.published ? editionHeadLinks(resolved.report, base) : []}
      />,
    );
    if (key) {
      if (pages.size > 50) pages.delete(pages.keys().next().value!);
      pages.set(key, page);
    }
    return page;
  };

  app.get('/', async (c) => {
    const period = await latestPeriod(store);
    if (!period) {
      return c.html(
        html(
          <MessagePage
            status={404}
            message="The store holds no detainers yet."
            hint="Load the demo data with `ddor demo`, or import records with `ddor import detainers FILE`."
          />,
        ),
        404,
      );
    }
    return c.html(await reportPage(c, period, undefined, true));
  });
  app.get('/reports', (c) => {
    const { week, from, to } = c.req.query();
    // Redirect only to a period that parsed: nothing of the query reaches the Location header raw.
    if (week)
      return c.redirect(`/reports/${periodPath(weekPeriod(saturdayOnOrBefore(acceptedDate(week, 'week'))))}`);
    if (from && to) return c.redirect(`/reports/${periodPath(rangePeriod(from, to))}`);
    throw new HttpError(400, 'bad_request', 'no period given', 'Choose a week, or both ends of a range.');
  });
  app.get('/reports/week/:date', async (c) =>
    c.html(await reportPage(c, periodOf('week', c.req.param('date')), c.req.query('edition'))),
  );
  app.get('/reports/range/:from/:to', async (c) =>
    c.html(
      await reportPage(c, periodOf('range', c.req.param('from'), c.req.param('to')), c.req.query('edition')),
    ),
  );
  app.get('/reports/quarter/:q', async (c) =>
    c.html(await reportPage(c, periodOf('quarter', c.req.param('q')), c.req.query('edition'))),
  );

  app.get('/editions', async (c) => {
    const editions = await listEditions(store);
    const changes = new Map<string, EditionChanges>();
    for (const { report } of await allEditions(store)) {
      const e = report.edition!;
      if (e.changes) changes.set(`${report.period.start}/${report.period.end}/${e.number}`, e.changes);
    }
    return c.html(html(<EditionsPage editions={editions} changes={changes} />));
  });

  app.get('/counties/:fips', async (c) => {
    const profile = await countyNamed(store, c.req.param('fips'));
    const { fips } = profile.county;
    const [sources, disputes, card] = await Promise.all([
      countySources(store, fips),
      listDisputes(store, { county: fips }),
      countyCardEdition(store, fips),
    ]);
    const county = { fips, name: profile.county.name, state: profile.county.state };
    const base = publicUrlOf(app);
    return c.html(
      html(
        <CountyPage profile={profile} headLinks={countyHeadLinks(profile.county, card !== null, base)}>
          <CountySources {...sources} county={`${profile.county.name}, ${profile.county.state}`} />
          <CountyDisputes
            county={county}
            disputes={disputes}
            reportHref={disputeFormHref({ county: fips })}
          />
          <CountyEmbed fips={fips} report={card} base={base} />
        </CountyPage>,
      ),
    );
  });

  app.get('/policies', async (c) => {
    const f = c.req.query();
    filterText(f, ['state', 'level', 'type', 'restricts']);
    if (f.in_force) acceptedDate(f.in_force, 'in_force');
    const found = await policiesWhere(store, {
      state: f.state,
      level: f.level,
      type: f.type,
      restricts: f.restricts,
      inForce: f.in_force ? { start: f.in_force, end: f.in_force } : undefined,
    });
    // As Section III: newest enactment first, then jurisdiction as a reader files it (SPEC §2.10).
    const policies = newestEnactmentFirst(found).map((p) => ({
      ...p,
      jurisdiction: jurisdictionName(p),
      enacted_date: enactedAsShown(p),
      aor: aorShown(p.aor),
    }));
    return c.html(html(<PoliciesPage policies={policies} filter={f} />));
  });

  app.get('/trends', async (c) => {
    filterText(c.req.query(), ['state']);
    const state = c.req.query('state') || null;
    const weeks = await weeklySeries(store, state ? { state } : {});
    return c.html(html(<TrendsPage weeks={weeks} state={state} />));
  });

  app.get('/quality', async (c) => {
    // The queue, quarantined rows and recent weeks' draft figures are the office's work, not published.
    if (!(await mayReadDrafts(c, store))) throw signInNeeded('The data quality page');
    const queue = await facilityQueue(store);
    const quarantine = await store.db
      .selectFrom('quarantine')
      .select(['import_id', 'file_name', 'line', 'column_name', 'reason'])
      .orderBy('import_id', 'desc')
      .orderBy('line')
      .limit(200)
      .execute();
    const latest = await latestPeriod(store);
    // The eight weeks up to the latest period's end (whatever its kind), none before the accepted range.
    const weeks = latest
      ? [7, 6, 5, 4, 3, 2, 1, 0]
          .map((i) => lastWeekEndingBy(addDays(latest.end, -7 * i)))
          .filter((week) => week.start >= EARLIEST_DATE)
      : [];
    const figures = await weeklyDraftFigures(store, weeks);
    return c.html(html(<QualityPage data={{ queue, quarantine, figures }} />));
  });

  registerMapAsset(app, store);

  const island = join(packageRoot(), 'dist', 'web', 'map.js');
  app.get('/assets/map.js', (c) => {
    if (!existsSync(island))
      throw new HttpError(404, 'not_found', 'the map script is not built', 'Run `npm run build`.');
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(readFileSync(island, 'utf8'));
  });

  return app;
}
