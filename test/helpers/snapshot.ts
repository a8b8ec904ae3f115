import { sql } from 'kysely';
import type { Store } from '../../src/store/store.js';

const TABLES = [
  'imports',
  'agencies',
  'detainers',
  'detainer_history',
  'policies',
  'policy_history',
  'quarantine',
  'editions',
];

/** Every row of every record table, in a total order: two equal snapshots mean an unchanged store. */
export async function snapshot(store: Store): Promise<string> {
  const parts: string[] = [];
  for (const t of TABLES) {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(t)}`.execute(store.db);
    const lines = rows.map((r) => JSON.stringify(r)).sort();
    parts.push(`${t}:${lines.length}\n${lines.join('\n')}`);
  }
  return parts.join('\n');
}
