/**
 * The few error types a user can meet. Each carries the exit code of SPEC §4
 * and a hint saying what to do; the CLI prints them, the server will map them
 * to its one JSON error shape.
 */

export type ErrorKind = 'usage' | 'input' | 'store' | 'not_found' | 'conflict';

const EXIT_CODES: Record<ErrorKind, number> = {
  usage: 1,
  input: 2,
  store: 3,
  not_found: 1,
  conflict: 1,
};

export class DdorError extends Error {
  readonly kind: ErrorKind;
  readonly hint: string | undefined;

  constructor(kind: ErrorKind, message: string, hint?: string) {
    super(message);
    this.name = 'DdorError';
    this.kind = kind;
    this.hint = hint;
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}

export const usageError = (message: string, hint?: string) => new DdorError('usage', message, hint);
export const storeError = (message: string, hint?: string) => new DdorError('store', message, hint);

/** One rejected cell or row of an input file. Lines are 1-based and count the header. */
export interface Rejection {
  file: string;
  line: number;
  column: string;
  value: string | null;
  reason: string;
  hint: string;
}

/** An import that was refused as a whole: nothing was written to the store. */
export class InputRejectedError extends DdorError {
  readonly rejections: Rejection[];
  readonly totalRejected: number;

  constructor(message: string, rejections: Rejection[], hint?: string, totalRejected?: number) {
    // Without a hint of its own, the error carries its first rejection's.
    super('input', message, hint ?? rejections[0]?.hint);
    this.rejections = rejections;
    this.totalRejected = totalRejected ?? rejections.length;
  }
}

export function formatRejection(r: Rejection): string {
  const where = r.column ? `${r.file}:${r.line}, column ${r.column}` : `${r.file}:${r.line}`;
  const value = r.value === null || r.value === undefined ? '' : ` (${JSON.stringify(r.value)})`;
  return `${where}: ${r.reason}${value}. ${r.hint}`;
}
