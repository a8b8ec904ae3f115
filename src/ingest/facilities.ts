/**
 * The facility registry and its resolution queue. A facility that ICE's files
 * name without a county (no code in the registry, a city spanning counties or
 * unknown) waits here; a person resolves it, and every record of that facility
 * follows at once (records are attributed through the registry when reports
 * are built).
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql, type Transaction } from 'kysely';
import { compareCodePoints, compareNames } from '../domain/collate.js';
import { DdorError, InputRejectedError, type Rejection } from '../errors.js';
import { countyByFips } from '../geo/gazetteer.js';
import { recordAudit } from '../store/audit.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';

export interface QueuedFacility {
  facility_key: string;
  name: string;
  code: string | null;
  city: string | null;
  state: string;
  candidates: string | null;
  records: number;
}

export async function facilityQueue(store: Store): Promise<QueuedFacility[]> {
  const { rows } = await sql<QueuedFacility>`
    SELECT f.facility_key, f.name, f.code, f.city, f.state, f.candidates,
      (SELECT count(*) FROM detainers d WHERE d.facility_key = f.facility_key) AS records
    FROM facilities f WHERE f.county_fips IS NULL`.execute(store.db);
  // By state code, then name as a reader files it (SPEC §2.10), not by the database's collation.
  return rows
    .map((r) => ({ ...r, records: Number(r.records) }))
    .sort(
      (a, b) =>
        compareCodePoints(a.state, b.state) ||
        compareNames(a.name, b.name) ||
        compareCodePoints(a.facility_key, b.facility_key),
    );
}

export interface RegisteredFacility extends QueuedFacility {
  county_fips: string | null;
  /** "Denver County, CO (08031)", or null while queued. */
  county: string | null;
  /** code, place, facility_name, manual, or queued. */
  resolved_by: string;
}

/** Every facility of the registry, queued or not, with how it was attributed (`ddor resolve list --all`). */
export async function facilityRegistry(store: Store): Promise<RegisteredFacility[]> {
  const { rows } = await sql<Omit<RegisteredFacility, 'county'>>`
    SELECT f.facility_key, f.name, f.code, f.city, f.state, f.candidates, f.county_fips, f.resolved_by,
      (SELECT count(*) FROM detainers d WHERE d.facility_key = f.facility_key) AS records
    FROM facilities f`.execute(store.db);
  return rows
    .map((r) => {
      const c = r.county_fips ? countyByFips(r.county_fips) : undefined;
      return {
        ...r,
        records: Number(r.records),
        county: r.county_fips
          ? `${c?.name ?? r.county_fips}, ${c?.state ?? r.state} (${r.county_fips})`
          : null,
      };
    })
    .sort(
      (a, b) =>
        compareCodePoints(a.state, b.state) ||
        compareNames(a.name, b.name) ||
        compareCodePoints(a.facility_key, b.facility_key),
    );
}

/** `TRAVITX` and `code:TRAVITX` name the same facility; name keys are given whole. */
export function keyFromArgument(arg: string): string {
  return arg.includes(':') ? arg : `code:${arg.trim().toUpperCase()}`;
}

async function checkCounty(
  store: Store,
  key: string,
  fips: string,
): Promise<{ reason: string; hint: string } | null> {
  const facility = await store.db
    .selectFrom('facilities')
    .select(['state', 'name'])
    .where('facility_key', '=', key)
    .executeTakeFirst();
  if (!facility)
    return {
      reason: `no facility ${key} in the registry`,
      hint: "ddor resolve list shows the queue with each facility's key.",
    };
  if (!/^\d{5}$/.test(fips))
    return { reason: `county FIPS ${fips} is not 5 digits`, hint: 'e.g. 48453 for Travis County, TX.' };
  const county = countyByFips(fips);
  if (!county)
    return { reason: `no county has FIPS ${fips}`, hint: 'Check the code against the Census county list.' };
  if (county.state !== facility.state) {
    return {
      reason: `${fips} is ${county.name}, ${county.state}, but ${facility.name} is in ${facility.state}`,
      hint: 'Same-name counties exist in many states: check the code.',
    };
  }
  return null;
}

/** A facility's attribution as the audit trail records it before a change. */
async function attribution(tx: Transaction<Database>, key: string) {
  const row = await tx
    .selectFrom('facilities')
    .select(['county_fips', 'resolved_by', 'candidates'])
    .where('facility_key', '=', key)
    .executeTakeFirst();
  return row ?? null;
}

/** Attributes a facility (and so all its records) to a county. */
export async function resolveFacility(
  store: Store,
  arg: string,
  fips: string,
): Promise<{ key: string; county: string; records: number }> {
  const key = keyFromArgument(arg);
  const problem = await checkCounty(store, key, fips);
  if (problem) throw new DdorError('usage', problem.reason, problem.hint);
  await store.db.transaction().execute(async (tx) => {
    const before = await attribution(tx, key);
    await tx
      .updateTable('facilities')
      .set({
        county_fips: fips,
        candidates: null,
        resolved_by: 'manual',
        updated_at: new Date().toISOString(),
      })
      .where('facility_key', '=', key)
      .execute();
    await recordAudit(tx, store.actor, {
      action: 'resolve.set',
      target: key,
      detail: { before, after: { county_fips: fips, resolved_by: 'manual' } },
    });
  });
  const n = await store.db
    .selectFrom('detainers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('facility_key', '=', key)
    .executeTakeFirstOrThrow();
  const county = countyByFips(fips)!;
  return { key, county: `${county.name}, ${county.state} (${fips})`, records: Number(n.n) };
}

/** Resolves many facilities from a CSV with columns facility (key or code) and county_fips: all or nothing. */
export async function importResolutions(store: Store, file: string): Promise<number> {
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(readFileSync(file), { columns: true, bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new InputRejectedError(`${file} was rejected: not a readable CSV file`, [
      {
        file,
        line: 1,
        column: '',
        value: null,
        reason: error instanceof Error ? error.message : String(error),
        hint: 'Give a CSV with columns facility and county_fips.',
      },
    ]);
  }
  const problems: Rejection[] = [];
  rows.forEach((r, i) => {
    if (!('facility' in r) || !('county_fips' in r)) {
      problems.push({
        file,
        line: 1,
        column: 'facility',
        value: null,
        reason: 'the header needs facility and county_fips',
        hint: 'facility is a registry key (ddor resolve list) or a facility code.',
      });
    }
    void i;
  });
  if (problems.length > 0)
    throw new InputRejectedError(`${file} was rejected; nothing was changed`, problems.slice(0, 1));
  for (const [i, r] of rows.entries()) {
    const problem = await checkCounty(store, keyFromArgument(r.facility ?? ''), r.county_fips ?? '');
    if (problem)
      problems.push({ file, line: i + 2, column: 'county_fips', value: r.county_fips ?? null, ...problem });
  }
  if (problems.length > 0)
    throw new InputRejectedError(`${file}: ${problems.length} rows rejected; nothing was changed`, problems);
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  await store.db.transaction().execute(async (tx) => {
    const changes: Array<{ facility: string; before: unknown; after: { county_fips: string } }> = [];
    for (const r of rows) {
      const key = keyFromArgument(r.facility!);
      changes.push({
        facility: key,
        before: await attribution(tx, key),
        after: { county_fips: r.county_fips! },
      });
      await tx
        .updateTable('facilities')
        .set({
          county_fips: r.county_fips!,
          candidates: null,
          resolved_by: 'manual',
          updated_at: new Date().toISOString(),
        })
        .where('facility_key', '=', keyFromArgument(r.facility!))
        .execute();
    }
    await recordAudit(tx, store.actor, {
      action: 'resolve.import',
      target: basename(file),
      detail: { sha256, facilities: rows.length, changes },
    });
  });
  return rows.length;
}
