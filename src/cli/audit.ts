/** `ddor audit list`: the append-only trail of every write (README, Office mode). */
import { Command } from 'commander';
import { usageError } from '../errors.js';
import { listAudit } from '../store/audit.js';
import { withStore } from './store-option.js';

const SINCE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function auditCommands(getDb: () => string | undefined): Command {
  const list = new Command('list')
    .description('the audit trail, oldest first: when, who, via, from where, what, on what')
    .option('--since <date>', 'rows at or after DATE (YYYY-MM-DD, from 00:00 UTC) or an ISO timestamp')
    .option('--actor <name>', 'rows by this actor (a user name, cli:<os user>, system)')
    .option(
      '--action <action>',
      'rows of this action (e.g. import.detainers, report.publish, sign_in_failed)',
    )
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: { since?: string; actor?: string; action?: string; json?: boolean }) => {
      if (flags.since && (!SINCE.test(flags.since) || Number.isNaN(Date.parse(flags.since)))) {
        throw usageError(
          `--since ${JSON.stringify(flags.since)} is not a date`,
          'Give YYYY-MM-DD (e.g. 2025-03-01) or an ISO timestamp (2025-03-01T09:00Z).',
        );
      }
      const since = flags.since && flags.since.length === 10 ? `${flags.since}T00:00:00Z` : flags.since;
      const rows = await withStore(getDb(), (store) =>
        listAudit(store, { since, actor: flags.actor, action: flags.action }),
      );
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      for (const r of rows) {
        process.stdout.write(
          `${r.id}\t${r.at}\t${r.actor}\t${r.via}\t${r.from}\t${r.action}\t${r.target}\t${JSON.stringify(r.detail)}\n`,
        );
      }
    });
  return new Command('audit').description('the audit trail of every write').addCommand(list);
}
