import type { Report } from '../report/model.js';
import { serializeReport } from '../report/serialize.js';

/** The report JSON (schema ddor.report/v1), byte-identical for the same data. */
export function renderJson(report: Report): string {
  return serializeReport(report);
}
