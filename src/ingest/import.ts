/**
 * Importing one file, in four steps, each in its own module:
 *
 * 1. stage    (stage.ts)      read the file into `stg_raw` (identifying columns never selected)
 * 2. validate (validate.ts)   mask identifiers, normalise, run every rule as one query
 * 3. settle   (rejections.ts) write the rejects file; refuse the file, or quarantine the bad rows
 * 4. apply    (apply.ts)      count new, updated and unchanged records; write them unless a dry run
 *
 * Staging happens in a DuckDB session; only step 4 touches the store, in one transaction.
 */
import { basename } from 'node:path';
import type { Rejection } from '../errors.js';
import type { Store } from '../store/store.js';
import { applyImport } from './apply.js';
import { sha256File } from './csv-file.js';
import { listed, type RejectionOptions, settleRejections } from './rejections.js';
import type { ImportSpec, ReaderOptions } from './spec.js';
import { stageFile } from './stage.js';
import { validateStaged } from './validate.js';

export interface ImportOptions extends ReaderOptions, RejectionOptions {
  /** Validate and count what would change; write nothing. */
  dryRun?: boolean;
  /** Mask values that look like a personal identifier (A-number, SSN, birth date) instead of rejecting their rows. */
  redactIdentifiers?: boolean;
  /** Marks the import as the bundled demo data (reports then say so). */
  demo?: boolean;
  onPhase?: (phase: ImportPhase) => void;
}

export type ImportPhase = 'reading' | 'validating' | 'writing' | 'done';

export interface ImportSummary {
  file: string;
  kind: ImportSpec['kind'];
  sha256: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  rejected: number;
  dryRun: boolean;
  importId: number | null;
  /** Identifying columns found in the header and dropped unread. */
  droppedColumns: string[];
  /** Unknown columns skipped under --ignore-extra (ICE files: columns of the file ddor does not read). */
  ignoredColumns: string[];
  /** ICE and DDP files: the layout detected from the header, and which source column gave each field. */
  layout: string | null;
  columnsUsed: Array<{ field: string; column: string }>;
  /** Cells in which an identifier was found by pattern (masked under --redact-identifiers, else their rows are rejected). */
  identifierCells: number;
  rejectsFile: string | null;
  /** The first rejections (all of them are in the rejects file). */
  rejections: Rejection[];
}

export async function importFile(
  store: Store,
  spec: ImportSpec,
  file: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const dryRun = options.dryRun ?? false;
  options.onPhase?.('reading');
  const context = spec.prepare ? await spec.prepare(store) : undefined;
  const hashing = sha256File(file);
  hashing.catch(() => {}); // a missing file is reported by the reader

  return store.withStaging(async (stage) => {
    const read = await stageFile(stage, spec, file, options);
    const rowsRead = read.staged + read.structural.length;

    options.onPhase?.('validating');
    const checked = await validateStaged(
      stage,
      spec,
      file,
      read,
      context,
      options.redactIdentifiers ?? false,
    );
    const rejectsFile = await settleRejections(stage, spec, file, rowsRead, checked, options);
    // The raw rows are read no more (the checked ones hold what is stored): their memory goes
    // to the write instead of being spilled to disk beside it (DuckDB's memory limit).
    await stage.run('DROP TABLE IF EXISTS stg_raw');

    options.onPhase?.('writing');
    const sha256 = await hashing;
    const counts = await applyImport(
      store,
      stage,
      spec,
      { kind: spec.kind, fileName: basename(file), sha256, rowsRead, isDemo: options.demo ?? false },
      { commit: !dryRun },
    );
    options.onPhase?.('done');
    return {
      file: basename(file),
      kind: spec.kind,
      sha256,
      rows: rowsRead,
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: counts.unchanged,
      quarantined: dryRun ? 0 : checked.rejectedRows,
      rejected: checked.rejectedRows,
      dryRun,
      importId: counts.importId,
      droppedColumns: read.droppedColumns,
      ignoredColumns: read.ignoredColumns,
      layout: read.layout ?? null,
      columnsUsed: read.columnsUsed ?? [],
      identifierCells: checked.identifierCells,
      rejectsFile,
      rejections: listed(checked.rejections),
    };
  });
}
