import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { usageError } from '../errors.js';
import { renderCsvFiles } from '../render/csv.js';
import { renderJson } from '../render/json.js';
import { renderMarkdown } from '../render/md.js';
import { buildReport } from '../report/build.js';
import type { DeclineBasis, Report } from '../report/model.js';
import { periodFromOptions, periodSlug } from '../report/period.js';
import { say } from './output.js';
import { withStore } from './store-option.js';

export const REPORT_FORMATS = ['json', 'md', 'csv'] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Renders a report in the given formats, as file name → content. */
export function renderFiles(report: Report, formats: ReportFormat[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of formats) {
    if (f === 'json') files['report.json'] = renderJson(report);
    if (f === 'md') files['report.md'] = renderMarkdown(report);
    if (f === 'csv') Object.assign(files, renderCsvFiles(report));
  }
  return files;
}

export function parseFormats(text: string): ReportFormat[] {
  const formats = text.split(',').map((f) => f.trim().toLowerCase());
  for (const f of formats) {
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) {
      throw usageError(
        `unknown report format ${JSON.stringify(f)}`,
        `Available formats: ${REPORT_FORMATS.join(', ')}.`,
      );
    }
  }
  return [...new Set(formats)] as ReportFormat[];
}

export function parseTop(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw usageError(`--top ${text} is not a whole number from 1 to 1000`);
  return n;
}

/** Writes files into `dir` and says where; returns the paths. */
export function writeFiles(dir: string, files: Record<string, string>): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(files).map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  });
}

export function addPeriodOptions(cmd: Command): Command {
  return cmd
    .option('--week <date>', 'the Saturday–Friday week starting on DATE (a Saturday), or "last"')
    .option('--from <date>', 'first day of a range (inclusive)')
    .option('--to <date>', 'last day of a range (inclusive)')
    .option('--quarter <quarter>', 'a federal fiscal quarter, e.g. FY2018Q2 (Jan–Mar 2018)');
}

interface BuildFlags {
  week?: string;
  from?: string;
  to?: string;
  quarter?: string;
  top: string;
  declineBasis: DeclineBasis;
  format: string;
  out?: string;
}

export function reportCommands(getDb: () => string | undefined): Command {
  const build = addPeriodOptions(
    new Command('build').description('build the report for a period from the current data'),
  )
    .option('--top <n>', 'how many counties Section I lists', '10')
    .addOption(
      new Option(
        '--decline-basis <basis>',
        'count declines by the day they were recorded, or among detainers issued in the period',
      )
        .choices(['recorded', 'issued'])
        .default('recorded'),
    )
    .option('--format <formats>', `comma-separated: ${REPORT_FORMATS.join(', ')}`, 'json')
    .option(
      '--out <dir>',
      'write files into DIR (default: stdout for a single json or md, else reports/PERIOD)',
    )
    .action(async (flags: BuildFlags) => {
      const period = periodFromOptions(flags);
      const formats = parseFormats(flags.format);
      const top = parseTop(flags.top);
      const report = await withStore(getDb(), (store) =>
        buildReport(store, period, { top, declineBasis: flags.declineBasis }),
      );
      const files = renderFiles(report, formats);
      if (!flags.out && formats.length === 1 && (formats[0] === 'json' || formats[0] === 'md')) {
        process.stdout.write(Object.values(files)[0]!);
        return;
      }
      const dir = flags.out ?? join('reports', periodSlug(period));
      for (const path of writeFiles(dir, files)) say(`wrote ${path}`);
    });
  return new Command('report').description('build reports').addCommand(build);
}
