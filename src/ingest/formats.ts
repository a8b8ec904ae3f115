/** The import formats of `ddor import detainers --format`, and `auto`: by extension, then by header. */
import { extname } from 'node:path';
import { usageError } from '../errors.js';
import { readHeader } from './csv-file.js';
import { detainerSpec } from './detainers.js';
import { ICE_FIELDS, ICE_FORMATS, type IceFormat, iceSpec } from './ice.js';
import { headerKey } from './privacy.js';
import type { ImportSpec } from './spec.js';

export const DETAINER_FORMATS = ['auto', 'canonical', ...ICE_FORMATS] as const;

export async function detainerSpecFor(format: string, file: string): Promise<ImportSpec> {
  if (format === 'canonical') return detainerSpec;
  if ((ICE_FORMATS as readonly string[]).includes(format)) return iceSpec(format as IceFormat);
  if (format !== 'auto') {
    throw usageError(
      `unknown import format ${JSON.stringify(format)}`,
      `Available formats: ${DETAINER_FORMATS.join(', ')}.`,
    );
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm' || ext === '.parquet') return iceSpec('ice');
  const keys = new Set((await readHeader(file)).map(headerKey));
  if (keys.has('outcome') || keys.has('issued_date')) return detainerSpec;
  if (ICE_FIELDS.issued_date!.some((k) => keys.has(k))) return iceSpec('ice');
  return detainerSpec; // reports the canonical columns it misses
}
