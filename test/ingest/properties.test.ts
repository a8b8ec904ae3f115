/**
 * Property-based: malformed rows thrown at every reader end in a clear,
 * typed rejection (or a clean import), never a crash, and never a half-load.
 * Each file is imported for real: a rejected one leaves the store exactly as
 * it was, an accepted one is stored whole (every row new, updated or unchanged).
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DdorError } from '../../src/errors.js';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { iceSpec } from '../../src/ingest/ice.js';
import { importFile } from '../../src/ingest/import.js';
import type { ImportSpec } from '../../src/ingest/spec.js';
import type { Store } from '../../src/store/store.js';
import { DETAINER_HEADER, detainerRow, tempFile } from '../helpers/csv.js';
import { ICE_2023_HEADER } from '../helpers/ice-files.js';
import { snapshot } from '../helpers/snapshot.js';
import { duckdbFactory } from '../helpers/stores.js';

/** Cells that stress parsers: quotes, separators, line breaks, unicode, dates of every shape. */
const cell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    ' ',
    '"',
    '""',
    ',',
    '\n',
    'a"b',
    '2017-02-30',
    '2017-01-28',
    '1/29/2017',
    'TX',
    '48453',
    'declined',
    'Detainer Declined by LEA',
    'KOREA, SOUTH',
    'Travis County',
    'Franklin',
    '=1+1',
    '\u0000',
    'é',
    '🙂',
  ),
);
const csvText = (rows: string[][]) =>
  rows
    .map((r) => r.map((v) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(','))
    .join('\n');

describe('readers never crash on malformed rows', () => {
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ store, cleanup } = await duckdbFactory.create());
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  const detainerCount = async () =>
    Number(
      (
        await store.db
          .selectFrom('detainers')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function outcome(spec: ImportSpec, file: string): Promise<'imported' | 'rejected'> {
    const before = await snapshot(store);
    const stored = await detainerCount();
    try {
      const s = await importFile(store, spec, file, { rejectsPath: false });
      // All of it: no row rejected, each row new, updated or unchanged, the new ones stored.
      expect(s.rejected).toBe(0);
      expect(s.inserted + s.updated + s.unchanged).toBe(s.rows);
      expect(await detainerCount()).toBe(stored + s.inserted);
      return 'imported';
    } catch (error) {
      expect(error).toBeInstanceOf(DdorError);
      const e = error as DdorError;
      expect(e.message.length).toBeGreaterThan(10);
      expect(e.hint?.length ?? 0).toBeGreaterThan(5);
      // Nothing of it.
      expect(await snapshot(store)).toBe(before);
      return 'rejected';
    }
  }

  it('canonical CSV', async () => {
    const seen = new Set<string>();
    const width = DETAINER_HEADER.split(',').length;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: width - 2, maxLength: width + 1 }), {
          minLength: 1,
          maxLength: 6,
        }),
        async (rows) => {
          const file = tempFile(`${DETAINER_HEADER}\n${csvText(rows)}\n`);
          seen.add(await outcome(detainerSpec, file));
        },
      ),
      // A valid file, a file with one good and one bad row, then random ones.
      {
        numRuns: 40,
        examples: [
          [[detainerRow('PROP-1').split(',')]],
          [[detainerRow('PROP-2').split(','), detainerRow('PROP-3', { state: 'Texass' }).split(',')]],
        ],
      },
    );
    expect([...seen].sort()).toEqual(['imported', 'rejected']);
  });

  it('ICE CSV (DDP layout)', async () => {
    const seen = new Set<string>();
    const header = [
      'detainer_prepare_date',
      'facility_state',
      'detainer_facility',
      'facility_city',
      'detainer_lift_reason',
      'citizenship_country',
      'detainer_type',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: header.length, maxLength: header.length }), {
          minLength: 1,
          maxLength: 6,
        }),
        async (rows) => {
          seen.add(await outcome(iceSpec('ddp'), tempFile(`${header.join(',')}\n${csvText(rows)}\n`)));
        },
      ),
      {
        numRuns: 30,
        examples: [
          [
            [
              [
                '2017-01-29',
                'TX',
                'TRAVIS COUNTY JAIL',
                'AUSTIN',
                'Detainer Declined by LEA',
                'MEXICO',
                'I-247A',
              ],
            ],
          ],
          [[['2017-01-29', 'TX', 'TRAVIS COUNTY JAIL', 'AUSTIN', 'Released to Moon', 'MEXICO', 'I-247A']]],
        ],
      },
    );
    expect([...seen].sort()).toEqual(['imported', 'rejected']);
  });

  it('ICE workbooks, including files that are not workbooks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(
            fc.oneof(
              cell,
              fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
              fc.integer(),
            ),
            { minLength: 0, maxLength: 10 },
          ),
          { minLength: 0, maxLength: 5 },
        ),
        fc.boolean(),
        async (rows, withHeader) => {
          const wb = new ExcelJS.Workbook();
          const ws = wb.addWorksheet('Data');
          ws.addRow(['Preamble']);
          if (withHeader) ws.addRow(ICE_2023_HEADER.slice(0, 12).concat(['Detainer Lift Reason']));
          for (const r of rows) ws.addRow(r);
          const path = tempFile(Buffer.alloc(0), `p-${Math.random().toString(36).slice(2)}.xlsx`);
          await wb.xlsx.writeFile(path);
          await outcome(iceSpec(), path);
        },
      ),
      { numRuns: 15 },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        expect(
          await outcome(
            iceSpec(),
            tempFile(Buffer.from(bytes), `junk-${Math.random().toString(36).slice(2)}.xlsx`),
          ),
        ).toBe('rejected');
        expect(
          await outcome(
            iceSpec(),
            tempFile(Buffer.from(bytes), `junk-${Math.random().toString(36).slice(2)}.parquet`),
          ),
        ).toBe('rejected');
      }),
      { numRuns: 10 },
    );
  });
});
