/**
 * The README's table of issue 10's measures, from the JSON lines of `npm run bench -- --json`:
 *
 *   npm run bench -- --json --quick > bench.jsonl
 *   node dist/bench/table.js bench.jsonl      (or: … | node dist/bench/table.js)
 *
 * One row a measure: its value and same-run baseline, their ratio, the issue's target and
 * whether this run met it. A measure without a target is shown without a verdict.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Measure } from './json.js';

interface Target {
  /** What the target bounds: the measure's ratio, or its value. */
  of: 'ratio' | 'value';
  op: '<' | '≤' | '≥';
  limit: number;
}

/** Issue 10's targets. */
export const TARGETS: Record<string, Target> = {
  'http.edition_json': { of: 'ratio', op: '≥', limit: 0.5 },
  'http.home': { of: 'ratio', op: '≥', limit: 0.5 },
  'pdf.busiest_week': { of: 'ratio', op: '≤', limit: 1.3 },
  'cli.report_json': { of: 'value', op: '<', limit: 300 },
  'import.pg_1m': { of: 'ratio', op: '≤', limit: 3 },
  'report.pg_1m': { of: 'ratio', op: '≤', limit: 3 },
  'archive.520': { of: 'value', op: '<', limit: 60_000 },
  'import.duckdb_10m_rss': { of: 'value', op: '<', limit: 1024 },
  'import.duckdb_10m': { of: 'ratio', op: '≤', limit: 5 },
  'report.duckdb_10m': { of: 'value', op: '<', limit: 300 },
  'xlsx.300k': { of: 'ratio', op: '≤', limit: 1.5 },
};

const number = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function met(m: Measure, t: Target): boolean | null {
  const v = t.of === 'ratio' ? m.ratio : m.value;
  if (v === null) return null;
  return t.op === '<' ? v < t.limit : t.op === '≤' ? v <= t.limit : v >= t.limit;
}

/** The Markdown table of `measures`, in their order. */
export function markdownTable(measures: readonly Measure[]): string {
  const rows = measures.map((m) => {
    const t = TARGETS[m.measure];
    const verdict = t ? met(m, t) : null;
    const target = t
      ? `${t.of === 'ratio' ? 'ratio ' : ''}${t.op} ${number(t.limit, t.limit < 10 ? 1 : 0)}${t.of === 'value' ? ` ${m.unit}` : ''}`
      : '—';
    return `| \`${m.measure}\` | ${m.value === null ? 'not measured' : `${number(m.value)} ${m.unit}`} | ${m.baseline === null ? '—' : `${number(m.baseline)} ${m.unit}`} | ${m.ratio === null ? '—' : number(m.ratio, 2)} | ${target} | ${verdict === null ? (t ? 'not measured' : '') : verdict ? 'met' : '**not met**'} |`;
  });
  return [
    '| measure | value | baseline (same run) | ratio | target | |',
    '|---|---:|---:|---:|---|---|',
    ...rows,
  ].join('\n');
}

/** The measures of a bench run's output (JSON lines; other lines are skipped). */
export function parseMeasures(text: string): Measure[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Measure)
    .filter((m) => typeof m.measure === 'string');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  let text: string;
  try {
    text = readFileSync(file && file !== '-' ? file : 0, 'utf8');
  } catch (error) {
    process.stderr.write(
      `table: cannot read ${file ?? 'standard input'}: ${error instanceof Error ? error.message : error}\n` +
        'usage: node dist/bench/table.js FILE (the JSON lines of npm run bench -- --json), or - for standard input\n',
    );
    process.exit(1);
  }
  process.stdout.write(`${markdownTable(parseMeasures(text))}\n`);
}
