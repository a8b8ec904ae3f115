/**
 * SPEC §2.12: every report built from records whose outcomes came from another
 * lift-reason table than ddor's says so in Section IV, naming the table (file
 * name and SHA-256) and how many of the report's records came from it.
 */

import { sql } from 'kysely';
import { thousands } from '../domain/numbers.js';
import type { Store } from '../store/store.js';
import type { DeclineBasis } from './model.js';
import type { Period } from './period.js';

interface TableUse {
  name: string;
  sha256: string;
  n: number;
}

/**
 * The report's records are the detainers issued in the period and the declines it counts.
 * A record "came from" a table when the import that last wrote it used that table.
 */
export async function liftTableNotes(store: Store, period: Period, basis: DeclineBasis): Promise<string[]> {
  const counted = basis === 'recorded' ? sql.ref('d.recorded_date') : sql.ref('d.issued_date');
  const { rows } = await sql<TableUse>`
    SELECT i.lift_table_name AS name, i.lift_table_sha256 AS sha256, count(*) AS n
    FROM detainers d JOIN imports i ON i.import_id = d.import_id
    WHERE i.lift_table_sha256 IS NOT NULL
      AND (d.issued_date BETWEEN ${period.start} AND ${period.end}
        OR (d.outcome = 'declined' AND ${counted} BETWEEN ${period.start} AND ${period.end}))
    GROUP BY i.lift_table_name, i.lift_table_sha256`.execute(store.db);
  return rows
    .map((r) => ({ ...r, n: Number(r.n) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.sha256 < b.sha256 ? -1 : 1))
    .map(
      (r) =>
        `Lift reasons: ${thousands(r.n)} ${r.n === 1 ? 'record' : 'records'} in this report (detainers issued in the period and declines counted) ${r.n === 1 ? 'was' : 'were'} imported with the lift-reason table ${r.name} (SHA-256 ${r.sha256}), not ddor's default table; ${r.n === 1 ? 'its outcome follows' : 'their outcomes follow'} that table.`,
    );
}
