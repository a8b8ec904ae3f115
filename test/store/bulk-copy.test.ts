/**
 * Staged rows into PostgreSQL (store/postgres/copy.ts, ingest/apply.ts): a large copy goes in
 * slices, DuckDB writing one while PostgreSQL reads the one before, and an import whose rows
 * are all new copies them straight into the table. All or nothing still holds: every slice
 * lands or none does, a failing slice leaves the staging session free, a process killed with
 * SIGKILL in the middle of the copy leaves the store as it was (and usable), and an import
 * beside rows already stored counts new, updated and unchanged records as before, on both stores.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { stringify } from 'csv-stringify/sync';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { demoDetainerRows } from '../../src/demo/generate.js';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { LocalDuckSession } from '../../src/store/duckdb/session.js';
import { COPY_SLICE_ROWS, copyStaged } from '../../src/store/postgres/copy.js';
import type { Store } from '../../src/store/store.js';
import { postgresAvailable, postgresFactory, STORES, storeAvailable } from '../helpers/stores.js';

const dir = mkdtempSync(join(tmpdir(), 'ddor-bulk-copy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The demo generator's first `total` rows (its rows depend on `total`), header first. */
const generated = new Map<number, string[][]>();
function demoRows(total: number): string[][] {
  if (!generated.has(total))
    generated.set(total, [...demoDetainerRows({ seed: 77, weeks: 52, limit: total })]);
  return generated.get(total)!;
}

/** A canonical detainer file of rows `from..to` of the generator's first `total`, each edited by `edit`. */
function detainerFile(name: string, total: number, from: number, to: number, edit?: (row: string[]) => void) {
  const [header, ...rows] = demoRows(total);
  const chosen = rows.slice(from, to).map((r) => [...r]);
  if (edit) for (const r of chosen) edit(r);
  const file = join(dir, name);
  writeFileSync(file, stringify([header!, ...chosen]));
  return file;
}

/** How many rows `table` of `store` holds. */
const count = async (store: Store, table: 'detainers' | 'imports') =>
  Number(
    (
      await store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const ROWS = 2 * COPY_SLICE_ROWS + 1000; // three slices

describe.runIf(await postgresAvailable())('copyStaged: staged rows into PostgreSQL in slices', () => {
  async function withCopy(
    fn: (stage: LocalDuckSession, client: pg.Client, copyDir: string) => Promise<void>,
  ) {
    const { store, url, cleanup } = await postgresFactory.create();
    await store.close();
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const copyDir = mkdtempSync(join(dir, 'copy-'));
    try {
      await fn(new LocalDuckSession(connection), client, copyDir);
    } finally {
      await client.end();
      connection.closeSync();
      instance.closeSync();
      await cleanup();
    }
  }
  const select = (duplicateAtEnd: boolean) =>
    `SELECT range + 1 AS rec, CASE WHEN ${duplicateAtEnd} AND range = ${ROWS - 1} THEN 0 ELSE range END AS a,
       'row ' || range AS b FROM range(${ROWS})`;
  const columns = [
    { name: 'a', type: 'integer' as const },
    { name: 'b', type: 'text' as const },
  ];

  it('copies every row once, in slices, and leaves no file behind', () =>
    withCopy(async (stage, client, copyDir) => {
      await client.query('CREATE TABLE t (a integer PRIMARY KEY, b text NOT NULL)');
      const slices: string[] = [];
      const watching = {
        ...stage,
        dialect: stage.dialect,
        all: stage.all.bind(stage),
        query: stage.query.bind(stage),
        interrupt: stage.interrupt.bind(stage),
        close: stage.close.bind(stage),
        run: (sql: string, params?: unknown[]) => {
          if (sql.startsWith('COPY')) slices.push(sql);
          return stage.run(sql, params);
        },
      };
      const n = await copyStaged(
        watching,
        client as unknown as pg.PoolClient,
        copyDir,
        't',
        columns,
        select(false),
        'rec',
      );
      expect(n).toBe(ROWS);
      expect(slices).toHaveLength(3);
      const { rows } = await client.query(
        'SELECT count(*)::int AS n, count(DISTINCT a)::int AS d, sum(a)::bigint AS s FROM t',
      );
      expect(rows[0]).toEqual({ n: ROWS, d: ROWS, s: String(((ROWS - 1) * ROWS) / 2) });
      expect(readdirSync(copyDir)).toEqual([]);
    }));

  it('fails whole when the last slice breaks a key: nothing stays, and the staging session is free', () =>
    withCopy(async (stage, client, copyDir) => {
      await client.query('CREATE TABLE t (a integer PRIMARY KEY, b text NOT NULL)');
      await client.query('BEGIN');
      await expect(
        copyStaged(stage, client as unknown as pg.PoolClient, copyDir, 't', columns, select(true), 'rec'),
      ).rejects.toThrow(/duplicate key/);
      await client.query('ROLLBACK');
      const { rows } = await client.query('SELECT count(*)::int AS n FROM t');
      expect(rows[0].n).toBe(0);
      // No statement of the copy is still running on the staging connection.
      expect(await stage.all('SELECT 42 AS x')).toEqual([{ x: 42 }]);
    }));
});

describe.runIf(await postgresAvailable())(
  'an import killed with SIGKILL while it copies into PostgreSQL',
  () => {
    it('leaves no record and no import behind, and the next import runs', async () => {
      const { store, url, cleanup } = await postgresFactory.create();
      try {
        const file = detainerFile('killed.csv', ROWS, 0, ROWS);
        const bin = fileURLToPath(new URL('../../bin/ddor.js', import.meta.url));
        const child = spawn(process.execPath, [bin, '--db', url, 'import', 'detainers', file], {
          stdio: 'ignore',
        });
        const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
        // Watch the child's own backend: kill it once it is copying rows into detainers.
        const watcher = new pg.Client({ connectionString: url });
        await watcher.connect();
        let copying = false;
        for (let i = 0; i < 1200 && !copying; i++) {
          const { rows } = await watcher.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'COPY detainers %' AND state = 'active'`,
          );
          copying = rows[0].n > 0;
          if (!copying) await new Promise((r) => setTimeout(r, 50));
        }
        expect(copying).toBe(true);
        child.kill('SIGKILL');
        await exited;
        await watcher.end();
        expect(await count(store, 'detainers')).toBe(0);
        expect(await count(store, 'imports')).toBe(0);
        // The killed backend's lock goes with it: the next import runs, and lands whole.
        const next = detainerFile('after-kill.csv', 1000, 0, 1000);
        const summary = await importFile(store, detainerSpec, next, { rejectsPath: false });
        expect(summary.inserted).toBe(1000);
        expect(await count(store, 'detainers')).toBe(1000);
      } finally {
        await store.close();
        await cleanup();
      }
      // Generating and staging 263,000 rows in a child process: more than the default minute on a busy machine.
    }, 240_000);
  },
);

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`${factory.name}: imports beside stored records`, () => {
    it('counts new, updated and unchanged records whether or not any key is stored already', async () => {
      const { store, cleanup } = await factory.create();
      try {
        const first = detainerFile(`first-${factory.name}.csv`, 1000, 0, 600);
        const second = detainerFile(`second-${factory.name}.csv`, 1000, 600, 1000);
        const outcome = 12; // column index of `outcome` in the canonical header
        const overlapping = detainerFile(`overlap-${factory.name}.csv`, 1000, 500, 700, (r) => {
          if (r[0]!.endsWith('0') && r[outcome] === 'pending') r[outcome] = 'lifted';
        });
        expect((await importFile(store, detainerSpec, first, { rejectsPath: false })).inserted).toBe(600);
        // Only new keys, with records stored: a dry run counts them and writes nothing.
        const dry = await importFile(store, detainerSpec, second, { rejectsPath: false, dryRun: true });
        expect([dry.inserted, dry.updated, dry.unchanged]).toEqual([400, 0, 0]);
        expect(await count(store, 'detainers')).toBe(600);
        const added = await importFile(store, detainerSpec, second, { rejectsPath: false });
        expect([added.inserted, added.updated, added.unchanged]).toEqual([400, 0, 0]);
        expect(await count(store, 'detainers')).toBe(1000);
        const stored = await store.db
          .selectFrom('detainers')
          .select(['import_id'])
          .where('detainer_id', '=', 'DEMO-0000601')
          .execute();
        expect(stored).toEqual([{ import_id: added.importId }]);
        // Keys stored already: compared column by column, the changed ones kept in the history.
        const changedRows = demoRows(1000)
          .slice(501, 701)
          .filter((r) => r[0]!.endsWith('0') && r[outcome] === 'pending').length;
        expect(changedRows).toBeGreaterThan(0);
        const again = await importFile(store, detainerSpec, overlapping, { rejectsPath: false });
        expect([again.inserted, again.updated, again.unchanged]).toEqual([0, changedRows, 200 - changedRows]);
        const history = await store.db
          .selectFrom('detainer_history')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(history.n)).toBe(changedRows);
      } finally {
        await store.close();
        await cleanup();
      }
    });
  });
}
