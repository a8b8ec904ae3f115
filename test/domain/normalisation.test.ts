/** Each normalisation table, row by row, through the real import path. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRIMINALITY, DETAINER_TYPE_LABELS } from '../../src/domain/ice.js';
import { iceSpec } from '../../src/ingest/ice.js';
import { importFile } from '../../src/ingest/import.js';
import { defaultLiftTable } from '../../src/ingest/lift-reasons.js';
import type { Store } from '../../src/store/store.js';
import { csvFile } from '../helpers/csv.js';
import { duckdbFactory } from '../helpers/stores.js';

/** DDP's merged "detainers-historical" layout: it has ICE's detainer id, the facility's city and state, and the MSC columns. */
const HEADER =
  'detainer_id,prepare_date,detainer_lift_reason,detention_facility,facility_city,facility_state,detainer_type,citizenship_country,detainer_prepared_criminality,most_serious_conviction_charge,most_serious_conviction_conviction_date,detainer_aor';
const q = (v: string) => (/[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

describe('normalisation tables', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  const rowsOf = async (prefix: string) =>
    store.db
      .selectFrom('detainers')
      .selectAll()
      .where('detainer_id', 'like', `${prefix}%`)
      .orderBy('detainer_id')
      .execute();

  beforeAll(async () => {
    ({ store, cleanup } = await duckdbFactory.create());
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('maps every lift reason of the shipped table (data/lift-reasons.csv) to its outcome, case-insensitively', async () => {
    const table = defaultLiftTable().rows;
    const lines = [HEADER];
    table.forEach(({ reason }, i) => {
      lines.push(
        `LR${String(i).padStart(2, '0')},2024-01-08,${q(i % 2 ? reason.toUpperCase() : reason)},HAMPTON JAIL,HAMPTON,IA,,,,,,`,
      );
    });
    await importFile(store, iceSpec('ice'), csvFile(lines), { rejectsPath: false });
    const rows = await rowsOf('LR');
    expect(rows.map((r) => r.outcome)).toEqual(table.map(({ outcome }) => outcome));
    // Being out of custody says nothing of a wrong agency: lifted (SPEC §2.12).
    expect(rows.filter((r) => r.outcome === 'issued_in_error').map((r) => r.lift_reason)).toEqual([
      'DETAINER ISSUED IN ERROR',
      'Issued in Error',
    ]);
    // The raw reason is kept as written; only the LEA's own declines are declines.
    expect(rows.filter((r) => r.outcome === 'declined').map((r) => r.lift_reason)).toEqual([
      'DETAINER DECLINED BY LEA',
      'Declined by LEA',
      'DETAINER DECLINED',
    ]);
  });

  it('maps detainer type labels to forms', async () => {
    const labels = [...DETAINER_TYPE_LABELS.map(([l]) => l), 'I-247A', 'i247d', 'Form I-247X (transfer)'];
    const lines = [
      HEADER,
      ...labels.map((l, i) => `DT${i},2024-01-08,,HAMPTON JAIL,HAMPTON,IA,${q(l)},,,,,`),
    ];
    await importFile(store, iceSpec('ice'), csvFile(lines), { rejectsPath: false });
    expect((await rowsOf('DT')).map((r) => r.form)).toEqual([
      ...DETAINER_TYPE_LABELS.map(([, f]) => f),
      'I-247A',
      'I-247D',
      'I-247X',
    ]);
  });

  it("normalises ICE's country spellings to country names", async () => {
    const spellings: Array<[string, string | null]> = [
      ['KOREA, SOUTH', 'South Korea'],
      ['CHINA, PEOPLES REPUBLIC OF', 'China'],
      ['BURMA', 'Myanmar'],
      ['MEXICO', 'Mexico'],
      ['GUATEMALA', 'Guatemala'],
      ['BAHAMAS, THE', 'Bahamas'],
      ['CONGO, DEMOCRATIC REPUBLIC OF THE', 'Democratic Republic of the Congo'],
      ['ST. LUCIA', 'Saint Lucia'],
      ['UNKNOWN', null],
      ['MX', 'Mexico'],
      ['SLV', 'El Salvador'],
    ];
    const lines = [
      HEADER,
      ...spellings.map(
        ([s], i) => `CT${String(i).padStart(2, '0')},2024-01-08,,HAMPTON JAIL,HAMPTON,IA,,${q(s)},,,,`,
      ),
    ];
    await importFile(store, iceSpec('ice'), csvFile(lines), { rejectsPath: false });
    expect((await rowsOf('CT')).map((r) => r.citizenship)).toEqual(spellings.map(([, n]) => n));
  });

  it('builds criminal activity entries from MSC Charge, conviction date and criminality', async () => {
    const cases: Array<[string, string, string, string | null]> = [
      ['Burglary', '2020-05-01', '1 Convicted Criminal', 'Burglary (conviction)'],
      ['Theft', '', '2 Pending Criminal Charges', 'Theft (pending)'],
      ['Assault; Battery', '', '', 'Assault, Battery (charge)'],
      ['', '', '1 Convicted Criminal', 'Convicted criminal (conviction)'],
      ['', '', '3 Other Immigration Violator', null],
      ...CRIMINALITY.map(
        ([v, k, l]) => ['', '', v, k ? `${l} (${k})` : null] as [string, string, string, string | null],
      ),
    ];
    const lines = [
      HEADER,
      ...cases.map(
        ([c, d, k], i) =>
          `CR${String(i).padStart(2, '0')},2024-01-08,,HAMPTON JAIL,HAMPTON,IA,,,${q(k)},${q(c)},${d},`,
      ),
    ];
    await importFile(store, iceSpec('ice'), csvFile(lines), { rejectsPath: false });
    expect((await rowsOf('CR')).map((r) => r.criminal_activity)).toEqual(cases.map(([, , , e]) => e));
  });

  it('accepts AOR codes, names and "… Area of Responsibility"', async () => {
    const aors = [
      'SNA',
      'San Antonio',
      'San Antonio Area of Responsibility',
      'harlingen',
      'New York City Field Office',
    ];
    const lines = [HEADER, ...aors.map((a, i) => `AO${i},2024-01-08,,HAMPTON JAIL,HAMPTON,IA,,,,,,${q(a)}`)];
    await importFile(store, iceSpec('ice'), csvFile(lines), { rejectsPath: false });
    expect((await rowsOf('AO')).map((r) => r.aor)).toEqual(['SNA', 'SNA', 'SNA', 'HLG', 'NYC']);
  });
});
