/**
 * The store generation (issue 10): on both stores it changes with every write path —
 * an import, a resolution, publish and correct, a user and a token — and with nothing
 * that only reads, so a server can keep what it built until the next write. A write by
 * another handle (the CLI beside a server on PostgreSQL) is seen once the remembered
 * value is GENERATION_TTL_MS old.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addUser, createToken } from '../../src/auth/accounts.js';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { resolveFacility } from '../../src/ingest/facilities.js';
import { importFile } from '../../src/ingest/import.js';
import { buildReport } from '../../src/report/build.js';
import { correctEdition, listEditions, publishEdition } from '../../src/report/editions.js';
import { weekPeriod } from '../../src/report/period.js';
import { GENERATION_TTL_MS } from '../../src/store/generation.js';
import { openStore, type Store } from '../../src/store/store.js';
import { fixture } from '../helpers/fixtures.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const WEEK = weekPeriod('2017-01-28');

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`the store generation on ${factory.name}`, () => {
    let store: Store;
    let url: string;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, url, cleanup } = await storeWithRulesFixture(factory));
    });
    afterAll(async () => {
      vi.useRealTimers();
      await store?.close();
      await cleanup?.();
    });

    it('stays the same while the store is only read', async () => {
      const before = await store.generation();
      await buildReport(store, WEEK);
      await listEditions(store);
      expect(await store.generation()).toBe(before);
    });

    it('changes with every write path, at once', async () => {
      const seen = new Set([await store.generation()]);
      const changes = async (what: string, write: () => Promise<unknown>) => {
        await write();
        const now = await store.generation();
        expect(seen.has(now), what).toBe(false);
        seen.add(now);
      };
      await changes('publish', () => publishEdition(store, WEEK, { now: new Date('2017-02-06T12:00:00Z') }));
      await changes('import', () =>
        importFile(store, detainerSpec, fixture('rules', 'corrections.csv'), { rejectsPath: false }),
      );
      await changes('correct', () =>
        correctEdition(store, WEEK, { note: 'corrected', now: new Date('2017-02-13T12:00:00Z') }),
      );
      await changes('user add', () => addUser(store, 'maria.lopez', 'admin', 'correct horse battery'));
      await changes('token create', () => createToken(store, 'maria.lopez', 'nightly'));
      await changes('a direct write with no audit row', () =>
        store.db
          .insertInto('facilities')
          .values({
            facility_key: 'code:AUSJAIL',
            name: 'Austin Jail',
            code: 'AUSJAIL',
            city: 'Austin',
            state: 'TX',
            county_fips: null,
            candidates: '48453 Travis; 48491 Williamson',
            resolved_by: 'queued',
            updated_at: '2017-01-01T00:00:00Z',
          })
          .execute(),
      );
      await changes('resolve set', () => resolveFacility(store, 'code:AUSJAIL', '48453'));
    });

    it.runIf(factory.name === 'postgres')(
      "sees another process's write within its time to live",
      async () => {
        // The clock stands still until moved: the remembered value cannot expire on its own.
        vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
        const before = await store.generation();
        const other = await openStore(url);
        try {
          await importFile(other, detainerSpec, fixture('rules', 'detainers.csv'), { rejectsPath: false });
          await addUser(other, 'sam.okafor', 'analyst', 'correct horse battery');
        } finally {
          await other.close();
        }
        expect(await store.generation()).toBe(before); // remembered
        vi.setSystemTime(Date.now() + GENERATION_TTL_MS + 1);
        expect(await store.generation()).not.toBe(before);
        vi.useRealTimers();
      },
    );
  });
}
