/** The README's table of issue 10's measures, made from the bench's JSON lines (bench/table.ts). */
import { describe, expect, it } from 'vitest';
import { markdownTable, parseMeasures } from '../../bench/table.js';

describe('the bench table', () => {
  const lines = [
    'generating 1,000,000 synthetic detainers…',
    '{"measure":"http.edition_json","value":3650.4,"unit":"req/s","baseline":7000,"ratio":0.521}',
    '{"measure":"cli.report_json","value":312.6,"unit":"ms","baseline":48,"ratio":6.513,"note":"floor"}',
    '{"measure":"import.pg_1m","value":null,"unit":"ms","baseline":null,"ratio":null,"note":"not measured: no server"}',
    '{"measure":"http.draft_json","value":5000,"unit":"req/s","baseline":6000,"ratio":0.833}',
  ].join('\n');

  it('reads the measures and skips other lines', () => {
    expect(parseMeasures(lines).map((m) => m.measure)).toEqual([
      'http.edition_json',
      'cli.report_json',
      'import.pg_1m',
      'http.draft_json',
    ]);
  });

  it("judges each measure by the issue's target: a ratio or a value, met, not met, or not measured", () => {
    const rows = markdownTable(parseMeasures(lines)).split('\n');
    expect(rows[2]).toBe('| `http.edition_json` | 3,650 req/s | 7,000 req/s | 0.52 | ratio ≥ 0.5 | met |');
    expect(rows[3]).toBe('| `cli.report_json` | 313 ms | 48 ms | 6.51 | < 300 ms | **not met** |');
    expect(rows[4]).toBe('| `import.pg_1m` | not measured | — | — | ratio ≤ 3.0 | not measured |');
    expect(rows[5]).toBe('| `http.draft_json` | 5,000 req/s | 6,000 req/s | 0.83 | — |  |');
  });
});
