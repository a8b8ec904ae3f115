import { Command } from 'commander';
import { usageError } from '../errors.js';
import { withStore } from './store-option.js';

const table = (rows: Record<string, unknown>[]): string => {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]!);
  const cells = rows.map((r) => cols.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c]))));
  const widths = cols.map((c, i) => Math.min(60, Math.max(c.length, ...cells.map((r) => r[i]!.length))));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.slice(0, 60).padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(cols), ...cells.map(line)].join('\n');
};

function output(rows: Record<string, unknown>[], json: boolean | undefined, empty: string) {
  if (json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else process.stdout.write(`${rows.length === 0 ? empty : table(rows)}\n`);
}

export function quarantineCommands(getDb: () => string | undefined): Command {
  const list = new Command('list')
    .description('list rows held in quarantine by --accept-partial imports')
    .option('--import <id>', 'only the rows of import ID')
    .option('--json', "print JSON (with each row's known columns) instead of a table")
    .action(async (flags: { import?: string; json?: boolean }) => {
      const id = flags.import === undefined ? undefined : Number(flags.import);
      if (id !== undefined && !Number.isInteger(id))
        throw usageError(`--import ${flags.import} is not an import number`);
      const rows = await withStore(getDb(), async (store) => {
        let q = store.db
          .selectFrom('quarantine')
          .select([
            'import_id',
            'kind',
            'file_name',
            'line',
            'column_name',
            'value',
            'reason',
            'hint',
            'record',
          ])
          .orderBy('import_id')
          .orderBy('line')
          .orderBy('column_name');
        if (id !== undefined) q = q.where('import_id', '=', id);
        return q.execute();
      });
      output(
        flags.json
          ? rows.map((r) => ({ ...r, record: JSON.parse(r.record) }))
          : rows.map(({ record: _, hint: __, ...r }) => r),
        flags.json,
        'The quarantine is empty.',
      );
    });
  return new Command('quarantine')
    .description('rows rejected by partial imports, kept for review')
    .addCommand(list);
}

export function importsCommand(getDb: () => string | undefined): Command {
  return new Command('imports')
    .description('list every import: file, SHA-256, counts and time')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: { json?: boolean }) => {
      const rows = await withStore(getDb(), (store) =>
        store.db.selectFrom('imports').selectAll().orderBy('import_id').execute(),
      );
      output(rows, flags.json, 'No imports yet.');
    });
}
