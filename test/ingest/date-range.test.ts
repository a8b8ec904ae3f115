/**
 * Every date column of every reader accepts only dates a detainer or a policy
 * can have — EARLIEST_DATE to one year after today — and rejects the rest with
 * line, column, reason and hint; nothing is imported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATE_RANGE_HINT,
  EARLIEST_DATE,
  isAcceptedDate,
  latestAcceptedDate,
} from '../../src/domain/dates.js';
import { InputRejectedError } from '../../src/errors.js';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { iceSpec } from '../../src/ingest/ice.js';
import { importFile } from '../../src/ingest/import.js';
import { policySpec } from '../../src/ingest/policies.js';
import type { ImportSpec } from '../../src/ingest/spec.js';
import { addDays } from '../../src/report/period.js';
import type { Store } from '../../src/store/store.js';
import { csvFile, DETAINER_HEADER, detainerRow } from '../helpers/csv.js';
import { ICE_ROWS, iceWorkbook } from '../helpers/ice-files.js';
import { snapshot } from '../helpers/snapshot.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

const LATEST = latestAcceptedDate(new Date());
const AFTER_LATEST = addDays(LATEST, 1);
const reason = (date: string) => `date out of range: ${date}, ddor accepts ${EARLIEST_DATE} to ${LATEST}`;

describe('the accepted date range', () => {
  it('runs from 1979-01-01 to one year after today', () => {
    expect(EARLIEST_DATE).toBe('1979-01-01');
    expect(latestAcceptedDate(new Date('2026-11-28T23:59:00Z'))).toBe('2027-11-28');
    expect(latestAcceptedDate(new Date('2028-02-29T00:00:00Z'))).toBe('2029-03-01');
    const today = new Date('2017-02-06T12:00:00Z');
    expect(isAcceptedDate('1979-01-01', today)).toBe(true);
    expect(isAcceptedDate('1978-12-31', today)).toBe(false);
    expect(isAcceptedDate('2018-02-06', today)).toBe(true);
    expect(isAcceptedDate('2018-02-07', today)).toBe(false);
  });
});

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`date range at import on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, cleanup } = await factory.create());
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    async function rejected(spec: ImportSpec, file: string) {
      const before = await snapshot(store);
      const error = await importFile(store, spec, file, { rejectsPath: false }).catch((e) => e);
      expect(error).toBeInstanceOf(InputRejectedError);
      expect(await snapshot(store)).toBe(before);
      return (error as InputRejectedError).rejections.filter((r) => r.reason.startsWith('date out of range'));
    }

    it('canonical detainers: issued, declined and recorded dates', async () => {
      const file = csvFile([
        DETAINER_HEADER,
        detainerRow('R1', { issued_date: '9999-12-31' }),
        detainerRow('R2', { issued_date: '0000-01-01' }),
        detainerRow('R3', { issued_date: '1978-12-31' }),
        detainerRow('R4', { issued_date: AFTER_LATEST }),
        detainerRow('R5', {
          outcome: 'declined',
          issued_date: '2017-01-29',
          declined_date: '9999-12-30',
          recorded_date: '9999-12-31',
        }),
        detainerRow('OK1', { issued_date: EARLIEST_DATE }),
        detainerRow('OK2', { issued_date: LATEST }),
      ]);
      const cells = await rejected(detainerSpec, file);
      expect(cells.map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
        [2, 'issued_date', '9999-12-31', reason('9999-12-31')],
        [3, 'issued_date', '0000-01-01', reason('0000-01-01')],
        [4, 'issued_date', '1978-12-31', reason('1978-12-31')],
        [5, 'issued_date', AFTER_LATEST, reason(AFTER_LATEST)],
        [6, 'declined_date', '9999-12-30', reason('9999-12-30')],
        [6, 'recorded_date', '9999-12-31', reason('9999-12-31')],
      ]);
      for (const r of cells) expect(r.hint).toBe(DATE_RANGE_HINT);
    });

    it('the accepted bounds themselves import', async () => {
      const file = csvFile([
        DETAINER_HEADER,
        detainerRow('B1', { issued_date: EARLIEST_DATE }),
        detainerRow('B2', { issued_date: LATEST }),
      ]);
      const s = await importFile(store, detainerSpec, file, { rejectsPath: false });
      expect(s.inserted).toBe(2);
    });

    it('policies: enacted (also YYYY-MM) and rescinded dates; 1987 is still accepted', async () => {
      const header =
        'policy_id,level,state,county_fips,county,place,aor,type,title,enacted_date,rescinded_date,restricts,criteria,source_url';
      const file = csvFile([
        header,
        'P1,state,CA,,,,,law,Far future,9999-12,,detainer_hold,,',
        'P2,state,CA,,,,,law,Too old,1978-12,,detainer_hold,,',
        'P3,state,OR,,,,,law,Rescinded never,1987-07,9999-12-31,detainer_hold,,',
        'P4,state,TX,,,,,law,Year zero,0000-01-01,,detainer_hold,,',
        'P5,state,OR,,,,,law,Oregon 1987,1987-07,,287g,,',
      ]);
      const cells = await rejected(policySpec, file);
      expect(cells.map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
        [2, 'enacted_date', '9999-12', reason('9999-12-01')],
        [3, 'enacted_date', '1978-12', reason('1978-12-01')],
        [4, 'rescinded_date', '9999-12-31', reason('9999-12-31')],
        [5, 'enacted_date', '0000-01-01', reason('0000-01-01')],
      ]);
    });

    it("ICE files: prepare and lift dates in ICE's forms", async () => {
      const file = csvFile([
        'detainer_id,prepare_date,detainer_lift_date,detainer_lift_reason,detention_facility,facility_city,facility_state',
        'I1,12/31/9999,,,TRAVIS COUNTY JAIL,AUSTIN,TX',
        'I2,2017-01-29 00:00:00,9999-12-31T00:00:00,Detainer Declined by LEA,TRAVIS COUNTY JAIL,AUSTIN,TX',
        'I3,01/01/1900,,,TRAVIS COUNTY JAIL,AUSTIN,TX',
        'I4,2017-01-29,2017-01-30,Detainer Declined by LEA,TRAVIS COUNTY JAIL,AUSTIN,TX',
      ]);
      const cells = await rejected(iceSpec('ddp-historical'), file);
      expect(cells.map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
        [2, 'issued_date', '12/31/9999', reason('9999-12-31')],
        [3, 'lift_date', '9999-12-31T00:00:00', reason('9999-12-31')],
        [4, 'issued_date', '01/01/1900', reason('1900-01-01')],
      ]);
    });

    it('ICE workbooks: date cells', async () => {
      const xlsx = await iceWorkbook([
        { ...ICE_ROWS[0], 'Detainer Prepare Date': new Date('1900-01-01T00:00:00Z') },
        ...ICE_ROWS.slice(1),
      ]);
      const cells = await rejected(iceSpec('ice-xlsx'), xlsx);
      expect(cells.map((r) => [r.column, r.value, r.reason])).toEqual([
        ['issued_date', '1900-01-01', reason('1900-01-01')],
      ]);
      expect(cells[0]!.line).toBeGreaterThan(1);
    });
  });
}
