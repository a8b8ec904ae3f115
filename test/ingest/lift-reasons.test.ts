/**
 * SPEC §2.12: outcomes from ICE's lift reasons follow a table shipped as data
 * (data/lift-reasons.csv, the README's table) that a user can replace with
 * `--lift-reasons FILE`; "No longer in … Custody" is lifted, not issued in error;
 * a report built from records imported with another table says so in Section IV.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DdorError, InputRejectedError } from '../../src/errors.js';
import { iceSpec } from '../../src/ingest/ice.js';
import { importFile } from '../../src/ingest/import.js';
import {
  defaultLiftTable,
  defaultLiftTablePath,
  type LiftTable,
  liftReasonKey,
  loadLiftTable,
} from '../../src/ingest/lift-reasons.js';
import { policySpec } from '../../src/ingest/policies.js';
import { buildReport } from '../../src/report/build.js';
import { weekPeriod } from '../../src/report/period.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ddor } from '../helpers/cli.js';
import { csvFile, tempFile } from '../helpers/csv.js';
import { fixture } from '../helpers/fixtures.js';
import { snapshot } from '../helpers/snapshot.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

const WEEK = weekPeriod('2024-01-06');
const NO_LONGER = 'No longer in State, Local, or Federal Custody';
/** DDP's snake_case layout, read as `--format ice`. */
const HEADER = 'detainer_prepare_date,detainer_lift_reason,detainer_facility,facility_city,facility_state';
const q = (v: string) => (/[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const iceFile = (rows: Array<[string, string]>) =>
  csvFile([
    HEADER,
    ...rows.map(([date, reason]) => `${date},${q(reason)},LOS ANGELES COUNTY JAIL,LOS ANGELES,CA`),
  ]);

/** The shipped table with some rows' outcomes changed (and rows added or dropped), as a file. */
function tableFile(change: Record<string, string | null>, extra: string[] = [], name?: string): string {
  const lines = readFileSync(defaultLiftTablePath(), 'utf8').trimEnd().split('\n');
  const out = lines.flatMap((line, i) => {
    if (i === 0) return [line];
    const reason = (parse(line) as string[][])[0]![0]!;
    if (!(reason in change)) return [line];
    const outcome = change[reason];
    return outcome === null ? [] : [`${q(reason)},${outcome},changed for a test`];
  });
  return tempFile(`${[...out, ...extra].join('\n')}\n`, name);
}

const rejectionOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as InputRejectedError;
  }
  throw new Error('expected the table to be rejected');
};

describe('the shipped lift-reason table', () => {
  it('maps "No longer in State, Local, or Federal Custody" to lifted, and reads as the default', () => {
    const table = defaultLiftTable();
    expect(table.isDefault).toBe(true);
    expect(table.name).toBe('lift-reasons.csv');
    expect(table.rows.find((r) => r.reason === NO_LONGER)?.outcome).toBe('lifted');
    // Only the two spellings of a real error are issued_in_error.
    expect(table.rows.filter((r) => r.outcome === 'issued_in_error').map((r) => r.reason)).toEqual([
      'Detainer Issued in Error',
      'Issued in Error',
    ]);
    // A byte-identical copy is the default too: nothing to flag in reports.
    const copy = tempFile(readFileSync(defaultLiftTablePath()), 'copy-of-default.csv');
    expect(loadLiftTable(copy).isDefault).toBe(true);
  });

  it('agrees with the README table, row by row', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('**Lift reasons → outcomes**');
    expect(start).toBeGreaterThan(0);
    const lines = readme.slice(start).split('\n');
    const first = lines.findIndex((l) => l.startsWith('| lift reason |'));
    const rows: string[][] = [];
    for (const l of lines.slice(first + 2)) {
      if (!l.startsWith('|')) break;
      rows.push(
        l
          .slice(1, -1)
          .split(' | ')
          .map((c) => c.trim()),
      );
    }
    expect(rows).toEqual(defaultLiftTable().rows.map((r) => [r.reason || '*(blank)*', r.outcome, r.why]));
  });

  it("folds reasons as the import's ddor_key does", () => {
    expect(liftReasonKey('  Détainer  Declined by L.E.A. ')).toBe(liftReasonKey('detainer declined by lea'));
    expect(liftReasonKey('Saint Early-Release')).toBe('stearlyrelease');
  });
});

describe('a user lift-reason table is checked whole, naming line and column', () => {
  it('rejects an unknown outcome', () => {
    const file = tableFile({ 'Early Release': 'refused' });
    const e = rejectionOf(() => loadLiftTable(file));
    expect(e).toBeInstanceOf(InputRejectedError);
    expect(e.exitCode).toBe(2);
    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('Early Release,')) + 1;
    expect(e.rejections.map((r) => [r.file, r.line, r.column, r.value, r.reason])).toEqual([
      [file, line, 'outcome', 'refused', 'not an outcome'],
    ]);
    expect(e.rejections[0]!.hint).toContain('pending, honored, declined, lifted, issued_in_error');
  });

  it('rejects a reason given twice, compared after folding case, spaces and punctuation', () => {
    const file = tableFile({}, ['EARLY  release.,declined,a second opinion']);
    const e = rejectionOf(() => loadLiftTable(file));
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const first = lines.findIndex((l) => l.startsWith('Early Release,')) + 1;
    expect(e.rejections.map((r) => [r.line, r.column, r.reason])).toEqual([
      [lines.length, 'lift_reason', `the same lift reason as line ${first}`],
    ]);
  });

  it('rejects a bad header, a blank reason that is not pending, and a reason with no letters', () => {
    const bad = (text: string) => rejectionOf(() => loadLiftTable(tempFile(text)));
    expect(
      bad('reason,outcome\nLifted,lifted\n').rejections.map((r) => [r.line, r.column, r.reason]),
    ).toEqual([[1, 'reason', 'column 1 of the header must be lift_reason']]);
    expect(bad('lift_reason\nLifted\n').rejections.map((r) => r.reason)).toEqual([
      'the header has no outcome column',
    ]);
    expect(
      bad('lift_reason,outcome,why\n,declined,\n--,lifted,\n').rejections.map((r) => [
        r.line,
        r.column,
        r.reason,
      ]),
    ).toEqual([
      [2, 'outcome', 'a blank lift reason is always pending'],
      [3, 'lift_reason', 'not a lift reason: it has no letters or digits'],
    ]);
    expect(bad('lift_reason,outcome\nLifted,lifted,extra\n').rejections[0]!.line).toBe(2);
  });

  it('reports a missing table as a usage error', () => {
    const e = rejectionOf(() => loadLiftTable('/nonexistent/lift.csv')) as unknown as DdorError;
    expect(e).toBeInstanceOf(DdorError);
    expect(e.exitCode).toBe(1);
    expect(e.message).toContain('/nonexistent/lift.csv: no such file');
  });
});

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`lift-reason tables on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, cleanup } = await factory.create());
      await importFile(store, policySpec, fixture('rules', 'policies.csv'), { rejectsPath: false });
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('default table: a detainer "no longer in custody" is lifted and counts in Section I', async () => {
      const s = await importFile(store, iceSpec('ice'), iceFile([['2024-01-10', NO_LONGER]]), {
        rejectsPath: false,
      });
      expect(s.inserted).toBe(1);
      const row = await store.db.selectFrom('detainers').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ outcome: 'lifted', lift_reason: NO_LONGER });
      const report = await buildReport(store, WEEK);
      // Los Angeles County, under California's state law: the detainer now counts (it was dropped as issued in error).
      expect(
        report.section1.map(({ rank, county, detainers_issued }) => ({ rank, county, detainers_issued })),
      ).toEqual([
        { rank: 1, county: { fips: '06037', name: 'Los Angeles County', state: 'CA' }, detainers_issued: 1 },
      ]);
      expect(report.totals.declined).toBe(0);
      // The default table is never flagged.
      expect(report.section4.notes.filter((n) => n.startsWith('Lift reasons:'))).toEqual([]);
      const imports = await store.db.selectFrom('imports').selectAll().orderBy('import_id').execute();
      expect(imports.at(-1)).toMatchObject({ lift_table_name: null, lift_table_sha256: null });
    });

    it('a user table that makes Early Release a decline changes the outcome, and Section IV names it', async () => {
      const file = iceFile([
        ['2024-01-11', 'Early Release'],
        ['2024-01-11', 'early release'],
      ]);
      const before = await snapshot(store);
      const table: LiftTable = loadLiftTable(
        tableFile({ 'Early Release': 'declined' }, [], `early-release-declined-${factory.name}.csv`),
      );
      expect(table.isDefault).toBe(false);
      // A reason the table does not cover is an error naming its lines; nothing changes.
      const partial = loadLiftTable(tableFile({ 'Early Release': null }, [], `partial-${factory.name}.csv`));
      const e = (await importFile(store, iceSpec('ice', partial), file, { rejectsPath: false }).catch(
        (x) => x,
      )) as InputRejectedError;
      expect(e).toBeInstanceOf(InputRejectedError);
      expect(e.rejections.map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
        [2, 'lift_reason', 'Early Release', `lift reason not in the table partial-${factory.name}.csv`],
        [3, 'lift_reason', 'early release', `lift reason not in the table partial-${factory.name}.csv`],
      ]);
      expect(e.rejections[0]!.hint).toContain(partial.path);
      expect(await snapshot(store)).toBe(before);

      const s = await importFile(store, iceSpec('ice', table), file, { rejectsPath: false });
      expect(s.inserted).toBe(2);
      const rows = await store.db
        .selectFrom('detainers')
        .select(['outcome', 'lift_reason'])
        .where('issued_date', '=', '2024-01-11')
        .orderBy('lift_reason')
        .execute();
      expect(rows).toEqual([
        { outcome: 'declined', lift_reason: 'Early Release' },
        { outcome: 'declined', lift_reason: 'early release' },
      ]);
      const imp = await store.db
        .selectFrom('imports')
        .selectAll()
        .where('import_id', '=', s.importId!)
        .executeTakeFirstOrThrow();
      expect(imp).toMatchObject({ lift_table_name: table.name, lift_table_sha256: table.sha256 });

      const report = await buildReport(store, WEEK, { declineBasis: 'issued' });
      expect(report.totals.declined).toBe(2);
      const note = `Lift reasons: 2 records in this report (detainers issued in the period and declines counted) were imported with the lift-reason table ${table.name} (SHA-256 ${table.sha256}), not ddor's default table; their outcomes follow that table.`;
      expect(report.section4.notes).toContain(note);
      // The default basis counts none of these undated declines, but the records are still the report's.
      expect((await buildReport(store, WEEK)).section4.notes).toContain(note);
      // Another period holds none of them: no note.
      const other = await buildReport(store, weekPeriod('2024-01-13'));
      expect(other.section4.notes.some((n) => n.startsWith('Lift reasons:'))).toBe(false);
    });

    it('the command line: --lift-reasons is checked before anything is read, and refused for canonical CSV', async () => {
      const { url, store: cli, cleanup: done } = await factory.create();
      await cli.close();
      try {
        const file = iceFile([['2024-01-12', 'Early Release']]);
        const bad = tableFile({ 'Early Release': 'refused' });
        const r = await ddor(['--db', url, 'import', 'detainers', file, '--lift-reasons', bad]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`${basename(bad)}:\\d+, column outcome: not an outcome`));
        const missing = await ddor([
          '--db',
          url,
          'import',
          'detainers',
          file,
          '--lift-reasons',
          `${bad}.nope`,
        ]);
        expect(missing.code).toBe(1);
        expect(missing.stderr).toContain('no such file');
        const canonical = fixture('rules', 'detainers.csv');
        const good = tableFile({ 'Early Release': 'declined' });
        const c = await ddor(['--db', url, 'import', 'detainers', canonical, '--lift-reasons', good]);
        expect(c.code).toBe(1);
        expect(c.stderr).toContain('--lift-reasons does not apply to');
        expect(c.stderr).toContain('canonical detainer CSV');
        const reopened = await openStore(url);
        try {
          expect(await reopened.db.selectFrom('imports').selectAll().execute()).toEqual([]);
          expect(await reopened.db.selectFrom('detainers').selectAll().execute()).toEqual([]);
        } finally {
          await reopened.close();
        }
        const ok = await ddor(['--db', url, 'import', 'detainers', file, '--lift-reasons', good]);
        expect(ok.code).toBe(0);
        const imports = JSON.parse((await ddor(['--db', url, 'imports', '--json'])).stdout);
        expect(imports).toEqual([
          expect.objectContaining({ lift_table_name: basename(good), lift_table_sha256: expect.any(String) }),
        ]);
      } finally {
        await done();
      }
    });
  });
}
