/**
 * Editions: a published report is frozen as its exact JSON bytes, with their
 * SHA-256. A correction is a new edition (errata and a computed change list);
 * nothing updates or deletes an edition. Every edition is also one entry of a single
 * append-only chain over all editions (./chain.ts), signed when a key is given, so a
 * changed note, a moved, inserted, reordered or deleted edition shows: every read checks
 * the row against its own bytes and the whole chain link by link.
 */
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import type { Transaction } from 'kysely';
import { DdorError } from '../errors.js';
import { type AuditEntry, recordAudit } from '../store/audit.js';
import { appendChainHead, headFilePath, readChainHead } from '../store/chain-head.js';
import type { Database, EditionChainTable, EditionsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { type BuildOptions, buildReport } from './build.js';
import {
  CHAIN_SCHEMA,
  type ChainCheck,
  type ChainFile,
  type ChainLink,
  type ChainPlace,
  canonicalJson,
  differingFields,
  type Entry,
  editionName,
  entryOf,
  entrySha256,
  keyIdOf,
  parseEntry,
  placeOf,
  sha256,
  signEntry,
  walkChain,
  withComputedSha,
} from './chain.js';
import { countChanges, diffReports } from './changes.js';
import type { Edition, EditionChanges, Report } from './model.js';
import { type Period, periodLabel } from './period.js';
import { serializeReport } from './serialize.js';

export interface FrozenEdition {
  report: Report;
  /** The exact bytes published; `report show --format json` returns these. */
  bytes: string;
  /** Its chain entry's hash, and the PEM public key that signed it (null: published unsigned). */
  entrySha256: string;
  publicKey: string | null;
}

/** An edition's columns as stored, but its period as one object (without the report's bytes), and its place in the chain. */
export type EditionSummary = { period: { start: string; end: string; kind: string } } & Pick<
  EditionsTable,
  'number' | 'published_at' | 'content_sha256' | 'note' | 'errata' | 'supersedes'
> &
  ChainPlace & { entry_sha256: string; signature: string | null };

const DRAFT_NOTE = /^This is a draft built from the current data/;

type EditionRow = EditionsTable;
type EditionColumns = Omit<EditionsTable, 'report_json'>;

const HINT =
  'The store was changed outside ddor. Run `ddor verify` to see the whole chain; restore the store from a backup, or the editions from a static archive (ddor archive build) checked with `ddor verify`.';

function integrityError(problems: readonly string[]): DdorError {
  const more =
    problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new DdorError('store', `integrity check failed: ${problems[0]}${more}`, HINT);
}

const rowName = (r: Pick<EditionColumns, 'number' | 'period_start' | 'period_end'>) =>
  `edition ${r.number} of ${r.period_start}..${r.period_end}`;
const periodKey = (start: string, end: string, number: number) => `${start}/${end}/${number}`;

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

const COLUMNS = [
  'period_kind',
  'period_start',
  'period_end',
  'number',
  'published_at',
  'content_sha256',
  'note',
  'errata',
  'supersedes',
] as const;

/** The chain as stored: its links in sequence order, the keys, every edition's columns, checked. */
interface StoredChain {
  links: ChainLink[];
  /** Chain links by period and number. */
  byEdition: Map<string, ChainLink>;
  columns: EditionColumns[];
  keys: Map<string, string>;
  check: ChainCheck;
  /** Head records the witness (file or sequence) kept. */
  head: { sequence: number; entry_sha256: string | null }[];
}

/** Reads the chain, the keys and every edition's columns, and checks them against each other. */
async function storedChain(store: Store, options: { requiredKeyId?: string } = {}): Promise<StoredChain> {
  const [chainRows, columnRows, keyRows, head] = await Promise.all([
    store.db.selectFrom('edition_chain').selectAll().orderBy('sequence').execute(),
    store.db
      .selectFrom('editions')
      .select([...COLUMNS])
      .orderBy('period_start', 'desc')
      .orderBy('period_end', 'desc')
      .orderBy('number')
      .execute(),
    store.db.selectFrom('publisher_keys').select(['key_id', 'public_key']).execute(),
    readChainHead(store),
  ]);
  const problems: string[] = [];
  const links: ChainLink[] = [];
  const byEdition = new Map<string, ChainLink>();
  for (const [i, row] of (chainRows as EditionChainTable[]).entries()) {
    const sequence = Number(row.sequence);
    let entry: Entry;
    let sha: string;
    try {
      ({ entry, sha } = parseEntry(row.entry_json));
    } catch {
      problems.push(`chain entry ${sequence}: its entry is not JSON`);
      continue;
    }
    if (sequence !== i + 1)
      problems.push(
        `chain entry ${i + 1} is missing: the chain goes from ${i} to ${sequence} (${editionName(entry)})`,
      );
    if (
      entry.period?.start !== row.period_start ||
      entry.period?.end !== row.period_end ||
      entry.edition?.number !== Number(row.number)
    )
      problems.push(
        `chain entry ${sequence}: its row names ${rowName(row)}, its entry ${editionName(entry)}`,
      );
    const link = withComputedSha({ entry, entry_sha256: row.entry_sha256, signature: row.signature }, sha);
    links.push(link);
    byEdition.set(periodKey(row.period_start, row.period_end, Number(row.number)), link);
  }
  const keys = new Map(keyRows.map((k) => [k.key_id, k.public_key]));
  const check = walkChain(links, keys, options);
  problems.push(...check.problems);

  const columns = columnRows.map((r) => ({
    ...r,
    number: Number(r.number),
    supersedes: r.supersedes === null ? null : Number(r.supersedes),
  }));
  const present = new Set<string>();
  for (const row of columns) {
    const key = periodKey(row.period_start, row.period_end, row.number);
    present.add(key);
    const link = byEdition.get(key);
    if (!link) {
      problems.push(`${rowName(row)} is not in the chain: it was added outside ddor`);
      continue;
    }
    const e = link.entry.edition;
    const differs = differingFields(
      {
        period_kind: row.period_kind,
        published_at: row.published_at,
        content_sha256: row.content_sha256,
        note: row.note,
        errata: row.errata,
        supersedes: row.supersedes,
      },
      {
        period_kind: link.entry.period.kind,
        published_at: e.published_at,
        content_sha256: e.content_sha256,
        note: e.note,
        errata: e.errata,
        supersedes: e.supersedes,
      },
    );
    if (differs.length > 0)
      problems.push(
        `${rowName(row)}: its row's ${differs.join(', ')} differ${differs.length === 1 ? 's' : ''} from its chain entry`,
      );
  }
  for (const link of links) {
    const e = link.entry;
    if (!present.has(periodKey(e.period.start, e.period.end, e.edition.number)))
      problems.push(
        `${editionName(e)} (chain entry ${e.edition.sequence}) is missing from the store: it was deleted`,
      );
  }

  for (const h of head) {
    const link = links[h.sequence - 1];
    if (!link)
      problems.push(
        `the chain's head was entry ${h.sequence} (${headFilePath(store) ?? 'the edition_chain_head sequence'}), but the store's chain ends at ${links.length}: the last editions were deleted`,
      );
    else if (h.entry_sha256 && h.entry_sha256 !== link.entry_sha256)
      problems.push(
        `chain entry ${h.sequence} (${editionName(link.entry)}) is not the entry the head file recorded`,
      );
    if (problems.length > 0 && !link) break;
  }
  check.problems = problems;
  return { links, byEdition, columns, keys, check, head };
}

async function intactChain(store: Store): Promise<StoredChain> {
  const chain = await storedChain(store);
  if (chain.check.problems.length > 0) throw integrityError(chain.check.problems);
  return chain;
}

/** What is wrong with an edition's stored bytes, against its own row and its chain entry. */
function bytesProblems(
  row: EditionRow,
  link: ChainLink | undefined,
): { problems: string[]; report?: Report } {
  const name = rowName(row);
  let report: Report;
  try {
    report = JSON.parse(row.report_json) as Report;
  } catch {
    return { problems: [`${name}: its bytes are not JSON`] };
  }
  const problems: string[] = [];
  const p = report.period;
  if (p?.start !== row.period_start || p?.end !== row.period_end || p?.kind !== row.period_kind)
    problems.push(
      `${name}: its bytes are the report for ${p?.start}..${p?.end} (${p?.kind}), not for its row's period`,
    );
  const e = report.edition;
  if (!e) return { problems: [...problems, `${name}: its bytes carry no edition`] };
  if (e.number !== row.number) problems.push(`${name}: its bytes are edition ${e.number}`);
  const content = sha256(serializeReport({ ...report, edition: null }));
  if (content !== row.content_sha256 || e.content_sha256 !== row.content_sha256)
    problems.push(
      `${name} fails its integrity check (SHA-256 mismatch): its content hashes to ${content}, its record says ${row.content_sha256}`,
    );
  const differs = differingFields(
    { published_at: row.published_at, note: row.note, errata: row.errata, supersedes: row.supersedes },
    { published_at: e.published_at, note: e.note, errata: e.errata, supersedes: e.supersedes },
  );
  if (differs.length > 0)
    problems.push(
      `${name}: its ${differs.join(', ')} differ${differs.length === 1 ? 's' : ''} from its bytes`,
    );
  if (!link)
    return { problems: [...problems, `${name} is not in the chain: it was added outside ddor`], report };
  const own = entryOf(report, placeOf(link));
  if (canonicalJson(own) !== canonicalJson(link.entry)) {
    const fields = [
      ...differingFields({ ...own }, { ...link.entry }).filter((f) => f !== 'edition'),
      ...differingFields(own.edition, link.entry.edition),
    ];
    problems.push(`${name}: its bytes differ from its chain entry in ${fields.join(', ')}`);
  }
  if (e.entry_sha256 !== undefined && e.entry_sha256 !== link.entry_sha256)
    problems.push(`${name}: its bytes name entry ${e.entry_sha256}, the chain ${link.entry_sha256}`);
  if (e.signature !== undefined && (e.signature ?? null) !== link.signature)
    problems.push(`${name}: its bytes carry another signature than its chain entry`);
  return { problems, report };
}

/**
 * Bytes already verified in this process, by store and edition. A read whose stored bytes
 * equal them needs no second parse: equal bytes have the same hash.
 */
const verified = new Map<string, { bytes: string; report: Report; entry: string }>();

/** Parses and verifies a stored edition against its row and its chain entry. */
function verifyRow(store: Store, row: EditionRow, chain: StoredChain): FrozenEdition {
  const key = `${store.location}|${periodKey(row.period_start, row.period_end, row.number)}`;
  const link = chain.byEdition.get(periodKey(row.period_start, row.period_end, row.number));
  const known = verified.get(key);
  let report: Report;
  if (
    known &&
    known.bytes === row.report_json &&
    link &&
    known.entry === link.entry_sha256 &&
    sameColumns(known.report, row)
  ) {
    report = known.report;
  } else {
    const checked = bytesProblems(row, link);
    if (checked.problems.length > 0) throw integrityError(checked.problems);
    report = checked.report!;
    if (verified.size > 500) verified.delete(verified.keys().next().value!);
    verified.set(key, { bytes: row.report_json, report, entry: link!.entry_sha256 });
  }
  const keyId = link!.entry.edition.key_id;
  return {
    report,
    bytes: row.report_json,
    entrySha256: link!.entry_sha256,
    publicKey: link!.signature && keyId ? (chain.keys.get(keyId) ?? null) : null,
  };
}

function sameColumns(report: Report, row: EditionRow): boolean {
  const e = report.edition!;
  return (
    report.period.kind === row.period_kind &&
    e.content_sha256 === row.content_sha256 &&
    e.published_at === row.published_at &&
    e.note === row.note &&
    e.errata === row.errata &&
    e.supersedes === row.supersedes
  );
}

function label(period: Period): string {
  return `${period.start}..${period.end} (${periodLabel(period)})`;
}

/** Who compiled and who reviewed an edition (office mode): staff accounts. */
export interface EditionReview {
  compiledBy: string;
  compiledAt: string;
  reviewedBy: string;
  reviewedAt: string;
  rule: 'two-person' | 'one-person';
}

export interface PublishOptions {
  /** The publisher's Ed25519 private key: the edition's chain entry is signed with it. */
  signingKey?: KeyObject;
  now?: Date;
  review?: EditionReview;
  /**
   * The disputes a correction answers (issue 13): cited in its errata and its `disputes`
   * field; `write` marks them answered in the publication's transaction (disputes.ts: answering).
   */
  answers?: {
    disputes: number[];
    /** `by`: the account publishing the correction (named on each dispute's timeline). */
    write: (tx: Transaction<Database>, edition: number, at: string, by: string) => Promise<void>;
  };
  /** The draft must still be exactly this (SHA-256 of its JSON): an approval publishes what was reviewed. */
  expectDraftSha256?: string;
  /**
   * A proposal's approval: its audit row replaces the publish/correct one, and `write`
   * runs in the publication's transaction (the proposal marked approved), all or nothing.
   */
  decision?: {
    audit: Omit<AuditEntry, 'detail'> & { detail: Record<string, unknown> };
    write: (tx: Transaction<Database>, number: number) => Promise<void>;
  };
}

/** SHA-256 of a draft's JSON: what a proposal records and its approval checks. */
export const draftSha256 = (draft: Report) => sha256(serializeReport(draft));

async function freeze(
  store: Store,
  period: Period,
  options: BuildOptions & PublishOptions & { note?: string; errata?: string },
  previous: FrozenEdition | null,
  chain: StoredChain,
): Promise<FrozenEdition> {
  const draft = await buildReport(store, period, options);
  if (options.expectDraftSha256 && draftSha256(draft) !== options.expectDraftSha256) {
    throw new DdorError(
      'conflict',
      `the data of ${label(period)} changed after it was proposed`,
      'An approval publishes exactly the data that was reviewed: reject this proposal and propose the period again.',
    );
  }
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
  const signingKey = options.signingKey;
  const publicKey = signingKey ? createPublicKey(signingKey) : null;
  const keyId = publicKey ? keyIdOf(publicKey) : null;
  const sequence = chain.links.length + 1;
  const placed: Edition = {
    number,
    published_at: (options.now ?? new Date()).toISOString(),
    content_sha256: contentSha,
    note: options.note ?? null,
    errata: options.errata ?? null,
    ...(previous && options.answers?.disputes.length ? { disputes: options.answers.disputes } : {}),
    supersedes: previous ? number - 1 : null,
    changes,
    sequence,
    previous_entry_sha256: chain.links.at(-1)?.entry_sha256 ?? null,
    supersedes_entry_sha256: previous ? previous.entrySha256 : null,
    key_id: keyId,
    ...(options.review
      ? {
          compiled_by: options.review.compiledBy,
          compiled_at: options.review.compiledAt,
          reviewed_by: options.review.reviewedBy,
          reviewed_at: options.review.reviewedAt,
          review_rule: options.review.rule,
        }
      : {}),
  };
  const entry = entryOf({ ...content, edition: placed });
  const entryJson = canonicalJson(entry);
  const entrySha = entrySha256(entry);
  const signature = signingKey ? signEntry(entrySha, signingKey) : null;
  const edition: Edition = { ...placed, entry_sha256: entrySha, signature };
  const report = { ...content, edition };
  const bytes = serializeReport(report);
  const publicPem = publicKey ? (publicKey.export({ type: 'spki', format: 'pem' }) as string) : null;
  try {
    await store.db.transaction().execute(async (tx) => {
      if (keyId && publicPem && !chain.keys.has(keyId)) {
        await tx
          .insertInto('publisher_keys')
          .values({ key_id: keyId, public_key: publicPem, first_used_at: edition.published_at })
          .execute();
      }
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
      await tx
        .insertInto('edition_chain')
        .values({
          sequence,
          period_start: period.start,
          period_end: period.end,
          number,
          entry_json: entryJson,
          entry_sha256: entrySha,
          signature,
        })
        .execute();
      if (previous && options.answers?.disputes.length)
        await options.answers.write(tx, number, edition.published_at, store.actor.name);
      const published = {
        content_sha256: contentSha,
        entry_sha256: entrySha,
        note: edition.note,
        ...(edition.disputes ? { disputes: edition.disputes } : {}),
      };
      if (options.decision) {
        await options.decision.write(tx, number);
        await recordAudit(tx, store.actor, {
          ...options.decision.audit,
          detail: { ...options.decision.audit.detail, edition: number, ...published },
        });
      } else {
        await recordAudit(tx, store.actor, {
          action: previous ? 'report.correct' : 'report.publish',
          target: `${period.kind} ${period.start}..${period.end} edition ${number}`,
          detail: published,
        });
      }
    });
  } catch (error) {
    if (error instanceof DdorError) throw error;
    throw new DdorError(
      'conflict',
      `edition ${number} of ${label(period)} was published by someone else meanwhile`,
      `Run \`ddor report show\` to see it; correct it with \`ddor report correct\`. (${error instanceof Error ? error.message : error})`,
    );
  }
  // The head witness learns every entry it has not seen yet (a store built by migration 0005 included).
  const recorded = chain.head.at(-1)?.sequence ?? 0;
  const lines = [
    ...chain.links.map((l) => ({ link: l })),
    { link: { entry, entry_sha256: entrySha, signature } },
  ]
    .slice(recorded)
    .map(({ link }) => ({
      sequence: link.entry.edition.sequence,
      period_start: link.entry.period.start,
      period_end: link.entry.period.end,
      number: link.entry.edition.number,
      entry_sha256: link.entry_sha256,
    }));
  await appendChainHead(store, lines);
  return { report, bytes, entrySha256: entrySha, publicKey: publicPem };
}

/** The errata of a correction that answers disputes: the note, and which disputes it answers. */
export function errataCiting(note: string, disputes: readonly number[]): string {
  if (disputes.length === 0) return note;
  const list = disputes.map((n) => `No. ${n}`).join(', ');
  return `${note.trim()} (In answer to dispute${disputes.length > 1 ? 's' : ''} ${list}.)`;
}

/** Refuses to publish while the chain is broken: a removed edition's period must not look unpublished. */
async function chainForPublishing(store: Store): Promise<StoredChain> {
  const chain = await storedChain(store);
  if (chain.check.problems.length > 0) {
    throw new DdorError(
      'store',
      `nothing is published while the edition chain is broken: ${chain.check.problems[0]}`,
      HINT,
    );
  }
  return chain;
}

export async function publishEdition(
  store: Store,
  period: Period,
  options: BuildOptions & PublishOptions & { note?: string } = {},
): Promise<FrozenEdition> {
  const chain = await chainForPublishing(store);
  const existing = await editionRows(store, period);
  if (existing.length > 0) {
    throw new DdorError(
      'conflict',
      `${label(period)} already has ${existing.length === 1 ? 'an edition' : `${existing.length} editions`}; a published edition never changes`,
      'To publish corrected data, run `ddor report correct` with the same period and --note "what was corrected".',
    );
  }
  return freeze(store, period, options, null, chain);
}

export async function correctEdition(
  store: Store,
  period: Period,
  options: BuildOptions & PublishOptions & { note: string },
): Promise<FrozenEdition> {
  if (!options.note?.trim()) {
    throw new DdorError(
      'usage',
      'a correction needs --note',
      'Say what was corrected: it is printed as the errata.',
    );
  }
  const chain = await chainForPublishing(store);
  const existing = await editionRows(store, period);
  const last = existing.at(-1);
  if (!last) {
    throw new DdorError(
      'not_found',
      `${label(period)} has no published edition to correct`,
      'Publish it first: `ddor report publish`.',
    );
  }
  const previous = verifyRow(store, last, chain);
  // A correction keeps the published edition's parameters unless told otherwise.
  const top = options.top ?? previous.report.top;
  const declineBasis = options.declineBasis ?? previous.report.decline_basis;
  return freeze(
    store,
    period,
    {
      ...options,
      top,
      declineBasis,
      errata: errataCiting(options.note, options.answers?.disputes ?? []),
      note: options.note,
    },
    previous,
    chain,
  );
}

/** An edition exactly as frozen (the latest by default), checked against its row and the whole chain. */
export async function showEdition(store: Store, period: Period, number?: number): Promise<FrozenEdition> {
  const [rows, chain] = await Promise.all([editionRows(store, period), intactChain(store)]);
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
  return verifyRow(store, row, chain);
}

/** Editions whose bytes this process has checked, by store, edition and chain entry. */
const listedBytes = new Set<string>();

/**
 * Every edition, newest period first, with its place in the chain. The chain is walked and
 * every row checked against it on each call; each edition's bytes once per process (and on
 * every read of that edition).
 */
export async function listEditions(store: Store): Promise<EditionSummary[]> {
  const chain = await intactChain(store);
  const unchecked = chain.columns.filter((r) => {
    const link = chain.byEdition.get(periodKey(r.period_start, r.period_end, r.number))!;
    return !listedBytes.has(
      `${store.location}|${periodKey(r.period_start, r.period_end, r.number)}|${link.entry_sha256}`,
    );
  });
  if (unchecked.length > 0) {
    for (const row of await rowsWithBytes(store, unchecked)) {
      const link = chain.byEdition.get(periodKey(row.period_start, row.period_end, row.number));
      const { problems } = bytesProblems(row, link);
      if (problems.length > 0) throw integrityError(problems);
      listedBytes.add(
        `${store.location}|${periodKey(row.period_start, row.period_end, row.number)}|${link!.entry_sha256}`,
      );
    }
  }
  return chain.columns.map((r) =>
    summaryOf(r, chain.byEdition.get(periodKey(r.period_start, r.period_end, r.number))!),
  );
}

function summaryOf(r: EditionColumns, link: ChainLink): EditionSummary {
  return {
    period: { start: r.period_start, end: r.period_end, kind: r.period_kind },
    number: r.number,
    published_at: r.published_at,
    content_sha256: r.content_sha256,
    note: r.note,
    errata: r.errata,
    supersedes: r.supersedes,
    ...placeOf(link),
    entry_sha256: link.entry_sha256,
    signature: link.signature,
  };
}

/** The full rows (bytes included) of some editions: a period at a time when few, else all in one read. */
async function rowsWithBytes(store: Store, wanted: readonly EditionColumns[]): Promise<EditionRow[]> {
  const keys = new Set(wanted.map((r) => periodKey(r.period_start, r.period_end, r.number)));
  const periods = new Map<string, Period>();
  for (const r of wanted)
    periods.set(`${r.period_start}/${r.period_end}`, {
      kind: 'range',
      start: r.period_start,
      end: r.period_end,
    });
  const rows: EditionRow[] = [];
  if (periods.size > 8) {
    const all = await store.db.selectFrom('editions').selectAll().execute();
    for (const r of all)
      rows.push({
        ...r,
        number: Number(r.number),
        supersedes: r.supersedes === null ? null : Number(r.supersedes),
      });
  } else {
    for (const p of periods.values()) rows.push(...(await editionRows(store, p)));
  }
  return rows.filter((r) => keys.has(periodKey(r.period_start, r.period_end, r.number)));
}

/** Every edition, verified, for the static archive and the pages that read them all: one walk of the chain. */
export async function allEditions(store: Store): Promise<FrozenEdition[]> {
  const chain = await intactChain(store);
  const rows = await rowsWithBytes(store, chain.columns);
  const order = new Map(chain.columns.map((r, i) => [periodKey(r.period_start, r.period_end, r.number), i]));
  rows.sort(
    (a, b) =>
      order.get(periodKey(a.period_start, a.period_end, a.number))! -
      order.get(periodKey(b.period_start, b.period_end, b.number))!,
  );
  return rows.map((row) => verifyRow(store, row, chain));
}

/** The chain as a file anyone can check offline (`ddor verify chain.json --key publisher.pub`). */
export async function chainFile(store: Store): Promise<ChainFile> {
  const chain = await intactChain(store);
  return {
    schema: CHAIN_SCHEMA,
    keys: [...chain.keys].map(([key_id, public_key]) => ({ key_id, public_key })),
    links: chain.links,
  };
}

/** The public key (PEM) of the latest signed edition; null when the store has published none signed. */
export async function publisherKey(store: Store): Promise<{ keyId: string; pem: string } | null> {
  const chain = await intactChain(store);
  const signed = chain.links.findLast((l) => l.signature && l.entry.edition.key_id);
  const keyId = signed?.entry.edition.key_id;
  const pem = keyId ? chain.keys.get(keyId) : undefined;
  return keyId && pem ? { keyId, pem } : null;
}

export interface StoreVerification {
  check: ChainCheck;
  links: ChainLink[];
  /** Editions whose bytes were read and checked. */
  editions: number;
  /** The head the witness recorded: the sequence of its last record (0: none yet). */
  headRecorded: number;
  headWitness: string;
  /** The migration's and other chain-building records. */
  log: { logged_at: string; event: string }[];
}

/**
 * `ddor verify` on a store: the whole chain, every link and signature, every row, every
 * edition's bytes, and the head witness. With `requiredKeyId`, every signature must be by
 * that key and the head must be signed.
 */
export async function verifyStore(
  store: Store,
  options: { requiredKeyId?: string } = {},
): Promise<StoreVerification> {
  const chain = await storedChain(store, options);
  const problems = [...chain.check.problems];
  const rows = await rowsWithBytes(store, chain.columns);
  for (const row of rows)
    problems.push(
      ...bytesProblems(row, chain.byEdition.get(periodKey(row.period_start, row.period_end, row.number)))
        .problems,
    );
  const log = await store.db
    .selectFrom('edition_chain_log')
    .select(['logged_at', 'event'])
    .orderBy('logged_at')
    .execute();
  return {
    check: { ...chain.check, problems },
    links: chain.links,
    editions: rows.length,
    headRecorded: chain.head.at(-1)?.sequence ?? 0,
    headWitness:
      headFilePath(store) ?? (store.kind === 'postgres' ? 'the sequence edition_chain_head' : 'none'),
    log,
  };
}
