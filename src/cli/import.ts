import { Command, Option } from 'commander';
import { InputRejectedError, usageError } from '../errors.js';
import { DETAINER_FORMATS, detainerSpecFor } from '../ingest/formats.js';
import { columnsLayout, type IceLayout } from '../ingest/ice-layouts.js';
import { type ImportSummary, importFile } from '../ingest/import.js';
import { type LiftTable, loadLiftTable } from '../ingest/lift-reasons.js';
import { policySpec } from '../ingest/policies.js';
import { say } from './output.js';
import { importProgress } from './progress.js';
import { withStore } from './store-option.js';

interface ImportFlags {
  format: string;
  dryRun?: boolean;
  acceptPartial?: boolean;
  ignoreExtra?: boolean;
  rejects?: string | false;
  liftReasons?: string;
  columns?: string;
  redactIdentifiers?: boolean;
}

function describe(s: ImportSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const head = s.dryRun ? `${s.file}: dry run, nothing written:` : `${s.file}:`;
  const parts = [
    `${n(s.rows)} rows read`,
    `${n(s.inserted)} new`,
    `${n(s.updated)} updated`,
    `${n(s.unchanged)} unchanged`,
  ];
  if (s.rejected > 0)
    parts.push(`${n(s.rejected)} rejected${s.dryRun ? '' : ' (quarantined; see `ddor quarantine list`)'}`);
  return `${head} ${parts.join(', ')}${s.importId !== null ? ` — import #${s.importId}` : ''}`;
}

async function runImport(
  kind: 'detainers' | 'policies',
  files: string[],
  flags: ImportFlags,
  db: string | undefined,
) {
  const formats: readonly string[] = kind === 'detainers' ? DETAINER_FORMATS : ['auto', 'canonical'];
  if (!formats.includes(flags.format)) {
    throw usageError(
      `unknown import format ${JSON.stringify(flags.format)}`,
      `Available formats: ${formats.join(', ')}.`,
    );
  }
  if (flags.dryRun && flags.acceptPartial) {
    throw usageError(
      '--dry-run and --accept-partial do not go together',
      'A dry run writes nothing; drop one of them.',
    );
  }
  // The lift-reason table is checked whole before any file is read, and must apply to every file.
  const liftTable: LiftTable | undefined = flags.liftReasons ? loadLiftTable(flags.liftReasons) : undefined;
  // So is a --columns table: it describes an ICE file's layout, checked before anything is read.
  const columns: IceLayout | undefined = flags.columns ? columnsLayout(flags.columns) : undefined;
  const specOf = (file: string) =>
    kind === 'policies'
      ? Promise.resolve(policySpec)
      : detainerSpecFor(flags.format, file, liftTable, columns);
  if (liftTable || columns) for (const file of files) await specOf(file);
  await withStore(db, async (store) => {
    // Several files: check them all first, so a bad one leaves the store as it was.
    if (files.length > 1 && !flags.dryRun && !flags.acceptPartial) {
      for (const file of files) {
        await importFile(store, await specOf(file), file, {
          dryRun: true,
          ignoreExtra: flags.ignoreExtra,
          redactIdentifiers: flags.redactIdentifiers,
          rejectsPath: flags.rejects,
        });
      }
    }
    for (const file of files) {
      const progress = importProgress(file);
      let summary: ImportSummary;
      try {
        summary = await importFile(store, await specOf(file), file, {
          dryRun: flags.dryRun,
          acceptPartial: flags.acceptPartial,
          ignoreExtra: flags.ignoreExtra,
          redactIdentifiers: flags.redactIdentifiers,
          rejectsPath: flags.rejects,
          onPhase: progress.onPhase,
          onRows: progress.onRows,
        });
      } catch (error) {
        progress.stop();
        if (error instanceof InputRejectedError && flags.dryRun)
          say(`${file}: dry run found problems; nothing written.`);
        throw error;
      }
      progress.stop();
      if (summary.layout) {
        say(`${summary.file}: layout ${summary.layout}`);
        say(
          `${summary.file}: columns read: ${summary.columnsUsed.map((c) => `${c.field} ← ${JSON.stringify(c.column)}`).join(', ')}`,
        );
      }
      if (summary.droppedColumns.length > 0) {
        say(
          `${summary.file}: identifying columns dropped unread (never stored): ${summary.droppedColumns.join(', ')}`,
        );
      }
      if (summary.identifierCells > 0) {
        say(
          `${summary.file}: ${summary.identifierCells.toLocaleString('en-US')} values that looked like a personal identifier were masked as "[identifier removed]" (--redact-identifiers)`,
        );
      }
      if (summary.ignoredColumns.length > 0) {
        say(`${summary.file}: columns not used: ${summary.ignoredColumns.join(', ')}`);
      }
      if (summary.rejectsFile) say(`${summary.file}: rejected rows written to ${summary.rejectsFile}`);
      process.stdout.write(`${describe(summary)}\n`);
    }
  });
}

function importCommand(
  name: 'detainers' | 'policies',
  what: string,
  getDb: () => string | undefined,
): Command {
  return new Command(name)
    .description(`import ${what} (all-or-nothing by default)`)
    .argument(
      '<files...>',
      name === 'detainers' ? 'CSV, XLSX or Parquet files' : 'UTF-8 CSV files with a header row',
    )
    .addOption(
      new Option(
        '--format <format>',
        name === 'detainers'
          ? `input format: ${DETAINER_FORMATS.join(', ')} (auto: by extension, then by header)`
          : 'input format: auto or canonical',
      ).default('auto'),
    )
    .option('--dry-run', 'validate and count what would change; write nothing')
    .option('--accept-partial', 'load the valid rows and quarantine the rejected ones')
    .option('--ignore-extra', 'skip unknown columns instead of rejecting the file (canonical CSV)')
    .option('--rejects <file>', 'where to write rejected rows as CSV (default: FILE.rejects.csv)')
    .option('--no-rejects', 'write no rejects file')
    .option(
      '--redact-identifiers',
      'mask values that look like an A-number, SSN or birth date (instead of rejecting their rows)',
    )
    .action(async (files: string[], flags: ImportFlags) => runImport(name, files, flags, getDb()));
}

export function importCommands(getDb: () => string | undefined): Command {
  return new Command('import')
    .description('import detainers or policies into the store')
    .addCommand(
      importCommand(
        'detainers',
        'detainers from canonical CSV, or ICE / Deportation Data Project files',
        getDb,
      )
        .option(
          '--lift-reasons <file>',
          "ICE/DDP files: map lift reasons to outcomes by this CSV table (lift_reason,outcome[,why]) instead of ddor's",
        )
        .option(
          '--columns <file>',
          "an ICE file in a layout ddor does not know: a CSV table column,field naming each source column's ddor field, identifying or ignore",
        ),
    )
    .addCommand(importCommand('policies', 'policies from canonical CSV', getDb));
}
