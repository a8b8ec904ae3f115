/**
 * Step 1 of an import: the file read into the staging table `stg_raw`, one
 * text column per field the format knows, by the format's own reader (the
 * canonical CSV reader unless the spec brings one). Nothing is judged yet.
 */
import type { DuckSession } from '../store/duckdb/session.js';
import { readCanonicalCsv } from './canonical-csv.js';
import type { ImportSpec, ReaderOptions, ReadResult } from './spec.js';

export function stageFile(
  stage: DuckSession,
  spec: ImportSpec,
  file: string,
  options: ReaderOptions,
): Promise<ReadResult> {
  return spec.read ? spec.read(stage, file, options) : readCanonicalCsv(stage, file, spec, options);
}
