import type { Report } from '../report/model.js';

/**
 * The report JSON (schema ddor.report/v1). Key order is the model's, fixed by
 * construction in buildReport, so the same data gives the same bytes.
 */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
