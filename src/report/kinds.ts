/**
 * A report seen for one request kind (issue 15): hold requests, notification requests, or those of
 * unknown form. Derived from the Report alone (its additive by-kind fields), so the page's toggle
 * shows the same numbers as the JSON and the downloads.
 */
import { compareNames, foldName } from '../domain/collate.js';
import { stateName } from '../domain/states.js';
import type { RequestKind } from '../domain/vocab.js';
import type { Report } from './model.js';

/** Whether a report carries the by-kind fields (editions published before them do not). */
export const splitsByKind = (r: Report): boolean => r.totals_by_kind !== undefined;

/**
 * The report restricted to one kind: its totals, Section I re-ranked by that kind's detainers
 * (ties by county name, then state name, as rule 6; only the counties of the report's Section I),
 * Section II's declines of that kind. The previous period and the
 * county figures of Section II are of every kind, so they are left out of the view.
 */
export function reportOfKind(report: Report, kind: RequestKind): Report {
  const byKind = report.totals_by_kind;
  if (!byKind) return report;
  const section2 = report.section2
    .map(({ county, facility, declines }) => ({
      county,
      facility,
      declines: declines.filter((d) => d.request_kind === kind),
    }))
    .filter((g) => g.declines.length > 0);
  const section1 = report.section1
    .map((r) => ({ r, n: r.detainers_issued_by_kind?.[kind] ?? 0 }))
    .filter((x) => x.n > 0)
    .sort(
      (a, b) =>
        b.n - a.n ||
        compareNames(a.r.county.name, b.r.county.name) ||
        compareNames(stateName(a.r.county.state), stateName(b.r.county.state)),
    )
    .map(({ r, n }, i) => ({
      rank: i + 1,
      county: r.county,
      detainers_issued: n,
      declined: section2
        .filter((g) => g.county.fips === r.county.fips)
        .reduce((s, g) => s + g.declines.length, 0),
    }));
  return {
    ...report,
    totals: {
      detainers_issued: byKind.detainers_issued[kind],
      declined: byKind.declined[kind],
      jurisdictions_with_declines: new Set(section2.map((g) => g.county.fips)).size,
      states_with_declines: new Set(section2.map((g) => g.county.state)).size,
      facilities_with_declines: new Set(section2.map((g) => `${g.county.fips}\u0000${foldName(g.facility)}`))
        .size,
    },
    previous: undefined,
    section1,
    section2,
  };
}
