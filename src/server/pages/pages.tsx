/** The web app's pages, server-rendered; every one works without JavaScript. */

import type { ComponentChildren } from 'preact';
import { STATES, stateName } from '../../domain/states.js';
import type { RequestKind } from '../../domain/vocab.js';
import { POLICY_LEVELS, POLICY_TYPES, RESTRICTIONS } from '../../domain/vocab.js';
import { FORMATS } from '../../render/formats.js';
import { ChangeList, ReportSections, Table, TitleBlock } from '../../render/html/sections.js';
import {
  capitalise,
  DECLINE_BASIS,
  HEADERS,
  REQUEST_KIND_WORDS,
  type TableColumn,
} from '../../render/labels.js';
import type { EditionSummary } from '../../report/editions.js';
import { reportOfKind, splitsByKind } from '../../report/kinds.js';
import type { EditionChanges, Report } from '../../report/model.js';
import { periodLabel, periodPath } from '../../report/period.js';
import type { CountyProfile, WeekPoint } from '../../report/series.js';
import { WeeklyChart } from './chart.js';
import { disputeFormHref } from './disputes.js';
import { KindToggle } from './kind-toggle.js';
import { type HeadLink, Page } from './layout.js';

const num = (n: number) => n.toLocaleString('en-US');

export function ReportPage(props: {
  report: Report;
  editions: EditionSummary[];
  draft: boolean;
  home?: boolean;
  /** Show one request kind only (`?kind=`); null: every request. */
  kind?: RequestKind | null;
  /** A published edition's "Embed this map" and "Cite this edition" (pages/share.tsx), and its head links. */
  share?: ComponentChildren;
  headLinks?: HeadLink[];
}) {
  const kind = props.kind ?? null;
  const full = props.report;
  // The page shows the kind's view; the downloads stay the full report.
  const report = kind ? reportOfKind(full, kind) : full;
  const path = periodPath(report.period);
  const q = report.edition ? `?edition=${report.edition.number}` : props.draft ? '?edition=draft' : '';
  const ownEditions = props.editions.filter(
    (e) => e.period.start === report.period.start && e.period.end === report.period.end,
  );
  return (
    <Page title={report.title} current={props.home ? 'home' : undefined} island headLinks={props.headLinks}>
      <TitleBlock report={report} />
      <div class="toolbar">
        <form method="get" action="/reports">
          <label>
            Week containing
            <input type="date" name="week" value={report.period.start} />
          </label>
          <button type="submit">Show week</button>
        </form>
        <form method="get" action="/reports">
          <label>
            From
            <input type="date" name="from" value={report.period.start} />
          </label>
          <label>
            To
            <input type="date" name="to" value={report.period.end} />
          </label>
          <button type="submit">Show range</button>
        </form>
        <div class="editions-list">
          Editions: {ownEditions.length === 0 ? 'none published · ' : null}
          {ownEditions.map((e) => (
            <a
              key={e.number}
              href={`/reports/${path}?edition=${e.number}`}
              aria-current={report.edition?.number === e.number ? 'true' : undefined}
            >
              {`Edition ${e.number}`}
            </a>
          ))}
          {ownEditions.length > 0 ? ' · ' : null}
          <a href={`/reports/${path}?edition=draft`} aria-current={!report.edition ? 'true' : undefined}>
            Current data
          </a>
        </div>
        <div>
          <a href={`/compare?b=${path}`}>Compare with another period</a>
        </div>
        <div class="downloads">
          Download:{' '}
          {FORMATS.map((f) => (
            <a key={f.id} href={`/api/v1/reports/${path}.${f.id}${q}`} download>
              {f.label}
            </a>
          ))}
        </div>
      </div>
      {splitsByKind(full) ? <KindToggle path={path} edition={q.slice(1)} kind={kind} /> : null}
      {kind ? (
        <p class="kind-note">
          {`Showing ${REQUEST_KIND_WORDS[kind].toggle.toLowerCase()} only: the totals, Section I (its counties, ranked by these requests), the map and Section II. The previous period, Section III and the downloads are of every request.`}
        </p>
      ) : null}
      {report.edition ? <EditionProof report={report} /> : null}
      {props.share}
      <ReportSections
        report={report}
        mapOptions={{ src: `/maps/${path}.svg${q}${kind ? `${q ? '&' : '?'}kind=${kind}` : ''}` }}
        compactChart
        disputeLinks={report.edition ? editionDisputeLinks(report) : undefined}
      />
      <aside id="county-panel" hidden aria-live="polite" aria-label="County details" />
      <script
        id="report-data"
        type="application/json"
        dangerouslySetInnerHTML={{ __html: JSON.stringify(report).replaceAll('<', '\\u003c') }}
      />
    </Page>
  );
}

/** The "Report an error" links of a published edition's page: its rows and counties, its cited disputes. */
function editionDisputeLinks(report: Report) {
  const at = { period: report.period, edition: report.edition!.number };
  return {
    row: (ref: string) => disputeFormHref({ ...at, row: ref }),
    county: (fips: string) => disputeFormHref({ ...at, county: fips }),
    dispute: (n: number) => `/disputes/${n}`,
  };
}

/**
 * A published edition's check, as this read made it (a read that fails it is a 503, never a
 * page), and how a reader can repeat it offline.
 */
function EditionProof({ report }: { report: Report }) {
  const e = report.edition!;
  const path = `/api/v1/reports/${periodPath(report.period)}`;
  const status = !e.entry_sha256
    ? 'Verified: hash and chain intact (published before editions were signed)'
    : e.signature
      ? 'Verified: signature and chain intact'
      : 'Verified: chain intact; published unsigned (no signing key)';
  return (
    <section class="edition-proof" aria-labelledby="edition-proof">
      <h2 id="edition-proof">{status}</h2>
      <p>
        {`Edition ${e.number}${e.sequence ? `, entry ${e.sequence} of the chain of every published edition` : ''}. Content SHA-256 `}
        <code>{e.content_sha256}</code>
        {e.entry_sha256 ? (
          <>
            {'; entry SHA-256 '}
            <code>{e.entry_sha256}</code>
          </>
        ) : null}
        {e.signature ? (
          <>
            {'; signed with Ed25519 key '}
            <code>{e.key_id}</code>
          </>
        ) : null}
        .
      </p>
      <p>
        {'Check it yourself, offline: download '}
        <a href={`${path}.json?edition=${e.number}`}>the JSON</a>
        {' (or the PDF, XLSX or HTML: each carries it) and '}
        <a href="/.well-known/ddor-publisher.pub">the publisher's public key</a>
        {', then run '}
        <code>{`ddor verify report.json --key ddor-publisher.pub`}</code>
        {'. The README\'s "Checking an edition yourself" shows the same check with openssl.'}
      </p>
    </section>
  );
}

export function EditionsPage(props: { editions: EditionSummary[]; changes: Map<string, EditionChanges> }) {
  return (
    <Page title="Editions" current="editions">
      <h1>Published editions</h1>
      <p class="lede">
        A correction is a new edition with its errata and the list of changes; earlier editions stay readable,
        unchanged.
      </p>
      {props.editions.length === 0 ? <p>No edition has been published yet.</p> : null}
      <table>
        <caption>Every edition, newest period first</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">Edition</th>
            <th scope="col">Published</th>
            <th scope="col">Errata and changes</th>
            <th scope="col">Content SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {props.editions.map((e) => {
            const p = { kind: e.period.kind as 'week', start: e.period.start, end: e.period.end };
            const key = `${e.period.start}/${e.period.end}/${e.number}`;
            const changes = props.changes.get(key);
            return (
              <tr key={key}>
                <th scope="row">
                  <a href={`/reports/${periodPath(p)}?edition=${e.number}`}>{periodLabel(p)}</a>
                </th>
                <td class="num">{e.number}</td>
                <td class="date">{e.published_at.slice(0, 10)}</td>
                <td>
                  {e.errata ?? (e.number === 1 ? 'First publication' : '')}
                  {changes ? <ChangeList changes={changes} /> : null}
                </td>
                <td>
                  <code>{e.content_sha256.slice(0, 16)}…</code>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Page>
  );
}

/** The first column of every week-by-week table: the week, linked to its report. */
const weekOf = <Row extends { week: string }>(): TableColumn<Row> => ({
  label: 'Week of',
  rowHeader: true,
  cell: (r) => [[{ href: `/reports/week/${r.week}`, text: r.week }]],
});
const count = <Row,>(label: string, value: (r: Row) => number | null): TableColumn<Row> => ({
  label,
  align: 'num',
  empty: '—',
  cell: (r) => {
    const v = value(r);
    return v === null ? [] : [[num(v)]];
  },
});

const WEEK_COLUMNS: ReadonlyArray<TableColumn<WeekPoint>> = [
  weekOf(),
  // Weeks after the last issuing date have no detainers-issued figure (only late-recorded declines).
  count(HEADERS.detainers_issued, (w) => (w.issuing_data ? w.detainers_issued : null)),
  count(capitalise(DECLINE_BASIS.recorded.figure), (w) => w.declined),
];

function WeekTable(props: { weeks: WeekPoint[]; caption: string }) {
  return <Table caption={props.caption} columns={WEEK_COLUMNS} rows={props.weeks} rowKey={(w) => w.week} />;
}

export function CountyPage(props: {
  profile: CountyProfile;
  children?: ComponentChildren;
  headLinks?: HeadLink[];
}) {
  const { county, weeks, totals, policies, editions } = props.profile;
  return (
    <Page title={`${county.name}, ${county.state}`} headLinks={props.headLinks}>
      <h1>
        {county.name}, {county.state_name}
      </h1>
      <p class="lede">
        FIPS {county.fips} · {county.class}. {num(totals.detainers_issued)} detainers issued to agencies here
        and {num(totals.declined)} declines recorded
        {totals.decline_share !== null ? ` (decline share ${(totals.decline_share * 100).toFixed(1)}%)` : ''}.
      </p>
      <h2>Week by week</h2>
      <WeeklyChart points={weeks} label={`${county.name}, ${county.state}`} />
      <h2>Policies limiting cooperation</h2>
      {policies.length === 0 ? <p>No policy of this county or its state is recorded.</p> : null}
      <ol class="notes">
        {policies.map((p) => (
          <li key={p.policy_id}>
            <strong>{p.enacted_date}</strong>
            {p.rescinded_date ? ` – rescinded ${p.rescinded_date}` : ' – in force'}: {p.title} ({p.level},{' '}
            {p.type.replaceAll('_', ' ')}; restricts {p.restricts.join(', ').replaceAll('_', ' ')})
            {p.source_url ? ' · ' : ''}
            {p.source_url ? <a href={p.source_url}>source</a> : null}
          </li>
        ))}
      </ol>
      <h2>Editions that list this county</h2>
      {editions.length === 0 ? <p>No published edition lists it.</p> : null}
      <ul>
        {editions.map((e) => {
          const p = { kind: e.period.kind as 'week', start: e.period.start, end: e.period.end };
          return (
            <li key={`${e.period.start}-${e.number}`}>
              <a href={`/reports/${periodPath(p)}?edition=${e.number}`}>
                {periodLabel(p)}, edition {e.number}
              </a>
              : {num(e.declines)} declines
            </li>
          );
        })}
      </ul>
      <WeekTable
        weeks={weeks}
        caption={`Detainers issued and declines recorded in ${county.name}, by week`}
      />
      {props.children}
      <p>
        As data: <a href={`/api/v1/jurisdictions/${county.fips}`}>/api/v1/jurisdictions/{county.fips}</a>
      </p>
    </Page>
  );
}

export interface PolicyRow {
  policy_id: string;
  level: string;
  state: string;
  jurisdiction: string;
  type: string;
  title: string;
  enacted_date: string;
  rescinded_date: string | null;
  restricts: string;
  source_url: string | null;
}

export function PoliciesPage(props: { policies: PolicyRow[]; filter: Record<string, string> }) {
  const f = props.filter;
  const select = (name: string, label: string, options: readonly string[], labelOf = (o: string) => o) => (
    <label>
      {label}
      <select name={name}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o} selected={f[name] === o}>
            {labelOf(o)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Page title="Policies" current="policies">
      <h1>Policies limiting cooperation</h1>
      <form method="get" action="/policies" class="filters toolbar">
        {select(
          'state',
          'State',
          STATES.map((s) => s.code),
          stateName,
        )}
        {select('level', 'Level', POLICY_LEVELS)}
        {select('type', 'Type', POLICY_TYPES, (t) => t.replaceAll('_', ' '))}
        {select('restricts', 'Restricts', RESTRICTIONS, (t) => t.replaceAll('_', ' '))}
        <label>
          In force on
          <input type="date" name="in_force" value={f.in_force ?? ''} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <table>
        <caption>{`${num(props.policies.length)} policies`}</caption>
        <thead>
          <tr>
            <th scope="col">Jurisdiction</th>
            <th scope="col">Level</th>
            <th scope="col">Type</th>
            <th scope="col">Title</th>
            <th scope="col">Enacted</th>
            <th scope="col">Rescinded</th>
            <th scope="col">Restricts</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {props.policies.map((p) => (
            <tr key={p.policy_id}>
              <th scope="row">{p.jurisdiction}</th>
              <td>{p.level}</td>
              <td>{p.type.replaceAll('_', ' ')}</td>
              <td>{p.title}</td>
              <td class="date">{p.enacted_date}</td>
              <td class="date">{p.rescinded_date ?? ''}</td>
              <td>{p.restricts.replaceAll(';', ', ').replaceAll('_', ' ')}</td>
              <td>{p.source_url ? <a href={p.source_url}>source</a> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}

export function TrendsPage(props: { weeks: WeekPoint[]; state: string | null }) {
  return (
    <Page title="Trends" current="trends">
      <h1>Trends{props.state ? `: ${stateName(props.state)}` : ': nationwide'}</h1>
      <form method="get" action="/trends" class="toolbar">
        <label>
          State
          <select name="state">
            <option value="">nationwide</option>
            {STATES.map((s) => (
              <option key={s.code} value={s.code} selected={props.state === s.code}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Show</button>
      </form>
      <WeeklyChart points={props.weeks} label={props.state ? stateName(props.state) : 'Nationwide'} />
      <WeekTable weeks={props.weeks} caption="Detainers issued and declines recorded, by week" />
    </Page>
  );
}

export interface QualityData {
  queue: Array<{
    facility_key: string;
    name: string;
    city: string | null;
    state: string;
    candidates: string | null;
    records: number;
  }>;
  quarantine: Array<{
    import_id: number;
    file_name: string;
    line: number;
    column_name: string;
    reason: string;
  }>;
  figures: Array<{ week: string; figures: Report['section4']['figures'] }>;
}

type WeekFigures = QualityData['figures'][number];
/** Section IV's figures of a week, in short. */
const FIDELITY_COLUMNS: ReadonlyArray<TableColumn<WeekFigures>> = [
  weekOf(),
  count('Issued before', (w) => w.figures.declines_issued_before_period),
  count('Median lag (days)', (w) => w.figures.median_recording_lag_days),
  count('Unresolved', (w) => w.figures.excluded_unresolved + w.figures.unresolved_detainers_issued),
  count('No citizenship', (w) => w.figures.missing_citizenship),
  count('No criminal activity', (w) => w.figures.missing_criminal_activity),
  count('Undated declines', (w) => w.figures.declines_without_date),
];

export function QualityPage(props: { data: QualityData }) {
  const { queue, quarantine, figures } = props.data;
  return (
    <Page title="Data quality" current="quality">
      <h1>Data quality</h1>
      <h2>Facilities waiting for a county</h2>
      {queue.length === 0 ? <p>None: every facility is attributed to a county.</p> : null}
      {queue.length > 0 ? (
        <table>
          <caption>The resolution queue (ddor resolve list)</caption>
          <thead>
            <tr>
              <th scope="col">Facility</th>
              <th scope="col">Place</th>
              <th scope="col">Candidates</th>
              <th scope="col" class="num">
                Records
              </th>
            </tr>
          </thead>
          <tbody>
            {queue.map((q) => (
              <tr key={q.facility_key}>
                <th scope="row">{q.name}</th>
                <td>
                  {q.city ?? '?'}, {q.state}
                </td>
                <td>{q.candidates ?? ''}</td>
                <td class="num">{num(q.records)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h2>Quarantined rows</h2>
      {quarantine.length === 0 ? <p>None.</p> : null}
      {quarantine.length > 0 ? (
        <table>
          <caption>Rows held back by --accept-partial imports (first 200)</caption>
          <thead>
            <tr>
              <th scope="col">Import</th>
              <th scope="col">File</th>
              <th scope="col" class="num">
                Line
              </th>
              <th scope="col">Column</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {quarantine.map((q) => (
              <tr key={`${q.import_id}-${q.line}-${q.column_name}`}>
                <td class="num">{q.import_id}</td>
                <th scope="row">{q.file_name}</th>
                <td class="num">{q.line}</td>
                <td>{q.column_name}</td>
                <td>{q.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h2>Section IV figures, recent weeks</h2>
      <Table
        caption="Data fidelity by week"
        columns={FIDELITY_COLUMNS}
        rows={figures}
        rowKey={(w) => w.week}
      />
    </Page>
  );
}

export function MessagePage(props: { status: number; message: string; hint: string }) {
  return (
    <Page title={props.status === 404 ? 'Not found' : 'Error'}>
      <h1>{props.status === 404 ? 'Not found' : 'Something went wrong'}</h1>
      <p>{props.message}</p>
      <p class="lede">{props.hint}</p>
      <p>
        <a href="/">Back to the latest report</a>
      </p>
    </Page>
  );
}
