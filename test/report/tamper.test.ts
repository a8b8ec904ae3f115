/**
 * Forgeries by someone with write access to the store (a database administrator, a restored
 * backup, a compromised server), on both stores. Each is detected by `report show`, `report
 * editions`, `ddor verify` (exit 3) and the API (503), naming the edition and what differs;
 * the untouched store verifies. On PostgreSQL the administrator bypasses the triggers
 * (session_replication_role = replica), as a real one could.
 *
 * The store: three signed editions, chained in this order: 1 = 2017-01-28 edition 1,
 * 2 = 2017-02-04 edition 1, 3 = 2017-01-28 edition 2 (a correction).
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { correctEdition, publishEdition, showEdition } from '../../src/report/editions.js';
import { weekPeriod } from '../../src/report/period.js';
import { createApp } from '../../src/server/app.js';
import type { Database } from '../../src/store/schema.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ddorInProcess as ddor } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';
import { STORES, type StoreFactory, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const W1 = weekPeriod('2017-01-28');
const W2 = weekPeriod('2017-02-04');

async function publishThree(store: Store, key: KeyObject): Promise<void> {
  await publishEdition(store, W1, { note: 'first', signingKey: key, now: new Date('2017-02-06T15:00:00Z') });
  await publishEdition(store, W2, { note: 'weekly', signingKey: key, now: new Date('2017-02-13T15:00:00Z') });
  await importFile(store, detainerSpec, fixture('rules', 'corrections.csv'), { rejectsPath: false });
  await correctEdition(store, W1, {
    note: 'Franklin County decline re-attributed to Iowa',
    signingKey: key,
    now: new Date('2017-02-14T15:00:00Z'),
  });
}

/** Runs `fn` as an administrator who can write past the store's guards (PostgreSQL: triggers off). */
async function asAdmin(store: Store, fn: (db: Kysely<Database>) => Promise<unknown>): Promise<void> {
  if (store.kind !== 'postgres') {
    await fn(store.db);
    return;
  }
  await store.db.transaction().execute(async (tx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(tx);
    await fn(tx);
  });
}

async function bytesOf(db: Kysely<Database>, start: string, number: number): Promise<string> {
  const row = await db
    .selectFrom('editions')
    .select('report_json')
    .where('period_start', '=', start)
    .where('number', '=', number)
    .executeTakeFirstOrThrow();
  return row.report_json;
}

const setJson = (db: Kysely<Database>, start: string, number: number, json: string) =>
  db
    .updateTable('editions')
    .set({ report_json: json })
    .where('period_start', '=', start)
    .where('number', '=', number)
    .execute();

interface Forgery {
  name: string;
  /** The week whose `report show` is asked for. */
  week: string;
  /** What the error names: the edition and what differs. */
  message: RegExp;
  forge(store: Store): Promise<void>;
}

const FORGERIES: Forgery[] = [
  {
    name: "changes an edition's note inside its JSON",
    week: '2017-02-04',
    message: /edition 1 of 2017-02-04\.\.2017-02-10: its note differs from its bytes/,
    forge: (store) =>
      asAdmin(store, async (db) => {
        const json = await bytesOf(db, W2.start, 1);
        expect(json).toContain('"note": "weekly"');
        await setJson(db, W2.start, 1, json.replace('"note": "weekly"', '"note": "forged"'));
      }),
  },
  {
    name: "changes an edition's errata inside its JSON and in its row",
    week: '2017-01-28',
    message: /edition 2 of 2017-01-28\.\.2017-02-03: its row's errata, note differ from its chain entry/,
    forge: (store) =>
      asAdmin(store, async (db) => {
        const json = await bytesOf(db, W1.start, 2);
        const errata = '"errata": "Franklin County decline re-attributed to Iowa"';
        expect(json).toContain(errata);
        await setJson(
          db,
          W1.start,
          2,
          json.replaceAll('re-attributed to Iowa",', 'withdrawn",'), // note and errata, not Section IV
        );
        await db
          .updateTable('editions')
          .set({ errata: 'Franklin County decline withdrawn', note: 'Franklin County decline withdrawn' })
          .where('period_start', '=', W1.start)
          .where('number', '=', 2)
          .execute();
      }),
  },
  {
    name: "changes an edition's published_at inside its JSON and in its row",
    week: '2017-01-28',
    message: /edition 1 of 2017-01-28\.\.2017-02-03: its row's published_at differs from its chain entry/,
    forge: (store) =>
      asAdmin(store, async (db) => {
        const json = await bytesOf(db, W1.start, 1);
        await setJson(db, W1.start, 1, json.replace('2017-02-06T15:00:00.000Z', '2017-02-03T15:00:00.000Z'));
        await db
          .updateTable('editions')
          .set({ published_at: '2017-02-03T15:00:00.000Z' })
          .where('period_start', '=', W1.start)
          .where('number', '=', 1)
          .execute();
      }),
  },
  {
    name: "copies another week's bytes and hash into a row",
    week: '2017-01-28',
    message: /edition 1 of 2017-01-28\.\.2017-02-03: its row's content_sha256 differs from its chain entry/,
    forge: (store) =>
      asAdmin(store, async (db) => {
        const other = await db
          .selectFrom('editions')
          .select(['report_json', 'content_sha256'])
          .where('period_start', '=', W2.start)
          .executeTakeFirstOrThrow();
        await db
          .updateTable('editions')
          .set({ report_json: other.report_json, content_sha256: other.content_sha256 })
          .where('period_start', '=', W1.start)
          .where('number', '=', 1)
          .execute();
      }),
  },
  {
    name: "inserts a forged correction from another week's bytes (INSERT passes the triggers)",
    week: '2017-02-04',
    message: /edition 2 of 2017-02-04\.\.2017-02-10 is not in the chain/,
    forge: async (store) => {
      const json = await bytesOf(store.db, W1.start, 2);
      const source = JSON.parse(json);
      await store.db
        .insertInto('editions')
        .values({
          period_kind: 'week',
          period_start: W2.start,
          period_end: W2.end,
          number: 2,
          published_at: '2017-02-20T15:00:00.000Z',
          content_sha256: source.edition.content_sha256,
          note: 'forged',
          errata: 'forged',
          supersedes: 1,
          report_json: json,
        })
        .execute();
    },
  },
  {
    name: 'deletes every edition',
    week: '2017-01-28',
    message:
      /edition 1 of 2017-01-28\.\.2017-02-03 \(chain entry 1\) is missing from the store: it was deleted/,
    forge: (store) => asAdmin(store, (db) => db.deleteFrom('editions').execute()),
  },
  {
    name: "changes a row's errata and published_at columns",
    week: '2017-01-28',
    message:
      /edition 2 of 2017-01-28\.\.2017-02-03: its row's errata, published_at differ from its chain entry/,
    forge: (store) =>
      asAdmin(store, (db) =>
        db
          .updateTable('editions')
          .set({ errata: 'nothing to see', published_at: '2017-02-07T00:00:00.000Z' })
          .where('period_start', '=', W1.start)
          .where('number', '=', 2)
          .execute(),
      ),
  },
  {
    name: 'reorders two editions in the chain',
    week: '2017-02-04',
    message:
      /chain entry 1 \(edition 1 of 2017-02-04\.\.2017-02-10\): .*it says it is entry 2, but it is entry 1/,
    forge: (store) =>
      asAdmin(store, async (db) => {
        await db.updateTable('edition_chain').set({ sequence: 99 }).where('sequence', '=', 1).execute();
        await db.updateTable('edition_chain').set({ sequence: 1 }).where('sequence', '=', 2).execute();
        await db.updateTable('edition_chain').set({ sequence: 2 }).where('sequence', '=', 99).execute();
      }),
  },
  {
    name: 'changes one byte of a signature (in the chain and in the JSON alike)',
    week: '2017-01-28',
    message:
      /chain entry 3 \(edition 2 of 2017-01-28\.\.2017-02-03\): its signature does not verify with key [0-9a-f]{64}/,
    forge: (store) =>
      asAdmin(store, async (db) => {
        const row = await db
          .selectFrom('edition_chain')
          .select('signature')
          .where('sequence', '=', 3)
          .executeTakeFirstOrThrow();
        const bytes = Buffer.from(row.signature!, 'base64');
        bytes[10]! ^= 0x01;
        const forged = bytes.toString('base64');
        await db.updateTable('edition_chain').set({ signature: forged }).where('sequence', '=', 3).execute();
        const json = await bytesOf(db, W1.start, 2);
        await setJson(db, W1.start, 2, json.replace(row.signature!, forged));
      }),
  },
  {
    name: 'replaces the public key',
    week: '2017-01-28',
    message:
      /chain entry 1 \(edition 1 of 2017-01-28\.\.2017-02-03\): the public key recorded for [0-9a-f]{64} is another key/,
    forge: (store) =>
      asAdmin(store, (db) =>
        db
          .updateTable('publisher_keys')
          .set({
            public_key: generateKeyPairSync('ed25519').publicKey.export({
              type: 'spki',
              format: 'pem',
            }) as string,
          })
          .execute(),
      ),
  },
  {
    name: 'deletes the last edition, its row and its chain entry',
    week: '2017-01-28',
    message:
      /the chain's head was entry 3 \(.*\), but the store's chain ends at 2: the last editions were deleted/,
    forge: (store) =>
      asAdmin(store, async (db) => {
        await db
          .deleteFrom('editions')
          .where('period_start', '=', W1.start)
          .where('number', '=', 2)
          .execute();
        await db.deleteFrom('edition_chain').where('sequence', '=', 3).execute();
      }),
  },
];

async function detected(factory: StoreFactory, forgery: Forgery, key: KeyObject) {
  const { store, url, cleanup } = await storeWithRulesFixture(factory);
  try {
    await publishThree(store, key);
    await forgery.forge(store);
    await store.close();
    const env = { DDOR_DB: url };

    const show = await ddor(['report', 'show', '--week', forgery.week], { env });
    expect(show.code, show.stderr).toBe(3);
    expect(show.stdout).toBe('');
    expect(show.stderr).toMatch(forgery.message);
    const list = await ddor(['report', 'editions'], { env });
    expect(list.code, list.stderr).toBe(3);
    expect(list.stderr).toMatch(forgery.message);
    const verify = await ddor(['verify'], { env });
    expect(verify.code, verify.stdout).toBe(3);
    expect(verify.stdout).toMatch(forgery.message);
    expect(verify.stdout).toContain('NOT VERIFIED');

    const reopened = await openStore(url);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {}); // the server logs every 503
    try {
      const app = createApp(reopened);
      for (const path of [`/api/v1/reports/week/${forgery.week}`, '/api/v1/editions']) {
        const res = await app.request(path);
        expect(res.status, path).toBe(503);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('store_unavailable');
        expect(body.error.message).toMatch(forgery.message);
      }
      expect(logged).toHaveBeenCalled();
    } finally {
      logged.mockRestore();
      await reopened.close();
    }
  } finally {
    await store.close().catch(() => {});
    await cleanup();
  }
}

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`tampering with editions on ${factory.name}`, () => {
    const key = generateKeyPairSync('ed25519').privateKey;

    it('verifies the untouched store everywhere', async () => {
      const { store, url, cleanup } = await storeWithRulesFixture(factory);
      try {
        await publishThree(store, key);
        await store.close();
        const env = { DDOR_DB: url };
        expect((await ddor(['report', 'show', '--week', '2017-01-28'], { env })).code).toBe(0);
        const list = await ddor(['report', 'editions', '--json'], { env });
        expect(list.code).toBe(0);
        expect(JSON.parse(list.stdout).map((e: { sequence: number }) => e.sequence)).toEqual([2, 1, 3]);
        const verify = await ddor(['verify'], { env });
        expect(verify.code, verify.stdout).toBe(0);
        expect(verify.stdout).toContain('chain: 3 entries (3 signed, 0 unsigned)');
        expect(verify.stdout).toContain('verified: every edition, link and signature');
        const reopened = await openStore(url);
        try {
          const app = createApp(reopened);
          expect((await app.request('/api/v1/reports/week/2017-01-28')).status).toBe(200);
          expect((await app.request('/api/v1/editions')).status).toBe(200);
        } finally {
          await reopened.close();
        }
      } finally {
        await store.close().catch(() => {});
        await cleanup();
      }
    });

    for (const forgery of FORGERIES) {
      it(`detects a forger who ${forgery.name}`, () => detected(factory, forgery, key));
    }

    it('refuses to publish again a period whose edition was removed, while the chain is broken', async () => {
      const { store, cleanup } = await storeWithRulesFixture(factory);
      try {
        await publishThree(store, key);
        await asAdmin(store, async (db) => {
          await db.deleteFrom('editions').where('period_start', '=', W2.start).execute();
          await db.deleteFrom('edition_chain').where('period_start', '=', W2.start).execute();
        });
        const refused = await publishEdition(store, W2, { signingKey: key }).catch((e: unknown) => e);
        expect(refused).toMatchObject({
          kind: 'store',
          message: expect.stringMatching(
            /^nothing is published while the edition chain is broken: chain entry 2 is missing/,
          ),
        });
        await expect(showEdition(store, W1)).rejects.toThrow(/chain entry 2 is missing/);
      } finally {
        await store.close();
        await cleanup();
      }
    });

    if (factory.name === 'postgres') {
      it('has the database refuse UPDATE, DELETE and TRUNCATE of editions, the chain and the keys', async () => {
        const { store, cleanup } = await storeWithRulesFixture(factory);
        try {
          await publishThree(store, key);
          for (const table of ['editions', 'edition_chain', 'publisher_keys', 'edition_chain_log']) {
            await expect(sql`TRUNCATE ${sql.table(table)}`.execute(store.db), table).rejects.toThrow(
              /published editions never change/,
            );
            await expect(sql`DELETE FROM ${sql.table(table)}`.execute(store.db), table).rejects.toThrow(
              /published editions never change/,
            );
          }
          await expect(sql`UPDATE edition_chain SET signature = NULL`.execute(store.db)).rejects.toThrow(
            /published editions never change/,
          );
          await expect(sql`UPDATE publisher_keys SET public_key = 'x'`.execute(store.db)).rejects.toThrow(
            /published editions never change/,
          );
        } finally {
          await store.close();
          await cleanup();
        }
      });
    }
  });
}
