/**
 * `ddor verify`: with no file, walks the store's whole edition chain (every edition, link,
 * signature and row, every edition's bytes, the head witness); with files, checks downloaded
 * editions (JSON, or the JSON inside a PDF, XLSX or HTML) or a chain file offline, with no
 * store at all. Exit 0 only when everything verifies: a store that does not is exit 3, a file
 * that does not is exit 2.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { DdorError, usageError } from '../errors.js';
import { embeddedJson } from '../render/embedded.js';
import {
  type ChainFile,
  type ChainLink,
  canonicalJson,
  differingFields,
  editionName,
  entryOf,
  entrySha256,
  isChainFile,
  keyIdOf,
  placeOf,
  sha256,
  signatureValid,
  walkChain,
} from '../report/chain.js';
import { verifyStore } from '../report/editions.js';
import type { Report } from '../report/model.js';
import { REPORT_SCHEMA } from '../report/schema-name.js';
import { serializeReport } from '../report/serialize.js';
import { withStore } from './store-option.js';

interface VerifyFlags {
  key?: string;
  chain?: string;
  allowUnsigned?: boolean;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const short = (hash: string | null | undefined) => (hash ? `${hash.slice(0, 16)}…` : 'none');

interface PublicKey {
  pem: string;
  id: string;
  path: string;
}

function readPublicKey(path: string): PublicKey {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(
      `cannot read the public key ${path}: ${error instanceof Error ? error.message : error}`,
      "Give the publisher's public key (publisher.pub, also served at /.well-known/ddor-publisher.pub).",
    );
  }
  if (/PRIVATE KEY/.test(pem))
    throw usageError(
      `${path} is a private key`,
      'Give the public key (publisher.pub); keep the private one secret.',
    );
  try {
    return { pem, id: keyIdOf(pem), path };
  } catch {
    throw usageError(`${path} is not a public key`, 'Give the publisher.pub that `ddor key create` wrote.');
  }
}

async function readJson(path: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw usageError(`cannot read ${path}: ${error instanceof Error ? error.message : error}`);
  }
  const text = await embeddedJson(path, bytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new DdorError(
      'input',
      `${path} is not JSON`,
      'Give a report.json, a report.pdf/.xlsx/.html of a published edition, or a chain.json.',
    );
  }
}

/** Walks a chain file; its signatures against the key given (else, with --allow-unsigned, its own keys). */
function checkChainFile(chain: ChainFile, key: PublicKey | undefined, name: string): string[] {
  const keys = key ? new Map([[key.id, key.pem]]) : new Map(chain.keys.map((k) => [k.key_id, k.public_key]));
  const check = walkChain(chain.links, keys, key ? { requiredKeyId: key.id } : {});
  out(
    `${name}: chain of ${check.links} entries (${check.signed} signed, ${check.unsigned} unsigned), intact through entry ${check.intactThrough}`,
  );
  if (!key && check.signed > 0)
    out(`  signatures checked against the chain file's own keys, not a key you gave`);
  return check.problems;
}

function checkEditionFile(
  report: Report,
  name: string,
  key: PublicKey | undefined,
  chain: ChainFile | null,
  allowUnsigned: boolean,
): string[] {
  const problems: string[] = [];
  if (report?.schema !== REPORT_SCHEMA) return [`${name}: not a ddor report (schema ${REPORT_SCHEMA})`];
  const e = report.edition;
  if (!e) return [`${name}: a draft (edition null), not a published edition: there is nothing to verify`];
  out(
    `${name}: ${editionName({ period: report.period, edition: e as never })}${e.sequence ? `, chain entry ${e.sequence}` : ''}`,
  );
  const content = sha256(serializeReport({ ...report, edition: null }));
  if (content === e.content_sha256) out(`  content: SHA-256 ${short(content)} matches`);
  else problems.push(`${name}: its content hashes to ${content}, not the ${e.content_sha256} it names`);

  const link = chain?.links.find(
    (l) =>
      l.entry.period.start === report.period.start &&
      l.entry.period.end === report.period.end &&
      l.entry.edition.number === e.number,
  );
  if (chain && !link)
    problems.push(
      `${name}: ${editionName({ period: report.period, edition: e as never })} is not in the chain file`,
    );

  if (e.entry_sha256 === undefined) {
    // Published before editions were chained: its place comes from the chain file.
    if (!link) {
      problems.push(
        `${name}: published before editions were chained, it carries no entry of its own; check it against the archive's chain.json with --chain`,
      );
      return problems;
    }
    const own = entryOf(report, placeOf(link));
    if (canonicalJson(own) !== canonicalJson(link.entry))
      problems.push(
        `${name}: differs from its chain entry in ${differingFields(own.edition, link.entry.edition).join(', ')}`,
      );
    else
      out(
        `  entry: matches chain entry ${link.entry.edition.sequence} (${short(link.entry_sha256)}), covered by the chain's signed head`,
      );
    return problems;
  }

  const entrySha = entrySha256(entryOf(report));
  if (entrySha !== e.entry_sha256) {
    problems.push(
      `${name}: its metadata (number, time, note, errata, changes, chain links) hashes to ${entrySha}, not the entry_sha256 it names (${e.entry_sha256}): its metadata was changed`,
    );
  } else out(`  entry: SHA-256 ${short(entrySha)} matches its metadata and content hash`);
  if (link && link.entry_sha256 !== e.entry_sha256)
    problems.push(
      `${name}: the chain file's entry ${link.entry.edition.sequence} for this edition is ${link.entry_sha256}`,
    );
  else if (link) out(`  chain: it is entry ${link.entry.edition.sequence} of the chain file`);

  if (e.signature) {
    if (!key) out(`  signature: present, not checked (give --key publisher.pub)`);
    else if (e.key_id !== key.id)
      problems.push(`${name}: signed by key ${e.key_id}, not by the key given (${key.path}, ${key.id})`);
    else if (!signatureValid(e.entry_sha256, e.signature, key.pem))
      problems.push(`${name}: its signature does not verify with ${key.path}`);
    else out(`  signature: valid, Ed25519 key ${short(key.id)} (${key.path})`);
  } else if (allowUnsigned) {
    out(`  signature: none (published without a signing key); hashes only`);
  } else {
    problems.push(
      `${name}: unsigned (published without a signing key), so nothing shows who published it; --allow-unsigned checks its hashes only`,
    );
  }
  return problems;
}

async function verifyFiles(files: string[], flags: VerifyFlags): Promise<void> {
  const key = flags.key ? readPublicKey(flags.key) : undefined;
  if (!key && !flags.allowUnsigned)
    throw usageError(
      "verifying a file needs the publisher's public key: --key publisher.pub",
      "Get it from the publisher (/.well-known/ddor-publisher.pub, the archive's publisher.pub), or give --allow-unsigned to check the hashes only.",
    );
  const problems: string[] = [];
  let chain: ChainFile | null = null;
  if (flags.chain) {
    const value = await readJson(flags.chain);
    if (!isChainFile(value))
      throw usageError(
        `${flags.chain} is not a chain file`,
        "Give the archive's chain.json (schema ddor.chain/v1).",
      );
    chain = value;
    problems.push(...checkChainFile(chain, key, flags.chain));
  }
  for (const file of files) {
    const value = await readJson(file);
    if (isChainFile(value)) problems.push(...checkChainFile(value, key, file));
    else problems.push(...checkEditionFile(value as Report, file, key, chain, flags.allowUnsigned ?? false));
  }
  if (problems.length > 0) {
    for (const p of problems) out(`problem: ${p}`);
    out('NOT VERIFIED');
    throw new DdorError(
      'input',
      `verification failed: ${problems[0]}`,
      'Do not trust this file: get the edition again from the publisher or a mirror.',
    );
  }
  out('verified: every file checks out');
}

async function verifyTheStore(getDb: () => string | undefined, flags: VerifyFlags): Promise<void> {
  const key = flags.key ? readPublicKey(flags.key) : undefined;
  const reference = flags.chain ? await readJson(flags.chain) : undefined;
  if (reference !== undefined && !isChainFile(reference))
    throw usageError(
      `${flags.chain} is not a chain file`,
      'Give a chain.json that ddor archive build wrote.',
    );
  const result = await withStore(getDb(), async (store) => ({
    location: store.location,
    ...(await verifyStore(store, { requiredKeyId: key?.id })),
  }));
  const { check } = result;
  const problems = [...check.problems];
  if (reference && isChainFile(reference)) {
    reference.links.forEach((link: ChainLink, i) => {
      const ours = result.links[i];
      if (!ours)
        problems.push(
          `${flags.chain} has entry ${i + 1} (${editionName(link.entry)}), the store's chain ends at ${result.links.length}: editions were deleted`,
        );
      else if (ours.entry_sha256 !== link.entry_sha256)
        problems.push(
          `entry ${i + 1} of the store (${editionName(ours.entry)}) is not entry ${i + 1} of ${flags.chain} (${editionName(link.entry)})`,
        );
    });
  }
  out(`store: ${result.location}`);
  out(
    `chain: ${check.links} entries (${check.signed} signed, ${check.unsigned} unsigned)${key ? `; signatures must be by ${key.path} (${short(key.id)})` : ''}`,
  );
  out(`editions: ${result.editions}, each row and its bytes checked against its chain entry`);
  out(`head: recorded through entry ${result.headRecorded} in ${result.headWitness}`);
  for (const l of result.log) out(`log: ${l.logged_at} ${l.event}`);
  if (problems.length === 0) {
    out(`intact: ${check.links === 0 ? 'the chain is empty' : `entries 1–${check.links}`}`);
    out('verified: every edition, link and signature');
    return;
  }
  out(
    `intact: ${check.intactThrough === 0 ? 'none' : `entries 1–${check.intactThrough}`}; first break ${check.intactThrough < check.links ? `at entry ${check.intactThrough + 1}` : 'outside the links (rows, bytes or head)'}`,
  );
  for (const p of problems) out(`problem: ${p}`);
  out('NOT VERIFIED');
  throw new DdorError(
    'store',
    `the store's editions do not verify: ${problems[0]}`,
    'See the problems above; restore the store from a backup or the editions from a static archive.',
  );
}

export function verifyCommand(getDb: () => string | undefined): Command {
  return new Command('verify')
    .description(
      "check published editions: with no file the store's whole chain; with files, downloaded editions or a chain file, offline",
    )
    .argument(
      '[files...]',
      'report.json, report.pdf, report.xlsx, report.html of an edition, or a chain.json',
    )
    .option('--key <file>', "the publisher's public key (publisher.pub): every signature must be by it")
    .option(
      '--chain <file>',
      "a chain file (the archive's chain.json): files must be in it; the store must still hold all of it",
    )
    .option(
      '--allow-unsigned',
      'accept editions published without a signing key (their hashes and chain are still checked)',
    )
    .action(async (files: string[], flags: VerifyFlags) => {
      if (files.length === 0) await verifyTheStore(getDb, flags);
      else await verifyFiles(files, flags);
    });
}
