/**
 * The edition chain's head, kept outside the chain's table so that deleting the last
 * editions (table rows and chain rows together) still shows. DuckDB: an append-only text
 * file beside the store, `<store>.chain`, one line per chain entry (`sequence period
 * number entry_sha256`). PostgreSQL: the sequence `edition_chain_head` (migration 0005),
 * which holds the chain's length; the published editions and the archive's chain.json are
 * the copies no one with the database alone can reach.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Store } from './store.js';

export interface HeadRecord {
  sequence: number;
  /** The entry's hash, when the witness keeps it (the DuckDB file does). */
  entry_sha256: string | null;
}

export interface ChainHeadLine {
  sequence: number;
  period_start: string;
  period_end: string;
  number: number;
  entry_sha256: string;
}

/** Where a DuckDB store keeps its head file; null for PostgreSQL (or an in-memory store). */
export function headFilePath(store: Store): string | null {
  if (store.kind !== 'duckdb' || store.location === ':memory:' || store.location === '') return null;
  return `${store.location}.chain`;
}

/** Every head the witness recorded, in order (PostgreSQL: only the last sequence number). */
export async function readChainHead(store: Store): Promise<HeadRecord[]> {
  const file = headFilePath(store);
  if (file) {
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const [sequence, , , hash] = line.split(' ');
        return { sequence: Number(sequence), entry_sha256: hash ?? null };
      });
  }
  if (store.kind !== 'postgres') return [];
  const { rows } = await sql<{
    last_value: number | string;
    is_called: boolean;
  }>`SELECT last_value, is_called FROM edition_chain_head`.execute(store.db);
  const row = rows[0];
  return row?.is_called ? [{ sequence: Number(row.last_value), entry_sha256: null }] : [];
}

/** Records entries published since the witness's last line (after their transaction committed). */
export async function appendChainHead(store: Store, lines: readonly ChainHeadLine[]): Promise<void> {
  if (lines.length === 0) return;
  const file = headFilePath(store);
  if (file) {
    appendFileSync(
      file,
      lines
        .map((l) => `${l.sequence} ${l.period_start}..${l.period_end} ${l.number} ${l.entry_sha256}\n`)
        .join(''),
    );
    return;
  }
  if (store.kind !== 'postgres') return;
  const last = lines.at(-1)!.sequence;
  await sql`SELECT setval('edition_chain_head', GREATEST(${last}::bigint, (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM edition_chain_head)), true)`.execute(
    store.db,
  );
}
