import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { renderHtml } from '../../src/render/html/report.js';
import { renderMapSvg } from '../../src/render/map.js';
import { renderPdf } from '../../src/render/pdf.js';
import { renderXlsx } from '../../src/render/xlsx.js';
import { buildReport } from '../../src/report/build.js';
import type { Report } from '../../src/report/model.js';
import { weekPeriod } from '../../src/report/period.js';
import type { Store } from '../../src/store/store.js';
import { csvFile, DETAINER_HEADER, detainerRow } from '../helpers/csv.js';
import { expectGolden } from '../helpers/golden.js';
import { normaliseSvg } from '../helpers/normalise.js';
import { duckdbFactory, storeWithRulesFixture } from '../helpers/stores.js';

// Under CI the PDF test must run (.ci/run installs Chromium); elsewhere it needs Chromium installed.
const hasChromium =
  existsSync('/usr/bin/chromium') || process.env.DDOR_CHROMIUM !== undefined || process.env.CI === 'true';

describe('publication formats (from test/fixtures/rules)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let report: Report;

  beforeAll(async () => {
    ({ store, cleanup } = await storeWithRulesFixture());
    report = await buildReport(store, weekPeriod('2017-01-28'));
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('renders a self-contained, accessible HTML report', () => {
    const html = renderHtml(report);
    expectGolden('rules-week-2017-01-28/report.html', normaliseSvg(html));
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/);
    // No external request: no src attributes, and url() only points inside the file.
    expect(html).not.toMatch(/\bsrc=/);
    expect(html).not.toMatch(/url\((?!#)/);
    expect(html).toContain('<h1>Weekly Declined Detainer Outcome Report</h1>');
    expect(html).toContain('<p class="subtitle">For Recorded Declined Detainers Jan. 28 – Feb. 3, 2017</p>');
    expect(html.match(/<caption/g)!.length).toBeGreaterThanOrEqual(3);
    expect(html).toContain('<th scope="col">');
    expect(html).toContain('thead { display: table-header-group; }');
    // Section II subtotals: per state and per facility.
    expect(html).toContain('Texas <span class="kind">— 1 decline</span>');
    expect(html).toContain(
      'Walker County <span class="sub">(48471)</span> — Texas Department of Criminal Justice – Huntsville Unit',
    );
  });

  it('draws every county with its FIPS code, shaded by declines, restricting ones hatched', () => {
    const svg = renderMapSvg(report);
    expectGolden('rules-week-2017-01-28/map.svg', normaliseSvg(svg));
    const counties = svg.match(/<path id="ddor-map-c\d{5}"/g)!;
    expect(counties.length).toBeGreaterThan(3100);
    expect(svg).toMatch(/data-fips="48471" data-declines="1"/);
    // Franklin County, PA is hatched (county policy) and Franklin County, IA is not.
    expect(svg).toMatch(/id="ddor-map-c42055"[^>]*data-restricting="true"/);
    expect(svg).not.toMatch(/id="ddor-map-c19069"[^>]*data-restricting/);
    // Every California county is hatched (state law).
    expect(svg).toMatch(/id="ddor-map-c06001"[^>]*data-restricting="true"/);
    expect(svg).toContain(
      '<title>Los Angeles County, CA (06037) · 1 decline · 5 detainers issued (Section I) · policy limiting cooperation in force</title>',
    );
    expect(svg).toContain('Declines recorded');
  });

  it('writes an XLSX with a sheet per section, real dates and numbers, frozen headers and filters', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderXlsx(report)) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Section I',
      'Section II',
      'Section III',
      'Section IV',
      'About',
    ]);
    const s2 = wb.getWorksheet('Section II')!;
    expect(s2.rowCount).toBe(1 + report.totals.declined);
    expect(s2.getRow(1).values).toContain('Notable criminal activity');
    const issued = s2.getCell('H2').value;
    expect(issued).toBeInstanceOf(Date);
    expect((issued as Date).toISOString().slice(0, 10)).toBe(report.section2[0]!.declines[0]!.issued_date);
    expect(s2.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(s2.autoFilter).toBeTruthy();
    const s1 = wb.getWorksheet('Section I')!;
    expect(s1.getCell('E2').value).toBe(5);
    expect(wb.getWorksheet('About')!.getCell('B4').value).toBeInstanceOf(Date);
  });

  it('neutralises formulas in XLSX text cells', async () => {
    const evil: Report = structuredClone(report);
    evil.section2[0]!.facility = '=cmd|"/c calc"!A1';
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderXlsx(evil)) as never);
    expect(wb.getWorksheet('Section II')!.getCell('E2').value).toBe(`'=cmd|"/c calc"!A1`);
  });

  it.runIf(hasChromium)(
    'prints a Letter PDF with page numbers, title, subject and selectable text',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ddor-pdf-'));
      const file = join(dir, 'report.pdf');
      writeFileSync(file, await renderPdf(report));
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      expect(info).toContain(
        'Title:           Weekly Declined Detainer Outcome Report — For Recorded Declined Detainers Jan. 28 – Feb. 3, 2017',
      );
      expect(info).toMatch(
        /Subject:\s+Declined detainers Jan\. 28 – Feb\. 3, 2017: 44 detainers issued, 6 declined/,
      );
      expect(info).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
      expect(info).toMatch(
        /Keywords:\s+ICE detainers Declined Detainer Outcome Report 2017-01-28 2017-02-03/,
      );
      // Written as an incremental update to Chromium's bytes, not by re-writing the file.
      expect(info).toMatch(/Producer:\s+ddor \(Chromium\)\n/);
      // poppler reads the update without complaint (a broken xref is reported on stderr).
      expect(spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stderr).toBe('');
      const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
      expect(pages).toBeGreaterThanOrEqual(3);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      expectGolden('rules-week-2017-01-28/report.pdf.txt', text.replace(/[ \t]+$/gm, ''));
      for (const words of [
        'Section I. Counties with policies limiting cooperation',
        'Section IV. Scope and data fidelity',
        'Walker County',
        `Page 1 of ${pages}`,
      ]) {
        expect(text).toContain(words);
      }
    },
  );
});

describe('the county map places every decline or says why not', () => {
  it('draws a Connecticut planning region in its 2017 county and reports Puerto Rico as not drawn', async () => {
    const { store, cleanup } = await duckdbFactory.create();
    try {
      const file = csvFile(
        [
          DETAINER_HEADER,
          detainerRow('CT1', {
            county_fips: '09110',
            state: 'CT',
            outcome: 'declined',
            declined_date: '2023-01-09',
          }),
          detainerRow('PR1', {
            county_fips: '72127',
            state: 'PR',
            outcome: 'declined',
            declined_date: '2023-01-09',
          }),
        ].map((l) => l.replaceAll('2017-01-29', '2023-01-08')),
      );
      await importFile(store, detainerSpec, file, { rejectsPath: false });
      const report = await buildReport(store, weekPeriod('2023-01-07'));
      expect(report.section4.figures.declines_not_on_map).toBe(1);
      expect(report.section4.notes).toContain(
        'Map: 1 decline in Capitol Planning Region, CT (09110) is drawn in county 09003 of the 2017 boundaries: Capitol Planning Region (2022) is drawn in Hartford County.',
      );
      expect(report.section4.notes).toContain(
        'Map: 1 decline in San Juan Municipio, PR (72127) cannot be drawn: outside the map projection (Puerto Rico and the island areas). It is listed in Section II.',
      );
      expect(renderMapSvg(report)).toMatch(/data-fips="09003" data-declines="1"/);
    } finally {
      await store.close();
      await cleanup();
    }
  });
});
