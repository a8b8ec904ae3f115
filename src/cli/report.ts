import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { usageError } from '../errors.js';
import { renderFormats } from '../render/files.js';
import {
  FORMAT_IDS,
  FORMATS,
  formatOf,
  isReportFormat,
  mayGoToStdout,
  type ReportFormat,
} from '../render/formats.js';
import { buildReport } from '../report/build.js';
import { answering } from '../report/disputes.js';
import { correctEdition, listEditions, publishEdition, showEdition } from '../report/editions.js';
import type { DeclineBasis, Report } from '../report/model.js';
import { type Period, periodFromOptions, periodSlug } from '../report/period.js';
import {
  approve,
  directReview,
  listProposals,
  type ProposalStatus,
  propose,
  reject,
} from '../report/review.js';
import { signingKeyFrom } from './key.js';
import { printList, say } from './output.js';
import { withStore } from './store-option.js';

export function parseFormats(text: string): ReportFormat[] {
  const formats = text.split(',').map((f) => f.trim().toLowerCase());
  for (const f of formats) {
    if (!isReportFormat(f)) {
      throw usageError(
        `unknown report format ${JSON.stringify(f)}`,
        `Available formats: ${FORMAT_IDS.join(', ')}.`,
      );
    }
  }
  return [...new Set(formats)] as ReportFormat[];
}

export function parseTop(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw usageError(`--top ${text} is not a whole number from 1 to 1000`);
  return n;
}

/** Writes files into `dir`; returns their paths. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(files).map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  });
}

/**
 * Sends a report where it was asked to go: a single text format without --out
 * to stdout (and nothing else there), anything else into files.
 */
async function emit(
  report: Report,
  period: Period,
  flags: { format: string; out?: string },
  frozen?: { bytes: string; publicKey: string | null },
) {
  const formats = parseFormats(flags.format);
  const options = { bytes: frozen?.bytes, publicKey: frozen?.publicKey };
  if (!flags.out && formats.length === 1 && mayGoToStdout(formatOf(formats[0]!))) {
    const files = await renderFormats(report, formats, options);
    process.stdout.write(Object.values(files)[0]!);
    return;
  }
  const files = await renderFormats(report, formats, options);
  const dir =
    flags.out ??
    join('reports', periodSlug(period) + (report.edition ? `-edition-${report.edition.number}` : ''));
  for (const path of writeFiles(dir, files)) say(`wrote ${path}`);
}

export function addPeriodOptions(cmd: Command): Command {
  return cmd
    .option('--week <date>', 'the Saturday–Friday week starting on DATE (a Saturday), or "last"')
    .option('--from <date>', 'first day of a range (inclusive)')
    .option('--to <date>', 'last day of a range (inclusive)')
    .option('--quarter <quarter>', 'a federal fiscal quarter, e.g. FY2018Q2 (Jan–Mar 2018)');
}

const basisOption = () =>
  new Option(
    '--decline-basis <basis>',
    'count declines by the day they were recorded, or among detainers issued in the period',
  ).choices(['recorded', 'issued']);

const stdoutIds = FORMATS.filter(mayGoToStdout).map((f) => f.id);
/** The options every command that writes a report ends with: --format and --out. */
const addOutputOptions = (cmd: Command) =>
  cmd
    .addOption(new Option('--format <formats>', `comma-separated: ${FORMAT_IDS.join(', ')}`).default('json'))
    .addOption(
      new Option(
        '--out <dir>',
        `write files into DIR (default: stdout for one ${stdoutIds.slice(0, -1).join(', ')} or ${stdoutIds.at(-1)}; else reports/PERIOD)`,
      ),
    );

const signingKeyOption = () =>
  new Option(
    '--signing-key <file>',
    "the publisher's Ed25519 private key (ddor key create) to sign the edition with (default: $DDOR_SIGNING_KEY; none: unsigned)",
  );

/** Says whether an edition was signed, and how it sits in the chain. */
function saySigned(report: Report): void {
  const e = report.edition!;
  say(
    e.signature
      ? `signed with key ${e.key_id} (chain entry ${e.sequence}, entry sha256 ${e.entry_sha256})`
      : `published UNSIGNED: no signing key (--signing-key FILE or DDOR_SIGNING_KEY); chain entry ${e.sequence}, entry sha256 ${e.entry_sha256}`,
  );
}

interface PeriodFlags {
  week?: string;
  from?: string;
  to?: string;
  quarter?: string;
}
interface BuildFlags extends PeriodFlags {
  top?: string;
  declineBasis?: DeclineBasis;
  format: string;
  out?: string;
  note?: string;
  edition?: string;
  signingKey?: string;
  dispute?: string[];
}

/** `--dispute N` (repeatable): the disputes a correction answers. */
function disputeNumbers(flags: { dispute?: string[] }): number[] {
  return (flags.dispute ?? []).map((text) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1)
      throw usageError(
        `--dispute ${text} is not a dispute number`,
        'Disputes are numbered 1, 2, 3… (`ddor dispute list`).',
      );
    return n;
  });
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const disputeOption = () =>
  new Option(
    '--dispute <n>',
    'a dispute this correction answers (upheld or partly upheld; repeatable): cited in the errata, marked answered',
  ).argParser(collect);

/**
 * A command that writes a report: the period, its own options, --format and --out. Its
 * action gets the period and --top read and --format checked, before any store opens.
 */
function reportCommand(
  name: string,
  description: string,
  own: (cmd: Command) => Command,
  action: (flags: BuildFlags, period: Period, top: number | undefined) => Promise<void>,
): Command {
  return addOutputOptions(own(addPeriodOptions(new Command(name).description(description)))).action(
    async (flags: BuildFlags) => {
      const period = periodFromOptions(flags);
      parseFormats(flags.format);
      await action(flags, period, parseTop(flags.top));
    },
  );
}

function proposalNumber(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw usageError(
      `${JSON.stringify(text)} is not a proposal number`,
      'List them with `ddor report proposals`.',
    );
  return n;
}

export function reportCommands(getDb: () => string | undefined): Command {
  const build = reportCommand(
    'build',
    'build the report for a period from the current data',
    (cmd) =>
      cmd
        .option('--top <n>', 'how many counties Section I lists (default 10)')
        .addOption(basisOption().default('recorded')),
    async (flags, period, top) => {
      const report = await withStore(getDb(), (store) =>
        buildReport(store, period, { top, declineBasis: flags.declineBasis }),
      );
      await emit(report, period, flags);
    },
  );

  const publish = reportCommand(
    'publish',
    'freeze the report for a period as edition 1 (refused if it already has one)',
    (cmd) =>
      cmd
        .option('--note <text>', 'a note kept with the edition')
        .option('--top <n>', 'how many counties Section I lists (default 10)')
        .addOption(basisOption().default('recorded'))
        .addOption(signingKeyOption()),
    async (flags, period, top) => {
      const signingKey = signingKeyFrom(flags.signingKey);
      const frozen = await withStore(getDb(), async (store) =>
        publishEdition(store, period, {
          note: flags.note,
          top,
          declineBasis: flags.declineBasis,
          signingKey,
          review: await directReview(store),
        }),
      );
      const e = frozen.report.edition!;
      say(`published edition ${e.number} of ${period.start}..${period.end} (sha256 ${e.content_sha256})`);
      saySigned(frozen.report);
      await emit(frozen.report, period, flags, frozen);
    },
  );

  const correct = reportCommand(
    'correct',
    'publish the next edition from the current data, with errata and the list of changes',
    (cmd) =>
      cmd
        .requiredOption('--note <text>', 'what was corrected (printed as the errata)')
        .option('--top <n>', 'how many counties Section I lists (default: as the edition corrected)')
        .addOption(basisOption())
        .addOption(signingKeyOption())
        .addOption(disputeOption()),
    async (flags, period, top) => {
      const signingKey = signingKeyFrom(flags.signingKey);
      const disputes = disputeNumbers(flags);
      const frozen = await withStore(getDb(), async (store) =>
        correctEdition(store, period, {
          note: flags.note ?? '',
          top,
          declineBasis: flags.declineBasis,
          signingKey,
          review: await directReview(store),
          answers: await answering(store, period, disputes),
        }),
      );
      const e = frozen.report.edition!;
      say(
        `published edition ${e.number} of ${period.start}..${period.end}, correcting edition ${e.supersedes} (sha256 ${e.content_sha256})`,
      );
      saySigned(frozen.report);
      await emit(frozen.report, period, flags, frozen);
    },
  );

  const show = reportCommand(
    'show',
    'a published edition exactly as frozen (the latest by default)',
    (cmd) => cmd.option('--edition <n>', 'the edition number'),
    async (flags, period) => {
      const number = flags.edition === undefined ? undefined : Number(flags.edition);
      if (number !== undefined && (!Number.isInteger(number) || number < 1)) {
        throw usageError(
          `--edition ${flags.edition} is not an edition number`,
          'Editions are numbered 1, 2, 3…',
        );
      }
      const frozen = await withStore(getDb(), (store) => showEdition(store, period, number));
      await emit(frozen.report, period, flags, frozen);
    },
  );

  const editions = new Command('editions')
    .description(
      'list every published edition: period, number, date, hash, chain entry, signed or not, errata',
    )
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: { json?: boolean }) => {
      const list = await withStore(getDb(), (store) => listEditions(store));
      printList(
        list,
        flags.json,
        'No editions published yet.',
        (e) =>
          `${e.period.start}..${e.period.end}  edition ${e.number}  ${e.published_at}  ${e.content_sha256.slice(0, 12)}  entry ${e.sequence} ${e.entry_sha256.slice(0, 12)} ${e.signature ? 'signed' : 'unsigned'}${e.errata ? `  errata: ${e.errata}` : ''}`,
      );
    });

  const proposeCommand = addPeriodOptions(
    new Command('propose').description(
      "propose the period's current data as its next edition, for a reviewer to approve (office mode)",
    ),
  )
    .option('--note <text>', 'a note kept with the edition; for a correction, what was corrected (required)')
    .option('--top <n>', 'how many counties Section I lists (default 10, or as the edition corrected)')
    .addOption(basisOption())
    .addOption(disputeOption())
    .action(async (flags: BuildFlags) => {
      const period = periodFromOptions(flags);
      const top = parseTop(flags.top);
      const disputes = disputeNumbers(flags);
      const p = await withStore(getDb(), (store) =>
        propose(store, period, { note: flags.note, top, declineBasis: flags.declineBasis, disputes }),
      );
      say(
        `proposal ${p.id}: ${p.kind === 'publish' ? 'edition 1' : `a correction of edition ${p.base_edition}`} of ${period.start}..${period.end}, proposed by ${p.proposed_by} (draft sha256 ${p.draft_sha256})`,
      );
      process.stdout.write(`${p.id}\n`);
    });

  const approveCommand = new Command('approve')
    .description('approve a proposal and publish it as the next edition (a reviewer other than the proposer)')
    .argument('<proposal>', 'the proposal number')
    .addOption(signingKeyOption())
    .action(async (id: string, flags: { signingKey?: string }) => {
      const signingKey = signingKeyFrom(flags.signingKey);
      const { edition } = await withStore(getDb(), (store) =>
        approve(store, proposalNumber(id), { signingKey }),
      );
      const e = edition.report.edition!;
      say(
        `approved proposal ${id}: published edition ${e.number} of ${edition.report.period.start}..${edition.report.period.end} (sha256 ${e.content_sha256})`,
      );
      saySigned(edition.report);
    });

  const rejectCommand = new Command('reject')
    .description('reject a proposal, saying why')
    .argument('<proposal>', 'the proposal number')
    .requiredOption('--reason <text>', 'what is wrong, for the proposer')
    .action(async (id: string, flags: { reason: string }) => {
      const p = await withStore(getDb(), (store) => reject(store, proposalNumber(id), flags.reason));
      say(`rejected proposal ${p.id} of ${p.period.start}..${p.period.end}`);
    });

  const proposals = new Command('proposals')
    .description('list proposals, newest first: number, period, kind, who proposed, status, who decided')
    .option('--status <status>', 'only proposals that are proposed, approved or rejected')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: { status?: string; json?: boolean }) => {
      if (flags.status && !['proposed', 'approved', 'rejected'].includes(flags.status))
        throw usageError(
          `unknown status ${JSON.stringify(flags.status)}`,
          'Use proposed, approved or rejected.',
        );
      const list = await withStore(getDb(), (store) =>
        listProposals(store, { status: flags.status as ProposalStatus | undefined }),
      );
      printList(
        list,
        flags.json,
        'No proposals.',
        (p) =>
          `${p.id}  ${p.period.start}..${p.period.end}  ${p.kind}  by ${p.proposed_by} ${p.proposed_at}  ${p.status}${p.decided_by ? ` by ${p.decided_by} ${p.decided_at}` : ''}${p.edition ? `  edition ${p.edition}` : ''}${p.reason ? `  reason: ${p.reason}` : ''}`,
      );
    });

  return new Command('report')
    .description('build, publish, correct and show reports')
    .addCommand(build)
    .addCommand(publish)
    .addCommand(correct)
    .addCommand(show)
    .addCommand(editions)
    .addCommand(proposeCommand)
    .addCommand(approveCommand)
    .addCommand(rejectCommand)
    .addCommand(proposals);
}
