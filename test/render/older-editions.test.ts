/**
 * Editions published before issue 15's additive fields (declines against detainers issued, the
 * previous period and each county's movement, the split by request kind) are
 * frozen without them: every renderer still reads them, showing nothing where a figure is absent.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCsvFiles } from '../../src/render/csv.js';
import { renderHtml } from '../../src/render/html/report.js';
import { renderMarkdown } from '../../src/render/md.js';
import { type Report, ReportSchema } from '../../src/report/model.js';

const golden = JSON.parse(
  readFileSync(new URL('../golden/output/rules-week-2017-01-28/report.json', import.meta.url), 'utf8'),
) as Report;

/** The golden report as an edition frozen before the fields were added. */
function older(): Report {
  const r = structuredClone(golden);
  delete r.previous;
  delete r.totals_by_kind;
  for (const g of r.section2) for (const d of g.declines) delete d.request_kind;
  for (const row of r.section1) {
    delete row.detainers_issued_by_kind;
    delete row.declined;
    delete row.previous_rank;
    delete row.movement;
  }
  for (const g of r.section2) {
    delete g.county_detainers_issued;
    delete g.county_declined;
    delete g.county_decline_share;
  }
  return r;
}

describe('a report frozen before the additive fields', () => {
  it('still matches the one schema, and the new report has the fields', () => {
    expect(ReportSchema.safeParse(older()).success).toBe(true);
    expect(golden.section2[0]!.county_detainers_issued).toBeTypeOf('number');
  });

  it('renders without the figures it lacks', () => {
    const r = older();
    const md = renderMarkdown(r);
    expect(md).not.toContain('undefined');
    expect(md).not.toContain('detainers issued to the county');
    const csv = renderCsvFiles(r);
    expect(csv['section1.csv']!.split('\n')[1]).toBe('1,06037,Los Angeles County,CA,5,,,,,,');
    const html = renderHtml(r);
    expect(html).not.toContain('undefined');
    expect(html).not.toContain('class="county-head"');
    expect(html).not.toContain('class="was"');
    expect(html).not.toContain('<span class="kind">hold</span>');
    expect(md).not.toContain('previous week');
    expect(renderMarkdown(golden)).toContain(
      '**Los Angeles County (06037):** 5 detainers issued to the county in the period · 1 decline recorded · decline share 20.0%',
    );
  });
});
