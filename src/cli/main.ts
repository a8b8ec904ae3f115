/** The `ddor` command line (SPEC §4). Exit codes: 0 ok, 1 usage, 2 input rejected, 3 store unavailable. */
import { Command, CommanderError } from 'commander';
import { sweepStaleTempFilesOnce } from '../temp-files.js';
import { archiveCommands } from './archive.js';
import { auditCommands } from './audit.js';
import { demoCommand, startCommand } from './demo.js';
import { importCommands } from './import.js';
import { keyCommands } from './key.js';
import { reportError } from './output.js';
import { importsCommand, quarantineCommands } from './records.js';
import { reportCommands } from './report.js';
import { resolveCommands } from './resolve.js';
import { serveCommand } from './serve.js';
import { settingsCommands } from './settings.js';
import { tokenCommands, userCommands } from './users.js';
import { verifyCommand } from './verify.js';

export function buildProgram(): Command {
  const program = new Command('ddor')
    .description(
      'Declined Detainer Outcome Report: record detainers, outcomes and policies; publish the report',
    )
    .option('--db <store>', 'DuckDB file path or postgres:// URL (default: $DDOR_DB or ./ddor.duckdb)')
    .showHelpAfterError('(run with --help for usage)');
  const getDb = () => program.opts<{ db?: string }>().db;
  program
    .addCommand(importCommands(getDb))
    .addCommand(reportCommands(getDb))
    .addCommand(verifyCommand(getDb))
    .addCommand(keyCommands())
    .addCommand(quarantineCommands(getDb))
    .addCommand(resolveCommands(getDb))
    .addCommand(importsCommand(getDb))
    .addCommand(archiveCommands(getDb))
    .addCommand(serveCommand(getDb))
    .addCommand(demoCommand(getDb))
    .addCommand(startCommand(getDb))
    .addCommand(userCommands(getDb))
    .addCommand(tokenCommands(getDb))
    .addCommand(auditCommands(getDb))
    .addCommand(settingsCommands(getDb));
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
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other parse problem is a usage error (exit 1).
      return error.exitCode === 0 ? 0 : 1;
    }
    return reportError(error);
  }
}
