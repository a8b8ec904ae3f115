/**
 * DuckDB's stored order (RecordTable.storedOrder): an import appends the detainers that are not
 * declines in the file's order, then the declines in recording order, so that a week's declines
 * sit in a row group or two instead of across months of them. The order is only where rows are
 * kept: every record is stored once, as before, and a later import (new rows, changed ones)
 * appends its rows in the same order after the ones stored; and no report depends on it: every
 * week's report, by either decline basis, is the one PostgreSQL (which keeps no such order) gives.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { demoDetainerRows } from '../../src/demo/generate.js';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { policySpec } from '../../src/ingest/policies.js';
import { dataPath } from '../../src/paths.js';
import { buildReport } from '../../src/report/build.js';
import { rangePeriod, weekPeriod } from '../../src/report/period.js';
import type { Store } from '../../src/store/store.js';
import { duckdbFactory, postgresAvailable, postgresFactory } from '../helpers/stores.js';

const dir = mkdtempSync(join(tmpdir(), 'ddor-stored-order-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const [header, ...rows] = [...demoDetainerRows({ seed: 5, weeks: 20, limit: 3000 })];
const OUTCOME = header!.indexOf('outcome');
const DECLINED = header!.indexOf('declined_date');
const RECORDED = header!.indexOf('recorded_date');

function file(name: string, body: string[][]): string {
  const path = join(dir, name);
  writeFileSync(path, stringify([header!, ...body]));
  return path;
}

interface Stored {
  id: string;
  outcome: string;
  recorded: string | null;
  import_id: number;
}

/** The detainers as DuckDB keeps them, in storage order (rowid). */
async function storedRows(store: Store): Promise<Stored[]> {
  const all = await store.withStaging((stage) =>
    stage.all<{ detainer_id: string; outcome: string; recorded_date: string | null; import_id: number }>(
      'SELECT detainer_id, outcome, recorded_date, import_id FROM detainers ORDER BY rowid',
    ),
  );
  return all.map((r) => ({
    id: r.detainer_id,
    outcome: r.outcome,
    recorded: r.recorded_date,
    import_id: Number(r.import_id),
  }));
}

/** What one import appended, in the order expected: the file's other rows in file order, then its declines by recording date. */
function expectedOrder(part: Stored[], fileIds: string[]): string[] {
  const place = new Map(fileIds.map((id, i) => [id, i]));
  const others = part
    .filter((r) => r.outcome !== 'declined')
    .sort((a, b) => place.get(a.id)! - place.get(b.id)!);
  const declines = part
    .filter((r) => r.outcome === 'declined')
    .sort(
      (a, b) =>
        (a.recorded ?? '9999').localeCompare(b.recorded ?? '9999') || place.get(a.id)! - place.get(b.id)!,
    );
  return [...others, ...declines].map((r) => r.id);
}

const FIRST = rows.slice(0, 2000);
/** The second file: 1,000 new rows, and 300 stored ones changed (some become declines). */
const SECOND = [
  ...rows.slice(2000, 3000),
  ...FIRST.slice(0, 300).map((r) => {
    const row = [...r];
    if (row[OUTCOME] !== 'declined') {
      row[OUTCOME] = 'declined';
      row[DECLINED] = row[1]!; // declined the day it was issued
      row[RECORDED] = '';
    }
    return row;
  }),
];

describe('duckdb: the order detainers are stored in', () => {
  it('keeps the declines after the other rows, in recording order, import after import', async () => {
    const { store, cleanup } = await duckdbFactory.create();
    try {
      const first = FIRST;
      const declines = first.filter((r) => r[OUTCOME] === 'declined').length;
      // The file interleaves them (and records some late): the order is the store's doing.
      expect(declines).toBeGreaterThan(100);
      expect(first.findIndex((r) => r[OUTCOME] === 'declined')).toBeLessThan(first.length - declines);
      expect(first.some((r) => r[RECORDED] !== '' && r[RECORDED] !== r[DECLINED])).toBe(true);
      const one = await importFile(store, detainerSpec, file('first.csv', first), { rejectsPath: false });
      expect(one.inserted).toBe(2000);
      const stored = await storedRows(store);
      expect(stored.map((r) => r.id)).toEqual(
        expectedOrder(
          stored,
          first.map((r) => r[0]!),
        ),
      );
      expect(stored.at(-1)!.outcome).toBe('declined');

      const secondRows = SECOND;
      const two = await importFile(store, detainerSpec, file('second.csv', secondRows), {
        rejectsPath: false,
      });
      expect(two.inserted).toBe(1000);
      expect(two.updated).toBeGreaterThan(200);
      const after = await storedRows(store);
      // Every record once; the first import's untouched rows where they were, the second's after them.
      expect(new Set(after.map((r) => r.id)).size).toBe(3000);
      expect(after.length).toBe(3000);
      const kept = after.filter((r) => r.import_id === one.importId);
      const appended = after.filter((r) => r.import_id === two.importId);
      expect(after.slice(0, kept.length)).toEqual(kept);
      expect(appended.length).toBe(1000 + two.updated);
      expect(appended.map((r) => r.id)).toEqual(
        expectedOrder(
          appended,
          secondRows.map((r) => r[0]!),
        ),
      );
      expect(kept.map((r) => r.id)).toEqual(
        stored.filter((r) => !appended.some((a) => a.id === r.id)).map((r) => r.id),
      );
    } finally {
      await store.close();
      await cleanup();
    }
  });
});

describe.runIf(await postgresAvailable())('the stored order answers no query', () => {
  it('gives every week the report PostgreSQL gives, by either decline basis', async () => {
    const duck = await duckdbFactory.create();
    const pg = await postgresFactory.create();
    try {
      for (const { store } of [duck, pg]) {
        await importFile(store, policySpec, dataPath('demo', 'policies.csv'), { rejectsPath: false });
        await importFile(store, detainerSpec, file('first.csv', FIRST), { rejectsPath: false });
        await importFile(store, detainerSpec, file('second.csv', SECOND), { rejectsPath: false });
      }
      const days = rows.flatMap((r) => [r[1]!, r[RECORDED]!].filter((d) => d !== '')).sort();
      const periods = [rangePeriod(days[0]!, days.at(-1)!)];
      for (let day = days[0]!; day <= days.at(-1)!; ) {
        const week = weekPeriod(day);
        periods.push(week);
        day = new Date(Date.parse(week.end) + 86_400_000).toISOString().slice(0, 10);
      }
      expect(periods.length).toBeGreaterThan(20);
      let declines = 0;
      for (const period of periods) {
        for (const declineBasis of ['recorded', 'issued'] as const) {
          const fromDuck = await buildReport(duck.store, period, { declineBasis });
          expect(fromDuck).toEqual(await buildReport(pg.store, period, { declineBasis }));
          declines += fromDuck.section2.reduce((n, g) => n + g.declines.length, 0);
        }
      }
      expect(declines).toBeGreaterThan(500);
    } finally {
      await duck.store.close();
      await pg.store.close();
      await duck.cleanup();
      await pg.cleanup();
    }
  }, 120_000);
});
