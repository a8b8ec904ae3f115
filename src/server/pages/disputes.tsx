/**
 * The public side of disputes (issue 13): the "Report an error" form, which works without
 * JavaScript or an account; each dispute's public record; the list; and the part of a
 * county page that lists its disputes. Nothing here ever shows a reporter's contact: these
 * components are never given it.
 */
import { criminalActivityText } from '../../render/labels.js';
import {
  CLAIM_WORDS,
  DISPUTE_CLAIMS,
  DISPUTE_FIELD_LIMITS,
  DISPUTE_STATUSES,
  type Dispute,
  type DisputeClaim,
  STATUS_WORDS,
} from '../../report/disputes.js';
import type { CountyRef, RowChange } from '../../report/model.js';
import { type Period, periodLabel, periodPath } from '../../report/period.js';
import { type HeadLink, Page } from './layout.js';

/** The feed of the office's decisions on disputes, named in the head of the dispute pages. */
export const DISPUTES_FEED = '/disputes/feed.xml';
export const DISPUTES_FEED_LINK: HeadLink = {
  rel: 'alternate',
  type: 'application/atom+xml',
  href: DISPUTES_FEED,
  title: 'Disputes: the office’s decisions',
};

const when = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

export const editionHref = (period: Period, edition: number) =>
  `/reports/${periodPath(period)}?edition=${edition}`;

/** The "Report an error" form's address for a row or a county of an edition (or a county alone). */
export function disputeFormHref(target: {
  period?: Period | null;
  edition?: number | null;
  row?: string;
  county?: string;
}): string {
  const q = new URLSearchParams();
  if (target.period && target.edition) {
    q.set('period', periodPath(target.period));
    q.set('edition', String(target.edition));
  }
  if (target.row) q.set('row', target.row);
  else if (target.county) q.set('county', target.county);
  return `/disputes/new?${q}`;
}

/** A disputed row as the edition published it: one small table. */
export function DisputedRow({ row }: { row: RowChange }) {
  const d = row.decline;
  return (
    <table class="work">
      <caption>The row as published</caption>
      <tbody>
        <tr>
          <th scope="row">County</th>
          <td>
            <a href={`/counties/${row.county.fips}`}>
              {row.county.name}, {row.county.state}
            </a>{' '}
            ({row.county.fips})
          </td>
        </tr>
        <tr>
          <th scope="row">Facility</th>
          <td>{row.facility}</td>
        </tr>
        {d.received_by ? (
          <tr>
            <th scope="row">Detainer sent to</th>
            <td>{d.received_by}</td>
          </tr>
        ) : null}
        <tr>
          <th scope="row">Citizenship</th>
          <td>{d.citizenship ?? 'not recorded'}</td>
        </tr>
        <tr>
          <th scope="row">Issued</th>
          <td>{d.issued_date}</td>
        </tr>
        <tr>
          <th scope="row">Declined</th>
          <td>{d.declined_date ?? 'no date'}</td>
        </tr>
        <tr>
          <th scope="row">Notable criminal activity</th>
          <td>{criminalActivityText(d) || 'none recorded'}</td>
        </tr>
        <tr>
          <th scope="row">Row reference</th>
          <td>
            <code>{d.ref}</code>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

export interface DisputeFormValues {
  claim?: string;
  claimed_value?: string;
  explanation?: string;
  contact?: string;
}

/** The form for a dispute of a row or a county, with the reader's values and each field's error kept. */
export function DisputeFormPage(props: {
  period: Period | null;
  edition: number | null;
  row: RowChange | null;
  rowRef: string | null;
  county: CountyRef;
  values?: DisputeFormValues;
  errors?: Partial<Record<string, string>>;
  message?: string;
}) {
  const v = props.values ?? {};
  const errors = props.errors ?? {};
  const fieldError = (name: string) =>
    errors[name] ? (
      <span class="field-error" id={`${name}-error`}>
        {errors[name]}
      </span>
    ) : null;
  const described = (name: string, hint?: string) =>
    [hint, errors[name] ? `${name}-error` : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <Page title="Report an error">
      <h1>Report an error</h1>
      <p>
        {props.row ? 'About this row of ' : `About ${props.county.name}, ${props.county.state} in `}
        {props.period && props.edition ? (
          <a href={editionHref(props.period, props.edition)}>
            {`edition ${props.edition} of the ${periodLabel(props.period)} report`}
          </a>
        ) : (
          'the report'
        )}
        {props.row ? '' : ` (county ${props.county.fips}).`}
      </p>
      {props.row ? <DisputedRow row={props.row} /> : null}
      {props.message ? (
        <p class="alert" role="alert">
          {props.message}
        </p>
      ) : null}
      <p class="notice">
        No account is needed. <strong>What you write here is published</strong> on the dispute's own page,
        with the office's decision — all but your contact, which only the office's staff see. Do not include
        names, A-numbers, birth dates or anything else that identifies a detained person: the row is enough
        for the office to find its records.
      </p>
      <form method="post" action="/disputes" class="stack">
        {props.period && props.edition ? (
          <>
            <input type="hidden" name="period" value={periodPath(props.period)} />
            <input type="hidden" name="edition" value={String(props.edition)} />
          </>
        ) : null}
        {props.rowRef ? <input type="hidden" name="row" value={props.rowRef} /> : null}
        {props.row ? null : <input type="hidden" name="county" value={props.county.fips} />}
        <fieldset aria-describedby={described('claim')}>
          <legend>What is wrong?</legend>
          {fieldError('claim')}
          {DISPUTE_CLAIMS.filter((c) => props.row || (c !== 'not_this_facility' && c !== 'dates_wrong')).map(
            (c: DisputeClaim) => (
              <label key={c} class="choice">
                <input type="radio" name="claim" value={c} required checked={v.claim === c} />
                {CLAIM_WORDS[c]}
              </label>
            ),
          )}
        </fieldset>
        <p>
          <label for="d-claimed">The correct value, if you know it</label>
          <input
            id="d-claimed"
            name="claimed_value"
            maxlength={DISPUTE_FIELD_LIMITS.claimed_value}
            size={50}
            value={v.claimed_value ?? ''}
            aria-describedby={described('claimed_value', 'd-claimed-hint')}
          />
          <span id="d-claimed-hint" class="sub">
            {' '}
            e.g. the county it belongs to, the facility, the date
          </span>
          {fieldError('claimed_value')}
        </p>
        <p>
          <label for="d-explanation">Explanation (required)</label>
          <textarea
            id="d-explanation"
            name="explanation"
            rows={6}
            cols={60}
            required
            maxlength={DISPUTE_FIELD_LIMITS.explanation}
            aria-describedby={described('explanation')}
          >
            {v.explanation ?? ''}
          </textarea>
          {fieldError('explanation')}
        </p>
        <p>
          <label for="d-contact">
            Your contact (optional: email or phone; seen only by the office's staff)
          </label>
          <input
            id="d-contact"
            name="contact"
            maxlength={DISPUTE_FIELD_LIMITS.contact}
            size={40}
            autocomplete="email"
            value={v.contact ?? ''}
            aria-describedby={described('contact')}
          />
          {fieldError('contact')}
        </p>
        {/* The honeypot: people never see or reach it; a form that fills it in is refused. */}
        <p class="hp" aria-hidden="true">
          <label for="d-website">Leave this field empty</label>
          <input id="d-website" name="website" tabindex={-1} autocomplete="off" />
        </p>
        <button type="submit">Send the report</button>
      </form>
    </Page>
  );
}

function StatusBadge({ status }: { status: Dispute['status'] }) {
  return <strong class={`dispute-status ${status}`}>{STATUS_WORDS[status]}</strong>;
}

function About({ d }: { d: Dispute }) {
  return (
    <>
      <a href={`/counties/${d.county.fips}`}>
        {d.county.name}, {d.county.state}
      </a>
      {d.row ? ` — ${d.row.facility}` : ''}
      {d.period && d.edition ? (
        <>
          {', '}
          <a href={editionHref(d.period, d.edition)}>{`edition ${d.edition} of ${periodLabel(d.period)}`}</a>
        </>
      ) : null}
    </>
  );
}

/** A dispute's public record: what was claimed, what the office decided and why, and the correction. */
export function DisputeRecord({ d }: { d: Dispute }) {
  return (
    <>
      <dl class="figures">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={d.status} />
        </dd>
        <dt>About</dt>
        <dd>
          <About d={d} />
        </dd>
        <dt>The claim</dt>
        <dd>{CLAIM_WORDS[d.claim]}</dd>
        {d.claimed_value ? (
          <>
            <dt>Claimed correct value</dt>
            <dd>{d.claimed_value}</dd>
          </>
        ) : null}
        <dt>Received</dt>
        <dd>{when(d.received_at)}</dd>
        {d.decided_at ? (
          <>
            <dt>Decided</dt>
            <dd>{when(d.decided_at)}</dd>
          </>
        ) : null}
        {d.correction ? (
          <>
            <dt>Corrected in</dt>
            <dd>
              <a href={editionHref(d.correction.period, d.correction.edition)}>
                {`edition ${d.correction.edition} of ${periodLabel(d.correction.period)}`}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
      <h2>The report</h2>
      <blockquote class="dispute-text">{d.explanation}</blockquote>
      {d.row ? <DisputedRow row={d.row} /> : null}
      <h2>The office's reasoning</h2>
      <p>{d.reasoning ?? 'Not decided yet.'}</p>
      <h2>History</h2>
      <ol class="dispute-events">
        {d.events.map((e) => (
          <li key={`${e.at}${e.status}`}>
            <time datetime={e.at}>{e.at.slice(0, 16).replace('T', ' ')} UTC</time>: {STATUS_WORDS[e.status]}
            {e.by === 'public' ? ' (the report)' : ` by ${e.by}`}
            {e.reason ? ` — ${e.reason}` : ''}
          </li>
        ))}
      </ol>
    </>
  );
}

export function DisputePage({ d, received }: { d: Dispute; received: boolean }) {
  return (
    <Page title={`Dispute ${d.number}`} headLinks={[DISPUTES_FEED_LINK]}>
      <h1>
        Dispute No. {d.number}: {STATUS_WORDS[d.status]}
      </h1>
      {received ? (
        <p class="notice" role="status">
          Your report was received as dispute No. {d.number}. Keep this page's address to follow it: the
          office's decision and its reasoning will appear here.
        </p>
      ) : null}
      <DisputeRecord d={d} />
      <p>
        <a href="/disputes">Every dispute</a> ·{' '}
        <a href={`/api/v1/disputes/${d.number}`}>this record as JSON</a>
      </p>
    </Page>
  );
}

/** A table of disputes; `href` gives each one's page (public or the office's). */
export function DisputeTable(props: { disputes: Dispute[]; href: (d: Dispute) => string; caption: string }) {
  return (
    <div class="scroll">
      <table class="work">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">No.</th>
            <th scope="col">Received</th>
            <th scope="col">About</th>
            <th scope="col">Claim</th>
            <th scope="col">Status</th>
            <th scope="col">Corrected in</th>
          </tr>
        </thead>
        <tbody>
          {props.disputes.map((d) => (
            <tr key={d.number}>
              <th scope="row">
                <a href={props.href(d)}>{d.number}</a>
              </th>
              <td>{when(d.received_at)}</td>
              <td>
                <About d={d} />
              </td>
              <td>{CLAIM_WORDS[d.claim]}</td>
              <td>
                <StatusBadge status={d.status} />
              </td>
              <td>
                {d.correction ? (
                  <a href={editionHref(d.correction.period, d.correction.edition)}>
                    {`edition ${d.correction.edition}`}
                  </a>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DisputeFilters(props: { action: string; filter: Record<string, string | undefined> }) {
  return (
    <form method="get" action={props.action} class="filters">
      <label>
        County (FIPS)
        <input name="county" value={props.filter.county ?? ''} size={6} inputmode="numeric" />
      </label>
      <label>
        Status
        <select name="status">
          <option value="">any</option>
          {DISPUTE_STATUSES.map((s) => (
            <option key={s} value={s} selected={props.filter.status === s}>
              {STATUS_WORDS[s]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Show</button>
    </form>
  );
}

export function DisputesPage(props: { disputes: Dispute[]; filter: Record<string, string | undefined> }) {
  return (
    <Page title="Disputes" current="disputes" headLinks={[DISPUTES_FEED_LINK]}>
      <h1>Disputes</h1>
      <p>
        Anyone may challenge what an edition says — a row of Section II, a county's listing — with "Report an
        error" beside it. Each dispute is published here with the office's decision and its reasoning; an
        upheld one is answered by a correction, a new edition that cites it.
      </p>
      <p>
        <a href={DISPUTES_FEED}>Follow the decisions</a> (an Atom feed: each dispute upheld, partly upheld or
        rejected, with the reasoning and the correction).
      </p>
      <DisputeFilters action="/disputes" filter={props.filter} />
      {props.disputes.length === 0 ? (
        <p>No disputes{props.filter.county || props.filter.status ? ' match' : ' yet'}.</p>
      ) : (
        <DisputeTable
          disputes={props.disputes}
          href={(d) => `/disputes/${d.number}`}
          caption="Disputes, newest first"
        />
      )}
    </Page>
  );
}

/** A county page's part: its disputes and their outcomes, and the way to report an error about it. */
export function CountyDisputes(props: { county: CountyRef; disputes: Dispute[]; reportHref: string }) {
  return (
    <section aria-labelledby="county-disputes">
      <h2 id="county-disputes">Disputes</h2>
      <p>
        <a href={props.reportHref}>Report an error about {props.county.name}</a> — or use "Report an error"
        beside a row of an edition.
      </p>
      {props.disputes.length === 0 ? (
        <p>No dispute has been received about this county.</p>
      ) : (
        <DisputeTable
          disputes={props.disputes}
          href={(d) => `/disputes/${d.number}`}
          caption={`Disputes about ${props.county.name}`}
        />
      )}
    </section>
  );
}
