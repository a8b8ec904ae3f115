import type { Report } from './model.js';

/**
 * The report's canonical bytes (schema ddor.report/v1): key order is the
 * model's, fixed by construction, so the same data gives the same bytes. An
 * edition's content_sha256 is taken over these bytes with `edition` null.
 */
export function serializeReport(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
