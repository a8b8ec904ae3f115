/**
 * The office's dispute queue (issue 13): filters, one dispute with the reporter's contact
 * and the records behind the disputed row (each record's import and earlier versions),
 * and the status change with its reasoning (audited, published). An upheld dispute leads
 * to a correction: the proposal form, with the dispute filled in.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DdorError } from '../../errors.js';
import {
  DISPUTE_STATUSES,
  type Dispute,
  type DisputeStatus,
  disputeContact,
  disputeNumbered,
  listDisputes,
  recordsBehind,
  STATUS_WORDS,
  setDisputeStatus,
} from '../../report/disputes.js';
import type { Store } from '../../store/store.js';
import { csrfToken } from '../auth.js';
import { HttpError } from '../errors.js';
import { asPermitted } from '../write-api.js';
import { DisputeFilters, DisputeRecord, DisputeTable } from './disputes.js';
import { back, Csrf, doneNote, form, Notice, page } from './work-kit.js';

const OPEN: readonly DisputeStatus[] = ['received', 'under_review'];

interface RecordBehind {
  id: string;
  current: Record<string, unknown> | null;
  importFile: string | null;
  importedAt: string | null;
  versions: Array<Record<string, unknown>>;
}

const SHOWN = [
  'issued_date',
  'agency',
  'county_fips',
  'released_by_agency',
  'released_by_county_fips',
  'outcome',
  'declined_date',
  'recorded_date',
  'citizenship',
  'criminal_activity',
  'source',
] as const;

async function recordsOf(store: Store, ids: string[]): Promise<RecordBehind[]> {
  const out: RecordBehind[] = [];
  for (const id of ids.slice(0, 50)) {
    const current = await store.db
      .selectFrom('detainers')
      .selectAll()
      .where('detainer_id', '=', id)
      .executeTakeFirst();
    const imp = current
      ? await store.db
          .selectFrom('imports')
          .select(['file_name', 'imported_at'])
          .where('import_id', '=', current.import_id)
          .executeTakeFirst()
      : undefined;
    const versions = await store.db
      .selectFrom('detainer_history')
      .selectAll()
      .where('detainer_id', '=', id)
      .orderBy('superseded_by_import', 'desc')
      .execute();
    out.push({
      id,
      current: current ?? null,
      importFile: imp?.file_name ?? null,
      importedAt: imp ? new Date(imp.imported_at).toISOString() : null,
      versions,
    });
  }
  return out;
}

const cell = (v: unknown) =>
  v === null || v === undefined ? '—' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v);

function RecordsBehind({ records, matched }: { records: RecordBehind[]; matched: boolean }) {
  return (
    <section aria-labelledby="behind-h">
      <h2 id="behind-h">The records behind it</h2>
      <p>
        {records.length === 0
          ? 'No record of the current data matches: the dispute is about a county, or its row was corrected already.'
          : matched
            ? 'The record the row was built from, as the store holds it now, with its import and earlier versions.'
            : 'The row is not in the current data as published (it may have been corrected since): these are the current records of its county and facility in the period.'}
      </p>
      {records.map((r) => (
        <div class="scroll" key={r.id}>
          <table class="work">
            <caption>
              Record <a href={`/work/detainers?id=${encodeURIComponent(r.id)}`}>{r.id}</a>
              {r.importFile ? ` — imported from ${r.importFile} at ${r.importedAt}` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                {SHOWN.map((f) => (
                  <th scope="col" key={f}>
                    {f.replaceAll('_', ' ')}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {r.current ? (
                <tr>
                  <th scope="row">now (import {cell(r.current.import_id)})</th>
                  {SHOWN.map((f) => (
                    <td key={f}>{cell(r.current![f])}</td>
                  ))}
                </tr>
              ) : null}
              {r.versions.map((v) => (
                <tr key={String(v.superseded_by_import)}>
                  <th scope="row">
                    import {cell(v.import_id)}, superseded by {cell(v.superseded_by_import)}
                  </th>
                  {SHOWN.map((f) => (
                    <td key={f}>{cell(v[f])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

function StatusForm({ d, csrf }: { d: Dispute; csrf: string }) {
  if (d.correction) return <p>This dispute was answered by a correction; its record is closed.</p>;
  return (
    <form method="post" action={`/work/disputes/${d.number}/status`} class="stack">
      <Csrf token={csrf} />
      <h2>Decide</h2>
      <p>
        <label for="s-status">New status</label>
        <select id="s-status" name="status">
          {DISPUTE_STATUSES.filter((s) => s !== d.status).map((s) => (
            <option key={s} value={s}>
              {STATUS_WORDS[s]}
            </option>
          ))}
        </select>
      </p>
      <p>
        <label for="s-reason">Reasoning (published on the dispute's page)</label>
        <textarea id="s-reason" name="reason" rows={4} cols={60} required />
      </p>
      <button type="submit">Change the status</button>
    </form>
  );
}

const disputeNumberOf = (c: Context) => {
  const n = Number(c.req.param('n'));
  if (!Number.isSafeInteger(n) || n < 1)
    throw new HttpError(404, 'not_found', 'no such dispute', 'See /work/disputes.');
  return n;
};

export function registerDisputeTriage(app: OpenAPIHono, store: Store): void {
  app.get('/work/disputes', async (c) => {
    await asPermitted(c, store, 'dispute.triage', 'The dispute queue');
    const q = c.req.query();
    const status = (DISPUTE_STATUSES as readonly string[]).includes(q.status ?? '')
      ? (q.status as DisputeStatus)
      : undefined;
    const county = /^\d{5}$/.test(q.county ?? '') ? q.county : undefined;
    const all = await listDisputes(store, { status, county });
    // By default the queue is what is still open, oldest first: the next to look at on top.
    const shown = status ? all : all.filter((d) => OPEN.includes(d.status)).reverse();
    return page(
      c,
      'Disputes',
      <>
        <Notice text={doneNote(c)} />
        <DisputeFilters action="/work/disputes" filter={q} />
        {shown.length === 0 ? (
          <p>
            {status ? 'No dispute has that status.' : 'No open dispute: nothing received or under review.'}
          </p>
        ) : (
          <DisputeTable
            disputes={shown}
            href={(d) => `/work/disputes/${d.number}`}
            caption={
              status ? `Disputes: ${STATUS_WORDS[status].toLowerCase()}` : 'Open disputes, oldest first'
            }
          />
        )}
      </>,
    );
  });

  app.get('/work/disputes/:n', async (c) => {
    await asPermitted(c, store, 'dispute.triage', 'The dispute queue');
    const d = await disputeNumbered(store, disputeNumberOf(c));
    const [contact, behind] = await Promise.all([disputeContact(store, d.number), recordsBehind(store, d)]);
    const records = await recordsOf(store, behind.detainerIds);
    const correctable = (d.status === 'upheld' || d.status === 'partly_upheld') && !d.correction && d.period;
    return page(
      c,
      `Dispute ${d.number}`,
      <>
        <Notice text={doneNote(c)} />
        {c.req.query('error') ? <Notice text={c.req.query('error')!.slice(0, 400)} alert /> : null}
        <p>
          <a href={`/disputes/${d.number}`}>The public page</a>. Reporter's contact (the office only, never
          published): <strong>{contact ?? 'none given'}</strong>
        </p>
        <DisputeRecord d={d} />
        <RecordsBehind records={records} matched={behind.matched} />
        <StatusForm d={d} csrf={csrfToken(c)} />
        {correctable ? (
          <p>
            Upheld: correct the records (above, "Record an outcome", or an import), then{' '}
            <a href={`/work/proposals?week=${d.period!.start}&dispute=${d.number}`}>
              propose the correction citing this dispute
            </a>
            .
          </p>
        ) : null}
      </>,
    );
  });

  app.post('/work/disputes/:n/status', async (c) => {
    const writer = await asPermitted(c, store, 'dispute.triage', 'Deciding a dispute');
    const n = disputeNumberOf(c);
    const f = await form(c);
    try {
      const d = await setDisputeStatus(writer, n, f.status ?? '', f.reason ?? '');
      return back(c, `/work/disputes/${n}`, `Dispute ${n}: ${STATUS_WORDS[d.status].toLowerCase()}.`);
    } catch (error) {
      if (!(error instanceof DdorError)) throw error;
      return c.redirect(`/work/disputes/${n}?error=${encodeURIComponent(error.message)}`, 303);
    }
  });
}
