/**
 * A bulk load and the indexes of the report's queries (issue 10). 60,000 canonical rows into
 * an empty store (more than store/bulk-load.ts's threshold, so on PostgreSQL the detainers'
 * indexes are dropped for the insert and rebuilt after it) land whole on both stores, and the
 * weekly report counts the week's rows. On PostgreSQL the indexes are back under their own
 * names, and every query of the weekly report that reads detainers reaches the week's rows
 * through one of them: EXPLAIN shows no sequential scan of detainers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { CompiledQuery, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDetainerRows } from '../../src/demo/generate.js';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { policySpec } from '../../src/ingest/policies.js';
import { dataPath } from '../../src/paths.js';
import { buildReport } from '../../src/report/build.js';
import { weekPeriod } from '../../src/report/period.js';
import type { Store } from '../../src/store/store.js';

import { STORES, storeAvailable } from '../helpers/stores.js';

const ROWS = 60_000;
const WEEK = weekPeriod('2017-01-28');

/** The store, with every statement it runs compiled and kept in `seen`. */
function recording(store: Store, seen: CompiledQuery[]): Store {
  const plugin: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      seen.push(store.db.getExecutor().compileQuery(node, queryId));
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { ...store, db: store.db.withPlugin(plugin) };
}

const dir = mkdtempSync(join(tmpdir(), 'ddor-indexes-'));
const csv = join(dir, 'detainers.csv');
const [header, ...rows] = [...demoDetainerRows({ seed: 10, weeks: 52, limit: ROWS })];
const issuedAt = header!.indexOf('issued_date');
const issuedInWeek = rows.filter((r) => r[issuedAt]! >= WEEK.start && r[issuedAt]! <= WEEK.end).length;
writeFileSync(csv, stringify([header!, ...rows]));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(
    `a bulk load and the report's indexes on ${factory.name}`,
    () => {
      let store: Store;
      let cleanup: () => Promise<void>;
      beforeAll(async () => {
        ({ store, cleanup } = await factory.create());
        await importFile(store, policySpec, dataPath('demo', 'policies.csv'), { rejectsPath: false });
        const summary = await importFile(store, detainerSpec, csv, { rejectsPath: false });
        expect(summary.inserted).toBe(ROWS);
      }, 120_000);
      afterAll(async () => {
        await store?.close();
        await cleanup?.();
      });

      it('stores every row, and the weekly report counts the week’s', async () => {
        const { n } = await store.db
          .selectFrom('detainers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(n)).toBe(ROWS);
        expect(issuedInWeek).toBeGreaterThan(500);
        expect((await buildReport(store, WEEK)).totals.detainers_issued).toBe(issuedInWeek);
      });

      it.runIf(factory.name === 'postgres')(
        'reads the week through an index, never a scan of detainers',
        async () => {
          const { rows: indexes } = await store.db.executeQuery<{ name: string }>(
            CompiledQuery.raw(
              "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'detainers' ORDER BY 1",
            ),
          );
          expect(indexes.map((i) => i.name)).toEqual([
            'detainers_issued',
            'detainers_pk',
            'detainers_recorded',
          ]);

          const seen: CompiledQuery[] = [];
          await buildReport(recording(store, seen), WEEK);
          const reads = seen.filter((q) => /\bdetainers\b/.test(q.sql));
          expect(reads.length).toBeGreaterThan(5);
          const plans: string[] = [];
          for (const q of reads) {
            const { rows: plan } = await store.db.executeQuery<{ 'QUERY PLAN': string }>(
              CompiledQuery.raw(`EXPLAIN ${q.sql}`, [...q.parameters]),
            );
            const text = plan.map((r) => r['QUERY PLAN']).join('\n');
            expect(text, q.sql).not.toMatch(/Seq Scan on detainers\b/);
            plans.push(text);
          }
          expect(plans.some((p) => p.includes('detainers_issued'))).toBe(true);
          expect(plans.some((p) => p.includes('detainers_recorded'))).toBe(true);
        },
      );
    },
  );
}
