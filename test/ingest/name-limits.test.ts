/**
 * Ids, names, codes and places are keys and labels: a value over
 * MAX_NAME_CHARS is a rejection with its line (PostgreSQL would otherwise fail
 * on its key index with an internal error), on both stores and every CSV reader.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { iceSpec } from '../../src/ingest/ice.js';
import { importFile } from '../../src/ingest/import.js';
import { MAX_NAME_CHARS } from '../../src/ingest/limits.js';
import { policySpec } from '../../src/ingest/policies.js';
import type { Store } from '../../src/store/store.js';
import { csvFile, DETAINER_HEADER, detainerRow } from '../helpers/csv.js';
import { rejectionOf } from '../helpers/errors.js';
import { snapshot } from '../helpers/snapshot.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

// Varied letters: PostgreSQL compresses repetitive index entries and might then accept them.
const long = (n: number) =>
  Array.from({ length: n }, (_, i) => 'abcdefghijklmnopqrstuvwxyz'[(i * 7919) % 26]).join('');

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`names over the limit, on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await factory.create());
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('imports a name at the limit and rejects one past it, with its line, in a canonical file', async () => {
      const before = await snapshot(store);
      const file = csvFile([
        DETAINER_HEADER,
        detainerRow('L1', { agency: long(MAX_NAME_CHARS) }),
        detainerRow('L2', { agency: long(20_000) }),
        detainerRow(long(MAX_NAME_CHARS + 1)),
      ]);
      const error = await rejectionOf(importFile(store, detainerSpec, file, { rejectsPath: false }));
      expect(error.rejections.map((r) => [r.line, r.column, r.reason])).toEqual([
        [3, 'agency', `too long for agency (20000 characters, limit ${MAX_NAME_CHARS})`],
        [4, 'detainer_id', `too long for detainer id (301 characters, limit ${MAX_NAME_CHARS})`],
      ]);
      expect(error.rejections[0]!.value!.length).toBeLessThan(80);
      expect(await snapshot(store)).toBe(before);
      const partial = await importFile(store, detainerSpec, file, {
        acceptPartial: true,
        rejectsPath: false,
      });
      expect(partial).toMatchObject({ rows: 3, inserted: 1, rejected: 2 });
    });

    it('rejects a long facility name in an ICE file and a long policy id', async () => {
      const before = await snapshot(store);
      const ice = csvFile([
        'Detainer_ID,Detainer_Prepare_Date,Detainer_Lift_Date,Detainer_Lift_Reason,Detainer_Detention_Facility,Detainer_Detention_Facility_Code,Detainer_AOR',
        `N-1,2017-01-29,,,${long(9000)},TRAVITX,SNA`,
      ]);
      const e1 = await rejectionOf(importFile(store, iceSpec('ice-legacy'), ice, { rejectsPath: false }));
      expect(e1.rejections.map((r) => [r.line, r.column])).toContainEqual([2, 'facility']);
      const policies = csvFile([
        'policy_id,level,state,type,title,enacted_date,restricts',
        `${long(400)},state,CA,law,Long id,2017-01-01,detainer_hold`,
      ]);
      const e2 = await rejectionOf(importFile(store, policySpec, policies, { rejectsPath: false }));
      expect(e2.rejections.map((r) => [r.line, r.column])).toEqual([[2, 'policy_id']]);
      expect(await snapshot(store)).toBe(before);
    });
  });
}
