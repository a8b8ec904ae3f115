/**
 * Disputes on the web and in the API (issue 13): the public form and records, the list
 * (`/disputes`, `/api/v1/disputes`), and the office's status changes. A report is filed
 * as the public's whoever sends it, so it needs no account and no CSRF token; each remote
 * address may file DISPUTE_LIMIT.reports in DISPUTE_LIMIT.minutes (and make
 * DISPUTE_LIMIT.attempts, refused ones included), beyond which it is answered 429.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { InputRejectedError } from '../errors.js';
import type { AtomEntry } from '../render/atom.js';
import { PUBLISHER, REPORT_NAME } from '../render/labels.js';
import {
  CLAIM_WORDS,
  DISPUTE_CLAIMS,
  DISPUTE_FIELD_LIMITS,
  DISPUTE_STATUSES,
  type Dispute,
  type DisputeFilter,
  type DisputeInput,
  type DisputeStatus,
  disputedTarget,
  disputeNumbered,
  fileDispute,
  listDisputes,
  STATUS_WORDS,
  setDisputeStatus,
} from '../report/disputes.js';
import { CountyRefSchema, RowChangeSchema } from '../report/model.js';
import { periodLabel } from '../report/period.js';
import { actingAs } from '../store/audit.js';
import type { Store } from '../store/store.js';
import { remoteAddress } from './auth.js';
import { HttpError } from './errors.js';
import { newestUpdated, serveFeed } from './feeds.js';
import {
  DISPUTES_FEED,
  DisputeFormPage,
  type DisputeFormValues,
  DisputePage,
  DisputesPage,
  editionHref,
} from './pages/disputes.js';
import { html } from './pages/layout.js';
import { form } from './pages/work-kit.js';
import { absolute } from './public-url.js';
import { SlidingWindowLimit } from './rate-limit.js';
import { ErrorSchema } from './schemas.js';
import { asPermitted, periodFromText } from './write-api.js';

/** Per remote address: disputes recorded, and attempts of any outcome, in a window. */
export const DISPUTE_LIMIT = { reports: 5, attempts: 20, minutes: 60 } as const;

const PeriodJson = z.object({
  start: z.string(),
  end: z.string(),
  kind: z.enum(['week', 'quarter', 'range']),
});

export const DisputeSchema = z
  .object({
    number: z.number().int(),
    status: z.enum(DISPUTE_STATUSES),
    scope: z.enum(['row', 'county']),
    claim: z.enum(DISPUTE_CLAIMS),
    county: CountyRefSchema,
    period: PeriodJson.nullable(),
    edition: z.number().int().nullable(),
    row_ref: z.string().nullable(),
    row: RowChangeSchema.nullable().openapi({ description: 'The row as the edition published it' }),
    claimed_value: z.string().nullable(),
    explanation: z.string(),
    reasoning: z
      .string()
      .nullable()
      .openapi({ description: "The office's reasoning for the current status" }),
    received_at: z.string(),
    updated_at: z.string(),
    decided_at: z.string().nullable(),
    correction: z
      .object({ period: PeriodJson, edition: z.number().int() })
      .nullable()
      .openapi({ description: 'The edition that corrected what the dispute was about' }),
    events: z.array(
      z.object({
        at: z.string(),
        status: z.enum([...DISPUTE_STATUSES, 'corrected']),
        by: z.string().openapi({ description: 'An office account, or `public` for the report itself' }),
        reason: z.string().nullable(),
      }),
    ),
  })
  .openapi('Dispute', {
    description: "A dispute's public record: never the reporter's contact.",
  });

const DisputeBody = z
  .object({
    period: z
      .string()
      .optional()
      .openapi({ description: 'The edition read: its period, e.g. `week/2017-01-28`' }),
    edition: z.number().int().positive().optional(),
    row: z.string().optional().openapi({ description: "A Section II row's `ref` in that edition" }),
    county: z.string().optional().openapi({ description: 'A county (FIPS), for a dispute about a county' }),
    claim: z.enum(DISPUTE_CLAIMS),
    claimed_value: z.string().max(DISPUTE_FIELD_LIMITS.claimed_value).optional(),
    explanation: z.string().max(DISPUTE_FIELD_LIMITS.explanation),
    contact: z.string().max(DISPUTE_FIELD_LIMITS.contact).optional().openapi({
      description: "The reporter's contact: kept apart, seen only by the office, never published",
    }),
  })
  .strict()
  .openapi('DisputeReport');

const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorSchema } },
  description,
});
const DisputeQuery = z.object({
  county: z
    .string()
    .regex(/^\d{5}$/)
    .optional(),
  status: z.enum(DISPUTE_STATUSES).optional(),
  period: z.string().max(40).optional().openapi({ description: 'e.g. `week/2017-01-28`' }),
  edition: z
    .string()
    .regex(/^[1-9]\d{0,5}$/)
    .optional(),
});
const NumberParam = z.object({
  n: z
    .string()
    .regex(/^[1-9]\d{0,9}$/)
    .openapi({ example: '1' }),
});

function filterOf(q: Record<string, string | undefined>): DisputeFilter {
  return {
    county: q.county || undefined,
    status: (q.status || undefined) as DisputeStatus | undefined,
    period: q.period ? periodFromText(q.period) : undefined,
    edition: q.edition ? Number(q.edition) : undefined,
  };
}

/** The target fields of a form or body as `fileDispute` takes them. */
function targetOf(f: { period?: string; edition?: string | number; row?: string; county?: string }) {
  return {
    period: f.period ? periodFromText(f.period) : undefined,
    edition: f.edition === undefined || f.edition === '' ? undefined : Number(f.edition),
    row: f.row || undefined,
    county: f.county || undefined,
  };
}

export function registerDisputes(app: OpenAPIHono, store: Store): void {
  const recorded = new SlidingWindowLimit(DISPUTE_LIMIT.reports, DISPUTE_LIMIT.minutes * 60_000);
  const attempts = new SlidingWindowLimit(DISPUTE_LIMIT.attempts, DISPUTE_LIMIT.minutes * 60_000);

  /** Counts an attempt; refuses it (429) when the address is at either limit. */
  const admit = (c: Context): string => {
    const address = remoteAddress(c);
    const wait = Math.max(recorded.retryAfter(address), attempts.retryAfter(address));
    if (wait > 0) {
      throw new HttpError(
        429,
        'too_many_requests',
        `too many reports from this address (at most ${DISPUTE_LIMIT.reports} disputes and ${DISPUTE_LIMIT.attempts} attempts in ${DISPUTE_LIMIT.minutes} minutes)`,
        `Try again in ${Math.ceil(wait / 60)} minutes. Several rows of one edition can go in one report's explanation.`,
        { 'Retry-After': String(wait) },
      );
    }
    attempts.add(address);
    return address;
  };

  /** Files a dispute as the public's, whoever is signed in. */
  const file = async (c: Context, input: DisputeInput): Promise<Dispute> => {
    const address = admit(c);
    const d = await fileDispute(
      actingAs(store, { name: 'public', via: c.req.path.startsWith('/api/') ? 'api' : 'web', from: address }),
      input,
    );
    recorded.add(address);
    return d;
  };

  // A status change from nobody is answered 401 before its body is looked at, as every write.
  app.use('/api/v1/disputes/:n/status', async (c, next) => {
    if (c.req.method === 'POST' && !c.get('user'))
      await asPermitted(c, store, 'dispute.triage', 'Deciding a dispute');
    await next();
  });

  // ---- the public's pages ----
  app.get('/disputes', async (c) => {
    const q = c.req.query();
    const filter = filterOf({
      county: /^\d{5}$/.test(q.county ?? '') ? q.county : undefined,
      status: q.status,
    });
    if (filter.status && !(DISPUTE_STATUSES as readonly string[]).includes(filter.status))
      filter.status = undefined;
    return c.html(html(<DisputesPage disputes={await listDisputes(store, filter)} filter={q} />));
  });

  app.get('/disputes/new', async (c) => {
    const q = c.req.query();
    const input = targetOf(q);
    const target = await disputedTarget(store, input);
    return c.html(
      html(
        <DisputeFormPage
          period={input.period ?? null}
          edition={input.edition ?? null}
          row={target.row}
          rowRef={input.row ?? null}
          county={target.county}
        />,
      ),
    );
  });

  app.post('/disputes', async (c) => {
    c.header('Cache-Control', 'no-store');
    const f = await form(c);
    if (f.website) {
      admit(c);
      throw new HttpError(
        400,
        'bad_request',
        'the report was not recorded: the field marked "Leave this field empty" was filled in',
        'Leave that field empty and send the report again.',
      );
    }
    const target = targetOf(f);
    const values: DisputeFormValues = {
      claim: f.claim,
      claimed_value: f.claimed_value,
      explanation: f.explanation,
      contact: f.contact,
    };
    try {
      const d = await file(c, {
        ...target,
        claim: f.claim ?? '',
        claimed_value: f.claimed_value,
        explanation: f.explanation ?? '',
        contact: f.contact,
      });
      return c.redirect(`/disputes/${d.number}?received=1`, 303);
    } catch (error) {
      if (!(error instanceof InputRejectedError)) throw error;
      const t = await disputedTarget(store, target);
      const errors: Record<string, string> = {};
      for (const r of error.rejections) errors[r.column] ??= `${r.reason}. ${r.hint}`;
      return c.html(
        html(
          <DisputeFormPage
            period={target.period ?? null}
            edition={target.edition ?? null}
            row={t.row}
            rowRef={target.row ?? null}
            county={t.county}
            values={values}
            errors={errors}
            message="The report was not recorded: see the fields marked below. What you wrote is kept."
          />,
        ),
        422,
      );
    }
  });

  app.get('/disputes/:n{[1-9][0-9]{0,9}}', async (c) => {
    const d = await disputeNumbered(store, Number(c.req.param('n')));
    const received = c.req.query('received') === '1';
    if (received) c.header('Cache-Control', 'no-store');
    return c.html(html(<DisputePage d={d} received={received} />));
  });

  // ---- the feed of decisions ----
  serveFeed(app, DISPUTES_FEED, async (_c, base) => {
    const decided = (await listDisputes(store)).filter((d) => d.decided_at !== null);
    const entries: AtomEntry[] = decided
      .map((d) => {
        const page = absolute(base, `/disputes/${d.number}`);
        const about = `${d.county.name}, ${d.county.state}${d.row ? ` — ${d.row.facility}` : ''}`;
        const corrected = d.correction
          ? ` Corrected in edition ${d.correction.edition} of ${periodLabel(d.correction.period)}: ${absolute(base, editionHref(d.correction.period, d.correction.edition))}`
          : '';
        return {
          id: page,
          title: `Dispute No. ${d.number} ${STATUS_WORDS[d.status].toLowerCase()}: ${about}`,
          updated: d.correction ? d.updated_at : d.decided_at!,
          published: d.received_at,
          alternateUrl: page,
          summary: `${CLAIM_WORDS[d.claim]}${d.period && d.edition ? ` (edition ${d.edition} of ${periodLabel(d.period)})` : ''}. The office's reasoning: ${d.reasoning ?? ''}${corrected}`,
          categories: [{ term: d.status, label: STATUS_WORDS[d.status] }],
        };
      })
      .sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0));
    return {
      id: absolute(base, DISPUTES_FEED),
      title: `${REPORT_NAME}: decisions on disputes`,
      subtitle:
        'Each dispute the office upheld, partly upheld or rejected, with its reasoning and correction.',
      updated: newestUpdated(entries),
      selfUrl: absolute(base, DISPUTES_FEED),
      alternateUrl: absolute(base, '/disputes'),
      author: { name: PUBLISHER, uri: base },
      entries,
    };
  });

  // ---- the API ----
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/disputes',
      summary: 'Disputes received, newest first: their public records (filter by county, status, edition)',
      request: { query: DisputeQuery },
      responses: {
        200: { content: { 'application/json': { schema: z.array(DisputeSchema) } }, description: 'Disputes' },
        400: err('A filter that does not fit'),
        503: err('Store unavailable'),
      },
    }),
    async (c) => c.json(await listDisputes(store, filterOf(c.req.valid('query'))), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/disputes/{n}',
      summary: "One dispute's public record: status, the office's reasoning, dates, the correction",
      request: { params: NumberParam },
      responses: {
        200: { content: { 'application/json': { schema: DisputeSchema } }, description: 'The dispute' },
        404: err('No such dispute'),
        503: err('Store unavailable'),
      },
    }),
    async (c) => c.json(await disputeNumbered(store, Number(c.req.valid('param').n)), 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/disputes',
      summary: `Report an error in an edition (no account needed; ${DISPUTE_LIMIT.reports} per address in ${DISPUTE_LIMIT.minutes} minutes): answered 201 with the public record`,
      request: { body: { content: { 'application/json': { schema: DisputeBody } }, required: true } },
      responses: {
        201: {
          content: { 'application/json': { schema: DisputeSchema } },
          description: 'The dispute, received',
        },
        400: err('A field that does not fit'),
        404: err('No such edition or row'),
        422: err('Refused: a field is empty, too long, or holds what looks like a personal identifier'),
        429: err('Too many reports from this address: see Retry-After'),
        503: err('Store unavailable'),
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const d = await file(c, { ...b, ...targetOf(b) });
      c.header('Location', `/api/v1/disputes/${d.number}`);
      return c.json(d, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/disputes/{n}/status',
      summary: "Give a dispute a status with the office's reasoning (published; analyst role or above)",
      request: {
        params: NumberParam,
        body: {
          content: {
            'application/json': {
              schema: z.object({ status: z.enum(DISPUTE_STATUSES), reason: z.string().min(1).max(4000) }),
            },
          },
          required: true,
        },
      },
      responses: {
        200: { content: { 'application/json': { schema: DisputeSchema } }, description: 'The dispute' },
        400: err('A field that does not fit'),
        401: err('No signed-in user and no valid API token'),
        403: err("The user's role does not allow this"),
        404: err('No such dispute'),
        409: err('The dispute is already so, was changed meanwhile, or was answered by a correction'),
        503: err('Store unavailable'),
      },
    }),
    async (c) => {
      const writer = await asPermitted(c, store, 'dispute.triage', 'Deciding a dispute');
      const { status, reason } = c.req.valid('json');
      return c.json(await setDisputeStatus(writer, Number(c.req.valid('param').n), status, reason), 200);
    },
  );
}
