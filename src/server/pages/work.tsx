/**
 * The office's pages (issue 11): import with live progress and rejects, the
 * resolution queue, one detainer's outcome, proposals and their review, the audit
 * trail, users and settings. Plain forms that work without JavaScript or a mouse;
 * each checks its permission as the API does (write-api.ts: asPermitted) and
 * writes through the same functions, so pages, API and CLI cannot differ.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  addUser,
  createToken,
  disableUser,
  listTokens,
  listUsers,
  revokeToken,
} from '../../auth/accounts.js';
import { isRole, may, ROLES } from '../../domain/roles.js';
import { OUTCOME_SOURCES, OUTCOMES } from '../../domain/vocab.js';
import { DdorError, InputRejectedError } from '../../errors.js';
import { countyByFips } from '../../geo/gazetteer.js';
import { facilityQueue, type QueuedFacility, resolveFacility } from '../../ingest/facilities.js';
import { DETAINER_FORMATS } from '../../ingest/formats.js';
import { type ImportJob, jobNamed, recentJobs } from '../../ingest/jobs.js';
import {
  type DetainerRecord,
  detainerRecord,
  OUTCOME_FIELDS,
  type OutcomeField,
  recordOutcome,
  StaleVersionError,
} from '../../ingest/outcome.js';
import { ChangeList } from '../../render/html/sections.js';
import { headlineFigures } from '../../render/labels.js';
import { listDisputes } from '../../report/disputes.js';
import type { Report } from '../../report/model.js';
import { periodLabel, periodPath, saturdayOnOrBefore, weekPeriod } from '../../report/period.js';
import {
  approve,
  listProposals,
  type Proposal,
  type ProposalReview,
  propose,
  reject,
  reviewOf,
  setTwoPersonRule,
  twoPersonRule,
} from '../../report/review.js';
import { type AuditRow, listAudit } from '../../store/audit.js';
import type { Store } from '../../store/store.js';
import { csrfToken } from '../auth.js';
import { HttpError } from '../errors.js';
import { formUpload } from '../uploads.js';
import { asPermitted, startImportJob } from '../write-api.js';
import { back, Csrf, doneNote, form, Notice, page } from './work-kit.js';

const num = (n: number) => n.toLocaleString('en-US');

function JobView({ job }: { job: ImportJob }) {
  const running = job.status === 'queued' || job.status === 'running';
  const steps = ['reading', 'validating', 'writing', 'done'];
  const step = Math.max(0, steps.indexOf(job.phase));
  const s = job.summary as Record<string, number> | null;
  return (
    <section aria-labelledby="job-h">
      <h2 id="job-h">
        {job.file} ({job.kind}, {num(job.bytes)} bytes)
      </h2>
      <p role="status" aria-live="polite">
        {running ? (
          <>
            Importing: {job.phase}
            {job.rows_read > 0 ? `, ${num(job.rows_read)} rows read` : ''}…{' '}
            <progress max={steps.length} value={step} aria-label="Import progress" />
          </>
        ) : job.status === 'done' ? (
          <strong>Imported.</strong>
        ) : (
          <strong>Nothing was imported.</strong>
        )}
      </p>
      {s ? (
        <table class="work">
          <caption>What the import did</caption>
          <tbody>
            {(['rows', 'inserted', 'updated', 'unchanged', 'quarantined'] as const).map((k) => (
              <tr key={k}>
                <th scope="row">{k === 'rows' ? 'rows read' : k}</th>
                <td>{num(Number(s[k] ?? 0))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {job.error ? (
        <div class="alert" role="alert">
          <p>{job.error.message}</p>
          {job.error.hint ? <p>{job.error.hint}</p> : null}
        </div>
      ) : null}
      {job.error && job.error.rejections.length > 0 ? (
        <div class="scroll">
          <table class="work">
            <caption>
              Rejected rows ({num(job.error.total_rejected)}
              {job.error.total_rejected > job.error.rejections.length
                ? `; the first ${num(job.error.rejections.length)} shown`
                : ''}
              )
            </caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Line</th>
                <th scope="col">Column</th>
                <th scope="col">Value</th>
                <th scope="col">Reason</th>
                <th scope="col">What to do</th>
              </tr>
            </thead>
            <tbody>
              {job.error.rejections.map((r) => (
                <tr key={`${r.line}-${r.column}`}>
                  <td>{r.file}</td>
                  <td>{r.line}</td>
                  <td>{r.column}</td>
                  <td>{r.value ?? ''}</td>
                  <td>{r.reason}</td>
                  <td>{r.hint}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {job.has_rejects ? (
        <p>
          <a href={`/api/v1/imports/${job.id}/rejects.csv`} download>
            Download the rejects CSV
          </a>
        </p>
      ) : null}
      {running ? null : (
        <p>
          <a href="/work/import">Import another file</a>
        </p>
      )}
    </section>
  );
}

function candidateFips(f: QueuedFacility): string[] {
  return [...(f.candidates ?? '').matchAll(/\((\d{5})/g)].map((m) => m[1]!);
}

function QueueRow({ f, csrf }: { f: QueuedFacility; csrf: string }) {
  const id = `q-${f.facility_key.replace(/[^A-Za-z0-9]/g, '_')}`;
  const candidates = candidateFips(f);
  return (
    <tr>
      <td>
        {f.name}
        {f.code ? ` (${f.code})` : ''}
      </td>
      <td>
        {f.city ?? ''} {f.state}
      </td>
      <td>{num(f.records)}</td>
      <td>{f.candidates ?? 'no candidate found'}</td>
      <td>
        <form method="post" action="/work/queue">
          <Csrf token={csrf} />
          <input type="hidden" name="key" value={f.facility_key} />
          <fieldset>
            <legend>County for {f.name}</legend>
            {candidates.map((fips) => {
              const county = countyByFips(fips);
              return (
                <label key={fips} class="choice">
                  <input type="radio" name="county_fips" value={fips} />{' '}
                  {county ? `${county.name}, ${county.state}` : ''} ({fips})
                </label>
              );
            })}
            <label for={`${id}-other`}>Or FIPS code</label>{' '}
            <input id={`${id}-other`} name="other_fips" inputMode="numeric" pattern="\d{5}" size={6} />
          </fieldset>
          <button type="submit">Resolve</button>
        </form>
      </td>
    </tr>
  );
}

const FIELD_LABELS: Record<OutcomeField, string> = {
  outcome: 'Outcome',
  declined_date: 'Declined on',
  recorded_date: 'Recorded on (default: the declined date)',
  released_by_agency: 'Released by agency (after a transfer)',
  released_by_city: 'Released by: city',
  released_by_county_fips: 'Released by: county FIPS',
  released_by_state: 'Released by: state (USPS code)',
  source: 'How the outcome became known',
};

function OutcomeForm(props: {
  record: DetainerRecord;
  csrf: string;
  values: Partial<Record<OutcomeField, string>>;
  errors: Partial<Record<OutcomeField, string>>;
  message?: string | null;
}) {
  const { record } = props;
  const value = (f: OutcomeField) => props.values[f] ?? (record[f] as string | null) ?? '';
  const field = (f: OutcomeField) => {
    const id = `f-${f}`;
    const error = props.errors[f];
    const common = {
      id,
      name: f,
      'aria-invalid': error ? ('true' as const) : undefined,
      'aria-describedby': error ? `${id}-error` : undefined,
    };
    const input =
      f === 'outcome' ? (
        <select {...common}>
          {OUTCOMES.map((o) => (
            <option key={o} value={o} selected={value(f) === o}>
              {o}
            </option>
          ))}
        </select>
      ) : f === 'source' ? (
        <select {...common}>
          <option value="" selected={value(f) === ''}>
            (not given)
          </option>
          {OUTCOME_SOURCES.map((o) => (
            <option key={o} value={o} selected={value(f) === o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input {...common} type={f.endsWith('_date') ? 'date' : 'text'} value={value(f)} />
      );
    return (
      <p key={f}>
        <label for={id}>{FIELD_LABELS[f]}</label>
        {input}
        {error ? (
          <span id={`${id}-error`} class="field-error">
            {' '}
            {error}
          </span>
        ) : null}
      </p>
    );
  };
  return (
    <>
      <table class="work">
        <caption>The record as stored (version {record.version})</caption>
        <tbody>
          <tr>
            <th scope="row">Issued</th>
            <td>
              {record.issued_date} {record.form ?? ''}
            </td>
          </tr>
          <tr>
            <th scope="row">Agency</th>
            <td>
              {record.agency}, {record.state} {record.county_fips ? `(${record.county_fips})` : ''}
            </td>
          </tr>
          <tr>
            <th scope="row">Citizenship</th>
            <td>{record.citizenship ?? 'not given'}</td>
          </tr>
          <tr>
            <th scope="row">Outcome now</th>
            <td>
              {record.outcome}
              {record.declined_date ? `, declined ${record.declined_date}` : ''}
            </td>
          </tr>
        </tbody>
      </table>
      <Notice text={props.message} alert />
      <form method="post" action="/work/detainers" class="stack" noValidate>
        <Csrf token={props.csrf} />
        <input type="hidden" name="id" value={record.detainer_id} />
        <input type="hidden" name="version" value={record.version} />
        {OUTCOME_FIELDS.map(field)}
        <p>
          <button type="submit">Record the outcome</button>
        </p>
      </form>
    </>
  );
}

function FiguresSideBySide({ draft, previous }: { draft: Report; previous: Report | null }) {
  const now = headlineFigures(draft);
  const before = previous ? headlineFigures(previous) : null;
  return (
    <table class="work">
      <caption>
        Headline figures:{' '}
        {previous ? `edition ${previous.edition?.number} beside the draft` : 'the draft (first edition)'}
      </caption>
      <thead>
        <tr>
          <th scope="col">Figure</th>
          {before ? <th scope="col">Edition {previous?.edition?.number}</th> : null}
          <th scope="col">Draft</th>
        </tr>
      </thead>
      <tbody>
        {now.map((f, i) => (
          <tr key={f.label}>
            <th scope="row">{f.label}</th>
            {before ? <td>{num(before[i]?.value ?? 0)}</td> : null}
            <td>{num(f.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SectionOne({ report, caption }: { report: Report; caption: string }) {
  return (
    <table class="work">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Rank</th>
          <th scope="col">County</th>
          <th scope="col">Detainers issued</th>
        </tr>
      </thead>
      <tbody>
        {report.section1.map((r) => (
          <tr key={r.county.fips}>
            <td>{r.rank}</td>
            <td>
              {r.county.name}, {r.county.state}
            </td>
            <td>{num(r.detainers_issued)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ReviewView(props: {
  review: ProposalReview;
  csrf: string;
  mayDecide: boolean;
  why: string | null;
  message: string | null;
}) {
  const { proposal: p, draft, previous, changes, unchanged } = props.review;
  return (
    <>
      <Notice text={props.message} />
      <p>
        Proposal {p.id}: {p.kind === 'publish' ? 'edition 1' : `a correction of edition ${p.base_edition}`} of{' '}
        <a href={`/reports/${periodPath(p.period)}?edition=draft`}>{periodLabel(p.period)}</a>, proposed by{' '}
        <strong>{p.proposed_by}</strong> at {p.proposed_at}. Status: <strong>{p.status}</strong>
        {p.decided_by ? ` by ${p.decided_by} at ${p.decided_at}` : ''}.
        {p.edition ? (
          <>
            {' '}
            <a href={`/reports/${periodPath(p.period)}?edition=${p.edition}`}>Edition {p.edition}</a>.
          </>
        ) : null}
      </p>
      {p.note ? <p>Note: {p.note}</p> : null}
      {p.disputes.length > 0 ? (
        <p>
          Answers {p.disputes.length === 1 ? 'dispute' : 'disputes'}{' '}
          {p.disputes.map((n, i) => (
            <>
              {i ? ', ' : ''}
              <a href={`/work/disputes/${n}`}>No. {n}</a>
            </>
          ))}
          : cited in the errata; marked answered when published.
        </p>
      ) : null}
      {p.reason ? <p>Reason given: {p.reason}</p> : null}
      {p.status === 'proposed' && !unchanged ? (
        <p class="alert" role="alert">
          The data changed after this proposal: approving it would be refused. Reject it and propose the
          period again.
        </p>
      ) : null}
      <div class="side-by-side">
        <FiguresSideBySide draft={draft} previous={previous} />
        {previous ? (
          <SectionOne report={previous} caption={`Section I, edition ${previous.edition?.number}`} />
        ) : null}
        <SectionOne report={draft} caption="Section I, the draft" />
      </div>
      <h2>What changes</h2>
      {changes ? <ChangeList changes={changes} /> : <p>A first edition: nothing to compare with.</p>}
      {p.status === 'proposed' ? (
        props.mayDecide ? (
          <div class="side-by-side">
            <form method="post" action={`/work/proposals/${p.id}/approve`}>
              <Csrf token={props.csrf} />
              <button type="submit">Approve and publish</button>
            </form>
            <form method="post" action={`/work/proposals/${p.id}/reject`} class="stack">
              <Csrf token={props.csrf} />
              <p>
                <label for="reject-reason">Reason for rejecting</label>
                <textarea id="reject-reason" name="reason" rows={3} cols={40} required />
              </p>
              <button type="submit">Reject</button>
            </form>
          </div>
        ) : (
          <p>{props.why}</p>
        )
      ) : null}
    </>
  );
}

function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <div class="scroll">
      <table class="work">
        <caption>{num(rows.length)} rows, newest first</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Via</th>
            <th scope="col">From</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{r.id}</td>
              <td>{r.at}</td>
              <td>{r.actor}</td>
              <td>{r.via}</td>
              <td>{r.from}</td>
              <td>{r.action}</td>
              <td>{r.target}</td>
              <td>
                <code>{JSON.stringify(r.detail)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function registerWorkPages(app: OpenAPIHono, store: Store): void {
  app.get('/work', async (c) => {
    await asPermitted(c, store, 'read.drafts', 'The office pages');
    const user = c.get('user')!;
    const [jobs, open, received, reviewing] = await Promise.all([
      recentJobs(store, 5),
      listProposals(store, { status: 'proposed' }),
      listDisputes(store, { status: 'received' }),
      listDisputes(store, { status: 'under_review' }),
    ]);
    return page(
      c,
      'Office',
      <>
        <p>
          You are <strong>{user.name}</strong>, {user.role}: you may{' '}
          {user.role === 'analyst'
            ? 'import, resolve facilities, record outcomes, propose editions and triage disputes'
            : user.role === 'reviewer'
              ? 'do all an analyst does, and approve or reject proposals (publish and correct)'
              : 'do all a reviewer does, and manage users and settings'}
          . Two-person rule: <strong>{(await twoPersonRule(store)) ? 'on' : 'off'}</strong>.
        </p>
        <h2>Open proposals</h2>
        {open.length === 0 ? (
          <p>None.</p>
        ) : (
          <ul>
            {open.map((p) => (
              <li key={p.id}>
                <a href={`/work/proposals/${p.id}`}>
                  Proposal {p.id}: {periodLabel(p.period)}
                </a>{' '}
                by {p.proposed_by}
              </li>
            ))}
          </ul>
        )}
        <h2>Disputes</h2>
        <p>
          {received.length === 0 && reviewing.length === 0 ? (
            'No open dispute.'
          ) : (
            <a href="/work/disputes">{`${received.length} received, ${reviewing.length} under review`}</a>
          )}
        </p>
        <h2>Latest imports</h2>
        {jobs.length === 0 ? (
          <p>None through the web yet.</p>
        ) : (
          <ul>
            {jobs.map((j) => (
              <li key={j.id}>
                <a href={`/work/imports/${j.id}`}>{j.file}</a> by {j.user}, {j.status}
              </li>
            ))}
          </ul>
        )}
      </>,
    );
  });

  // ---- import ----
  app.get('/work/import', async (c) => {
    await asPermitted(c, store, 'import', 'Importing');
    return page(
      c,
      'Import a file',
      <form method="post" action="/work/import" enctype="multipart/form-data" class="stack">
        {/* The CSRF field comes first: the upload is checked against it before the file is kept. */}
        <Csrf token={csrfToken(c)} />
        <p>
          <label for="import-kind">The file holds</label>
          <select id="import-kind" name="kind">
            <option value="detainers">detainers</option>
            <option value="policies">policies</option>
          </select>
        </p>
        <p>
          <label for="import-format">Format</label>
          <select id="import-format" name="format">
            {DETAINER_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label>
            <input type="checkbox" name="accept_partial" value="true" /> Load the valid rows and quarantine
            the rest (else a file with any bad row is refused whole)
          </label>
        </p>
        <p>
          <label for="import-file">File (CSV, xlsx or Parquet)</label>
          <input id="import-file" type="file" name="file" required />
        </p>
        <p>
          <button type="submit">Upload and import</button>
        </p>
      </form>,
    );
  });
  app.post('/work/import', async (c) => {
    const writer = await asPermitted(c, store, 'import', 'Importing');
    const upload = await formUpload(c);
    const kind = upload.fields.kind === 'policies' ? 'policies' : 'detainers';
    const format = (DETAINER_FORMATS as readonly string[]).includes(upload.fields.format ?? '')
      ? upload.fields.format!
      : 'auto';
    const job = await startImportJob(writer, upload, {
      kind,
      format: kind === 'policies' && format !== 'canonical' ? 'auto' : format,
      acceptPartial: upload.fields.accept_partial === 'true',
      ignoreExtra: false,
      redactIdentifiers: false,
    });
    return c.redirect(`/work/imports/${job.id}`, 303);
  });
  app.get('/work/imports/:job', async (c) => {
    await asPermitted(c, store, 'read.drafts', 'Reading import jobs');
    const job = await jobNamed(store, c.req.param('job'));
    const running = job.status === 'queued' || job.status === 'running';
    c.header('Cache-Control', 'no-store');
    // Live progress without JavaScript: the page reloads itself each second while the job runs.
    if (running) c.header('Refresh', '1');
    return page(c, 'Import', <JobView job={job} />);
  });

  // ---- resolution queue ----
  app.get('/work/queue', async (c) => {
    await asPermitted(c, store, 'resolve', 'Resolving facilities');
    const queue = await facilityQueue(store);
    const csrf = csrfToken(c);
    return page(
      c,
      'Resolution queue',
      <>
        <Notice text={doneNote(c)} />
        {c.req.query('error') ? <Notice text={c.req.query('error')!.slice(0, 300)} alert /> : null}
        <p>
          Facilities whose county is not known: their detainers count nowhere until one is chosen. A place
          that spans counties lists each with its share of the population; ddor never guesses.
        </p>
        {queue.length === 0 ? (
          <p>The queue is empty.</p>
        ) : (
          <div class="scroll">
            <table class="work">
              <caption>{num(queue.length)} facilities</caption>
              <thead>
                <tr>
                  <th scope="col">Facility</th>
                  <th scope="col">Place</th>
                  <th scope="col">Records</th>
                  <th scope="col">Candidates</th>
                  <th scope="col">Resolve</th>
                </tr>
              </thead>
              <tbody>
                {queue.map((f) => (
                  <QueueRow key={f.facility_key} f={f} csrf={csrf} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </>,
    );
  });
  app.post('/work/queue', async (c) => {
    const writer = await asPermitted(c, store, 'resolve', 'Resolving facilities');
    const f = await form(c);
    const fips = (f.other_fips || f.county_fips || '').trim();
    if (!/^\d{5}$/.test(fips))
      return c.redirect(
        `/work/queue?error=${encodeURIComponent('Choose a candidate county or type a 5-digit FIPS code.')}`,
        303,
      );
    try {
      const r = await resolveFacility(writer, f.key ?? '', fips);
      return back(c, '/work/queue', `Resolved: ${r.records} records now count in ${r.county}.`);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      return c.redirect(
        `/work/queue?error=${encodeURIComponent(error instanceof Error ? error.message : String(error))}`,
        303,
      );
    }
  });

  // ---- one detainer's outcome ----
  app.get('/work/detainers', async (c) => {
    await asPermitted(c, store, 'record.outcome', 'Recording outcomes');
    const id = (c.req.query('id') ?? '').trim();
    const record = id ? await detainerRecord(store, id) : null;
    return page(
      c,
      'Record an outcome',
      <>
        <Notice text={doneNote(c)} />
        <form method="get" action="/work/detainers">
          <label for="find-id">Detainer record id</label> <input id="find-id" name="id" value={id} required />{' '}
          <button type="submit">Find</button>
        </form>
        {id && !record ? <Notice text="No detainer record has that id." alert /> : null}
        {record ? <OutcomeForm record={record} csrf={csrfToken(c)} values={{}} errors={{}} /> : null}
      </>,
    );
  });
  app.post('/work/detainers', async (c) => {
    const writer = await asPermitted(c, store, 'record.outcome', 'Recording outcomes');
    const f = await form(c);
    const id = f.id ?? '';
    const values = Object.fromEntries(OUTCOME_FIELDS.map((k) => [k, f[k] ?? ''])) as Record<
      OutcomeField,
      string
    >;
    try {
      await recordOutcome(writer, id, values, f.version ?? '');
      return back(c, `/work/detainers?id=${encodeURIComponent(id)}`, 'Outcome recorded.');
    } catch (error) {
      const record = await detainerRecord(store, id);
      if (!record) throw error;
      const errors: Partial<Record<OutcomeField, string>> = {};
      let message: string;
      let status = 422;
      if (error instanceof InputRejectedError) {
        for (const r of error.rejections) errors[r.column as OutcomeField] ??= `${r.reason}. ${r.hint}`;
        message = 'The outcome was not recorded: see the fields marked below.';
      } else if (error instanceof StaleVersionError) {
        status = 412;
        message = `${error.message}. The form now shows the record as it is; your values are kept below.`;
      } else if (error instanceof Error && 'kind' in error) {
        status = 409;
        message = error.message;
      } else throw error;
      return page(
        c,
        'Record an outcome',
        <OutcomeForm record={record} csrf={csrfToken(c)} values={values} errors={errors} message={message} />,
        status,
      );
    }
  });

  // ---- proposals ----
  app.get('/work/proposals', async (c) => {
    await asPermitted(c, store, 'read.drafts', 'Reading proposals');
    const list = await listProposals(store);
    const user = c.get('user')!;
    return page(
      c,
      'Proposals',
      <>
        <Notice text={doneNote(c)} />
        {c.req.query('error') ? <Notice text={c.req.query('error')!.slice(0, 400)} alert /> : null}
        {may(user.role, 'edition.propose') ? (
          <form method="post" action="/work/proposals" class="stack">
            <Csrf token={csrfToken(c)} />
            <h2>Propose a week</h2>
            <p>
              <label for="p-week">Week containing</label>
              <input id="p-week" type="date" name="week" required value={c.req.query('week') ?? ''} />
            </p>
            <p>
              <label for="p-note">Note (for a correction: what was corrected)</label>
              <textarea id="p-note" name="note" rows={2} cols={50} />
            </p>
            <p>
              <label for="p-disputes">
                Disputes this correction answers (numbers, comma-separated; upheld ones)
              </label>
              <input
                id="p-disputes"
                name="disputes"
                inputmode="numeric"
                pattern="[0-9, ]*"
                value={(c.req.query('dispute') ?? '').replace(/[^0-9, ]/g, '')}
              />
            </p>
            <button type="submit">Propose</button>
          </form>
        ) : null}
        <h2>All proposals</h2>
        {list.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <table class="work">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Period</th>
                <th scope="col">Kind</th>
                <th scope="col">Proposed by</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {list.map((p: Proposal) => (
                <tr key={p.id}>
                  <td>
                    <a href={`/work/proposals/${p.id}`}>{p.id}</a>
                  </td>
                  <td>{periodLabel(p.period)}</td>
                  <td>{p.kind}</td>
                  <td>{p.proposed_by}</td>
                  <td>
                    {p.status}
                    {p.decided_by ? ` by ${p.decided_by}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>,
    );
  });
  app.post('/work/proposals', async (c) => {
    const writer = await asPermitted(c, store, 'edition.propose', 'Proposing an edition');
    const f = await form(c);
    try {
      const disputes = (f.disputes ?? '')
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((t) => {
          const n = Number(t);
          if (!Number.isSafeInteger(n) || n < 1)
            throw new DdorError('usage', `${JSON.stringify(t)} is not a dispute number`);
          return n;
        });
      const p = await propose(writer, weekPeriod(saturdayOnOrBefore(f.week ?? '')), {
        note: f.note,
        disputes,
      });
      return back(c, `/work/proposals/${p.id}`, `Proposal ${p.id} made: a reviewer approves it.`);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      return c.redirect(
        `/work/proposals?error=${encodeURIComponent(error instanceof Error ? error.message : String(error))}`,
        303,
      );
    }
  });
  const proposalId = (c: Context) => {
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || id < 1)
      throw new HttpError(404, 'not_found', 'no such proposal', 'See /work/proposals.');
    return id;
  };
  app.get('/work/proposals/:id', async (c) => {
    await asPermitted(c, store, 'read.drafts', 'Reading proposals');
    const review = await reviewOf(store, proposalId(c));
    const user = c.get('user')!;
    const rule = await twoPersonRule(store);
    const own = review.proposal.proposed_by === user.name;
    const mayDecide = may(user.role, 'edition.approve') && !(rule && own);
    const why = !may(user.role, 'edition.approve')
      ? 'A reviewer approves or rejects it.'
      : 'You proposed it: another reviewer approves it (two-person rule).';
    return page(
      c,
      `Proposal ${review.proposal.id}`,
      <ReviewView
        review={review}
        csrf={csrfToken(c)}
        mayDecide={mayDecide}
        why={why}
        message={c.req.query('error') ?? doneNote(c)}
      />,
    );
  });
  app.post('/work/proposals/:id/approve', async (c) => {
    const writer = await asPermitted(c, store, 'edition.approve', 'Approving an edition');
    const id = proposalId(c);
    try {
      const { proposal, edition } = await approve(writer, id);
      return c.redirect(
        `/reports/${periodPath(proposal.period)}?edition=${edition.report.edition!.number}`,
        303,
      );
    } catch (error) {
      if (error instanceof HttpError) throw error;
      return c.redirect(
        `/work/proposals/${id}?error=${encodeURIComponent(error instanceof Error ? error.message : String(error))}`,
        303,
      );
    }
  });
  app.post('/work/proposals/:id/reject', async (c) => {
    const writer = await asPermitted(c, store, 'edition.reject', 'Rejecting a proposal');
    const id = proposalId(c);
    const f = await form(c);
    try {
      await reject(writer, id, f.reason ?? '');
      return back(c, `/work/proposals/${id}`, 'Rejected.');
    } catch (error) {
      if (error instanceof HttpError) throw error;
      return c.redirect(
        `/work/proposals/${id}?error=${encodeURIComponent(error instanceof Error ? error.message : String(error))}`,
        303,
      );
    }
  });

  // ---- audit ----
  app.get('/work/audit', async (c) => {
    await asPermitted(c, store, 'read.audit', 'Reading the audit trail');
    const q = c.req.query();
    const filter = {
      actor: q.actor?.trim() || undefined,
      action: q.action?.trim() || undefined,
      since: /^\d{4}-\d{2}-\d{2}$/.test(q.since ?? '') ? q.since : undefined,
    };
    const rows = (await listAudit(store, filter)).reverse().slice(0, 500);
    return page(
      c,
      'Audit trail',
      <>
        <form method="get" action="/work/audit" class="filters">
          <label>
            Who <input name="actor" value={filter.actor ?? ''} />
          </label>
          <label>
            Action <input name="action" value={filter.action ?? ''} />
          </label>
          <label>
            Since <input type="date" name="since" value={filter.since ?? ''} />
          </label>
          <button type="submit">Filter</button>
        </form>
        <AuditTable rows={rows} />
      </>,
    );
  });

  // ---- users and settings (admin) ----
  /** The users page; `newToken`: a token just created, shown this once (never put in a URL). */
  const usersPage = async (c: Context, newToken?: string) => {
    const [users, tokens, rule] = await Promise.all([
      listUsers(store),
      listTokens(store),
      twoPersonRule(store),
    ]);
    const csrf = csrfToken(c);
    return page(
      c,
      'Users',
      <>
        <Notice text={doneNote(c)} />
        {c.req.query('error') ? <Notice text={c.req.query('error')!.slice(0, 300)} alert /> : null}
        {newToken ? (
          <p class="notice" role="status">
            The new token, shown this once (ddor keeps only its hash): <code>{newToken}</code>
          </p>
        ) : null}
        <table class="work">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Since</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.name}>
                <td>{u.name}</td>
                <td>{u.role}</td>
                <td>{String(u.created_at).slice(0, 10)}</td>
                <td>{u.disabled_at ? `disabled ${String(u.disabled_at).slice(0, 10)}` : 'active'}</td>
                <td>
                  {u.disabled_at ? null : (
                    <>
                      <form
                        method="post"
                        action={`/work/users/${encodeURIComponent(u.name)}/disable`}
                        class="inline-form"
                      >
                        <Csrf token={csrf} />
                        <button type="submit">Disable {u.name}</button>
                      </form>{' '}
                      <form
                        method="post"
                        action={`/work/users/${encodeURIComponent(u.name)}/tokens`}
                        class="inline-form"
                      >
                        <Csrf token={csrf} />
                        <button type="submit">New API token for {u.name}</button>
                      </form>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>Add a user</h2>
        <form method="post" action="/work/users" class="stack">
          <Csrf token={csrf} />
          <p>
            <label for="u-name">User name (a staff login, e.g. maria.lopez)</label>
            <input id="u-name" name="name" required autocapitalize="none" />
          </p>
          <p>
            <label for="u-role">Role</label>
            <select id="u-role" name="role">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </p>
          <p>
            <label for="u-password">Password (at least 12 characters)</label>
            <input
              id="u-password"
              name="password"
              type="password"
              autocomplete="new-password"
              required
              minLength={12}
            />
          </p>
          <button type="submit">Add user</button>
        </form>
        <h2>API tokens</h2>
        <table class="work">
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">User</th>
              <th scope="col">Label</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.token_id}>
                <td>{t.token_id}</td>
                <td>{t.user_name}</td>
                <td>{t.label ?? ''}</td>
                <td>
                  {t.revoked_at ? (
                    'revoked'
                  ) : (
                    <form
                      method="post"
                      action={`/work/tokens/${encodeURIComponent(t.token_id)}/revoke`}
                      class="inline-form"
                    >
                      <Csrf token={csrf} />
                      <button type="submit">Revoke {t.token_id}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>Two-person rule</h2>
        <form method="post" action="/work/settings" class="stack">
          <Csrf token={csrf} />
          <p>
            Now <strong>{rule ? 'on' : 'off'}</strong>:{' '}
            {rule
              ? 'an edition is approved by a reviewer other than its proposer.'
              : 'one person may propose and publish; editions say they had no second review.'}
          </p>
          <input type="hidden" name="two_person_rule" value={rule ? 'off' : 'on'} />
          <button type="submit">Switch it {rule ? 'off' : 'on'}</button>
        </form>
      </>,
    );
  };
  app.get('/work/users', async (c) => {
    await asPermitted(c, store, 'users.manage', 'Managing users');
    return usersPage(c);
  });
  app.post('/work/users/:name/tokens', async (c) => {
    const writer = await asPermitted(c, store, 'users.manage', 'Managing users');
    const { token } = await createToken(writer, c.req.param('name'), 'web');
    return usersPage(c, token);
  });
  const adminForm = (
    path: string,
    run: (writer: Store, c: Context, f: Record<string, string>) => Promise<string>,
  ) =>
    app.post(path, async (c) => {
      const writer = await asPermitted(c, store, 'users.manage', 'Managing users');
      const f = await form(c);
      try {
        const next = await run(writer, c, f);
        return c.redirect(next, 303);
      } catch (error) {
        if (error instanceof HttpError) throw error;
        return c.redirect(
          `/work/users?error=${encodeURIComponent(error instanceof Error ? error.message : String(error))}`,
          303,
        );
      }
    });
  adminForm('/work/users', async (writer, _c, f) => {
    if (!isRole(f.role ?? '')) throw new Error('Choose a role.');
    await addUser(writer, (f.name ?? '').trim(), f.role!, f.password ?? '');
    return `/work/users?done=${encodeURIComponent(`Added ${f.name}.`)}`;
  });
  adminForm('/work/users/:name/disable', async (writer, c) => {
    await disableUser(writer, c.req.param('name')!);
    return `/work/users?done=${encodeURIComponent(`Disabled ${c.req.param('name')}.`)}`;
  });
  adminForm('/work/tokens/:id/revoke', async (writer, c) => {
    await revokeToken(writer, c.req.param('id')!);
    return `/work/users?done=${encodeURIComponent('Token revoked.')}`;
  });
  adminForm('/work/settings', async (writer, _c, f) => {
    await setTwoPersonRule(writer, f.two_person_rule === 'on');
    return `/work/users?done=${encodeURIComponent(`Two-person rule ${f.two_person_rule === 'on' ? 'on' : 'off'}.`)}`;
  });
}
