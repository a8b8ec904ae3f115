/**
 * `ddor dispute`: the office's view of disputes from the command line — the list, one
 * dispute with its reporter's contact (the CLI is the office: it holds the store), and a
 * status change with its published reasoning. Readers file disputes on the web or the API.
 */
import { Command, Option } from 'commander';
import { usageError } from '../errors.js';
import {
  CLAIM_WORDS,
  DISPUTE_STATUSES,
  type Dispute,
  type DisputeStatus,
  disputeContact,
  disputeNumbered,
  listDisputes,
  STATUS_WORDS,
  setDisputeStatus,
} from '../report/disputes.js';
import { periodLabel } from '../report/period.js';
import { printList, say } from './output.js';
import { withStore } from './store-option.js';

function disputeNumber(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw usageError(
      `${JSON.stringify(text)} is not a dispute number`,
      'List them with `ddor dispute list`.',
    );
  return n;
}

const about = (d: Dispute) =>
  `${d.county.name}, ${d.county.state} (${d.county.fips})${d.row ? `, ${d.row.facility}` : ''}${d.period ? `, edition ${d.edition} of ${periodLabel(d.period)}` : ''}`;

export function disputeCommands(getDb: () => string | undefined): Command {
  const list = new Command('list')
    .description('the disputes received, newest first')
    .option('--county <fips>', 'only those about this county')
    .addOption(new Option('--status <status>', 'only those with this status').choices([...DISPUTE_STATUSES]))
    .option('--json', 'print JSON')
    .action(async (flags: { county?: string; status?: DisputeStatus; json?: boolean }) => {
      if (flags.county !== undefined && !/^\d{5}$/.test(flags.county))
        throw usageError(
          `--county ${flags.county} is not a county FIPS code`,
          'A county is its 5-digit FIPS code, e.g. --county 48453.',
        );
      const found = await withStore(getDb(), (store) =>
        listDisputes(store, { county: flags.county, status: flags.status }),
      );
      printList(
        found,
        flags.json,
        'No disputes.',
        (d) => `${d.number}  ${d.status}  ${d.claim}  ${about(d)}`,
      );
    });

  const show = new Command('show')
    .description("one dispute: its public record, and the reporter's contact (never published)")
    .argument('<n>', 'the dispute number')
    .option('--json', 'print JSON')
    .action(async (text: string, flags: { json?: boolean }) => {
      const n = disputeNumber(text);
      const [d, contact] = await withStore(
        getDb(),
        async (store) => [await disputeNumbered(store, n), await disputeContact(store, n)] as const,
      );
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ ...d, contact }, null, 2)}\n`);
        return;
      }
      const lines = [
        `Dispute ${d.number}: ${STATUS_WORDS[d.status]}`,
        `About: ${about(d)}${d.row_ref ? ` (row ${d.row_ref})` : ''}`,
        `Claim: ${CLAIM_WORDS[d.claim]}`,
        ...(d.claimed_value ? [`Claimed correct value: ${d.claimed_value}`] : []),
        `Explanation: ${d.explanation}`,
        `Contact (office only): ${contact ?? 'none given'}`,
        ...d.events.map(
          (e) => `  ${e.at}  ${STATUS_WORDS[e.status]}  by ${e.by}${e.reason ? `: ${e.reason}` : ''}`,
        ),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  const status = new Command('status')
    .description('give a dispute a status, with the reasoning published on its page')
    .argument('<n>', 'the dispute number')
    .argument('<status>', DISPUTE_STATUSES.join(', '))
    .requiredOption('--reason <text>', 'why (published)')
    .action(async (text: string, to: string, flags: { reason: string }) => {
      const n = disputeNumber(text);
      if (!(DISPUTE_STATUSES as readonly string[]).includes(to))
        throw usageError(
          `unknown status ${JSON.stringify(to)}`,
          `Use one of: ${DISPUTE_STATUSES.join(', ')}.`,
        );
      const d = await withStore(getDb(), (store) => setDisputeStatus(store, n, to, flags.reason));
      say(`dispute ${d.number}: ${STATUS_WORDS[d.status].toLowerCase()}`);
    });

  return new Command('dispute')
    .description('disputes of what an edition says: list, show, decide (the office)')
    .addCommand(list)
    .addCommand(show)
    .addCommand(status);
}
