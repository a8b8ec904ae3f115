/** The import formats of `ddor import detainers --format`, and `auto`: by extension, then by header. */
import { extname } from 'node:path';
import { usageError } from '../errors.js';
import { readHeader } from './csv-file.js';
import { detainerSpec } from './detainers.js';
import { ICE_FIELDS, ICE_FORMATS, type IceFormat, iceSpec } from './ice.js';
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
): Promise<ImportSpec> {
  const spec = await specFor(format, file, liftTable);
  if (liftTable && spec === detainerSpec) {
    throw usageError(
      `--lift-reasons does not apply to ${file}: it is a canonical detainer CSV, whose outcome column gives each outcome`,
      'The lift-reason table maps the lift reasons of ICE and Deportation Data Project files (--format ice, ice-xlsx, ddp, ice-legacy, ice-pre2017); import canonical files without it.',
    );
  }
  return spec;
}

async function specFor(format: string, file: string, liftTable?: LiftTable): Promise<ImportSpec> {
  if (format === 'canonical') return detainerSpec;
  if ((ICE_FORMATS as readonly string[]).includes(format)) return iceSpec(format as IceFormat, liftTable);
  if (format !== 'auto') {
    throw usageError(
      `unknown import format ${JSON.stringify(format)}`,
      `Available formats: ${DETAINER_FORMATS.join(', ')}.`,
    );
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm' || ext === '.parquet') return iceSpec('ice', liftTable);
  const keys = new Set((await readHeader(file)).map(headerKey));
  if (keys.has('outcome') || keys.has('issued_date')) return detainerSpec;
  if (ICE_FIELDS.issued_date!.some((k) => keys.has(k))) return iceSpec('ice', liftTable);
  // Neither layout: report the columns it misses (ICE's when a lift-reason table says it is meant as one).
  return liftTable ? iceSpec('ice', liftTable) : detainerSpec;
}
