/**
 * The write API (issue 11): imports, facility resolution, one detainer's outcome,
 * proposals and their review, users, tokens and settings, and the office's reads
 * (jobs, the queue, proposals, the audit trail). Every operation names the one
 * permission it needs (domain/roles.ts) and writes as the signed-in user or the
 * token's owner, so its audit row names them, with `via` web or api and the
 * remote address. No credentials: 401; a role without the permission: 403.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  addUser,
  createToken,
  disableUser,
  hasAccounts,
  listTokens,
  listUsers,
  revokeToken,
} from '../auth/accounts.js';
import { isRole, may, type Permission, ROLES } from '../domain/roles.js';
import { OUTCOME_SOURCES, OUTCOMES } from '../domain/vocab.js';
import { facilityQueue, resolveFacility } from '../ingest/facilities.js';
import { DETAINER_FORMATS } from '../ingest/formats.js';
import { createJob, type ImportJob, jobNamed, jobRejectsCsv, recentJobs, runJob } from '../ingest/jobs.js';
import { type DetainerRecord, detainerRecord, OUTCOME_FIELDS, recordOutcome } from '../ingest/outcome.js';
import { periodPath } from '../report/period.js';
import {
  approve,
  listProposals,
  type Proposal,
  proposalNumbered,
  propose,
  reject,
  reviewOf,
  setTwoPersonRule,
  twoPersonRule,
} from '../report/review.js';
import { actingAs, listAudit } from '../store/audit.js';
import type { Store } from '../store/store.js';
import { remoteAddress } from './auth.js';
import { HttpError } from './errors.js';
import { periodOf } from './reports.js';
import { ErrorSchema, RejectionSchema } from './schemas.js';
import { rawUpload, type Upload } from './uploads.js';

/** The lowest role that holds a permission, for the 403's hint. */
const roleFor = (p: Permission) => ROLES.find((r) => may(r, p)) ?? 'admin';

async function unauthenticated(store: Store, what: string): Promise<HttpError> {
  return new HttpError(
    401,
    'unauthorized',
    `${what} needs a signed-in user or an API token`,
    (await hasAccounts(store))
      ? 'Sign in at /sign-in, or send Authorization: Bearer <token> (an admin creates tokens with `ddor token create NAME`).'
      : 'The store has no accounts yet: create the first admin on the machine that holds the store with `ddor user add NAME --role admin`.',
  );
}

/**
 * The store as the requester writes to it, once they may: 401 without
 * credentials, 403 without the permission.
 */
export async function asPermitted(
  c: Context,
  store: Store,
  permission: Permission,
  what: string,
): Promise<Store> {
  const user = c.get('user');
  if (!user) throw await unauthenticated(store, what);
  if (!may(user.role, permission)) {
    throw new HttpError(
      403,
      'forbidden',
      `${what} is not allowed to ${user.name} (${user.role})`,
      `This needs the ${roleFor(permission)} role or above; an admin can give it.`,
    );
  }
  return actingAs(store, { name: user.name, via: user.via, from: remoteAddress(c) });
}

const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorSchema } },
  description,
});
const ERRORS = {
  400: err('Bad request: a parameter or field that does not fit'),
  401: err('No signed-in user and no valid API token'),
  403: err("The user's role does not allow this"),
  404: err('Not found'),
  409: err('Conflict: the state does not allow it (e.g. the proposer approving their own proposal)'),
  503: err('Store unavailable'),
};
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

const JobSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['detainers', 'policies']),
    format: z.string(),
    file: z.string(),
    bytes: z.number().int(),
    user: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    phase: z.string().openapi({ description: 'queued, reading, validating, writing, done' }),
    rows_read: z.number().int(),
    created_at: z.string(),
    finished_at: z.string().nullable(),
    summary: z.record(z.string(), z.unknown()).nullable().openapi({
      description:
        'When done: the counts as `ddor import` prints them (rows, inserted, updated, unchanged, quarantined, …)',
    }),
    error: z
      .object({
        message: z.string(),
        hint: z.string().nullable(),
        rejections: z.array(RejectionSchema),
        total_rejected: z.number().int(),
      })
      .nullable(),
    has_rejects: z.boolean(),
    links: z.object({ self: z.string(), rejects_csv: z.string().nullable() }),
  })
  .openapi('ImportJob');

const jobJson = (job: ImportJob) => ({
  ...job,
  summary: job.summary as Record<string, unknown> | null,
  links: {
    self: `/api/v1/imports/${job.id}`,
    rejects_csv: job.has_rejects ? `/api/v1/imports/${job.id}/rejects.csv` : null,
  },
});

const ImportQuery = z.object({
  kind: z.enum(['detainers', 'policies']).openapi({ description: 'What the file holds' }),
  file: z
    .string()
    .max(200)
    .regex(/^[^\p{Cc}]*$/u)
    .optional()
    .openapi({
      description: "The file's name (its extension helps detect the format)",
      example: 'detainers.csv',
    }),
  format: z
    .enum(DETAINER_FORMATS)
    .optional()
    .openapi({ description: 'As `ddor import --format` (default auto)' }),
  accept_partial: z.enum(['true', 'false']).optional().openapi({ description: 'As --accept-partial' }),
  ignore_extra: z.enum(['true', 'false']).optional().openapi({ description: 'As --ignore-extra' }),
  redact_identifiers: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'As --redact-identifiers' }),
});

/** Starts an import job for an upload on disk; the job runs after the answer. */
export async function startImportJob(
  writer: Store,
  upload: Upload,
  options: {
    kind: 'detainers' | 'policies';
    format: string;
    acceptPartial: boolean;
    ignoreExtra: boolean;
    redactIdentifiers: boolean;
  },
): Promise<ImportJob> {
  const id = await createJob(writer, {
    kind: options.kind,
    format: options.format,
    file: upload.name,
    bytes: upload.bytes,
    user: writer.actor.name,
  });
  void runJob(writer, id, upload.path, options).finally(() => upload.discard());
  return jobNamed(writer, id);
}

const RecordSchema = z
  .object({
    id: z.string(),
    version: z.string().openapi({ description: 'The import that last changed it; send it back as If-Match' }),
    issued_date: z.string(),
    form: z.string().nullable(),
    agency: z.string(),
    county_fips: z.string().nullable(),
    state: z.string(),
    citizenship: z.string().nullable(),
    outcome: z.string(),
    declined_date: z.string().nullable(),
    recorded_date: z.string().nullable(),
    released_by_agency: z.string().nullable(),
    released_by_city: z.string().nullable(),
    released_by_county_fips: z.string().nullable(),
    released_by_state: z.string().nullable(),
    source: z.string().nullable(),
    facility_key: z.string().nullable(),
  })
  .openapi('DetainerRecord');

const recordJson = (r: DetainerRecord) => ({
  id: r.detainer_id,
  version: r.version,
  issued_date: r.issued_date,
  form: r.form,
  agency: r.agency,
  county_fips: r.county_fips,
  state: r.state,
  citizenship: r.citizenship,
  outcome: r.outcome,
  declined_date: r.declined_date,
  recorded_date: r.recorded_date,
  released_by_agency: r.released_by_agency,
  released_by_city: r.released_by_city,
  released_by_county_fips: r.released_by_county_fips,
  released_by_state: r.released_by_state,
  source: r.source,
  facility_key: r.facility_key,
});

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const OutcomeBody = z
  .object({
    outcome: z.enum(OUTCOMES),
    declined_date: date.nullable().optional(),
    recorded_date: date.nullable().optional(),
    released_by_agency: z.string().max(300).nullable().optional(),
    released_by_city: z.string().max(300).nullable().optional(),
    released_by_county_fips: z
      .string()
      .regex(/^\d{5}$/)
      .nullable()
      .optional(),
    released_by_state: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .nullable()
      .optional(),
    source: z.enum(OUTCOME_SOURCES).nullable().optional(),
  })
  .strict()
  .openapi('OutcomeChange');

const ProposalSchema = z
  .object({
    id: z.number().int(),
    period: z.object({ kind: z.string(), start: z.string(), end: z.string() }),
    kind: z.enum(['publish', 'correct']),
    note: z.string().nullable(),
    top: z.number().int(),
    decline_basis: z.string(),
    draft_sha256: z.string(),
    base_edition: z.number().int().nullable(),
    proposed_by: z.string(),
    proposed_at: z.string(),
    status: z.enum(['proposed', 'approved', 'rejected']),
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
    reason: z.string().nullable(),
    edition: z.number().int().nullable(),
  })
  .openapi('Proposal');
const proposalJson = (p: Proposal) => p;

const PeriodText = z
  .string()
  .regex(/^(week\/\d{4}-\d{2}-\d{2}|range\/\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}|quarter\/FY\d{4}Q[1-4])$/)
  .openapi({
    example: 'week/2017-01-28',
    description: 'As in the report URLs: week/DATE, range/FROM/TO or quarter/FYyyyyQn',
  });

export const periodFromText = (text: string) => {
  const [kind, a, b] = text.split('/');
  return periodOf(kind!, a!, b);
};

const IdParam = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,9}$/)
    .openapi({ example: '1' }),
});
const JobParam = z.object({ job: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const UserParam = z.object({ name: z.string().max(64) });

export function registerWriteApi(app: OpenAPIHono, store: Store): void {
  // A write from nobody is answered 401 before its body is looked at (a stranger learns nothing of the API's rules).
  // Only on the write API's own paths: a wrong method on a read route stays a 405.
  for (const prefix of ['imports', 'facilities', 'detainers', 'proposals', 'users', 'tokens', 'settings']) {
    app.use(`/api/v1/${prefix}/*`, async (c, next) => {
      if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) && !c.get('user'))
        throw await unauthenticated(store, 'Writing');
      await next();
    });
  }
  // ---- imports ----
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/imports',
      summary:
        'Upload a file to import (the body is the file, streamed to disk): answered 202 with a job; all or nothing, as `ddor import`',
      request: {
        query: ImportQuery,
        body: {
          content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
          required: true,
        },
      },
      responses: {
        202: json(JobSchema, 'The job: poll its link for progress, counts and rejections'),
        ...ERRORS,
        413: err('Larger than the upload limit'),
      },
    }),
    async (c) => {
      const writer = await asPermitted(c, store, 'import', 'Importing');
      const q = c.req.valid('query');
      if (q.kind === 'policies' && q.format && q.format !== 'auto' && q.format !== 'canonical')
        throw new HttpError(
          400,
          'bad_request',
          `policies have no format ${q.format}`,
          'Use auto or canonical.',
        );
      const upload = await rawUpload(c, q.file ?? (q.kind === 'policies' ? 'policies.csv' : 'detainers.csv'));
      const job = await startImportJob(writer, upload, {
        kind: q.kind,
        format: q.format ?? 'auto',
        acceptPartial: q.accept_partial === 'true',
        ignoreExtra: q.ignore_extra === 'true',
        redactIdentifiers: q.redact_identifiers === 'true',
      });
      c.header('Location', `/api/v1/imports/${job.id}`);
      return c.json(jobJson(job), 202);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/imports',
      summary: 'The latest import jobs',
      responses: { 200: json(z.array(JobSchema), 'Newest first'), ...ERRORS },
    }),
    async (c) => {
      await asPermitted(c, store, 'read.drafts', 'Reading import jobs');
      return c.json((await recentJobs(store)).map(jobJson), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/imports/{job}',
      summary: 'An import job: status, phase, rows read, counts, rejections (file, line, column)',
      request: { params: JobParam },
      responses: { 200: json(JobSchema, 'The job'), ...ERRORS },
    }),
    async (c) => {
      await asPermitted(c, store, 'read.drafts', 'Reading import jobs');
      c.header('Cache-Control', 'no-store');
      return c.json(jobJson(await jobNamed(store, c.req.valid('param').job)), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/imports/{job}/rejects.csv',
      summary: "The job's rejected rows as the CLI's rejects CSV (file, line, column, value, reason, hint)",
      request: { params: JobParam },
      responses: {
        200: { content: { 'text/csv': { schema: z.string() } }, description: 'The rejects CSV' },
        ...ERRORS,
      },
    }),
    async (c) => {
      await asPermitted(c, store, 'read.drafts', 'Reading import jobs');
      const job = await jobNamed(store, c.req.valid('param').job);
      const csv = await jobRejectsCsv(store, job.id);
      if (csv === null)
        throw new HttpError(404, 'not_found', 'this import rejected no rows', 'Nothing to download.');
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header(
        'Content-Disposition',
        `attachment; filename="${job.file.replace(/["\\]/g, '_')}.rejects.csv"`,
      );
      return c.body(csv, 200);
    },
  );

  // ---- facilities ----
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/facilities/queue',
      summary:
        'The resolution queue: facilities not yet attributed to a county, with their candidate counties',
      responses: { 200: json(z.array(z.record(z.string(), z.unknown())), 'The queue'), ...ERRORS },
    }),
    async (c) => {
      await asPermitted(c, store, 'read.drafts', 'Reading the resolution queue');
      return c.json((await facilityQueue(store)) as unknown as Record<string, unknown>[], 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/facilities/{key}/county',
      summary: 'Attribute a facility (and all its records) to a county, as `ddor resolve set`',
      request: {
        params: z.object({
          key: z.string().max(400).openapi({ description: 'The facility key (or code), URL-encoded' }),
        }),
        ...jsonBody(z.object({ county_fips: z.string().regex(/^\d{5}$/) }).openapi('Resolution')),
      },
      responses: {
        200: json(z.object({ key: z.string(), county: z.string(), records: z.number().int() }), 'Resolved'),
        ...ERRORS,
      },
    }),
    async (c) => {
      const writer = await asPermitted(c, store, 'resolve', 'Resolving facilities');
      const result = await resolveFacility(writer, c.req.valid('param').key, c.req.valid('json').county_fips);
      return c.json(result, 200);
    },
  );

  // ---- one detainer's outcome ----
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/detainers/{id}',
      summary: 'A detainer record as stored (staff only), with its version as the ETag',
      request: { params: z.object({ id: z.string().max(300) }) },
      responses: { 200: json(RecordSchema, 'The record; ETag: its version'), ...ERRORS },
    }),
    async (c) => {
      await asPermitted(c, store, 'read.drafts', 'Reading detainer records');
      const record = await detainerRecord(store, c.req.valid('param').id);
      if (!record) throw new HttpError(404, 'not_found', 'no detainer record has that id', 'Check the id.');
      c.header('ETag', `"${record.version}"`);
      c.header('Cache-Control', 'no-store');
      return c.json(recordJson(record), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/detainers/{id}/outcome',
      summary:
        "Record one detainer's outcome (validated by the importer's own rules). If-Match: the version read; a record changed since gets 412 naming what changed",
      request: {
        params: z.object({ id: z.string().max(300) }),
        headers: z.object({
          'if-match': z.string().optional().openapi({ description: 'The version (ETag) read' }),
        }),
        ...jsonBody(OutcomeBody),
      },
      responses: {
        200: json(RecordSchema, 'Recorded; ETag: the new version'),
        ...ERRORS,
        412: err('The record changed after it was read: the message names the fields that changed'),
        422: err('The change breaks a rule of the importer (the message names the field)'),
        428: err('If-Match is missing'),
      },
    }),
    async (c) => {
      const writer = await asPermitted(c, store, 'record.outcome', 'Recording outcomes');
      const ifMatch = c.req.header('If-Match');
      if (!ifMatch)
        throw new HttpError(
          428,
          'precondition_required',
          'If-Match is missing',
          'Read the record first (GET /api/v1/detainers/{id}) and send its ETag as If-Match.',
        );
      const version = ifMatch.replace(/^W\//, '').replace(/^"|"$/g, '');
      const body = c.req.valid('json');
      const change = Object.fromEntries(
        OUTCOME_FIELDS.filter((f) => f in body).map((f) => [f, body[f] ?? null]),
      ) as { outcome: string };
      const { record } = await recordOutcome(writer, c.req.valid('param').id, change, version);
      c.header('ETag', `"${record.version}"`);
      return c.json(recordJson(record), 200);
    },
  );

  // ---- proposals, review, publication ----
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/proposals',
      summary: 'Proposals, newest first',
      request: { query: z.object({ status: z.enum(['proposed', 'approved', 'rejected']).optional() }) },
      responses: { 200: json(z.array(ProposalSchema), 'Proposals'), ...ERRORS },
    }),
    async (c) => {
      await asPermitted(c, store, 'read.drafts', 'Reading proposals');
      return c.json((await listProposals(store, c.req.valid('query'))).map(proposalJson), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/proposals',
      summary:
        "Propose a period's current data as its next edition (a correction when it is published: then `note` says what was corrected)",
      request: jsonBody(
        z
          .object({
            period: PeriodText,
            note: z.string().max(2000).optional(),
            top: z.number().int().min(1).max(100).optional(),
            decline_basis: z.enum(['recorded', 'issued']).optional(),
          })
          .strict()
          .openapi('NewProposal'),
      ),
      responses: { 201: json(ProposalSchema, 'Proposed'), ...ERRORS },
    }),
    async (c) => {
      const writer = await asPermitted(c, store, 'edition.propose', 'Proposing an edition');
      const body = c.req.valid('json');
      const p = await propose(writer, periodFromText(body.period), {
        note: body.note,
        top: body.top,
        declineBasis: body.decline_basis,
      });
      c.header('Location', `/api/v1/proposals/${p.id}`);
      return c.json(proposalJson(p), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/proposals/{id}',
      summary:
        'A proposal with what it changes against the edition it would follow (edition.changes as computed)',
      request: { params: IdParam },
      responses: {
        200: json(
          z.object({
            proposal: ProposalSchema,
            unchanged: z.boolean().openapi({ description: 'False when the data changed after the proposal' }),
            totals: z.record(z.string(), z.number()),
            previous_totals: z.record(z.string(), z.number()).nullable(),
            changes: z.record(z.string(), z.unknown()).nullable(),
          }),
          'The proposal and its review',
        ),
        ...ERRORS,
      },
    }),
    async (c) => {
      await asPermitted(c, store, 'read.drafts', 'Reading proposals');
      const r = await reviewOf(store, Number(c.req.valid('param').id));
      return c.json(
        {
          proposal: proposalJson(r.proposal),
          unchanged: r.unchanged,
          totals: r.draft.totals as unknown as Record<string, number>,
          previous_totals: (r.previous?.totals ?? null) as unknown as Record<string, number> | null,
          changes: r.changes as unknown as Record<string, unknown> | null,
        },
        200,
      );
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/proposals/{id}/approve',
      summary:
        'Approve a proposal and publish it as the next edition (publish or correct). Two-person rule: not by its proposer',
      request: { params: IdParam },
      responses: {
        201: json(
          z.object({ proposal: ProposalSchema, edition: z.record(z.string(), z.unknown()) }),
          'Published',
        ),
        ...ERRORS,
      },
    }),
    async (c) => {
      const writer = await asPermitted(c, store, 'edition.approve', 'Approving an edition');
      const id = Number(c.req.valid('param').id);
      const p = await proposalNumbered(store, id);
      if (p.kind === 'correct' && !may(c.get('user')!.role, 'edition.correct'))
        throw new HttpError(
          403,
          'forbidden',
          'correcting an edition needs the reviewer role',
          'Ask a reviewer.',
        );
      const { proposal, edition } = await approve(writer, id);
      const e = edition.report.edition!;
      c.header('Location', `/reports/${periodPath(proposal.period)}?edition=${e.number}`);
      return c.json(
        { proposal: proposalJson(proposal), edition: e as unknown as Record<string, unknown> },
        201,
      );
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/proposals/{id}/reject',
      summary: 'Reject a proposal, saying why',
      request: {
        params: IdParam,
        ...jsonBody(z.object({ reason: z.string().min(1).max(2000) }).openapi('Rejection')),
      },
      responses: { 200: json(ProposalSchema, 'Rejected'), ...ERRORS },
    }),
    async (c) => {
      const writer = await asPermitted(c, store, 'edition.reject', 'Rejecting a proposal');
      return c.json(
        proposalJson(await reject(writer, Number(c.req.valid('param').id), c.req.valid('json').reason)),
        200,
      );
    },
  );

  // ---- users, tokens, settings ----
  const UserSchema = z
    .object({
      name: z.string(),
      role: z.string(),
      created_at: z.string(),
      disabled_at: z.string().nullable(),
    })
    .passthrough()
    .openapi('User');
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users',
      summary: 'Staff accounts (admin)',
      responses: { 200: json(z.array(UserSchema), 'Users'), ...ERRORS },
    }),
    async (c) => {
      await asPermitted(c, store, 'users.manage', 'Listing users');
      return c.json((await listUsers(store)) as unknown as z.infer<typeof UserSchema>[], 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users',
      summary: 'Add a staff account (admin); the password is stored as a scrypt hash only',
      request: jsonBody(
        z
          .object({ name: z.string().max(64), role: z.enum(ROLES), password: z.string().min(12).max(1024) })
          .strict()
          .openapi('NewUser'),
      ),
      responses: { 201: json(z.object({ name: z.string(), role: z.string() }), 'Added'), ...ERRORS },
    }),
    async (c) => {
      const writer = await asPermitted(c, store, 'users.manage', 'Adding users');
      const { name, role, password } = c.req.valid('json');
      if (!isRole(role))
        throw new HttpError(400, 'bad_request', 'unknown role', 'analyst, reviewer or admin');
      await addUser(writer, name, role, password);
      return c.json({ name, role }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{name}/disable',
      summary:
        'Disable an account (admin): its sessions end and its tokens stop working; the account stays in the trail',
      request: { params: UserParam },
      responses: { 200: json(z.object({ name: z.string(), disabled: z.boolean() }), 'Disabled'), ...ERRORS },
    }),
    async (c) => {
      const writer = await asPermitted(c, store, 'users.manage', 'Disabling users');
      await disableUser(writer, c.req.valid('param').name);
      return c.json({ name: c.req.valid('param').name, disabled: true }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/tokens',
      summary: 'API tokens (admin): id, user, label, created, revoked; never the token',
      responses: { 200: json(z.array(z.record(z.string(), z.unknown())), 'Tokens'), ...ERRORS },
    }),
    async (c) => {
      await asPermitted(c, store, 'users.manage', 'Listing tokens');
      return c.json((await listTokens(store)) as unknown as Record<string, unknown>[], 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{name}/tokens',
      summary: 'Create an API token for a user (admin): the token is in this answer only',
      request: {
        params: UserParam,
        ...jsonBody(z.object({ label: z.string().max(200).optional() }).openapi('NewToken')),
      },
      responses: { 201: json(z.object({ token_id: z.string(), token: z.string() }), 'Created'), ...ERRORS },
    }),
    async (c) => {
      const writer = await asPermitted(c, store, 'users.manage', 'Creating tokens');
      const { tokenId, token } = await createToken(
        writer,
        c.req.valid('param').name,
        c.req.valid('json').label ?? null,
      );
      c.header('Cache-Control', 'no-store');
      return c.json({ token_id: tokenId, token }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/tokens/{id}/revoke',
      summary: 'Revoke an API token (admin)',
      request: { params: z.object({ id: z.string().max(64) }) },
      responses: {
        200: json(z.object({ token_id: z.string(), revoked: z.boolean() }), 'Revoked'),
        ...ERRORS,
      },
    }),
    async (c) => {
      const writer = await asPermitted(c, store, 'users.manage', 'Revoking tokens');
      await revokeToken(writer, c.req.valid('param').id);
      return c.json({ token_id: c.req.valid('param').id, revoked: true }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/settings',
      summary: "The office's settings",
      responses: { 200: json(z.object({ two_person_rule: z.boolean() }), 'Settings'), ...ERRORS },
    }),
    async (c) => {
      await asPermitted(c, store, 'read.drafts', 'Reading settings');
      return c.json({ two_person_rule: await twoPersonRule(store) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/settings/two-person-rule',
      summary: 'Switch the two-person rule on or off (admin); editions published with it off say so',
      request: jsonBody(z.object({ on: z.boolean() }).strict().openapi('TwoPersonRule')),
      responses: { 200: json(z.object({ two_person_rule: z.boolean() }), 'Set'), ...ERRORS },
    }),
    async (c) => {
      const writer = await asPermitted(c, store, 'users.manage', 'Changing settings');
      await setTwoPersonRule(writer, c.req.valid('json').on);
      return c.json({ two_person_rule: await twoPersonRule(store) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/audit',
      summary: 'The audit trail, oldest first (analysts and up)',
      request: {
        query: z.object({
          since: z.string().max(40).optional(),
          actor: z.string().max(100).optional(),
          action: z.string().max(40).optional(),
        }),
      },
      responses: { 200: json(z.array(z.record(z.string(), z.unknown())), 'Audit rows'), ...ERRORS },
    }),
    async (c) => {
      await asPermitted(c, store, 'read.audit', 'Reading the audit trail');
      const q = c.req.valid('query');
      if (q.since && !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(q.since))
        throw new HttpError(400, 'bad_request', 'since is not a date or timestamp', 'e.g. since=2026-12-01');
      return c.json((await listAudit(store, q)) as unknown as Record<string, unknown>[], 200);
    },
  );
}
