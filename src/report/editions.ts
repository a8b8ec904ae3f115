/**
 * Editions: a published report is frozen as its exact JSON bytes, with their
 * SHA-256. A correction is a new edition (errata and a computed change list);
 * nothing updates or deletes an edition, and every read checks the hash.
 */
import { createHash } from 'node:crypto';
import { DdorError } from '../errors.js';
import { recordAudit } from '../store/audit.js';
import type { EditionsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { type BuildOptions, buildReport } from './build.js';
import { countChanges, diffReports } from './changes.js';
import type { Edition, EditionChanges, Report } from './model.js';
import { type Period, periodLabel } from './period.js';
import { serializeReport } from './serialize.js';

export interface FrozenEdition {
  report: Report;
  /** The exact bytes published; `report show --format json` returns these. */
  bytes: string;
}

/** An edition's columns as stored, but its period as one object (without the report's bytes). */
export type EditionSummary = { period: { start: string; end: string; kind: string } } & Pick<
  EditionsTable,
  'number' | 'published_at' | 'content_sha256' | 'note' | 'errata' | 'supersedes'
>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const DRAFT_NOTE = /^This is a draft built from the current data/;

type EditionRow = EditionsTable;

async function editionRows(store: Store, period: Period): Promise<EditionRow[]> {
  const rows = await store.db
    .selectFrom('editions')
    .selectAll()
    .where('period_start', '=', period.start)
    .where('period_end', '=', period.end)
    .orderBy('number')
    .execute();
  return rows.map((r) => ({
    ...r,
    number: Number(r.number),
    supersedes: r.supersedes === null ? null : Number(r.supersedes),
  }));
}

/**
 * Bytes already verified in this process, by edition. A read whose stored bytes equal
 * them needs no second parse: equal bytes have the same hash.
 */
const verified = new Map<string, FrozenEdition>();

/** Parses and verifies a stored edition: a mismatch means the bytes were altered outside ddor. */
function verify(row: EditionRow): FrozenEdition {
  const key = `${row.period_start}/${row.period_end}/${row.number}`;
  const known = verified.get(key);
  if (known && known.bytes === row.report_json) return known;
  const report = JSON.parse(row.report_json) as Report;
  const content = sha256(serializeReport({ ...report, edition: null }));
  if (content !== row.content_sha256 || report.edition?.content_sha256 !== row.content_sha256) {
    throw new DdorError(
      'store',
      `edition ${row.number} of ${row.period_start}..${row.period_end} fails its integrity check (SHA-256 mismatch)`,
      'Its stored bytes were changed outside ddor. Restore the store from a backup or the edition from a static archive (ddor archive build).',
    );
  }
  const frozen = { report, bytes: row.report_json };
  if (verified.size > 500) verified.delete(verified.keys().next().value!);
  verified.set(key, frozen);
  return frozen;
}

function label(period: Period): string {
  return `${period.start}..${period.end} (${periodLabel(period)})`;
}

async function freeze(
  store: Store,
  period: Period,
  options: BuildOptions & { note?: string; errata?: string; now?: Date },
  previous: FrozenEdition | null,
): Promise<FrozenEdition> {
  const draft = await buildReport(store, period, options);
  const number = previous ? previous.report.edition!.number + 1 : 1;
  let changes: EditionChanges | null = null;
  let editionNote: string;
  if (previous) {
    changes = diffReports(previous.report, draft);
    const n = countChanges(changes);
    if (n === 0 && Object.keys(changes.totals).length === 0) {
      throw new DdorError(
        'conflict',
        `nothing changed since edition ${number - 1} of ${label(period)}`,
        'A correction publishes changed data: import the corrected records first.',
      );
    }
    editionNote = `Edition ${number} corrects edition ${number - 1} (published ${previous.report.edition!.published_at.slice(0, 10)}): ${options.errata}`;
  } else {
    editionNote = `Edition 1: the first publication for this period; no corrections.`;
  }
  const content: Report = {
    ...draft,
    section4: {
      notes: [...draft.section4.notes.filter((n) => !DRAFT_NOTE.test(n)), editionNote],
      figures: {
        ...draft.section4.figures,
        corrections_since_previous_edition: changes ? countChanges(changes) : 0,
      },
    },
    edition: null,
  };
  const contentSha = sha256(serializeReport(content));
  const edition: Edition = {
    number,
    published_at: (options.now ?? new Date()).toISOString(),
    content_sha256: contentSha,
    note: options.note ?? null,
    errata: options.errata ?? null,
    supersedes: previous ? number - 1 : null,
    changes,
  };
  const report = { ...content, edition };
  const bytes = serializeReport(report);
  try {
    await store.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('editions')
        .values({
          period_kind: period.kind,
          period_start: period.start,
          period_end: period.end,
          number,
          published_at: edition.published_at,
          content_sha256: contentSha,
          note: edition.note,
          errata: edition.errata,
          supersedes: edition.supersedes,
          report_json: bytes,
        })
        .execute();
      await recordAudit(tx, store.actor, {
        action: previous ? 'report.correct' : 'report.publish',
        target: `${period.kind} ${period.start}..${period.end} edition ${number}`,
        detail: { content_sha256: contentSha, note: edition.note },
      });
    });
  } catch (error) {
    throw new DdorError(
      'conflict',
      `edition ${number} of ${label(period)} was published by someone else meanwhile`,
      `Run \`ddor report show\` to see it; correct it with \`ddor report correct\`. (${error instanceof Error ? error.message : error})`,
    );
  }
  return { report, bytes };
}

export async function publishEdition(
  store: Store,
  period: Period,
  options: BuildOptions & { note?: string; now?: Date } = {},
): Promise<FrozenEdition> {
  const existing = await editionRows(store, period);
  if (existing.length > 0) {
    throw new DdorError(
      'conflict',
      `${label(period)} already has ${existing.length === 1 ? 'an edition' : `${existing.length} editions`}; a published edition never changes`,
      'To publish corrected data, run `ddor report correct` with the same period and --note "what was corrected".',
    );
  }
  return freeze(store, period, options, null);
}

export async function correctEdition(
  store: Store,
  period: Period,
  options: BuildOptions & { note: string; now?: Date },
): Promise<FrozenEdition> {
  if (!options.note?.trim()) {
    throw new DdorError(
      'usage',
      'a correction needs --note',
      'Say what was corrected: it is printed as the errata.',
    );
  }
  const existing = await editionRows(store, period);
  const last = existing.at(-1);
  if (!last) {
    throw new DdorError(
      'not_found',
      `${label(period)} has no published edition to correct`,
      'Publish it first: `ddor report publish`.',
    );
  }
  const previous = verify(last);
  // A correction keeps the published edition's parameters unless told otherwise.
  const top = options.top ?? previous.report.top;
  const declineBasis = options.declineBasis ?? previous.report.decline_basis;
  return freeze(
    store,
    period,
    { ...options, top, declineBasis, errata: options.note, note: options.note },
    previous,
  );
}

/** An edition exactly as frozen (the latest by default), its hash checked. */
export async function showEdition(store: Store, period: Period, number?: number): Promise<FrozenEdition> {
  const rows = await editionRows(store, period);
  if (rows.length === 0) {
    throw new DdorError(
      'not_found',
      `${label(period)} has no published edition`,
      'Build a draft with `ddor report build`, or publish one with `ddor report publish`.',
    );
  }
  const row = number === undefined ? rows.at(-1)! : rows.find((r) => r.number === number);
  if (!row) {
    throw new DdorError(
      'not_found',
      `${label(period)} has no edition ${number}`,
      `Its editions are ${rows.map((r) => r.number).join(', ')}.`,
    );
  }
  return verify(row);
}

export async function listEditions(store: Store): Promise<EditionSummary[]> {
  const rows = await store.db
    .selectFrom('editions')
    .select([
      'period_kind',
      'period_start',
      'period_end',
      'number',
      'published_at',
      'content_sha256',
      'note',
      'errata',
      'supersedes',
    ])
    .orderBy('period_start', 'desc')
    .orderBy('period_end', 'desc')
    .orderBy('number')
    .execute();
  return rows.map((r) => ({
    period: { start: r.period_start, end: r.period_end, kind: r.period_kind },
    number: Number(r.number),
    published_at: r.published_at,
    content_sha256: r.content_sha256,
    note: r.note,
    errata: r.errata,
    supersedes: r.supersedes === null ? null : Number(r.supersedes),
  }));
}

/** Every edition, verified, for the static archive. */
export async function allEditions(store: Store): Promise<FrozenEdition[]> {
  const out: FrozenEdition[] = [];
  for (const e of await listEditions(store)) {
    const period: Period = {
      kind: e.period.kind as Period['kind'],
      start: e.period.start,
      end: e.period.end,
    };
    out.push(await showEdition(store, period, e.number));
  }
  return out;
}
