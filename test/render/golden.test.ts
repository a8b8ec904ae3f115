import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCsvFiles } from '../../src/render/csv.js';
import { renderJson } from '../../src/render/json.js';
import { renderMarkdown } from '../../src/render/md.js';
import { buildReport } from '../../src/report/build.js';
import type { Report } from '../../src/report/model.js';
import { weekPeriod } from '../../src/report/period.js';
import type { Store } from '../../src/store/store.js';
import { expectGolden } from '../helpers/golden.js';
import { storeWithRulesFixture } from '../helpers/stores.js';

describe('report renderers (golden files from test/fixtures/rules)', () => {
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

  it('renders the report JSON with schema ddor.report/v1 and the key order of SPEC §5', () => {
    const json = renderJson(report);
    expectGolden('rules-week-2017-01-28/report.json', json);
    expect(Object.keys(JSON.parse(json))).toEqual([
      'schema',
      'title',
      'demo',
      'period',
      'decline_basis',
      'top',
      'totals',
      'totals_by_kind',
      'previous',
      'section1',
      'section2',
      'section3',
      'section4',
      'edition',
    ]);
  });

  it('renders Markdown', () => {
    expectGolden('rules-week-2017-01-28/report.md', renderMarkdown(report));
  });

  it('renders one CSV per section, one row per decline in section2.csv', () => {
    const files = renderCsvFiles(report);
    expect(Object.keys(files)).toEqual(['section1.csv', 'section2.csv', 'section3.csv']);
    for (const [name, content] of Object.entries(files))
      expectGolden(`rules-week-2017-01-28/${name}`, content);
    expect(files['section2.csv']!.trim().split('\n')).toHaveLength(1 + report.totals.declined);
  });

  it('neutralises spreadsheet formulas in CSV text cells', () => {
    const evil: Report = structuredClone(report);
    evil.section2[0]!.facility = '=HYPERLINK("http://x","y")';
    evil.section2[0]!.declines[0]!.criminal_activity = [{ description: '@SUM(A1)', kind: 'charge' }];
    const csv = renderCsvFiles(evil)['section2.csv']!;
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csv).toContain(`'@SUM(A1) (charge)`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
  });
});
