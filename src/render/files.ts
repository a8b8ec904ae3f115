/** A report rendered in several formats, as named files (the CLI's and the archive's output). */
import type { Report } from '../report/model.js';
import { formatOf, type RenderOptions, type ReportFormat } from './formats.js';

/**
 * Renders `report` in each format, in the order asked. `json` is `bytes` when given: a
 * published edition's frozen bytes. A browser is started only for pdf, unless one is given.
 */
export async function renderFormats(
  report: Report,
  formats: readonly ReportFormat[],
  options: RenderOptions = {},
): Promise<Record<string, string | Buffer>> {
  const files: Record<string, string | Buffer> = {};
  for (const f of formats) Object.assign(files, await formatOf(f).render(report, options));
  return files;
}
