/**
 * Zip-bomb workbooks are refused (exit 2, nothing changed, nothing left in the
 * temp folder) before they can exhaust memory: by their declared sizes without
 * inflating, and by counting what really inflates. And ddor's temporary
 * folders are removed on every way out, and swept when a killed import left
 * them behind.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../src/errors.js';
import { iceSpec } from '../../src/ingest/ice.js';
import { importFile } from '../../src/ingest/import.js';
import type { Store } from '../../src/store/store.js';
import { STALE_AFTER_MS, sweepStaleTempFiles } from '../../src/temp-files.js';
import { ddor } from '../helpers/cli.js';
import { iceWorkbook } from '../helpers/ice-files.js';
import { snapshot } from '../helpers/snapshot.js';
import { postgresAvailable, postgresFactory, STORES, storeAvailable } from '../helpers/stores.js';

const dir = mkdtempSync(join(tmpdir(), 'ddor-xlsxlimit-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Part {
  name: string;
  data?: Buffer;
  /** Compressed bytes as stored (default: data deflated). */
  stored?: Buffer;
  /** The uncompressed size the ZIP directory declares (default: the real one). */
  declared?: number;
}

/** A ZIP archive written by hand, so that its directory can declare what a test needs. */
function zip(parts: Part[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const data = p.data ?? Buffer.alloc(0);
    const stored = p.stored ?? deflateRawSync(data);
    const name = Buffer.from(p.name);
    const crc = p.data ? crc32(data) : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(p.declared ?? data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(stored.length, 20);
    cd.writeUInt32LE(p.declared ?? data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    central.push(cd, name);
    offset += 30 + name.length + stored.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBytes, end]);
}

const MiB = 1024 * 1024;
const WORKBOOK: Part[] = [
  {
    name: 'xl/workbook.xml',
    data: Buffer.from(
      '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Detainers" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
  },
  {
    name: 'xl/_rels/workbook.xml.rels',
    data: Buffer.from(
      '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
  },
];
const SHEET: Part = {
  name: 'xl/worksheets/sheet1.xml',
  data: Buffer.from(
    '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
  ),
};
const sharedStrings = (bytes: number) => Buffer.from(`<sst><si><t>${'a'.repeat(bytes)}</t></si></sst>`);

const BOMBS: Array<{ name: string; parts: Part[]; reason: RegExp }> = [
  {
    // The stored bytes are not even deflate data: a reader that inflated them would fail otherwise.
    name: 'shared strings declared over the limit (refused without inflating)',
    parts: [
      ...WORKBOOK,
      { name: 'xl/sharedStrings.xml', stored: randomBytes(4096), declared: 3600 * MiB },
      SHEET,
    ],
    reason: /its shared strings declare 3600 MiB uncompressed, over the limit of 256 MiB/,
  },
  {
    name: 'a sheet declaring a zip-bomb compression ratio (refused without inflating)',
    parts: [...WORKBOOK, { ...SHEET, data: undefined, stored: randomBytes(4096), declared: 100 * MiB }],
    reason:
      /its part xl\/worksheets\/sheet1\.xml declares a compression ratio of 25600:1 .* over the limit of 200:1/,
  },
  {
    name: 'shared strings that inflate past what the directory declares (counted while streaming)',
    parts: [
      ...WORKBOOK,
      { name: 'xl/sharedStrings.xml', data: sharedStrings(20 * MiB), declared: 1000 },
      SHEET,
    ],
    reason:
      /its part xl\/sharedStrings\.xml inflates to more than the 1,000 bytes its ZIP directory declares/,
  },
];

function bombFile(parts: Part[], name: string): string {
  const file = join(dir, `${name}-${Date.now()}.xlsx`);
  writeFileSync(file, zip(parts));
  return file;
}

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`zip-bomb workbooks on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await factory.create());
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    for (const bomb of BOMBS) {
      it(`refuses ${bomb.name}; the store is unchanged`, async () => {
        const file = bombFile(bomb.parts, 'bomb');
        const before = await snapshot(store);
        const error = await importFile(store, iceSpec('ice'), file, { rejectsPath: false }).catch((e) => e);
        expect(error).toBeInstanceOf(InputRejectedError);
        expect((error as InputRejectedError).message).toMatch(bomb.reason);
        expect((error as InputRejectedError).hint).toMatch(/zip bomb or damaged/);
        expect(await snapshot(store)).toBe(before);
        rmSync(file);
      });
    }
  });
}

const ddorIn = (tmp: string, args: string[]) => ddor(args, { env: { TMPDIR: tmp } });
const ours = (tmp: string) => readdirSync(tmp).filter((n) => n.startsWith('ddor-'));

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

const pgUp = await postgresAvailable();

describe('the command line and temporary files', () => {
  it('exits 2 on a zip bomb with the file, reason, limit and a hint, and leaves no temporary files', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const file = bombFile(BOMBS[0]!.parts, 'cli-bomb');
    const r = await ddorIn(tmp, ['--db', join(dir, 'cli.duckdb'), 'import', 'detainers', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/shared strings declare 3600 MiB uncompressed, over the limit of 256 MiB/);
    expect(r.stderr).toMatch(/export the sheets as CSV/);
    expect(ours(tmp)).toEqual([]);
  });

  it.runIf(pgUp)(
    'removes the workbook staging CSV and the PostgreSQL COPY files after an import',
    async () => {
      const tmp = mkdtempSync(join(dir, 'tmp-'));
      // A schema of its own: the database's default schema may hold another version's store.
      const { store, url, cleanup } = await postgresFactory.create();
      await store.close();
      try {
        const r = await ddorIn(tmp, ['--db', url, 'import', 'detainers', await iceWorkbook(), '--dry-run']);
        expect(r.stderr).not.toMatch(/internal error/i);
        expect(r.code).toBe(0);
        expect(ours(tmp)).toEqual([]);
      } finally {
        await cleanup();
      }
    },
  );

  it('sweeps the folders of a killed import at the next start, and never a live one', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const dead = await deadPid();
    const old = (Date.now() - STALE_AFTER_MS - 60_000) / 1000;
    const make = (name: string, age = old) => {
      mkdirSync(join(tmp, name));
      writeFileSync(join(tmp, name, 'rows.csv'), 'x');
      utimesSync(join(tmp, name, 'rows.csv'), age, age);
      utimesSync(join(tmp, name), age, age);
    };
    make(`ddor-${dead}-xlsx-AAAAAA`); // killed import: swept
    make(`ddor-${dead}-pg-BBBBBB`, Date.now() / 1000); // its process is gone, but touched just now: kept
    make(`ddor-${process.pid}-xlsx-CCCCCC`); // a live process's: kept
    make('ddor-test-DDDDDD'); // not an import's: kept
    expect(sweepStaleTempFiles({ dir: tmp })).toEqual([join(tmp, `ddor-${dead}-xlsx-AAAAAA`)]);
    expect(ours(tmp).sort()).toEqual(
      [`ddor-${dead}-pg-BBBBBB`, `ddor-${process.pid}-xlsx-CCCCCC`, 'ddor-test-DDDDDD'].sort(),
    );

    // The command line sweeps as it starts.
    make(`ddor-${dead}-xlsx-EEEEEE`);
    await ddorIn(tmp, ['--db', join(dir, 'sweep.duckdb'), 'imports']);
    expect(ours(tmp)).not.toContain(`ddor-${dead}-xlsx-EEEEEE`);
  });
});
