/**
 * Disputes (issue 13): anyone — a listed county's sheriff, a reader — challenges what an
 * edition says about a Section II row or a county, and gets a numbered public record of
 * the challenge and of what the office decided. The reporter's contact is kept in a table
 * of its own and read only by `disputeContact` (the office's pages and API). An upheld
 * dispute is answered by a correction that cites it (`citingDisputes`).
 */

import type { Transaction } from 'kysely';
import { DdorError, InputRejectedError, type Rejection } from '../errors.js';
import { countyByFips } from '../geo/gazetteer.js';
import { identifierInText } from '../ingest/privacy.js';
import { recordAudit } from '../store/audit.js';
import type { Database, DisputesTable } from '../store/schema.js';
import { Mutex } from '../store/sql-session.js';
import type { Store } from '../store/store.js';
import { storedDay, storedTime } from '../store/values.js';
import { section2WithSources } from './build.js';
import { type PublishOptions, showEdition } from './editions.js';
import type { CountyRef, Report, RowChange } from './model.js';
import { type Period, periodLabel } from './period.js';
import { declinesIn } from './queries.js';

export const DISPUTE_CLAIMS = [
  'not_this_county',
  'not_this_facility',
  'not_a_decline',
  'dates_wrong',
  'other',
] as const;
export type DisputeClaim = (typeof DISPUTE_CLAIMS)[number];

/** What a reader picks in the form, and what the public record says. */
export const CLAIM_WORDS: Record<DisputeClaim, string> = {
  not_this_county: 'Not this county: the detainer belongs to another jurisdiction',
  not_this_facility: 'Not this facility',
  not_a_decline: 'Not a decline (e.g. a transfer, a lifted detainer, or one sent to the wrong place)',
  dates_wrong: 'The dates are wrong',
  other: 'Something else',
};

export const DISPUTE_STATUSES = ['received', 'under_review', 'upheld', 'partly_upheld', 'rejected'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];
const DECIDED: readonly DisputeStatus[] = ['upheld', 'partly_upheld', 'rejected'];
const ANSWERED_BY_CORRECTION: readonly DisputeStatus[] = ['upheld', 'partly_upheld'];

export const STATUS_WORDS: Record<DisputeStatus | 'corrected', string> = {
  received: 'Received',
  under_review: 'Under review',
  upheld: 'Upheld',
  partly_upheld: 'Partly upheld',
  rejected: 'Rejected',
  corrected: 'Corrected',
};

/** The longest text each field takes (characters). */
export const DISPUTE_FIELD_LIMITS = { claimed_value: 500, explanation: 4000, contact: 300 } as const;

export interface DisputeInput {
  /** The edition the reader was reading (both or neither). */
  period?: Period;
  edition?: number;
  /** A Section II row's `ref` in that edition. */
  row?: string;
  /** The county, when the dispute is about a county (Section I, a county page). */
  county?: string;
  claim: string;
  claimed_value?: string;
  explanation: string;
  contact?: string;
}

export interface DisputeEvent {
  at: string;
  status: DisputeStatus | 'corrected';
  /** An office account, or `public` for the report itself. */
  by: string;
  reason: string | null;
}

/** A dispute as the public sees it: everything but the contact. */
export interface Dispute {
  number: number;
  status: DisputeStatus;
  scope: 'row' | 'county';
  claim: DisputeClaim;
  county: CountyRef;
  period: Period | null;
  edition: number | null;
  row_ref: string | null;
  /** The row as the edition published it. */
  row: RowChange | null;
  claimed_value: string | null;
  explanation: string;
  /** The office's reasoning for the current status. */
  reasoning: string | null;
  received_at: string;
  updated_at: string;
  decided_at: string | null;
  /** The edition that corrected what it disputed. */
  correction: { period: Period; edition: number } | null;
  events: DisputeEvent[];
}

function periodOfRow(kind: string | null, start: unknown, end: unknown): Period | null {
  return kind ? { kind: kind as Period['kind'], start: storedDay(start), end: storedDay(end) } : null;
}

function countyRef(fips: string): CountyRef {
  const c = countyByFips(fips);
  return { fips, name: c?.name ?? fips, state: c?.state ?? '' };
}

function disputeOf(r: DisputesTable, events: DisputeEvent[]): Dispute {
  const correctionPeriod = periodOfRow(
    r.correction_period_kind,
    r.correction_period_start,
    r.correction_period_end,
  );
  const row = r.row_json ? (JSON.parse(r.row_json) as RowChange) : null;
  return {
    number: Number(r.dispute_id),
    status: r.status as DisputeStatus,
    scope: r.scope as Dispute['scope'],
    claim: r.claim as DisputeClaim,
    county: row?.county ?? countyRef(r.county_fips),
    period: periodOfRow(r.period_kind, r.period_start, r.period_end),
    edition: r.edition_number === null ? null : Number(r.edition_number),
    row_ref: r.row_ref,
    row,
    claimed_value: r.claimed_value,
    explanation: r.explanation,
    reasoning: r.reasoning,
    received_at: storedTime(r.received_at)!,
    updated_at: storedTime(r.updated_at)!,
    decided_at: storedTime(r.decided_at),
    correction:
      correctionPeriod && r.correction_edition !== null
        ? { period: correctionPeriod, edition: Number(r.correction_edition) }
        : null,
    events,
  };
}

/** A field refused: the dispute form's rejection (no value echoed: it may hold what was refused). */
const refusal = (column: string, reason: string, hint: string): Rejection => ({
  file: 'dispute',
  line: 1,
  column,
  value: null,
  reason,
  hint,
});

/** A control character other than tab and line breaks (PostgreSQL refuses NUL; none belongs in text). */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;

/** The form's fields, checked: each problem a rejection naming its field; none echoes a value. */
function checkedFields(input: DisputeInput): Rejection[] {
  const problems: Rejection[] = [];
  if (!(DISPUTE_CLAIMS as readonly string[]).includes(input.claim))
    problems.push(refusal('claim', 'say what is wrong', `Choose one of: ${DISPUTE_CLAIMS.join(', ')}.`));
  if (!input.explanation?.trim())
    problems.push(
      refusal('explanation', 'an explanation is needed', 'Say what is wrong and how you know it.'),
    );
  const texts: Array<[keyof typeof DISPUTE_FIELD_LIMITS, string | undefined]> = [
    ['claimed_value', input.claimed_value],
    ['explanation', input.explanation],
    ['contact', input.contact],
  ];
  for (const [field, text] of texts) {
    if (!text) continue;
    const limit = DISPUTE_FIELD_LIMITS[field];
    if (text.length > limit)
      problems.push(refusal(field, `longer than ${limit} characters`, 'Say it more briefly.'));
    else if (CONTROL.test(text))
      problems.push(refusal(field, 'contains a control character', 'Type or paste plain text.'));
    const found = identifierInText(text);
    if (found)
      problems.push(
        refusal(
          field,
          `looks like a personal identifier (${found})`,
          'A dispute is published: it must not identify a detained person. Leave out names, A-numbers, Social Security numbers and birth dates; the row and its dates are enough for the office to find the records.',
        ),
      );
  }
  return problems;
}

async function eventsOf(store: Store, ids: number[]): Promise<Map<number, DisputeEvent[]>> {
  const byId = new Map<number, DisputeEvent[]>();
  if (ids.length === 0) return byId;
  const rows = await store.db
    .selectFrom('dispute_events')
    .selectAll()
    .where('dispute_id', 'in', ids)
    .orderBy('dispute_id')
    .orderBy('seq')
    .execute();
  for (const r of rows) {
    const list = byId.get(Number(r.dispute_id)) ?? [];
    list.push({
      at: storedTime(r.at)!,
      status: r.status as DisputeEvent['status'],
      by: r.actor,
      reason: r.reason,
    });
    byId.set(Number(r.dispute_id), list);
  }
  return byId;
}

export interface DisputeFilter {
  county?: string;
  status?: DisputeStatus;
  period?: Period;
  edition?: number;
}

/** The disputes that fit the filter, newest first: their public records. */
export async function listDisputes(store: Store, filter: DisputeFilter = {}): Promise<Dispute[]> {
  let q = store.db.selectFrom('disputes').selectAll().orderBy('dispute_id', 'desc');
  if (filter.county) q = q.where('county_fips', '=', filter.county);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.period)
    q = q.where('period_start', '=', filter.period.start).where('period_end', '=', filter.period.end);
  if (filter.edition !== undefined) q = q.where('edition_number', '=', filter.edition);
  const rows = await q.execute();
  const events = await eventsOf(
    store,
    rows.map((r) => Number(r.dispute_id)),
  );
  return rows.map((r) => disputeOf(r, events.get(Number(r.dispute_id)) ?? []));
}

export async function disputeNumbered(store: Store, n: number): Promise<Dispute> {
  const row = Number.isSafeInteger(n)
    ? await store.db.selectFrom('disputes').selectAll().where('dispute_id', '=', n).executeTakeFirst()
    : undefined;
  if (!row)
    throw new DdorError('not_found', `there is no dispute ${n}`, 'See /disputes for every dispute received.');
  return disputeOf(row, (await eventsOf(store, [n])).get(n) ?? []);
}

/** The reporter's contact: for the office only (its pages and API check the permission). */
export async function disputeContact(store: Store, n: number): Promise<string | null> {
  const row = await store.db
    .selectFrom('dispute_contacts')
    .select('contact')
    .where('dispute_id', '=', n)
    .executeTakeFirst();
  return row?.contact ?? null;
}

/** What a dispute is about, from the edition the reader read: the row as published, its county. */
export async function disputedTarget(
  store: Store,
  input: Pick<DisputeInput, 'period' | 'edition' | 'row' | 'county'>,
): Promise<{ report: Report | null; row: RowChange | null; county: CountyRef }> {
  if ((input.period === undefined) !== (input.edition === undefined))
    throw new DdorError('usage', 'a dispute names both the period and the edition, or neither');
  const report = input.period ? (await showEdition(store, input.period, input.edition)).report : null;
  if (input.row !== undefined) {
    if (!report)
      throw new DdorError('usage', 'a disputed row is a row of an edition: name its period and edition');
    for (const g of report.section2) {
      const decline = g.declines.find((d) => d.ref === input.row);
      if (decline)
        return { report, row: { county: g.county, facility: g.facility, decline }, county: g.county };
    }
    throw new DdorError(
      'not_found',
      `edition ${input.edition} of ${periodLabel(input.period!)} has no row ${input.row}`,
      'Use the "Report an error" link beside the row.',
    );
  }
  const fips = input.county ?? '';
  if (!/^\d{5}$/.test(fips) || !countyByFips(fips))
    throw new DdorError(
      'usage',
      'a dispute is about a row of an edition or a county (its 5-digit FIPS code)',
      'Use the "Report an error" link beside the row, the Section I county or on the county page.',
    );
  const listed = report?.section1.find((r) => r.county.fips === fips)?.county;
  return { report, row: null, county: listed ?? countyRef(fips) };
}

/** Disputes of this process are numbered one at a time (a DuckDB store has one writer at a time anyway). */
const numbering = new Mutex();

/**
 * Runs `write` with the next number: one at a time in this process, and tried again if another
 * process (a second server on one PostgreSQL store) took the number meanwhile.
 */
async function withNextNumber<T>(
  store: Store,
  write: (tx: Transaction<Database>, n: number) => Promise<T>,
): Promise<T> {
  const release = await numbering.lock();
  try {
    return await numbered(store, write);
  } finally {
    release();
  }
}

async function numbered<T>(
  store: Store,
  write: (tx: Transaction<Database>, n: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.db.transaction().execute(async (tx) => {
        const { n } = (await tx
          .selectFrom('disputes')
          .select((eb) => eb.fn.max('dispute_id').as('n'))
          .executeTakeFirstOrThrow()) as { n: number | null };
        return write(tx, Number(n ?? 0) + 1);
      });
    } catch (error) {
      if (attempt >= 5 || error instanceof DdorError) throw error;
    }
  }
}

/**
 * Records a reader's dispute: every field checked (no identifier of a detained person
 * may be carried, as in an import), the row or county it is about read from the edition,
 * the contact apart. Nothing is written if anything is refused.
 */
export async function fileDispute(store: Store, input: DisputeInput, now = new Date()): Promise<Dispute> {
  const problems = checkedFields(input);
  if (problems.length > 0)
    throw new InputRejectedError(
      `the dispute was not recorded: ${problems.map((p) => `${p.column} ${p.reason}`).join('; ')}`,
      problems,
    );
  const target = await disputedTarget(store, input);
  const at = now.toISOString();
  const contact = input.contact?.trim() || null;
  const number = await withNextNumber(store, async (tx, n) => {
    const row: DisputesTable = {
      dispute_id: n,
      received_at: at,
      updated_at: at,
      status: 'received',
      scope: target.row ? 'row' : 'county',
      claim: input.claim,
      county_fips: target.county.fips,
      period_kind: input.period?.kind ?? null,
      period_start: input.period?.start ?? null,
      period_end: input.period?.end ?? null,
      edition_number: input.edition ?? null,
      row_ref: target.row ? input.row! : null,
      row_json: target.row ? JSON.stringify(target.row) : null,
      claimed_value: input.claimed_value?.trim() || null,
      explanation: input.explanation.trim(),
      reasoning: null,
      decided_at: null,
      correction_period_kind: null,
      correction_period_start: null,
      correction_period_end: null,
      correction_edition: null,
    };
    await tx.insertInto('disputes').values(row).execute();
    await tx
      .insertInto('dispute_events')
      .values({ dispute_id: n, seq: 1, at, status: 'received', actor: 'public', reason: null })
      .execute();
    if (contact) await tx.insertInto('dispute_contacts').values({ dispute_id: n, contact }).execute();
    await recordAudit(tx, store.actor, {
      action: 'dispute.receive',
      target: `dispute ${n}`,
      detail: {
        claim: row.claim,
        county: row.county_fips,
        period: input.period ? `${input.period.start}..${input.period.end}` : null,
        edition: row.edition_number,
        row: row.row_ref,
        with_contact: contact !== null,
      },
    });
    return n;
  });
  return disputeNumbered(store, number);
}

/** The office gives a dispute a status, with its reasoning (published on the dispute's page). */
export async function setDisputeStatus(
  store: Store,
  n: number,
  status: string,
  reason: string,
  now = new Date(),
): Promise<Dispute> {
  if (!(DISPUTE_STATUSES as readonly string[]).includes(status))
    throw new DdorError(
      'usage',
      `unknown dispute status ${JSON.stringify(status)}`,
      `Use one of: ${DISPUTE_STATUSES.join(', ')}.`,
    );
  const why = reason.trim();
  if (!why)
    throw new DdorError(
      'usage',
      'a status change needs a reason',
      'Say why: the reasoning is published on the dispute’s page.',
    );
  if (why.length > DISPUTE_FIELD_LIMITS.explanation)
    throw new DdorError('usage', `the reason is longer than ${DISPUTE_FIELD_LIMITS.explanation} characters`);
  const found = identifierInText(why);
  if (found)
    throw new DdorError(
      'input',
      `the reason looks like it holds a personal identifier (${found})`,
      'The reasoning is published: leave out names, A-numbers, Social Security numbers and birth dates.',
    );
  const before = await disputeNumbered(store, n);
  if (before.correction)
    throw new DdorError(
      'conflict',
      `dispute ${n} was answered by edition ${before.correction.edition} of ${periodLabel(before.correction.period)}`,
      'Its record is closed; a new dispute can challenge the correction.',
    );
  if (before.status === status)
    throw new DdorError('conflict', `dispute ${n} is already ${STATUS_WORDS[before.status].toLowerCase()}`);
  const at = now.toISOString();
  await store.db.transaction().execute(async (tx) => {
    const changed = await tx
      .updateTable('disputes')
      .set({
        status,
        reasoning: why,
        updated_at: at,
        decided_at: DECIDED.includes(status as DisputeStatus) ? at : null,
      })
      .where('dispute_id', '=', n)
      .where('status', '=', before.status)
      .where('correction_edition', 'is', null)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1)
      throw new DdorError(
        'conflict',
        `dispute ${n} was changed by someone else meanwhile`,
        'Reload it and decide again.',
      );
    await tx
      .insertInto('dispute_events')
      .values({
        dispute_id: n,
        seq: before.events.length + 1,
        at,
        status,
        actor: store.actor.name,
        reason: why,
      })
      .execute();
    await recordAudit(tx, store.actor, {
      action: 'dispute.status',
      target: `dispute ${n}`,
      detail: { before: before.status, after: status, reason: why },
    });
  });
  return disputeNumbered(store, n);
}

/** Checks that disputes may be cited by a correction of `period`: upheld (or partly), not yet answered, about it. */
export async function checkCitable(store: Store, period: Period, numbers: number[]): Promise<number[]> {
  const list = [...new Set(numbers)].sort((a, b) => a - b);
  for (const n of list) {
    const d = await disputeNumbered(store, n);
    if (!ANSWERED_BY_CORRECTION.includes(d.status))
      throw new DdorError(
        'conflict',
        `dispute ${n} is ${STATUS_WORDS[d.status].toLowerCase()}: only an upheld or partly upheld dispute is answered by a correction`,
        `Decide it first: \`ddor dispute status ${n} upheld --reason "…"\` or on /work/disputes/${n}.`,
      );
    if (d.correction)
      throw new DdorError(
        'conflict',
        `dispute ${n} was answered already, by edition ${d.correction.edition} of ${periodLabel(d.correction.period)}`,
      );
    if (d.period && (d.period.start !== period.start || d.period.end !== period.end))
      throw new DdorError(
        'conflict',
        `dispute ${n} is about ${periodLabel(d.period)}, not ${periodLabel(period)}`,
        'Correct the period the dispute is about.',
      );
  }
  return list;
}

/**
 * What a correction answering disputes writes in its own transaction: each dispute marked
 * answered by the new edition (refused if one was answered or changed meanwhile), and a
 * `corrected` event on its timeline.
 */
export function citingDisputes(
  period: Period,
  disputes: readonly number[],
): (tx: Transaction<Database>, edition: number, at: string, by: string) => Promise<void> {
  return async (tx, edition, at, by) => {
    for (const n of disputes) {
      const changed = await tx
        .updateTable('disputes')
        .set({
          correction_period_kind: period.kind,
          correction_period_start: period.start,
          correction_period_end: period.end,
          correction_edition: edition,
          updated_at: at,
        })
        .where('dispute_id', '=', n)
        .where('status', 'in', [...ANSWERED_BY_CORRECTION])
        .where('correction_edition', 'is', null)
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) !== 1)
        throw new DdorError(
          'conflict',
          `dispute ${n} was changed or answered meanwhile`,
          'Check it and try again.',
        );
      const { seq } = (await tx
        .selectFrom('dispute_events')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('dispute_id', '=', n)
        .executeTakeFirstOrThrow()) as { seq: number | null };
      await tx
        .insertInto('dispute_events')
        .values({
          dispute_id: n,
          seq: Number(seq ?? 0) + 1,
          at,
          status: 'corrected',
          actor: by,
          reason: `Corrected in edition ${edition} of ${periodLabel(period)}.`,
        })
        .execute();
    }
  };
}

/** The `answers` of a correction (editions.ts PublishOptions): checked now, marked in its transaction. */
export async function answering(
  store: Store,
  period: Period,
  numbers: readonly number[],
): Promise<PublishOptions['answers']> {
  if (numbers.length === 0) return undefined;
  const disputes = await checkCitable(store, period, [...numbers]);
  return { disputes, write: citingDisputes(period, disputes) };
}

/** The records behind a disputed row, in the current data (the office's view): detainer ids. */
export async function recordsBehind(
  store: Store,
  dispute: Dispute,
): Promise<{ detainerIds: string[]; matched: boolean }> {
  if (!dispute.period || dispute.edition === null) return { detainerIds: [], matched: false };
  const edition = (await showEdition(store, dispute.period, dispute.edition)).report;
  const declines = await declinesIn(store, dispute.period, edition.decline_basis);
  const { groups, sources } = section2WithSources(declines);
  if (dispute.row_ref) {
    const id = sources.get(dispute.row_ref);
    if (id) return { detainerIds: [id], matched: true };
  }
  // The row is not in the current data as published (corrected since?): its county's and facility's rows.
  const ids: string[] = [];
  for (const g of groups) {
    if (g.county.fips !== dispute.county.fips) continue;
    if (dispute.row && g.facility !== dispute.row.facility) continue;
    for (const d of g.declines) {
      const id = d.ref ? sources.get(d.ref) : undefined;
      if (id) ids.push(id);
    }
  }
  return { detainerIds: ids.slice(0, 200), matched: false };
}
