/**
 * Review before publishing (issue 11). In office mode (once the store has an
 * account) an edition is published by approving a proposal: one person proposes
 * a period's draft, another — a reviewer — approves it, which publishes exactly
 * the data proposed (its draft hash is checked again), or rejects it with a
 * reason. The edition then names both (`compiled_by`, `reviewed_by`). An admin
 * may switch the two-person rule off for a one-person office; the edition then
 * says it had no second review. Without accounts, `ddor report publish` works as
 * it always did and editions name nobody.
 *
 * Every decision writes its audit row in the same transaction as its change.
 */

import { hasAccounts } from '../auth/accounts.js';
import { DdorError } from '../errors.js';
import { recordAudit } from '../store/audit.js';
import type { ProposalsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { storedTime } from '../store/values.js';
import { type BuildOptions, buildReport } from './build.js';
import { countChanges, diffReports } from './changes.js';
import { answering, checkCitable } from './disputes.js';
import {
  correctEdition,
  draftSha256,
  type EditionReview,
  type FrozenEdition,
  type PublishOptions,
  publishEdition,
  showEdition,
} from './editions.js';
import type { EditionChanges, Report } from './model.js';
import { type Period, periodLabel } from './period.js';

export const TWO_PERSON_RULE = 'two_person_rule';

/** Whether publishing needs a second person: on unless an admin switched it off. */
export async function twoPersonRule(store: Store): Promise<boolean> {
  const row = await store.db
    .selectFrom('office_settings')
    .select('value')
    .where('name', '=', TWO_PERSON_RULE)
    .executeTakeFirst();
  return row?.value !== 'off';
}

/** Switches the two-person rule on or off (an admin's decision; audited). */
export async function setTwoPersonRule(store: Store, on: boolean): Promise<void> {
  const value = on ? 'on' : 'off';
  await store.db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('office_settings')
      .select('value')
      .where('name', '=', TWO_PERSON_RULE)
      .executeTakeFirst();
    const row = {
      name: TWO_PERSON_RULE,
      value,
      updated_at: new Date().toISOString(),
      updated_by: store.actor.name,
    };
    if (before)
      await tx.updateTable('office_settings').set(row).where('name', '=', TWO_PERSON_RULE).execute();
    else await tx.insertInto('office_settings').values(row).execute();
    await recordAudit(tx, store.actor, {
      action: 'settings.set',
      target: 'two-person-rule',
      detail: { before: before?.value ?? 'on', after: value },
    });
  });
}

export type ProposalStatus = 'proposed' | 'approved' | 'rejected';

export interface Proposal {
  id: number;
  period: Period;
  kind: 'publish' | 'correct';
  note: string | null;
  top: number;
  decline_basis: string;
  draft_sha256: string;
  base_edition: number | null;
  proposed_by: string;
  proposed_at: string;
  status: ProposalStatus;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  edition: number | null;
  /** The disputes a correction answers (cited in its errata when published). */
  disputes: number[];
}

function proposalOf(r: ProposalsTable): Proposal {
  return {
    id: Number(r.proposal_id),
    period: { kind: r.period_kind as Period['kind'], start: r.period_start, end: r.period_end },
    kind: r.kind as Proposal['kind'],
    note: r.note,
    top: Number(r.top),
    decline_basis: r.decline_basis,
    draft_sha256: r.draft_sha256,
    base_edition: r.base_edition === null ? null : Number(r.base_edition),
    proposed_by: r.proposed_by,
    proposed_at: storedTime(r.proposed_at)!,
    status: r.status as ProposalStatus,
    decided_by: r.decided_by,
    decided_at: storedTime(r.decided_at),
    reason: r.reason,
    edition: r.edition_number === null ? null : Number(r.edition_number),
    disputes: r.disputes ? (JSON.parse(r.disputes) as number[]) : [],
  };
}

const target = (p: Pick<Proposal, 'id' | 'period'>) =>
  `proposal ${p.id}: ${p.period.kind} ${p.period.start}..${p.period.end}`;

/** The latest published edition of a period, or null. */
async function latestEdition(store: Store, period: Period): Promise<FrozenEdition | null> {
  try {
    return await showEdition(store, period);
  } catch (error) {
    if (error instanceof DdorError && error.kind === 'not_found') return null;
    throw error;
  }
}

export async function listProposals(
  store: Store,
  filter: { status?: ProposalStatus } = {},
): Promise<Proposal[]> {
  let q = store.db.selectFrom('proposals').selectAll().orderBy('proposal_id', 'desc');
  if (filter.status) q = q.where('status', '=', filter.status);
  return (await q.execute()).map(proposalOf);
}

export async function proposalNumbered(store: Store, id: number): Promise<Proposal> {
  const row = Number.isSafeInteger(id)
    ? await store.db.selectFrom('proposals').selectAll().where('proposal_id', '=', id).executeTakeFirst()
    : undefined;
  if (!row)
    throw new DdorError('not_found', `there is no proposal ${id}`, 'List them with `ddor report proposals`.');
  return proposalOf(row);
}

/**
 * Proposes the current data of a period as its next edition: the first
 * (`publish`) or a correction (`correct`, which needs a note saying what was
 * corrected). The draft's hash is recorded; one open proposal per period.
 */
export async function propose(
  store: Store,
  period: Period,
  options: BuildOptions & { note?: string; disputes?: number[] } = {},
): Promise<Proposal> {
  const note = options.note?.trim() || null;
  const previous = await latestEdition(store, period);
  if (!previous && options.disputes?.length)
    throw new DdorError(
      'usage',
      `${periodLabel(period)} has no published edition: only a correction answers a dispute`,
      'Disputes are about published editions; propose the correction of the edition disputed.',
    );
  const disputes = options.disputes?.length ? await checkCitable(store, period, options.disputes) : [];
  if (previous && !note) {
    throw new DdorError(
      'usage',
      `${periodLabel(period)} is published: a proposal for it is a correction and needs --note`,
      'Say what was corrected: it is printed as the errata.',
    );
  }
  const top = options.top ?? previous?.report.top;
  const declineBasis = options.declineBasis ?? previous?.report.decline_basis;
  const draft = await buildReport(store, period, { top, declineBasis });
  if (previous) {
    const changes = diffReports(previous.report, draft);
    if (countChanges(changes) === 0 && Object.keys(changes.totals).length === 0) {
      throw new DdorError(
        'conflict',
        `nothing changed since edition ${previous.report.edition!.number} of ${periodLabel(period)}`,
        'A correction publishes changed data: import or record the corrected records first.',
      );
    }
  }
  return store.db.transaction().execute(async (tx) => {
    const open = await tx
      .selectFrom('proposals')
      .select('proposal_id')
      .where('period_start', '=', period.start)
      .where('period_end', '=', period.end)
      .where('status', '=', 'proposed')
      .executeTakeFirst();
    if (open) {
      throw new DdorError(
        'conflict',
        `${periodLabel(period)} already has an open proposal (${Number(open.proposal_id)})`,
        'A reviewer approves or rejects it first.',
      );
    }
    const { n } = (await tx
      .selectFrom('proposals')
      .select((eb) => eb.fn.max('proposal_id').as('n'))
      .executeTakeFirstOrThrow()) as { n: number | null };
    const row: ProposalsTable = {
      proposal_id: Number(n ?? 0) + 1,
      period_kind: period.kind,
      period_start: period.start,
      period_end: period.end,
      kind: previous ? 'correct' : 'publish',
      note,
      top: draft.top,
      decline_basis: draft.decline_basis,
      draft_sha256: draftSha256(draft),
      base_edition: previous ? previous.report.edition!.number : null,
      proposed_by: store.actor.name,
      proposed_at: new Date().toISOString(),
      status: 'proposed',
      decided_by: null,
      decided_at: null,
      reason: null,
      edition_number: null,
      disputes: disputes.length > 0 ? JSON.stringify(disputes) : null,
    };
    await tx.insertInto('proposals').values(row).execute();
    const proposal = proposalOf(row);
    await recordAudit(tx, store.actor, {
      action: 'edition.propose',
      target: target(proposal),
      detail: {
        kind: row.kind,
        note,
        draft_sha256: row.draft_sha256,
        base_edition: row.base_edition,
        ...(disputes.length > 0 ? { disputes } : {}),
      },
    });
    return proposal;
  });
}

/** What a reviewer looks at: the draft as it is now, the edition it would follow, and what changes. */
export interface ProposalReview {
  proposal: Proposal;
  draft: Report;
  previous: Report | null;
  changes: EditionChanges | null;
  /** False when the data changed after the proposal: approving would be refused. */
  unchanged: boolean;
}

export async function reviewOf(store: Store, id: number): Promise<ProposalReview> {
  const proposal = await proposalNumbered(store, id);
  const draft = await buildReport(store, proposal.period, {
    top: proposal.top,
    declineBasis: proposal.decline_basis as BuildOptions['declineBasis'],
  });
  const previous =
    proposal.base_edition === null
      ? null
      : (await showEdition(store, proposal.period, proposal.base_edition)).report;
  return {
    proposal,
    draft,
    previous,
    changes: previous ? diffReports(previous, draft) : null,
    unchanged: draftSha256(draft) === proposal.draft_sha256,
  };
}

function stillOpen(p: Proposal): void {
  if (p.status !== 'proposed')
    throw new DdorError(
      'conflict',
      `proposal ${p.id} was ${p.status} by ${p.decided_by} at ${p.decided_at}`,
      'Propose the period again to publish newer data.',
    );
}

/**
 * Approves a proposal and publishes it as the period's next edition, in one
 * transaction. The approver must not be the proposer while the two-person rule
 * is on; the data must be exactly what was proposed.
 */
export async function approve(
  store: Store,
  id: number,
  options: Pick<PublishOptions, 'signingKey' | 'now'> = {},
): Promise<{ proposal: Proposal; edition: FrozenEdition }> {
  const proposal = await proposalNumbered(store, id);
  stillOpen(proposal);
  const rule = await twoPersonRule(store);
  if (rule && proposal.proposed_by === store.actor.name) {
    throw new DdorError(
      'conflict',
      `${store.actor.name} proposed this edition and cannot also approve it (two-person rule)`,
      'Another reviewer approves it; an admin can switch the rule off for a one-person office (`ddor settings two-person-rule off`).',
    );
  }
  const at = (options.now ?? new Date()).toISOString();
  const review: EditionReview = {
    compiledBy: proposal.proposed_by,
    compiledAt: proposal.proposed_at,
    reviewedBy: store.actor.name,
    reviewedAt: at,
    rule: rule ? 'two-person' : 'one-person',
  };
  const decision = {
    audit: {
      action: 'edition.approve' as const,
      target: target(proposal),
      detail: { proposal: proposal.id },
    },
    write: async (tx: Parameters<NonNullable<PublishOptions['decision']>['write']>[0], number: number) => {
      const changed = await tx
        .updateTable('proposals')
        .set({ status: 'approved', decided_by: store.actor.name, decided_at: at, edition_number: number })
        .where('proposal_id', '=', proposal.id)
        .where('status', '=', 'proposed')
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) !== 1)
        throw new DdorError('conflict', `proposal ${proposal.id} was decided by someone else meanwhile`);
    },
  };
  const common = {
    ...options,
    top: proposal.top,
    declineBasis: proposal.decline_basis as BuildOptions['declineBasis'],
    review,
    expectDraftSha256: proposal.draft_sha256,
    decision,
  };
  const edition =
    proposal.kind === 'publish'
      ? await publishEdition(store, proposal.period, { ...common, note: proposal.note ?? undefined })
      : await correctEdition(store, proposal.period, {
          ...common,
          note: proposal.note ?? '',
          answers: await answering(store, proposal.period, proposal.disputes),
        });
  return { proposal: await proposalNumbered(store, id), edition };
}

/** Rejects a proposal with the reviewer's reason. */
export async function reject(store: Store, id: number, reason: string): Promise<Proposal> {
  if (!reason.trim())
    throw new DdorError('usage', 'a rejection needs a reason', 'Say what is wrong, for the proposer.');
  const proposal = await proposalNumbered(store, id);
  stillOpen(proposal);
  await store.db.transaction().execute(async (tx) => {
    const changed = await tx
      .updateTable('proposals')
      .set({
        status: 'rejected',
        decided_by: store.actor.name,
        decided_at: new Date().toISOString(),
        reason: reason.trim(),
      })
      .where('proposal_id', '=', id)
      .where('status', '=', 'proposed')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1)
      throw new DdorError('conflict', `proposal ${id} was decided by someone else meanwhile`);
    await recordAudit(tx, store.actor, {
      action: 'edition.reject',
      target: target(proposal),
      detail: { reason: reason.trim() },
    });
  });
  return proposalNumbered(store, id);
}

/**
 * Publishing directly (`ddor report publish` / `correct`): as always without
 * accounts; in office mode only while the two-person rule is off, and the
 * edition then names its one person.
 */
export async function directReview(store: Store, now = new Date()): Promise<EditionReview | undefined> {
  if (!(await hasAccounts(store))) return undefined;
  if (await twoPersonRule(store)) {
    throw new DdorError(
      'conflict',
      'in office mode an edition is published by approving a proposal (two-person rule)',
      'Propose it with `ddor report propose`, and have a reviewer approve it (`ddor report approve N`, or on the web at /work/proposals). An admin can switch the rule off with `ddor settings two-person-rule off`.',
    );
  }
  const at = now.toISOString();
  return {
    compiledBy: store.actor.name,
    compiledAt: at,
    reviewedBy: store.actor.name,
    reviewedAt: at,
    rule: 'one-person',
  };
}
