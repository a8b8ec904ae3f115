/**
 * The edition chain: every published edition, of any period, is one entry of a single
 * append-only chain (like a transparency log). An entry is the report's `schema`,
 * `period` and `edition` without `entry_sha256` and `signature`, as canonical JSON: so it
 * commits to the edition's number, time, note, errata, change list and content hash, to
 * the entry of the edition it corrects and to the entry published just before it. Its
 * SHA-256 may be signed with the publisher's Ed25519 key. Pure functions: the store's
 * reads and `ddor verify` (offline, without a store) share them. The byte format is in
 * the README ("Checking an edition yourself"), so anyone can re-implement the check.
 */
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { Report } from './model.js';

export const CHAIN_SCHEMA = 'ddor.chain/v1';

export const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

/**
 * Canonical JSON (RFC 8785 for the values a report holds: strings, integers, booleans,
 * null, arrays, objects): object keys sorted, no whitespace, strings escaped as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The fields of an edition that place it in the chain. */
export interface ChainPlace {
  sequence: number;
  previous_entry_sha256: string | null;
  supersedes_entry_sha256: string | null;
  key_id: string | null;
}

/** What an edition commits to: its report's schema and period, its edition metadata (content by its hash). */
export interface Entry {
  schema: string;
  period: { start: string; end: string; kind: string };
  edition: ChainPlace & {
    number: number;
    published_at: string;
    content_sha256: string;
    note: string | null;
    errata: string | null;
    supersedes: number | null;
    [field: string]: unknown;
  };
}

/** One link of the chain: an entry, its hash and its signature (null: published without a key). */
export interface ChainLink {
  entry: Entry;
  entry_sha256: string;
  signature: string | null;
}

/** What `walkChain` may take from a cache: the canonical hash of each link's entry, by link. */
const computedSha = new WeakMap<ChainLink, string>();
/** Marks a link's entry hash as computed from its stored text (parseEntry). */
export function withComputedSha(link: ChainLink, sha: string): ChainLink {
  computedSha.set(link, sha);
  return link;
}

/**
 * The entry of a report's edition. An edition published before the chain existed (its
 * JSON has no `sequence`) takes its place in the chain from `place`: the chain's record of it.
 */
export function entryOf(report: Report, place?: ChainPlace): Entry {
  const { entry_sha256: _hash, signature: _signature, ...edition } = report.edition!;
  const placed = edition.sequence === undefined && place ? { ...edition, ...place } : edition;
  return { schema: report.schema, period: report.period, edition: placed as Entry['edition'] };
}

export const entrySha256 = (entry: Entry) => sha256(canonicalJson(entry));

/**
 * A stored entry's text, parsed, with the SHA-256 of its canonical form. The same text always
 * gives the same result, so a process keeps the last few thousand: a chain walk on every read
 * then costs a lookup per entry, not a parse and a hash.
 */
const parsedEntries = new Map<string, { entry: Entry; sha: string }>();
export function parseEntry(text: string): { entry: Entry; sha: string } {
  const known = parsedEntries.get(text);
  if (known) return known;
  const entry = JSON.parse(text) as Entry;
  const parsed = { entry, sha: entrySha256(entry) };
  if (parsedEntries.size >= 5000) parsedEntries.delete(parsedEntries.keys().next().value!);
  parsedEntries.set(text, parsed);
  return parsed;
}

/** A link's place in the chain, as its entry records it. */
export function placeOf(link: ChainLink): ChainPlace {
  const e = link.entry.edition;
  return {
    sequence: e.sequence,
    previous_entry_sha256: e.previous_entry_sha256,
    supersedes_entry_sha256: e.supersedes_entry_sha256,
    key_id: e.key_id,
  };
}

/** A key's id: the SHA-256 of its public key in DER (SubjectPublicKeyInfo), hex. */
export function keyIdOf(key: KeyObject | string): string {
  const pub = typeof key === 'string' ? createPublicKey(key) : key;
  const publicKey = pub.type === 'private' ? createPublicKey(pub) : pub;
  return sha256(publicKey.export({ type: 'spki', format: 'der' }));
}

/** The Ed25519 signature (base64) over the 64 ASCII hex characters of an entry's SHA-256. */
export const signEntry = (entrySha: string, privateKey: KeyObject) =>
  sign(null, Buffer.from(entrySha, 'ascii'), privateKey).toString('base64');

export function signatureValid(entrySha: string, signature: string, publicKey: KeyObject | string): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    return verify(null, Buffer.from(entrySha, 'ascii'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Signatures already checked in this process (entry hash, signature, key): a second walk skips them. */
const goodSignatures = new Set<string>();

export function editionName(entry: Pick<Entry, 'period' | 'edition'>): string {
  return `edition ${entry.edition.number} of ${entry.period.start}..${entry.period.end}`;
}

export interface ChainCheck {
  /** Links checked, signed by a known key, and published without a key. */
  links: number;
  signed: number;
  unsigned: number;
  /** The sequence number up to which every link is intact (0: none). */
  intactThrough: number;
  /** Every problem found, first break first; each names the link and what differs. */
  problems: string[];
}

/**
 * Walks the chain link by link: each entry's hash, its sequence, its link to the entry
 * before it and to the edition it corrects, and its signature with the key its `key_id`
 * names in `keys` (PEM by key id). With `requiredKeyId`, every signature must be by that
 * key and the head must be signed (a signed head commits to every entry before it).
 */
export function walkChain(
  links: readonly ChainLink[],
  keys: ReadonlyMap<string, string>,
  options: { requiredKeyId?: string } = {},
): ChainCheck {
  const problems: string[] = [];
  let intactThrough = 0;
  let signed = 0;
  let unsigned = 0;
  const seen = new Map<string, ChainLink>();
  const latestOfPeriod = new Map<string, ChainLink>();
  links.forEach((link, i) => {
    const before = problems.length;
    const expected = i + 1;
    const { entry } = link;
    const e = entry.edition;
    const where = `chain entry ${expected} (${editionName(entry)})`;
    const actual = computedSha.get(link) ?? entrySha256(entry);
    if (actual !== link.entry_sha256)
      problems.push(`${where}: its entry hashes to ${actual}, not the recorded ${link.entry_sha256}`);
    if (e.sequence !== expected)
      problems.push(`${where}: it says it is entry ${e.sequence}, but it is entry ${expected}`);
    const previous = i === 0 ? null : links[i - 1]!.entry_sha256;
    if ((e.previous_entry_sha256 ?? null) !== previous)
      problems.push(
        `${where}: it names ${e.previous_entry_sha256 ?? 'no entry'} as the entry before it, but the entry before it is ${previous ?? 'none'}`,
      );
    const period = `${entry.period.start}/${entry.period.end}`;
    const key = `${period}/${e.number}`;
    if (seen.has(key))
      problems.push(`${where}: this edition is already entry ${seen.get(key)!.entry.edition.sequence}`);
    const last = latestOfPeriod.get(period);
    const expectedNumber = last ? last.entry.edition.number + 1 : 1;
    if (e.number !== expectedNumber)
      problems.push(
        `${where}: the period's previous entry is edition ${expectedNumber - 1}, so this should be edition ${expectedNumber}`,
      );
    if ((e.supersedes ?? null) !== (last ? last.entry.edition.number : null))
      problems.push(`${where}: it says it corrects edition ${e.supersedes ?? 'none'}`);
    if ((e.supersedes_entry_sha256 ?? null) !== (last ? last.entry_sha256 : null))
      problems.push(
        `${where}: it names ${e.supersedes_entry_sha256 ?? 'no entry'} as the edition it corrects, but that edition's entry is ${last?.entry_sha256 ?? 'none'}`,
      );
    if (link.signature) {
      const pem = e.key_id ? keys.get(e.key_id) : undefined;
      if (!e.key_id) problems.push(`${where}: it carries a signature but names no key`);
      else if (!pem) problems.push(`${where}: it is signed by key ${e.key_id}, which is not known here`);
      else {
        const memo = `${link.entry_sha256}|${link.signature}|${pem}`;
        if (!goodSignatures.has(memo)) {
          if (keyIdOf(pem) !== e.key_id)
            problems.push(
              `${where}: the public key recorded for ${e.key_id} is another key (${keyIdOf(pem)})`,
            );
          else if (!signatureValid(link.entry_sha256, link.signature, pem))
            problems.push(`${where}: its signature does not verify with key ${e.key_id}`);
          else goodSignatures.add(memo);
        }
      }
      if (options.requiredKeyId && e.key_id !== options.requiredKeyId)
        problems.push(
          `${where}: it is signed by key ${e.key_id}, not by the key given (${options.requiredKeyId})`,
        );
      signed++;
    } else {
      if (e.key_id) problems.push(`${where}: it names key ${e.key_id} but carries no signature`);
      unsigned++;
    }
    seen.set(key, link);
    latestOfPeriod.set(period, link);
    if (problems.length === before && intactThrough === i) intactThrough = expected;
  });
  const head = links.at(-1);
  if (options.requiredKeyId && head && !head.signature)
    problems.push(
      `chain entry ${links.length} (${editionName(head.entry)}), the head: it is not signed, so no signature covers the chain`,
    );
  return { links: links.length, signed, unsigned, intactThrough, problems };
}

/** The fields two records disagree on (compared as canonical JSON). */
export function differingFields(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  // The common case, on every read of every row: flat values, all equal.
  const ka = Object.keys(a);
  if (ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k])) return [];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((k) => canonicalJson(a[k] ?? null) !== canonicalJson(b[k] ?? null)).sort();
}

/** The chain as a file (`chain.json` of the static archive): every link and the publisher's keys. */
export interface ChainFile {
  schema: typeof CHAIN_SCHEMA;
  keys: { key_id: string; public_key: string }[];
  links: ChainLink[];
}

export function isChainFile(value: unknown): value is ChainFile {
  return (
    typeof value === 'object' && value !== null && (value as { schema?: unknown }).schema === CHAIN_SCHEMA
  );
}
