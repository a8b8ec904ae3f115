/**
 * A policy file may name one county on many rows (a county's ordinance and its
 * sheriff's policy; a city policy in the same county): each row resolves to
 * the one county, however the state is written. Only a name that fits several
 * county-equivalents is refused, with each candidate listed once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../src/errors.js';
import { importFile } from '../../src/ingest/import.js';
import { policySpec } from '../../src/ingest/policies.js';
import type { Store } from '../../src/store/store.js';
import { csvFile } from '../helpers/csv.js';
import { snapshot } from '../helpers/snapshot.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

const HEADER = 'policy_id,level,state,county_fips,county,place,type,title,enacted_date,restricts';

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(
    `policies naming one county twice, on ${factory.name}`,
    () => {
      let store: Store;
      let cleanup: () => Promise<void>;
      beforeAll(async () => {
        ({ store, cleanup } = await factory.create());
      });
      afterAll(async () => {
        await store?.close();
        await cleanup?.();
      });

      it('imports two county rows, a state spelled two ways, and place rows of the same county', async () => {
        const file = csvFile([
          HEADER,
          'T1,county,TX,,Travis County,,agency_policy,Sheriff policy,2017-01-20,detainer_hold',
          'T2,county,Texas,,Travis County,,resolution,Commissioners resolution,2017-02,notification',
          'T3,county,tx,,travis,,other,Court order,2017-03-01,detainer_hold',
          'T4,place,TX,,Travis County,Austin,resolution,Austin resolution,2017-01,notification',
          'T5,place,Texas,,Travis,Austin,ordinance,Austin ordinance,2017-02-01,jail_access',
        ]);
        const summary = await importFile(store, policySpec, file, { rejectsPath: false });
        expect(summary).toMatchObject({ rows: 5, inserted: 5, rejected: 0 });
        const rows = await store.db
          .selectFrom('policies')
          .select(['policy_id', 'state', 'county_fips', 'place'])
          .orderBy('policy_id')
          .execute();
        expect(rows).toEqual([
          { policy_id: 'T1', state: 'TX', county_fips: '48453', place: null },
          { policy_id: 'T2', state: 'TX', county_fips: '48453', place: null },
          { policy_id: 'T3', state: 'TX', county_fips: '48453', place: null },
          { policy_id: 'T4', state: 'TX', county_fips: '48453', place: 'Austin' },
          { policy_id: 'T5', state: 'TX', county_fips: '48453', place: 'Austin' },
        ]);
      });

      it('still refuses a truly ambiguous name on every row that uses it, each candidate named once', async () => {
        const before = await snapshot(store);
        const file = csvFile([
          HEADER,
          'F1,county,VA,,Franklin,,law,One,2017-01-01,detainer_hold',
          'F2,county,Virginia,,Franklin,,law,Two,2017-01-01,detainer_hold',
        ]);
        const error = await importFile(store, policySpec, file, { rejectsPath: false }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(InputRejectedError);
        const rejections = (error as InputRejectedError).rejections;
        expect(rejections.map((r) => [r.line, r.column, r.reason])).toEqual([
          [
            2,
            'county',
            'ambiguous county name in VA: it could be Franklin County (51067) or Franklin city (51620)',
          ],
          [
            3,
            'county',
            'ambiguous county name in VA: it could be Franklin County (51067) or Franklin city (51620)',
          ],
        ]);
        expect(await snapshot(store)).toBe(before);
      });
    },
  );
}
