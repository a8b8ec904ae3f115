/**
 * What a correction changes: computed from the previous edition's report and
 * the new one, never written by hand. Section II rows have no identifiers, so a
 * changed row shows as one removed and one added.
 */
import type { CountyRef, EditionChanges, Report, RowChange } from './model.js';

/** A row by what it shows: its ref is left out (editions published before refs have none). */
const rowKey = (r: RowChange) => {
  const { ref: _ref, ...shown } = r.decline;
  return JSON.stringify([r.county.fips, r.facility, shown]);
};

function rows(report: Report): RowChange[] {
  return report.section2.flatMap((g) =>
    g.declines.map((decline) => ({ county: g.county, facility: g.facility, decline })),
  );
}

/** Multiset difference: the rows of `a` not matched one-for-one in `b`. */
function minus(a: RowChange[], b: RowChange[]): RowChange[] {
  const counts = new Map<string, number>();
  for (const r of b) counts.set(rowKey(r), (counts.get(rowKey(r)) ?? 0) + 1);
  const out: RowChange[] = [];
  for (const r of a) {
    const k = rowKey(r);
    const n = counts.get(k) ?? 0;
    if (n > 0) counts.set(k, n - 1);
    else out.push(r);
  }
  return out;
}

function declinesByCounty(report: Report): Map<string, { county: CountyRef; n: number }> {
  const m = new Map<string, { county: CountyRef; n: number }>();
  for (const g of report.section2) {
    const e = m.get(g.county.fips) ?? { county: g.county, n: 0 };
    e.n += g.declines.length;
    m.set(g.county.fips, e);
  }
  return m;
}

export function diffReports(before: Report, after: Report): EditionChanges {
  const totals: EditionChanges['totals'] = {};
  for (const k of Object.keys(after.totals) as Array<keyof Report['totals']>) {
    if (before.totals[k] !== after.totals[k])
      totals[k] = { before: before.totals[k], after: after.totals[k] };
  }
  const b = declinesByCounty(before);
  const a = declinesByCounty(after);
  const byFips = (x: { county: CountyRef }, y: { county: CountyRef }) =>
    x.county.fips < y.county.fips ? -1 : 1;
  const counties_added = [...a.values()]
    .filter((x) => !b.has(x.county.fips))
    .sort(byFips)
    .map((x) => x.county);
  const counties_removed = [...b.values()]
    .filter((x) => !a.has(x.county.fips))
    .sort(byFips)
    .map((x) => x.county);
  const counties_changed = [...a.values()]
    .filter((x) => b.has(x.county.fips) && b.get(x.county.fips)!.n !== x.n)
    .sort(byFips)
    .map((x) => ({ county: x.county, declines_before: b.get(x.county.fips)!.n, declines_after: x.n }));

  const s1b = new Map(before.section1.map((r) => [r.county.fips, r]));
  const s1a = new Map(after.section1.map((r) => [r.county.fips, r]));
  const section1_changed = [...new Set([...s1b.keys(), ...s1a.keys()])]
    .sort()
    .filter((f) => s1b.get(f)?.detainers_issued !== s1a.get(f)?.detainers_issued)
    .map((f) => ({
      county: (s1a.get(f) ?? s1b.get(f))!.county,
      detainers_issued_before: s1b.get(f)?.detainers_issued ?? null,
      detainers_issued_after: s1a.get(f)?.detainers_issued ?? null,
    }));

  const pb = new Map(before.section3.map((p) => [p.policy_id, JSON.stringify(p)]));
  const pa = new Map(after.section3.map((p) => [p.policy_id, JSON.stringify(p)]));
  return {
    totals,
    counties_added,
    counties_removed,
    counties_changed,
    rows_added: minus(rows(after), rows(before)),
    rows_removed: minus(rows(before), rows(after)),
    section1_changed,
    policies_added: [...pa.keys()].filter((k) => !pb.has(k)).sort(),
    policies_removed: [...pb.keys()].filter((k) => !pa.has(k)).sort(),
    policies_changed: [...pa.keys()].filter((k) => pb.has(k) && pb.get(k) !== pa.get(k)).sort(),
  };
}

/** How many corrections a change list holds (Section IV's figure). */
export function countChanges(c: EditionChanges): number {
  return (
    c.rows_added.length +
    c.rows_removed.length +
    c.section1_changed.length +
    c.policies_added.length +
    c.policies_removed.length +
    c.policies_changed.length
  );
}
