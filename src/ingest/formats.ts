/** The import formats of `ddor import detainers --format`, and `auto`: by extension, then by header. */
import { extname } from 'node:path';
import { usageError } from '../errors.js';
import { readHeaderAndDelimiter } from './csv-file.js';
import { detainerSpec } from './detainers.js';
import { ICE_FORMATS, iceSpec } from './ice.js';
import { ICE_LAYOUTS, type IceLayout } from './ice-layouts.js';
import type { LiftTable } from './lift-reasons.js';
import { headerKey } from './privacy.js';
import type { ImportSpec } from './spec.js';

export const DETAINER_FORMATS = ['auto', 'canonical', ...ICE_FORMATS] as const;

/**
 * The spec for one detainer file. `liftTable` (from --lift-reasons) replaces the shipped
 * lift-reason table for ICE/DDP files; a canonical CSV gives outcomes, not lift reasons,
 * so the table does not apply to it and asking for it is an error, never silently ignored.
 */
export async function detainerSpecFor(
  format: string,
  file: string,
  liftTable?: LiftTable,
  columns?: IceLayout,
): Promise<ImportSpec> {
  if (columns) {
    if (format !== 'auto' && format !== 'ice') {
      throw usageError(
        `--columns describes an ICE file's own layout; it does not go with --format ${format}`,
        'Give --columns alone (or with --format ice).',
      );
    }
    return iceSpec('ice', liftTable, columns);
  }
  const spec = await specFor(format, file, liftTable);
  if (liftTable && spec === detainerSpec) {
    throw usageError(
      `--lift-reasons does not apply to ${file}: it is a canonical detainer CSV, whose outcome column gives each outcome`,
      'The lift-reason table maps the lift reasons of ICE and Deportation Data Project files (--format ice or a layout name); import canonical files without it.',
    );
  }
  return spec;
}

async function specFor(format: string, file: string, liftTable?: LiftTable): Promise<ImportSpec> {
  if (format === 'canonical') return detainerSpec;
  if (ICE_FORMATS.includes(format)) return iceSpec(format, liftTable);
  if (format !== 'auto') {
    throw usageError(
      `unknown import format ${JSON.stringify(format)}`,
      `Available formats: ${DETAINER_FORMATS.join(', ')}.`,
    );
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm' || ext === '.parquet') return iceSpec('ice', liftTable);
  const keys = new Set((await readHeaderAndDelimiter(file)).header.map(headerKey));
  if (keys.has('outcome') || keys.has('issued_date')) return detainerSpec;
  // Any layout's prepare-date column marks an ICE file (comma- or tab-separated).
  if (ICE_LAYOUTS.some((l) => (l.columns.issued_date ?? []).some((c) => keys.has(headerKey(c)))))
    return iceSpec('ice', liftTable);
  // Neither layout: report the columns it misses (ICE's when a lift-reason table says it is meant as one).
  return liftTable ? iceSpec('ice', liftTable) : detainerSpec;
}
