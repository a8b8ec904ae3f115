/**
 * Finding a county (issue 15): the /counties page (search and index by state), its API
 * (/api/v1/jurisdictions?q=…, in the OpenAPI document) and the scripts every page loads.
 * Registered on the app with one call, `registerCounties(app)`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { STATES } from '../domain/states.js';
import { searchCounties } from '../geo/county-search.js';
import { packageRoot } from '../paths.js';
import { HttpError } from './errors.js';
import { CountiesPage } from './pages/counties.js';
import { html } from './pages/layout.js';
import { ErrorSchema } from './schemas.js';

const STATE_CODES = STATES.map((s) => s.code) as [string, ...string[]];

export const CountySearchQuery = z.object({
  q: z
    .string()
    .max(100)
    .regex(/^[^\p{Cc}]*$/u, 'no control characters')
    .optional()
    .openapi({
      example: 'St Louis',
      description:
        'A county name or FIPS code (or its first digits). Accents, letter case, punctuation and spaces do not count; "St" reads as "Saint"; a trailing state ("Franklin, OH") narrows the list.',
    }),
  state: z.enum(STATE_CODES).optional().openapi({ description: 'USPS code: only that state’s counties.' }),
  limit: z
    .string()
    .regex(/^[1-9]\d{0,2}$/)
    .optional()
    .openapi({ description: 'At most this many counties (1–100, default 20).' }),
});

const CountyMatchSchema = z
  .object({
    fips: z.string(),
    name: z.string(),
    state: z.string(),
    state_name: z.string(),
    class: z.string(),
    valid_to: z
      .string()
      .nullable()
      .openapi({ description: 'First day it no longer exists (null: current).' }),
  })
  .openapi('CountyMatch');

export const CountySearchSchema = z
  .object({
    q: z.string(),
    state: z.string().nullable(),
    total: z.number().int().openapi({ description: 'How many counties match (the list may be shorter).' }),
    counties: z.array(CountyMatchSchema),
  })
  .openapi('CountySearch');

/** Checks what the page is given as the API's schema does (the page has no zod hook of its own). */
function pageQuery(query: Record<string, string>): { q: string; state: string | null } {
  const parsed = CountySearchQuery.safeParse(query);
  if (!parsed.success) {
    throw new HttpError(
      400,
      'bad_request',
      `invalid ${parsed.error.issues[0]?.path.join('.') || 'query'}`,
      'Type a county name or a FIPS code (up to 100 characters), and pick a state by its code, e.g. ?state=TX.',
    );
  }
  return { q: (parsed.data.q ?? '').trim(), state: parsed.data.state ?? null };
}

export function registerCounties(app: OpenAPIHono): void {
  app.get('/counties', (c) => {
    const { q, state } = pageQuery(c.req.query());
    const counties = q || state ? searchCounties(q, state ?? undefined) : [];
    return c.html(html(<CountiesPage q={q} state={state} counties={counties} />));
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/jurisdictions',
      summary: 'Find counties by name or FIPS code (what the search field on every page suggests)',
      request: { query: CountySearchQuery },
      responses: {
        200: {
          content: { 'application/json': { schema: CountySearchSchema } },
          description:
            'The matching counties, best match first, then by name as it files, then by state name',
        },
        400: {
          content: { 'application/json': { schema: ErrorSchema } },
          description: 'Bad request (e.g. an unknown state code)',
        },
      },
    }),
    (c) => {
      const { q = '', state, limit } = c.req.valid('query');
      const found = q.trim() || state ? searchCounties(q, state) : [];
      const n = Math.min(100, Number(limit ?? 20));
      c.header('Cache-Control', 'public, max-age=3600');
      return c.json(
        { q: q.trim(), state: state ?? null, total: found.length, counties: found.slice(0, n) },
        200,
      );
    },
  );

  // The islands every page loads: the search's suggestions, and keyboard access to scrolling tables.
  app.get('/assets/:file{(search|scroll)\\.js}', (c) => {
    const island = join(packageRoot(), 'dist', 'web', c.req.param('file'));
    if (!existsSync(island))
      throw new HttpError(
        404,
        'not_found',
        `the script ${c.req.param('file')} is not built`,
        'Run `npm run build`.',
      );
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(readFileSync(island, 'utf8'));
  });
}
