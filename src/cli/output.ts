import { DdorError, formatRejection, InputRejectedError } from '../errors.js';

/** Messages for people go to stderr; stdout carries only the data asked for (e.g. report JSON). */
export const say = (line: string) => process.stderr.write(`${line}\n`);

const LISTED = 20;

/** Prints an error with its hint and returns the exit code of SPEC §4. */
export function reportError(error: unknown): number {
  if (error instanceof InputRejectedError) {
    say(`ddor: ${error.message}`);
    for (const r of error.rejections.slice(0, LISTED)) say(`  ${formatRejection(r)}`);
    const more = error.totalRejected - Math.min(LISTED, error.rejections.length);
    if (more > 0) say(`  … and ${more.toLocaleString('en-US')} more`);
    if (error.hint) say(`hint: ${error.hint}`);
    return error.exitCode;
  }
  if (error instanceof DdorError) {
    say(`ddor: ${error.message}`);
    if (error.hint) say(`hint: ${error.hint}`);
    return error.exitCode;
  }
  say(`ddor: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
}

/** A listing command's output: JSON with --json; else `empty` when there is nothing, or a line (or block) per item. */
export function printList<T>(
  items: readonly T[],
  json: boolean | undefined,
  empty: string,
  line: (item: T) => string,
): void {
  if (json) process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
  else if (items.length === 0) process.stdout.write(`${empty}\n`);
  else for (const item of items) process.stdout.write(`${line(item)}\n`);
}
