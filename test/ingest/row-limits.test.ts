/**
 * Every row of an input is either imported or rejected with its line: rows at
 * the row limit are read, rows past it are "row too long" (never dropped), for
 * every reader (canonical CSV, ICE CSV, xlsx, Parquet), on both stores. And a
 * header longer than the old 64 KiB read is read whole.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { iceSpec } from '../../src/ingest/ice.js';
import { importFile } from '../../src/ingest/import.js';
import { MAX_HEADER_BYTES, MAX_ROW_BYTES } from '../../src/ingest/limits.js';
import type { ImportSpec } from '../../src/ingest/spec.js';
import type { Store } from '../../src/store/store.js';
import { DETAINER_HEADER, detainerRow } from '../helpers/csv.js';
import { rejectionOf } from '../helpers/errors.js';
import { snapshot } from '../helpers/snapshot.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

const dir = mkdtempSync(join(tmpdir(), 'ddor-rowlimit-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Incompressible padding (so workbook parts stay under the compression-ratio limit). */
const pad = (n: number) =>
  randomBytes(Math.ceil((n * 3) / 4) + 3)
    .toString('base64')
    .replace(/[+/=]/g, 'x')
    .slice(0, n);

/** The row sizes each file holds, in order: a normal row, at the limit, one byte past, far past, normal. */
const SIZES = [0, MAX_ROW_BYTES, MAX_ROW_BYTES + 1, 3 * MAX_ROW_BYTES, 0];
const TOO_LONG = (bytes: number) =>
  `row too long (${bytes.toLocaleString('en-US')} bytes, limit ${MAX_ROW_BYTES.toLocaleString('en-US')})`;

interface Case {
  name: string;
  spec: ImportSpec;
  /** Writes the file; returns it and the line (as rejections name it) of each row. */
  build(): Promise<{ file: string; where: Array<{ file: string; line: number }> }>;
}

// The long value sits in the charge: PostgreSQL cannot key an agency or facility name of megabytes.
const ICE_COLS = [
  'Detainer Prepare Date',
  'Facility State',
  'Detainer Facility',
  'Facility City',
  'Detainer Lift Reason',
  'MSC Charge',
];
/** ICE rows whose read cells add up to `size` bytes, less `less` (0: an ordinary row). */
const iceValues = (i: number, size: number, less = 0) => {
  const fixed = [`2024-01-0${i + 1}`, 'TX', 'TRAVIS COUNTY JAIL', 'AUSTIN', 'Detainer Declined by LEA', ''];
  const others = fixed.reduce((s, v) => s + v.length, 0);
  fixed[5] = size === 0 ? 'Burglary' : pad(size - others - less);
  return fixed;
};

const CASES: Case[] = [
  {
    name: 'canonical CSV',
    spec: detainerSpec,
    async build() {
      // The first row has a line break inside quotes: lines are physical lines.
      const rows = SIZES.map((size, i) => {
        if (size === 0) return detainerRow(`R${i}`, i === 0 ? { agency: 'Travis County\nJail' } : {});
        const base = Buffer.byteLength(detainerRow(`R${i}`, { criminal_activity: ' (charge)' }));
        return detainerRow(`R${i}`, { criminal_activity: `${pad(size - base)} (charge)` });
      });
      const file = join(dir, `canonical-${Date.now()}.csv`);
      writeFileSync(file, `${[DETAINER_HEADER, ...rows].join('\n')}\n`);
      return { file, where: [2, 4, 5, 6, 7].map((line) => ({ file, line })) };
    },
  },
  {
    name: 'ICE CSV',
    spec: iceSpec('ice'),
    async build() {
      const header = ICE_COLS.map((c) => c.toLowerCase().replaceAll(' ', '_'));
      const rows = SIZES.map((size, i) => iceValues(i, size, ICE_COLS.length - 1).join(',')); // the commas
      const file = join(dir, `ddp-${Date.now()}.csv`);
      writeFileSync(file, `${[header.join(','), ...rows].join('\r\n')}\r\n`);
      return { file, where: [2, 3, 4, 5, 6].map((line) => ({ file, line })) };
    },
  },
  {
    name: 'xlsx',
    spec: iceSpec('ice'),
    async build() {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Detainers');
      ws.addRow(ICE_COLS);
      SIZES.forEach((size, i) => {
        ws.addRow(iceValues(i, size));
      });
      const file = join(dir, `ice-${Date.now()}.xlsx`);
      await wb.xlsx.writeFile(file);
      const label = `${basename(file)} [Detainers]`;
      return { file, where: [2, 3, 4, 5, 6].map((line) => ({ file: label, line })) };
    },
  },
  {
    name: 'Parquet',
    spec: iceSpec('ice'),
    async build() {
      const header = ICE_COLS.map((c) => c.toLowerCase().replaceAll(' ', '_'));
      const csv = join(dir, `ddp-${Date.now()}.csv`);
      writeFileSync(
        csv,
        `${[header.join(','), ...SIZES.map((s, i) => iceValues(i, s).join(','))].join('\n')}\n`,
      );
      const file = csv.replace(/\.csv$/, '.parquet');
      const instance = await DuckDBInstance.create(':memory:');
      const c = await instance.connect();
      await c.run(`COPY (SELECT * FROM read_csv('${csv}', header = true, all_varchar = true, max_line_size = ${4 * MAX_ROW_BYTES}))
        TO '${file}' (FORMAT parquet)`);
      c.closeSync();
      instance.closeSync();
      rmSync(csv);
      const label = `${file} (Parquet row)`;
      return { file, where: [1, 2, 3, 4, 5].map((line) => ({ file: label, line })) };
    },
  },
];

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`rows at and past the row limit on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await factory.create());
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    for (const c of CASES) {
      it(`${c.name}: rows in = rows imported + rows rejected; too-long rows refuse the file, or are quarantined`, async () => {
        const { file, where } = await c.build();
        try {
          const before = await snapshot(store);
          const refused = await rejectionOf(importFile(store, c.spec, file, { rejectsPath: false }));
          expect(refused.message).toContain(`2 of ${SIZES.length} rows rejected; nothing was imported`);
          expect(refused.rejections.map((r) => [r.file, r.line, r.reason])).toEqual([
            [where[2]!.file, where[2]!.line, TOO_LONG(MAX_ROW_BYTES + 1)],
            [where[3]!.file, where[3]!.line, TOO_LONG(3 * MAX_ROW_BYTES)],
          ]);
          expect(await snapshot(store)).toBe(before);

          const s = await importFile(store, c.spec, file, { acceptPartial: true, rejectsPath: false });
          expect(s).toMatchObject({ rows: SIZES.length, rejected: 2, quarantined: 2 });
          expect(s.inserted + s.updated + s.unchanged + s.rejected).toBe(SIZES.length);
          expect(s.inserted + s.updated + s.unchanged).toBe(3); // the row at the limit is imported
          const held = await store.db
            .selectFrom('quarantine')
            .select(['line', 'reason'])
            .where('import_id', '=', s.importId!)
            .orderBy('line')
            .execute();
          expect(held).toEqual([
            { line: where[2]!.line, reason: TOO_LONG(MAX_ROW_BYTES + 1) },
            { line: where[3]!.line, reason: TOO_LONG(3 * MAX_ROW_BYTES) },
          ]);
        } finally {
          rmSync(file, { force: true });
        }
      });
    }
  });
}

describe('long headers', () => {
  it('reads a 10,000-column header (over 64 KiB) whole with --ignore-extra', async () => {
    const { store, cleanup } = await STORES[0]!.create();
    try {
      const extra = Array.from(
        { length: 10_000 - DETAINER_HEADER.split(',').length },
        (_, i) => `extra_${i}`,
      );
      const file = join(dir, 'wide.csv');
      const header = `${DETAINER_HEADER},${extra.join(',')}`;
      expect(header.length).toBeGreaterThan(65536);
      writeFileSync(file, `${header}\n${detainerRow('W1')}${','.repeat(extra.length)}\n`);
      const s = await importFile(store, detainerSpec, file, { ignoreExtra: true, rejectsPath: false });
      expect(s).toMatchObject({ rows: 1, inserted: 1, rejected: 0 });
      expect(s.ignoredColumns).toHaveLength(extra.length);
    } finally {
      await store.close();
      await cleanup();
    }
  });

  it('refuses a header over the header limit with the limit in the message', async () => {
    const { store, cleanup } = await STORES[0]!.create();
    try {
      const file = join(dir, 'no-breaks.csv');
      writeFileSync(file, `${DETAINER_HEADER},${'x'.repeat(MAX_HEADER_BYTES)}\n${detainerRow('W1')},\n`);
      const error = await rejectionOf(importFile(store, detainerSpec, file, { rejectsPath: false }));
      expect(error.rejections[0]).toMatchObject({
        line: 1,
        reason: 'the header row is longer than the limit of 1 MiB',
      });
    } finally {
      await store.close();
      await cleanup();
    }
  });
});
