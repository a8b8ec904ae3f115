/** The JSON API (SPEC §6), described by OpenAPI 3.1 generated from the route definitions. */
import { createHash } from 'node:crypto';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { contentType, FORMATS, type FormatSpec, formatOf, type ReportFormat } from '../render/formats.js';
import { listEditions, publisherKey } from '../report/editions.js';
import { REPORT_SCHEMA, ReportSchema } from '../report/model.js';
import type { Period } from '../report/period.js';
import type { Store } from '../store/store.js';
import { mayReadDrafts } from './auth.js';
import { HttpError } from './errors.js';
import type { RenderQueue, WarmBrowser } from './render-queue.js';
import { cacheControlOf, countyNamed, periodOf, resolveReport, splitExtension } from './reports.js';
import {
  CountySchema,
  EditionQuery,
  EditionSummarySchema,
  ErrorSchema,
  FipsParams,
  QuarterParams,
  RangeParams,
  WeekParams,
} from './schemas.js';

const errors = {
  400: {
    content: { 'application/json': { schema: ErrorSchema } },
    description: 'Bad request (e.g. a week that is not a Saturday)',
  },
  401: {
    content: { 'application/json': { schema: ErrorSchema } },
    description:
      'Once the store has accounts: current data (a draft) asked for without a signed-in user or an API token; or a bearer token that is not valid',
  },
  404: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Not found' },
  503: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Store unavailable' },
};

/** Every format's media type, from the registry: the report JSON by its schema, the rest as text or binary. */
const reportContent = Object.fromEntries(
  FORMATS.map((f) => [
    f.mediaType,
    {
      schema: f.id === 'json' ? ReportSchema : f.text ? z.string() : z.string().openapi({ format: 'binary' }),
    },
  ]),
);

const reportResponses = {
  200: {
    description: `The report JSON (schema ${REPORT_SCHEMA}), byte-identical to the CLI; or, with an extension, a download (${FORMATS.filter(
      (f) => f.id !== 'json',
    )
      .map((f) => `.${f.id}`)
      .join(' ')})`,
    content: reportContent,
  },
  304: { description: 'Not modified (If-None-Match matched the ETag)' },
  ...errors,
};

/** Rendered downloads of published editions never change: keep a few in memory. */
const downloads = new Map<string, string | Buffer>();
/** Renders under way, by the same key: a crowd asking for one file waits for one render. */
const rendering = new Map<string, Promise<string | Buffer>>();

/** The server's PDF and XLSX renders: one bounded queue, one warm Chromium (render-queue.ts). */
export interface Renders {
  queue: RenderQueue;
  browser: WarmBrowser;
}

/** The one file a download sends: `?section=N` picks the Nth of a format with one file per section (csv). */
function downloadFile(format: FormatSpec, section: string | undefined): string {
  return (format.files.length > 1 && section && format.files[Number(section) - 1]) || format.download;
}

async function sendReport(
  c: Context,
  store: Store,
  renders: Renders | undefined,
  period: Period,
  ext: ReportFormat | null,
  query: { edition?: string; section?: string },
) {
  const resolved = await resolveReport(store, period, query.edition, () => mayReadDrafts(c, store));
  const format = formatOf(ext ?? 'json');
  const file = downloadFile(format, query.section);
  // By entry hash: a download carries the edition's metadata and signature, not its content alone.
  const key = resolved.entrySha256 && format.cacheable ? `${resolved.entrySha256}:${file}` : '';
  let body = key ? downloads.get(key) : undefined;
  if (body === undefined) {
    const render = async () =>
      (
        await format.render(resolved.report, {
          bytes: resolved.bytes ?? undefined,
          publicKey: resolved.publicKey,
          withPage: renders ? (fn) => renders.browser.withPage(fn) : undefined,
        })
      )[file]!;
    const pending = key ? rendering.get(key) : undefined;
    if (pending) body = await pending;
    else {
      const job = format.heavy && renders ? renders.queue.run(render) : render();
      if (key) rendering.set(key, job);
      try {
        body = await job;
      } finally {
        if (key) rendering.delete(key);
      }
      if (key) {
        if (downloads.size > 200) downloads.delete(downloads.keys().next().value!);
        downloads.set(key, body);
      }
    }
  }
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
  c.header('ETag', etag);
  c.header('Cache-Control', cacheControlOf(resolved));
  c.header('Content-Type', contentType(format));
  if (!format.inline) {
    const part = format.files.length > 1 ? `-${file.replace(/\.[^.]*$/, '')}` : '';
    const name = `ddor-${period.kind}-${period.start}${resolved.report.edition ? `-edition-${resolved.report.edition.number}` : '-draft'}${part}.${format.id}`;
    c.header('Content-Disposition', `attachment; filename="${name}"`);
  }
  return c.body(typeof body === 'string' ? body : new Uint8Array(body), 200);
}

/** The report's routes: its last path parameter may end in a download extension. */
const REPORT_ROUTES = [
  {
    kind: 'week',
    path: '/api/v1/reports/week/{date}',
    summary: 'The report for a Saturday–Friday week',
    params: WeekParams,
  },
  {
    kind: 'range',
    path: '/api/v1/reports/range/{from}/{to}',
    summary: 'The report for any inclusive date range',
    params: RangeParams,
  },
  {
    kind: 'quarter',
    path: '/api/v1/reports/quarter/{quarter}',
    summary: 'The report for a federal fiscal quarter',
    params: QuarterParams,
  },
] as const;

export function registerApi(app: OpenAPIHono, store: Store, renders?: Renders): void {
  for (const { kind, path, summary, params } of REPORT_ROUTES) {
    app.openapi(
      createRoute({
        method: 'get',
        path,
        summary,
        request: { params, query: EditionQuery },
        responses: reportResponses,
      }),
      async (c) => {
        const values: string[] = Object.values(c.req.valid('param'));
        const { value, ext } = splitExtension(values.pop()!);
        const [a, b] = [...values, value];
        return sendReport(c, store, renders, periodOf(kind, a!, b), ext, c.req.valid('query'));
      },
    );
  }
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/editions',
      summary:
        'Every published edition: period, number, date, content hash, errata, and its place in the chain (entry hash, previous entry hash, signature)',
      responses: {
        200: {
          content: { 'application/json': { schema: z.array(EditionSummarySchema) } },
          description: 'Editions, newest period first',
        },
        503: errors[503],
      },
    }),
    async (c) => c.json(await listEditions(store), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/jurisdictions/{fips}',
      summary: 'A county: detainers issued and declined by week, its policies, the editions that mention it',
      request: { params: FipsParams },
      responses: {
        200: { content: { 'application/json': { schema: CountySchema } }, description: 'The county' },
        ...errors,
      },
    }),
    async (c) => c.json(await countyNamed(store, c.req.valid('param').fips), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/.well-known/ddor-publisher.pub',
      summary:
        "The publisher's Ed25519 public key (PEM) that signs editions: `ddor verify report.json --key ddor-publisher.pub`",
      responses: {
        200: {
          content: { 'application/x-pem-file': { schema: z.string() } },
          description: 'The public key of the latest signed edition, PEM (SubjectPublicKeyInfo)',
        },
        404: { ...errors[404], description: 'The store has published no signed edition' },
        503: errors[503],
      },
    }),
    async (c) => {
      const key = await publisherKey(store);
      if (!key)
        throw new HttpError(
          404,
          'not_found',
          'this store has published no signed edition',
          'Editions published without a signing key carry hashes but no signature; see /api/v1/editions.',
        );
      c.header('Content-Type', 'application/x-pem-file; charset=utf-8');
      c.header('X-Ddor-Key-Id', key.keyId);
      c.header('Cache-Control', 'public, max-age=300');
      return c.body(key.pem, 200);
    },
  );
  app.get('/api/v1/openapi.json', (c) =>
    c.json(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: 'ddor — Declined Detainer Outcome Report API',
          version: '1.0.0',
          description:
            'Reads are public. Every error has one shape: {"error": {"status", "code", "message", "hint"}}.',
        },
      }),
    ),
  );
}
