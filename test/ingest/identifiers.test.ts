/**
 * No person identifiable: identifiers are dropped by header, and identifiers
 * typed into other columns are refused (or, with --redact-identifiers,
 * masked) before any rule, rejects file, quarantine row, store table or
 * output can hold them. Planted values are looked for everywhere, for every
 * reader.
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { iceSpec } from '../../src/ingest/ice.js';
import { importFile } from '../../src/ingest/import.js';
import { policySpec } from '../../src/ingest/policies.js';
import {
  anyIdentifier,
  IDENTIFIER_PATTERNS,
  isIdentifyingColumn,
  REDACTED,
} from '../../src/ingest/privacy.js';
import { withBrowser } from '../../src/render/browser.js';
import { renderFormats } from '../../src/render/files.js';
import { buildReport } from '../../src/report/build.js';
import { weekPeriod } from '../../src/report/period.js';
import type { Store } from '../../src/store/store.js';
import { csvFile, DETAINER_HEADER, detainerRow, tempFile } from '../helpers/csv.js';
import { rejectionOf } from '../helpers/errors.js';
import { fixture } from '../helpers/fixtures.js';
import { ddpParquet, ICE_ROWS, type IceRow, iceWorkbook } from '../helpers/ice-files.js';
import { snapshot } from '../helpers/snapshot.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

describe('identifying headers', () => {
  const identifying = [
    'Alias',
    'Aliases',
    'Inmate Name',
    'A#',
    'A-Number',
    'Alien #',
    'Alien File Number',
    'Alien_File_Number',
    'Alien_Number_Unique_Identifier',
    'Subject Last Name',
    'Subject_Last_Name',
    'Subject_Name',
    'FBI #',
    'SID',
    'Booking Number',
    'Date of Birth',
    'DOB',
    'Birth Date',
    'Unique Identifier',
    'EID_Person_ID',
    'EID Subject ID',
    'Social Security Number',
  ];
  for (const h of identifying) it(`drops "${h}"`, () => expect(isIdentifyingColumn(h)).toBe(true));
  const kept = [
    'agency',
    'Detainer Facility',
    'Detainer_ID',
    'detainer_id',
    'Facility City',
    'county',
    'Citizenship Country',
    'MSC Charge',
    'Detainer Facility Code',
    'released_by_agency',
  ];
  for (const h of kept) it(`keeps "${h}"`, () => expect(isIdentifyingColumn(h)).toBe(false));
});

describe('identifier patterns', () => {
  const label = (value: string, freeText: boolean) =>
    IDENTIFIER_PATTERNS.find(
      (p) => (freeText || !p.freeTextOnly) && new RegExp(p.pattern.replace('(?i)', ''), 'i').test(value),
    )?.label ?? null;
  const cases: Array<[string, string | null]> = [
    ['Burglary; A012345678 (charge)', 'an A-number'],
    ['A12345678', 'an A-number'],
    ['ref A# 012-345-678', 'an A-number'],
    ['A-012345678', 'an A-number'],
    ['case 012-345-678', 'an A-number'],
    ['SSN 123-45-6789', 'a Social Security number'],
    ['Travis County Jail 1980-01-02', 'a birth date'],
    ['born 1/2/1980', 'a birth date'],
    ['DOB 01-02-1980', 'a birth date'],
    ['Travis County Jail', null],
    ['TX2270000', null],
    ['Burglary (charge)', null],
    ['Immigration Detainer - Notice of Action (I-247A)', null],
    ['Osborne County Jail', null],
    ['Phone 512-555-0100', null],
  ];
  for (const [value, expected] of cases)
    it(`${JSON.stringify(value)} → ${expected ?? 'nothing'}`, () =>
      expect(label(value, true)).toBe(expected));
  it('looks for dates only in free text', () => expect(label('1980-01-02', false)).toBeNull());
});

describe("the file's first pass: all of a row's cells matched at once", () => {
  // Columns as screenIdentifiers sees them: two free-text columns (every pattern) and two others
  // (A-numbers and SSNs only), in both orders, so that a row's joined cells meet in every way.
  const columns = ['agency', 'form', 'criminal_activity', 'issued_date'];
  const checks = columns.flatMap((column) =>
    IDENTIFIER_PATTERNS.filter(
      (p) => !p.freeTextOnly || ['agency', 'criminal_activity'].includes(column),
    ).map((p) => ({ column, ...p })),
  );
  /** The plain answer: each cell against each of its patterns, one by one. */
  const oneByOne = checks
    .map((c) => `coalesce(regexp_matches("${c.column}", '${c.pattern.replaceAll("'", "''")}'), false)`)
    .join(' OR ');
  // Pieces of identifiers and of what stands beside them, so that cells end and begin half of one.
  const piece = fc.constantFrom(
    'A',
    'a',
    'A#',
    ' ',
    '#',
    '-',
    '/',
    '.',
    '012',
    '345',
    '678',
    '12',
    '3',
    '45',
    '6789',
    '1980',
    '01',
    '2',
    'DOB',
    'd.o.b',
    'born',
    'Travis County Jail',
    'Burglary (charge)',
    ';',
    '\n',
    '\t',
    '\u0001',
    'é',
  );
  const cell = fc.option(
    fc.array(piece, { maxLength: 6 }).map((p) => p.join('')),
    { nil: null },
  );

  it('finds a row exactly when one of its cells holds an identifier, never across two cells', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    try {
      await c.run(`CREATE TABLE stg_raw (${columns.map((n) => `"${n}" VARCHAR`).join(', ')})`);
      const rows = fc.sample(fc.array(cell, { minLength: 4, maxLength: 4 }), { numRuns: 3000, seed: 10 });
      // Cells that must not join into an identifier: "A" then "012345678" (free text), "A#" then
      // "01234567" (the other columns), "123-45-" then "6789".
      rows.push(
        ['A', null, '012345678', null],
        [null, 'A#', null, '01234567'],
        ['x 123-45-', null, '6789', null],
        ['born', null, null, null],
      );
      const appender = await c.createAppender('stg_raw');
      for (const r of rows) {
        for (const v of r) v === null ? appender.appendNull() : appender.appendVarchar(v);
        appender.endRow();
      }
      appender.closeSync();
      const read = async (where: string) =>
        (await c.runAndReadAll(`SELECT ${where} FROM stg_raw ORDER BY rowid`)).getRows().map((r) => r[0]);
      const expected = await read(oneByOne);
      expect(await read(anyIdentifier(checks))).toEqual(expected);
      // The sample holds both answers, and the planted rows are found or not as their cells are.
      expect(expected.filter(Boolean).length).toBeGreaterThan(100);
      expect(expected.filter((v) => !v).length).toBeGreaterThan(100);
      expect(expected.slice(-4)).toEqual([false, false, false, true]);
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  });
});

/** Values planted in identifying columns and in free text. None may appear anywhere. */
const PLANTED = [
  'A012345678',
  '012-345-678',
  '123-45-6789',
  '1979-03-04',
  '03/04/1979',
  'Zelda Quixote-Secret',
];

function assertClean(where: string, text: string) {
  for (const p of PLANTED) expect(text, `${p} in ${where}`).not.toContain(p);
}

async function everyTable(store: Store): Promise<string> {
  const { rows } = await sql<Record<string, unknown>>`SELECT * FROM facilities`.execute(store.db);
  return `${await snapshot(store)}\n${JSON.stringify(rows)}`;
}

/** Every report format of the week, as text (xlsx cells read back; the PDF through its HTML source). */
async function everyOutput(store: Store, week: string, pdf: boolean): Promise<string> {
  const report = await buildReport(store, weekPeriod(week));
  const formats = ['json', 'md', 'csv', 'html', 'svg', 'xlsx'] as const;
  const files = pdf
    ? await withBrowser((browser) => renderFormats(report, [...formats, 'pdf'], { browser }))
    : await renderFormats(report, formats);
  const parts: string[] = [];
  for (const [name, body] of Object.entries(files)) {
    if (name.endsWith('.xlsx')) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(body as never);
      wb.eachSheet((ws) =>
        ws.eachRow((row) =>
          row.eachCell((cell) => {
            parts.push(String(cell.text));
          }),
        ),
      );
      parts.push(JSON.stringify(wb.title), JSON.stringify(wb.subject), JSON.stringify(wb.keywords));
    } else if (name.endsWith('.pdf')) {
      // PDF text streams are compressed: read the words back as a reader would see them.
      const path = tempFile(body as Buffer, `out-${Date.now()}.pdf`);
      const { execFileSync } = await import('node:child_process');
      parts.push(execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }));
    } else parts.push(String(body));
  }
  return parts.join('\n');
}

const iceRows = (): IceRow[] =>
  ICE_ROWS.map((r, i) => ({
    ...r,
    'Birth Date': new Date('1979-03-04T00:00:00Z'),
    'Anonymized Identifier': 'A012345678',
    ...(i === 0 ? { 'MSC Charge': 'Burglary A012345678' } : {}),
    ...(i === 2 ? { 'Detainer Facility': 'FRANKLIN COUNTY JAIL DOB 03/04/1979' } : {}),
  }));

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`identifiers in values, on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await factory.create());
      await importFile(store, policySpec, fixture('rules', 'policies.csv'), { rejectsPath: false });
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    const plantedCanonical = (withCitizenship = true) =>
      csvFile([
        `${DETAINER_HEADER},released_by_agency,released_by_county_fips,First Name`,
        `${detainerRow('I1')},,,Zelda Quixote-Secret`,
        `${detainerRow('I2', { criminal_activity: 'Burglary A012345678 (charge)' })},,,Zelda Quixote-Secret`,
        `${detainerRow('I3', { agency: 'Travis County Jail 1979-03-04' })},,,`,
        `${detainerRow('I4', { outcome: 'declined', declined_date: '2017-01-30' })},Jail 123-45-6789,48453,`,
        ...(withCitizenship ? [`${detainerRow('I5', { citizenship: '012-345-678' })},,,`] : []),
      ]);

    it('rejects each row whose free text holds an identifier, names line and column, echoes no identifier', async () => {
      const before = await everyTable(store);
      const file = plantedCanonical();
      const rejects = `${file}.rejects.csv`;
      const error = await rejectionOf(importFile(store, detainerSpec, file, { rejectsPath: rejects }));
      expect(error.exitCode).toBe(2);
      expect(error.rejections.map((r) => [r.line, r.column, r.reason])).toEqual([
        [3, 'criminal_activity', 'looks like a personal identifier (an A-number)'],
        [4, 'agency', 'looks like a personal identifier (a birth date)'],
        [5, 'released_by_agency', 'looks like a personal identifier (a Social Security number)'],
        [6, 'citizenship', 'looks like a personal identifier (an A-number)'],
        [6, 'citizenship', 'unknown country'],
      ]);
      expect(error.rejections[0]!.value).toBe(`Burglary ${REDACTED} (charge)`);
      expect(error.rejections[0]!.hint).toMatch(/--redact-identifiers/);
      assertClean('the error', JSON.stringify(error) + error.message);
      assertClean('the rejects file', readFileSync(rejects, 'utf8'));
      expect(await everyTable(store)).toBe(before);
    });

    it('quarantines such rows under --accept-partial without the identifier', async () => {
      const summary = await importFile(store, detainerSpec, plantedCanonical(), {
        acceptPartial: true,
        rejectsPath: false,
      });
      expect(summary).toMatchObject({ rows: 5, inserted: 1, rejected: 4, quarantined: 4 });
      const held = await store.db.selectFrom('quarantine').selectAll().execute();
      expect(held.length).toBeGreaterThanOrEqual(4);
      expect(held.some((q) => q.record.includes(REDACTED))).toBe(true);
      assertClean('the store', await everyTable(store));
    });

    it('masks them with --redact-identifiers, imports the rest, and no output shows them', async () => {
      const summary = await importFile(store, detainerSpec, plantedCanonical(false), {
        redactIdentifiers: true,
        rejectsPath: false,
      });
      expect(summary).toMatchObject({ rows: 4, rejected: 0, identifierCells: 3 });
      const i2 = await store.db
        .selectFrom('detainers')
        .select(['criminal_activity', 'agency'])
        .where('detainer_id', '=', 'I2')
        .executeTakeFirstOrThrow();
      expect(i2.criminal_activity).toBe(`Burglary ${REDACTED} (charge)`);
      assertClean('the store', await everyTable(store));
      assertClean('every output', await everyOutput(store, '2017-01-28', factory.name === 'duckdb'));
    });

    const readers: Array<[string, () => Promise<string>, ReturnType<typeof iceSpec>]> = [
      ['an ICE workbook', () => iceWorkbook(iceRows()), iceSpec('ice-xlsx')],
      ['a DDP Parquet file', () => ddpParquet(iceRows()), iceSpec('ddp')],
      [
        'an ICE CSV',
        async () =>
          csvFile([
            'Detainer_ID,Detainer_Prepare_Date,Detainer_Lift_Date,Detainer_Lift_Reason,Detainer_Facility,Detainer_Facility_Code,Detainer_AOR,Facility_State,MSC_Charge,Subject_Name,Alien_File_Number,Birth_Date',
            'C-1,2024-01-06,2024-01-08,Detainer Declined by LEA,TRAVIS COUNTY JAIL,TRAVITX,SNA,TX,Theft 123-45-6789,Zelda Quixote-Secret,A012345678,1979-03-04',
            'C-2,2024-01-07,,,TRAVIS COUNTY JAIL DOB 1979-03-04,TRAVITX,SNA,TX,Theft,Zelda Quixote-Secret,012-345-678,03/04/1979',
          ]),
        iceSpec('ice'),
      ],
    ];
    for (const [name, make, spec] of readers) {
      it(`reads ${name}: identifying columns dropped, identifiers in values refused, then masked; nothing shows them`, async () => {
        const file = await make();
        const before = await everyTable(store);
        const error = await rejectionOf(importFile(store, spec, file, { rejectsPath: false }));
        expect(error.rejections.length).toBe(2);
        for (const r of error.rejections) expect(r.reason).toMatch(/^looks like a personal identifier/);
        assertClean('the error', JSON.stringify(error) + error.message);
        expect(await everyTable(store)).toBe(before);

        const summary = await importFile(store, spec, file, { redactIdentifiers: true, rejectsPath: false });
        expect(summary.rejected).toBe(0);
        expect(summary.identifierCells).toBe(2);
        expect(summary.droppedColumns.length).toBeGreaterThan(0);
        assertClean('the store', await everyTable(store));
        assertClean('every output', await everyOutput(store, '2024-01-06', false));
      });
    }
  });
}
