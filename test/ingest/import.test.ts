import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { policySpec } from '../../src/ingest/policies.js';
import { openStore, type Store } from '../../src/store/store.js';
import { csvFile, DETAINER_HEADER, detainerRow, tempFile } from '../helpers/csv.js';
import { rejectionOf } from '../helpers/errors.js';
import { fixture } from '../helpers/fixtures.js';
import { snapshot } from '../helpers/snapshot.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

/** Each bad input of SPEC §3: the file, the line and column it must name, and words of the reason. */
const BAD_INPUTS: Array<{ name: string; lines: string[]; line: number; column: string; reason: RegExp }> = [
  {
    name: 'unknown county',
    lines: [
      DETAINER_HEADER,
      detainerRow('B1'),
      detainerRow('B2', { county_fips: '', county: 'Atlantis County' }),
    ],
    line: 3,
    column: 'county',
    reason: /no county of that name in TX/,
  },
  {
    name: 'ambiguous county (Franklin, VA)',
    lines: [DETAINER_HEADER, detainerRow('B1', { county_fips: '', county: 'Franklin', state: 'VA' })],
    line: 2,
    column: 'county',
    reason: /ambiguous county name in VA: it could be Franklin County \(51067\) or Franklin city \(51620\)/,
  },
  {
    name: 'bad state',
    lines: [DETAINER_HEADER, detainerRow('B1', { state: 'Texass' })],
    line: 2,
    column: 'state',
    reason: /unknown state/,
  },
  {
    name: 'FIPS code of a same-name county in another state',
    lines: [DETAINER_HEADER, detainerRow('B1', { county_fips: '42055', state: 'IA' })],
    line: 2,
    column: 'county_fips',
    reason: /this FIPS code is Franklin County, PA, not in IA/,
  },
  {
    name: 'impossible date',
    lines: [DETAINER_HEADER, detainerRow('B1'), detainerRow('B2', { issued_date: '2017-02-30' })],
    line: 3,
    column: 'issued_date',
    reason: /impossible date/,
  },
  {
    name: 'date in another form',
    lines: [DETAINER_HEADER, detainerRow('B1', { issued_date: '1/29/2017' })],
    line: 2,
    column: 'issued_date',
    reason: /not a date in YYYY-MM-DD form/,
  },
  {
    name: 'declined without a date',
    lines: [DETAINER_HEADER, detainerRow('B1', { outcome: 'declined' })],
    line: 2,
    column: 'declined_date',
    reason: /a declined detainer needs its declined_date/,
  },
  {
    name: 'duplicate id',
    lines: [DETAINER_HEADER, detainerRow('B1'), detainerRow('B2'), detainerRow('B1')],
    line: 4,
    column: 'detainer_id',
    reason: /duplicate detainer_id: the same id is on line 2/,
  },
  {
    name: 'missing column',
    lines: ['detainer_id,issued_date,county_fips,state,outcome', 'B1,2017-01-29,48453,TX,honored'],
    line: 1,
    column: 'agency',
    reason: /required column is missing/,
  },
  {
    name: 'unknown column',
    lines: [`${DETAINER_HEADER},shoe_size`, `${detainerRow('B1')},42`],
    line: 1,
    column: 'shoe_size',
    reason: /unknown column/,
  },
  {
    name: 'a row with too many fields',
    lines: [DETAINER_HEADER, detainerRow('B1'), `${detainerRow('B2')},extra`],
    line: 3,
    column: '',
    reason: /the row has 12 fields, the header has 11/,
  },
  {
    name: 'unknown outcome',
    lines: [DETAINER_HEADER, detainerRow('B1', { outcome: 'released' })],
    line: 2,
    column: 'outcome',
    reason: /not one of the allowed values/,
  },
  {
    name: 'malformed criminal activity',
    lines: [DETAINER_HEADER, detainerRow('B1', { criminal_activity: 'Burglary (charge); Theft' })],
    line: 2,
    column: 'criminal_activity',
    reason: /this one does not: Theft/,
  },
  {
    name: 'recorded before declined',
    lines: [
      DETAINER_HEADER,
      detainerRow('B1', { outcome: 'declined', declined_date: '2017-02-01', recorded_date: '2017-01-31' }),
    ],
    line: 2,
    column: 'recorded_date',
    reason: /recorded before the decline happened/,
  },
];

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`import on ${factory.name}`, () => {
    let store: Store;
    let url: string;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, url, cleanup } = await factory.create());
      await importFile(store, policySpec, fixture('rules', 'policies.csv'), { rejectsPath: false });
      await importFile(store, detainerSpec, fixture('rules', 'detainers.csv'), { rejectsPath: false });
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('stores each row once, with its import recorded', async () => {
      const detainers = await store.db.selectFrom('detainers').select('detainer_id').execute();
      expect(detainers).toHaveLength(50);
      const policies = await store.db.selectFrom('policies').select('policy_id').execute();
      expect(policies).toHaveLength(11);
      const imports = await store.db.selectFrom('imports').selectAll().orderBy('import_id').execute();
      expect(imports.map((i) => [i.import_id, i.kind, i.file_name, i.rows_read, i.inserted])).toEqual([
        [1, 'policies', 'policies.csv', 11, 11],
        [2, 'detainers', 'detainers.csv', 50, 50],
      ]);
      expect(imports[1]!.sha256).toBe(
        createHash('sha256')
          .update(readFileSync(fixture('rules', 'detainers.csv')))
          .digest('hex'),
      );
    });

    it('resolves county names case- and accent-insensitively, with or without suffix', async () => {
      const file = csvFile([
        DETAINER_HEADER,
        detainerRow('N1', { county_fips: '', county: 'dona ana', state: 'NM' }),
        detainerRow('N2', { county_fips: '', county: 'Doña Ana County', state: 'New Mexico' }),
        detainerRow('N3', { county_fips: '', county: 'Franklin city', state: 'VA' }),
        detainerRow('N4', { county_fips: '', county: 'FRANKLIN COUNTY', state: 'va' }),
        detainerRow('N5', { county_fips: '', county: 'Baltimore City', state: 'MD' }),
        detainerRow('N6', { county_fips: '', county: 'Saint Louis County', state: 'MO' }),
      ]);
      const summary = await importFile(store, detainerSpec, file, { dryRun: true, rejectsPath: false });
      expect(summary.rejected).toBe(0);
      expect(summary.inserted).toBe(6);
      // A dry run writes nothing.
      expect(
        await store.db
          .selectFrom('detainers')
          .select('detainer_id')
          .where('detainer_id', 'like', 'N%')
          .execute(),
      ).toEqual([]);
    });

    for (const bad of BAD_INPUTS) {
      it(`rejects ${bad.name}, naming line ${bad.line}, and changes nothing`, async () => {
        const before = await snapshot(store);
        const file = csvFile(bad.lines);
        const error = await rejectionOf(importFile(store, detainerSpec, file, { rejectsPath: false }));
        expect(error.exitCode).toBe(2);
        const hit = error.rejections.find((r) => r.line === bad.line && r.column === bad.column);
        expect(hit, JSON.stringify(error.rejections)).toBeDefined();
        expect(hit!.reason).toMatch(bad.reason);
        expect(hit!.hint.length).toBeGreaterThan(10);
        expect(hit!.file).toBe(file);
        expect(await snapshot(store)).toBe(before);
      });
    }

    it('rejects a file that is not CSV text', async () => {
      const before = await snapshot(store);
      const png = tempFile(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
        'map.png',
      );
      const error = await rejectionOf(importFile(store, detainerSpec, png, { rejectsPath: false }));
      expect(error.rejections[0]).toMatchObject({
        file: png,
        line: 1,
        reason: expect.stringMatching(/not a CSV text file/),
      });
      const empty = tempFile('', 'empty.csv');
      expect((await rejectionOf(importFile(store, detainerSpec, empty))).rejections[0]!.reason).toBe(
        'the file is empty',
      );
      expect(await snapshot(store)).toBe(before);
    });

    it('rejects one bad row among many, names its line past a quoted line break, and writes the rejects CSV', async () => {
      const before = await snapshot(store);
      const rows = [DETAINER_HEADER];
      for (let i = 0; i < 500; i++)
        rows.push(detainerRow(`M${i}`, i === 10 ? { agency: 'Jail\nAnnex' } : {}));
      rows[401] = detainerRow('M400', { state: 'ZZ' }); // line 402, pushed to 403 by the quoted line break in M9
      const file = csvFile(rows);
      const rejects = `${file}.rejects.csv`;
      const error = await rejectionOf(importFile(store, detainerSpec, file, { rejectsPath: rejects }));
      expect(error.rejections).toHaveLength(1);
      expect(error.rejections[0]).toMatchObject({ file, line: 403, column: 'state', value: 'ZZ' });
      expect(error.message).toMatch(/1 of 500 rows rejected; nothing was imported/);
      const written = readFileSync(rejects, 'utf8').trim().split('\n');
      expect(written[0]).toBe('file,line,column,value,reason,hint');
      expect(written[1]).toBe(
        `${file},403,state,ZZ,unknown state,Use a USPS code (PA) or the full state name (Pennsylvania).`,
      );
      expect(await snapshot(store)).toBe(before);
    });

    it('loads the valid rows and quarantines the rest with --accept-partial', async () => {
      const file = csvFile([
        DETAINER_HEADER,
        detainerRow('Q1'),
        detainerRow('Q2', { county_fips: '', county: 'Franklin', state: 'VA' }),
        detainerRow('Q3'),
      ]);
      const summary = await importFile(store, detainerSpec, file, {
        acceptPartial: true,
        rejectsPath: false,
      });
      expect(summary).toMatchObject({ rows: 3, inserted: 2, rejected: 1, quarantined: 1 });
      const held = await store.db
        .selectFrom('quarantine')
        .selectAll()
        .where('import_id', '=', summary.importId!)
        .execute();
      expect(held).toHaveLength(1);
      expect(held[0]).toMatchObject({ line: 3, column_name: 'county', value: 'Franklin' });
      expect(JSON.parse(held[0]!.record)).toMatchObject({
        detainer_id: 'Q2',
        county: 'Franklin',
        state: 'VA',
      });
    });

    it('updates a re-imported detainer and keeps the earlier version in its history', async () => {
      const first = csvFile([DETAINER_HEADER, detainerRow('R1'), detainerRow('R2')]);
      await importFile(store, detainerSpec, first, { rejectsPath: false });
      // R1 turns out to have been sent to Franklin County, IA, not PA: a corrected outcome and county.
      const second = csvFile([
        DETAINER_HEADER,
        detainerRow('R1', {
          county_fips: '19069',
          state: 'IA',
          outcome: 'declined',
          declined_date: '2017-01-30',
        }),
        detainerRow('R2'),
      ]);
      const summary = await importFile(store, detainerSpec, second, { rejectsPath: false });
      expect(summary).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
      const now = await store.db
        .selectFrom('detainers')
        .selectAll()
        .where('detainer_id', '=', 'R1')
        .executeTakeFirstOrThrow();
      expect(now).toMatchObject({
        county_fips: '19069',
        state: 'IA',
        outcome: 'declined',
        import_id: summary.importId,
      });
      const history = await store.db
        .selectFrom('detainer_history')
        .selectAll()
        .where('detainer_id', '=', 'R1')
        .execute();
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({
        county_fips: '48453',
        outcome: 'honored',
        superseded_by_import: summary.importId,
      });
    });

    it('drops identifying columns unread: no name, A-number or birth date reaches the store', async () => {
      const file = csvFile([
        `${DETAINER_HEADER},First Name,last_name,A-Number,Birth Date,person_id`,
        `${detainerRow('P1')},Juan,Perez-Secret,A012345678,1980-01-01,PX-99`,
      ]);
      const summary = await importFile(store, detainerSpec, file, { rejectsPath: false });
      expect(summary.droppedColumns).toEqual([
        'First Name',
        'last_name',
        'A-Number',
        'Birth Date',
        'person_id',
      ]);
      const all = await snapshot(store);
      for (const secret of ['Juan', 'Perez-Secret', 'A012345678', '1980-01-01', 'PX-99'])
        expect(all).not.toContain(secret);
    });

    it('skips unknown columns only with --ignore-extra', async () => {
      const file = csvFile([`${DETAINER_HEADER},notes`, `${detainerRow('X1')},free text`]);
      const summary = await importFile(store, detainerSpec, file, { ignoreExtra: true, rejectsPath: false });
      expect(summary).toMatchObject({ inserted: 1, ignoredColumns: ['notes'] });
    });

    it('validates policies: levels, month-precision dates, restrictions, places', async () => {
      const before = await snapshot(store);
      const file = csvFile([
        'policy_id,level,state,county_fips,county,place,type,title,enacted_date,rescinded_date,restricts',
        'Z1,county,TX,,,,law,No county,2017-13,,detainer_hold',
        'Z2,place,WA,53033,,,ordinance,No place,2017-01-01,,detainer_hold',
        'Z3,state,CA,,,,law,Bad restriction,2017-01-01,,detainer_hold;hugs',
        'Z4,state,CA,,,,law,Rescinded first,2017-01-01,2016-01-01,detainer_hold',
      ]);
      const error = await rejectionOf(importFile(store, policySpec, file, { rejectsPath: false }));
      const got = error.rejections.map((r) => `${r.line} ${r.column}: ${r.reason}`);
      expect(got).toEqual([
        '2 county_fips: no county given',
        '2 enacted_date: not a valid date',
        '3 place: a place-level policy needs its place (city name)',
        '4 restricts: unknown restriction: hugs',
        '5 rescinded_date: rescinded on or before it was enacted',
      ]);
      expect(await snapshot(store)).toBe(before);
    });

    if (factory.name === 'duckdb') {
      it('leaves the DuckDB file byte-for-byte unchanged when a file is rejected', async () => {
        await store.close();
        const hash = () => createHash('sha256').update(readFileSync(url)).digest('hex');
        const before = hash();
        store = await openStore(url);
        const file = csvFile([DETAINER_HEADER, detainerRow('Y1'), detainerRow('Y2', { state: 'Nowhere' })]);
        await rejectionOf(importFile(store, detainerSpec, file, { rejectsPath: false }));
        await importFile(store, detainerSpec, csvFile([DETAINER_HEADER, detainerRow('Y3')]), {
          dryRun: true,
        });
        await store.close();
        expect(hash()).toBe(before);
        store = await openStore(url);
      });
    }
  });
}

describe('line numbers in a file large enough for DuckDB to read in parallel', () => {
  it('names the right line for bad rows at both ends of a 45 MB file', async () => {
    const { store, cleanup } = await STORES[0]!.create();
    try {
      const lines = ['detainer_id,issued_date,agency,county_fips,state,outcome'];
      const rows = 800_000;
      for (let i = 0; i < rows; i++) lines.push(`ID${i},2017-01-29,Travis County Jail,48453,TX,honored`);
      lines[5] = 'ID4,2017-01-29,Travis County Jail,48453,TX,unknowable'; // line 6
      lines[400_000] = 'ID399999,2017-01-29,"Travis County\nJail",48453,TX,honored'; // spans lines 400001-400002
      lines[rows] = `ID${rows - 1},2017-01-29,Travis County Jail,48453,XX,honored`; // line 800001, pushed to 800002
      const file = tempFile(`${lines.join('\n')}\n`, 'large.csv');
      expect(readFileSync(file).length).toBeGreaterThan(40_000_000);
      const error = await rejectionOf(importFile(store, detainerSpec, file, { rejectsPath: false }));
      expect(error.rejections.map((r) => [r.line, r.column, r.value])).toEqual([
        [6, 'outcome', 'unknowable'],
        [800_002, 'state', 'XX'],
      ]);
    } finally {
      await store.close();
      await cleanup();
    }
  });
});
