/**
 * Migrations are history: each names its own columns and reads only its own
 * frozen data file, so editing today's column lists or gazetteer can never
 * change what a new store gets from an old migration.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { counties } from '../../src/geo/gazetteer.js';
import { frozenRows } from '../../src/store/migrations/index.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

const source = readFileSync(new URL('../../src/store/migrations/index.ts', import.meta.url), 'utf8');

describe('literal migrations', () => {
  it('import no column list, gazetteer or vocabulary of today', () => {
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports.filter((i) => i!.startsWith('.'))).toEqual(['../../paths.js']);
  });

  it('refuse a frozen data file that differs from the one they shipped with', () => {
    expect(() => frozenRows({ file: '0001-counties.csv', sha256: '0'.repeat(64) })).toThrow(
      /data\/migrations\/0001-counties\.csv is not the file this migration shipped with/,
    );
  });

  it('seed the county-equivalents the gazetteer knows today (a new vintage needs a new migration)', () => {
    const seeded = frozenRows({
      file: '0001-counties.csv',
      sha256: '532f6f26accc27847a8e2f0b1d6443dd0e507038088b904a5e3dcb58848964b0',
    });
    expect(seeded.map((c) => [c.fips, c.state, c.name, c.county_class, c.valid_from, c.valid_to])).toEqual(
      counties().map((c) => [c.fips, c.state, c.name, c.countyClass, c.validFrom ?? '', c.validTo ?? '']),
    );
  });
});

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`a new store on ${factory.name}`, () => {
    it('holds every county-equivalent of the frozen list, with its dates', async () => {
      const { store, cleanup } = await factory.create();
      try {
        const { rows } = await sql<{ n: number; ct: number; oglala: string | null }>`
          SELECT count(*) AS n,
                 count(*) FILTER (WHERE state = 'CT') AS ct,
                 max(CASE WHEN fips = '46102' THEN CAST(valid_from AS VARCHAR) END) AS oglala
          FROM counties`.execute(store.db);
        expect(rows.map((r) => [Number(r.n), Number(r.ct), String(r.oglala).slice(0, 10)])).toEqual([
          [3247, 17, '2015-05-01'],
        ]);
      } finally {
        await store.close();
        await cleanup();
      }
    });
  });
}
