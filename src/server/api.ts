/** The JSON API (SPEC §6), described by OpenAPI 3.1 generated from the route definitions. */
import { createHash } from 'node:crypto';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { renderFormats } from '../render/files.js';
import { listEditions } from '../report/editions.js';
import type { Period } from '../report/period.js';
import { countyProfile } from '../report/series.js';
import type { Store } from '../store/store.js';
import { HttpError } from './errors.js';
import { type Download, jsonBytes, periodOf, resolveReport, splitExtension } from './reports.js';
import {
  CountySchema,
  EditionQuery,
  EditionSummarySchema,
  ErrorSchema,
  FipsParams,
  QuarterParams,
  RangeParams,
  ReportSchema,
  WeekParams,
} from './schemas.js';

const errors = {
  400: {
    content: { 'application/json': { schema: ErrorSchema } },
    description: 'Bad request (e.g. a week that is not a Saturday)',
  },
  404: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Not found' },
  503: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Store unavailable' },
};

const reportResponses = {
  200: {
    description:
      'The report JSON (schema ddor.report/v1), byte-identical to the CLI; or, with an extension, a download (.csv .xlsx .pdf .md .html .svg)',
    content: {
      'application/json': { schema: ReportSchema },
      'text/csv': { schema: z.string() },
      'application/pdf': { schema: z.string().openapi({ format: 'binary' }) },
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
        schema: z.string().openapi({ format: 'binary' }),
      },
      'text/markdown': { schema: z.string() },
      'text/html': { schema: z.string() },
      'image/svg+xml': { schema: z.string() },
    },
  },
  304: { description: 'Not modified (If-None-Match matched the ETag)' },
  ...errors,
};

const CONTENT_TYPES: Record<Download, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
};

/** Rendered downloads of published editions never change: keep a few in memory. */
const downloads = new Map<string, string | Buffer>();

async function sendReport(
  c: Context,
  store: Store,
  period: Period,
  ext: Download | null,
  query: { edition?: string; section?: string },
) {
  const resolved = await resolveReport(store, period, query.edition);
  const format: Download = ext ?? 'json';
  let body: string | Buffer;
  if (format === 'json') body = jsonBytes(resolved);
  else {
    const key = resolved.published
      ? `${resolved.report.edition!.content_sha256}:${format}:${query.section ?? ''}`
      : '';
    const cached = key ? downloads.get(key) : undefined;
    if (cached) body = cached;
    else {
      const files = await renderFormats(resolved.report, [format === 'csv' ? 'csv' : format]);
      body = format === 'csv' ? files[`section${query.section ?? '2'}.csv`]! : Object.values(files)[0]!;
      if (key) {
        if (downloads.size > 200) downloads.delete(downloads.keys().next().value!);
        downloads.set(key, body);
      }
    }
  }
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
  c.header('ETag', etag);
  c.header(
    'Cache-Control',
    resolved.pinned
      ? 'public, max-age=31536000, immutable'
      : resolved.published
        ? 'public, max-age=60'
        : 'no-cache',
  );
  c.header('Content-Type', CONTENT_TYPES[format]);
  if (format !== 'json' && format !== 'html' && format !== 'svg') {
    const name = `ddor-${period.kind}-${period.start}${resolved.report.edition ? `-edition-${resolved.report.edition.number}` : '-draft'}${format === 'csv' ? `-section${query.section ?? '2'}` : ''}.${format}`;
    c.header('Content-Disposition', `attachment; filename="${name}"`);
  }
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
  return c.body(typeof body === 'string' ? body : new Uint8Array(body), 200);
}

export function registerApi(app: OpenAPIHono, store: Store): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reports/week/{date}',
      summary: 'The report for a Saturday–Friday week',
      request: { params: WeekParams, query: EditionQuery },
      responses: reportResponses,
    }),
    async (c) => {
      const { value, ext } = splitExtension(c.req.valid('param').date);
      return sendReport(c, store, periodOf('week', value), ext, c.req.valid('query')) as never;
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reports/range/{from}/{to}',
      summary: 'The report for any inclusive date range',
      request: { params: RangeParams, query: EditionQuery },
      responses: reportResponses,
    }),
    async (c) => {
      const { from, to } = c.req.valid('param');
      const { value, ext } = splitExtension(to);
      return sendReport(c, store, periodOf('range', from, value), ext, c.req.valid('query')) as never;
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reports/quarter/{quarter}',
      summary: 'The report for a federal fiscal quarter',
      request: { params: QuarterParams, query: EditionQuery },
      responses: reportResponses,
    }),
    async (c) => {
      const { value, ext } = splitExtension(c.req.valid('param').quarter);
      return sendReport(c, store, periodOf('quarter', value), ext, c.req.valid('query')) as never;
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/editions',
      summary: 'Every published edition: period, number, date, hash, errata',
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
    async (c) => {
      const { fips } = c.req.valid('param');
      const profile = await countyProfile(store, fips);
      if (!profile)
        throw new HttpError(
          404,
          'not_found',
          `no county has FIPS code ${fips}`,
          'Counties are keyed by 5-digit FIPS codes, e.g. 48453.',
        );
      return c.json(profile, 200);
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
