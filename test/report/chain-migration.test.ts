/**
 * Migration 0005 on a store that already holds editions (published before the chain existed):
 * the chain is built once over them in publication order and logged; their bytes and content
 * hashes stay valid; a later signed edition's head covers them, so one of their downloaded
 * JSON files verifies offline against the archive's chain file.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import {
  chainFile,
  correctEdition,
  publishEdition,
  showEdition,
  verifyStore,
} from '../../src/report/editions.js';
import { weekPeriod } from '../../src/report/period.js';
import { serializeReport } from '../../src/report/serialize.js';
import { DuckDBDialect } from '../../src/store/duckdb/dialect.js';
import { LocalDuckSession } from '../../src/store/duckdb/session.js';
import { migrations } from '../../src/store/migrations/index.js';
import type { Database, EditionsTable } from '../../src/store/schema.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ddorInProcess as ddor } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';
import { PG_URL, STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const W1 = weekPeriod('2017-01-28');
const W2 = weekPeriod('2017-02-04');
const W3 = weekPeriod('2017-02-11');

/** The fields an edition's JSON had before the chain. */
const LEGACY_FIELDS = ['number', 'published_at', 'content_sha256', 'note', 'errata', 'supersedes', 'changes'];

/**
 * A new store migrated only up to 0004 (before the chain), holding `rows` as its editions:
 * as a store of an earlier ddor would be. Returns its URL and how to remove it.
 */
async function storeBefore0005(
  kind: 'duckdb' | 'postgres',
  dir: string,
  rows: EditionsTable[],
): Promise<{ url: string; cleanup: () => Promise<void> }> {
  let url: string;
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let cleanup: () => Promise<void>;
  if (kind === 'duckdb') {
    url = join(dir, 'old.duckdb');
    const instance = await DuckDBInstance.create(url);
    const connection = await instance.connect();
    db = new Kysely<Database>({
      dialect: new DuckDBDialect(
        new LocalDuckSession(connection),
        async () => new LocalDuckSession(await instance.connect()),
      ),
    });
    close = async () => {
      await db.destroy();
      connection.closeSync();
      instance.closeSync();
    };
    cleanup = async () => {};
  } else {
    const schema = `ddor_test_premigration_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const pool = new pg.Pool({ connectionString: url });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    close = () => db.destroy();
    cleanup = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    };
  }
  const { rows: current } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  const all = migrations(kind);
  const migrator = new Migrator({
    db,
    migrationTableSchema: current[0]?.schema,
    provider: {
      getMigrations: async () => Object.fromEntries(Object.entries(all).filter(([name]) => name < '0005')),
    },
    migrationTableName: 'ddor_migration',
    migrationLockTableName: 'ddor_migration_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
  for (const row of rows) await db.insertInto('editions').values(row).execute();
  await close();
  return { url, cleanup };
}

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`migration 0005 on ${factory.name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddor-chain-migration-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('builds the chain over existing editions once, in publication order, and logs it', async () => {
      const { store, cleanup } = await storeWithRulesFixture(factory);
      let reopened: Store | undefined;
      let oldCleanup = async () => {};
      try {
        // Three editions as ddor published them before the chain: JSON without the chain's fields.
        // Published out of period order: the chain follows publication time.
        await publishEdition(store, W2, { now: new Date('2017-02-13T15:00:00Z') });
        await publishEdition(store, W1, { note: 'late', now: new Date('2017-02-14T15:00:00Z') });
        await importFile(store, detainerSpec, fixture('rules', 'corrections.csv'), { rejectsPath: false });
        await correctEdition(store, W1, { note: 'corrected', now: new Date('2017-02-15T15:00:00Z') });
        const rows = (await store.db.selectFrom('editions').selectAll().execute()).map((r) => {
          const report = JSON.parse(r.report_json);
          report.edition = Object.fromEntries(LEGACY_FIELDS.map((f) => [f, report.edition[f]]));
          return { ...r, number: Number(r.number), report_json: serializeReport(report) };
        });
        const old = await storeBefore0005(factory.name, dir, rows);
        oldCleanup = old.cleanup;

        reopened = await openStore(old.url);
        const chain = await reopened.db
          .selectFrom('edition_chain')
          .select(['sequence', 'period_start', 'number', 'signature'])
          .orderBy('sequence')
          .execute();
        expect(chain.map((l) => [Number(l.sequence), l.period_start, Number(l.number), l.signature])).toEqual(
          [
            [1, W2.start, 1, null],
            [2, W1.start, 1, null],
            [3, W1.start, 2, null],
          ],
        );
        const log = await reopened.db.selectFrom('edition_chain_log').selectAll().execute();
        expect(log).toHaveLength(1);
        expect(log[0]).toMatchObject({
          editions: 3,
          event: expect.stringContaining('chain built over the 3 existing editions in publication order'),
        });

        // Their bytes and content hashes are untouched, and every check passes.
        const legacy = rows.find((r) => r.period_start === W1.start && r.number === 2)!;
        const shown = await showEdition(reopened, W1, 2);
        expect(shown.bytes).toBe(legacy.report_json);
        expect(shown.report.edition).not.toHaveProperty('entry_sha256');
        expect((await verifyStore(reopened)).check.problems).toEqual([]);

        // A signed edition published after it: its signature covers the chain before it.
        const { privateKey, publicKey } = generateKeyPairSync('ed25519');
        const signed = await publishEdition(reopened, W3, { signingKey: privateKey });
        expect(signed.report.edition).toMatchObject({
          sequence: 4,
          previous_entry_sha256: expect.any(String),
        });
        writeFileSync(join(dir, 'chain.json'), JSON.stringify(await chainFile(reopened)));
        writeFileSync(join(dir, 'publisher.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
        writeFileSync(join(dir, 'legacy.json'), legacy.report_json);
        const args = ['verify', join(dir, 'legacy.json'), '--key', join(dir, 'publisher.pub')];
        const alone = await ddor(args);
        expect(alone.code).toBe(2);
        expect(alone.stdout).toContain('published before editions were chained');
        const withChain = await ddor([...args, '--chain', join(dir, 'chain.json')]);
        expect(withChain.code, withChain.stdout).toBe(0);
        expect(withChain.stdout).toContain('matches chain entry 3');
        // The legacy edition's errata changed in the file: it no longer matches its chain entry.
        writeFileSync(
          join(dir, 'legacy.json'),
          legacy.report_json.replace('"errata": "corrected"', '"errata": "forged"'),
        );
        const forged = await ddor([...args, '--chain', join(dir, 'chain.json')]);
        expect(forged.code).toBe(2);
        expect(forged.stdout).toMatch(/differs from its chain entry in errata/);
      } finally {
        await reopened?.close();
        await store.close().catch(() => {});
        await cleanup();
        await oldCleanup();
      }
    });
  });
}
