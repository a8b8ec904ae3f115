/**
 * The stores every store test runs on: embedded DuckDB and PostgreSQL. Under
 * CI=true a PostgreSQL that cannot be reached fails the run instead of skipping.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/store.js';

export const PG_URL = process.env.DDOR_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface StoreFactory {
  name: 'duckdb' | 'postgres';
  /** Opens a fresh, empty store; `cleanup` removes it. */
  create(): Promise<{ store: Store; url: string; cleanup: () => Promise<void> }>;
}

let pgAvailable: boolean | undefined;
export async function postgresAvailable(): Promise<boolean> {
  if (pgAvailable !== undefined) return pgAvailable;
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    pgAvailable = true;
  } catch (error) {
    if (process.env.CI === 'true')
      throw new Error(`PostgreSQL is required under CI but unreachable at ${PG_URL}: ${error}`);
    pgAvailable = false;
  }
  return pgAvailable;
}

let counter = 0;

export const duckdbFactory: StoreFactory = {
  name: 'duckdb',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'ddor-test-'));
    const url = join(dir, 'store.duckdb');
    const store = await openStore(url);
    return { store, url, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

export const postgresFactory: StoreFactory = {
  name: 'postgres',
  async create() {
    const schema = `ddor_test_${process.pid}_${Date.now()}_${counter++}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const store = await openStore(url);
    return {
      store,
      url,
      cleanup: async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    };
  },
};

export const STORES: StoreFactory[] = [duckdbFactory, postgresFactory];

/** describe.each-style helper: skips PostgreSQL only when it is unreachable outside CI. */
export async function storeAvailable(factory: StoreFactory): Promise<boolean> {
  return factory.name === 'duckdb' ? true : postgresAvailable();
}

/** A fresh store with the hand-built fixture of test/fixtures/rules imported (policies, then detainers). */
export async function storeWithRulesFixture(factory: StoreFactory = duckdbFactory) {
  const { importFile } = await import('../../src/ingest/import.js');
  const { policySpec } = await import('../../src/ingest/policies.js');
  const { detainerSpec } = await import('../../src/ingest/detainers.js');
  const { fixture } = await import('./fixtures.js');
  const created = await factory.create();
  await importFile(created.store, policySpec, fixture('rules', 'policies.csv'), { rejectsPath: false });
  await importFile(created.store, detainerSpec, fixture('rules', 'detainers.csv'), { rejectsPath: false });
  return created;
}
