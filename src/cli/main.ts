/** The `ddor` command line (SPEC §4). Exit codes: 0 ok, 1 usage, 2 input rejected, 3 store unavailable. */
import { Command, CommanderError } from 'commander';
import { sweepStaleTempFilesOnce } from '../temp-files.js';
import { reportError } from './output.js';

type GetDb = () => string | undefined;

/**
 * Every command, in the order `ddor --help` lists them, with the module that defines it:
 * a command loads only its own module (and what that needs), so `ddor report build` does
 * not pay for the importers, the server or the office commands.
 */
const COMMANDS: Array<[names: string[], load: () => Promise<(getDb: GetDb) => Command[]>]> = [
  [['import'], async () => ((m) => (g) => [m.importCommands(g)])(await import('./import.js'))],
  [['report'], async () => ((m) => (g) => [m.reportCommands(g)])(await import('./report.js'))],
  [['verify'], async () => ((m) => (g) => [m.verifyCommand(g)])(await import('./verify.js'))],
  [['key'], async () => ((m) => () => [m.keyCommands()])(await import('./key.js'))],
  [
    ['quarantine', 'imports'],
    async () => ((m) => (g) => [m.quarantineCommands(g), m.importsCommand(g)])(await import('./records.js')),
  ],
  [['resolve'], async () => ((m) => (g) => [m.resolveCommands(g)])(await import('./resolve.js'))],
  [['archive'], async () => ((m) => (g) => [m.archiveCommands(g)])(await import('./archive.js'))],
  [['serve'], async () => ((m) => (g) => [m.serveCommand(g)])(await import('./serve.js'))],
  [
    ['demo', 'start'],
    async () => ((m) => (g) => [m.demoCommand(g), m.startCommand(g)])(await import('./demo.js')),
  ],
  [
    ['user', 'token'],
    async () => ((m) => (g) => [m.userCommands(g), m.tokenCommands(g)])(await import('./users.js')),
  ],
  [['audit'], async () => ((m) => (g) => [m.auditCommands(g)])(await import('./audit.js'))],
  [['settings'], async () => ((m) => (g) => [m.settingsCommands(g)])(await import('./settings.js'))],
  [['dispute'], async () => ((m) => (g) => [m.disputeCommands(g)])(await import('./disputes.js'))],
];

/** The command `argv` names (its first word that is not an option or the value of --db), if any. */
function commandNamed(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--db') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** The program with every command, or only the one named `only` (what `main` runs). */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('ddor')
    .description(
      'Declined Detainer Outcome Report: record detainers, outcomes and policies; publish the report',
    )
    .option('--db <store>', 'DuckDB file path or postgres:// URL (default: $DDOR_DB or ./ddor.duckdb)')
    .showHelpAfterError('(run with --help for usage)');
  const getDb = () => program.opts<{ db?: string }>().db;
  const wanted = COMMANDS.filter(([names]) => only === undefined || names.includes(only));
  for (const [, load] of wanted.length > 0 ? wanted : COMMANDS) {
    const make = await load();
    for (const command of make(getDb)) program.addCommand(command);
  }
  const exitOverride = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  sweepStaleTempFilesOnce(); // what a killed import left behind
  try {
    await (await buildProgram(commandNamed(argv))).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other parse problem is a usage error (exit 1).
      return error.exitCode === 0 ? 0 : 1;
    }
    return reportError(error);
  }
}
