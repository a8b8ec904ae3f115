import { Fragment } from 'preact';
import type { Report } from '../../report/model.js';
import { num } from '../escape.js';

/**
 * Section I on a phone: each county's label on a line of its own above its bar, drawn 320 units
 * wide so that from a 360 px screen up its 12-unit text is never drawn below 12 px (issue 15).
 */
function CompactSection1Chart({ report }: { report: Report }) {
  const rows = report.section1;
  const width = 320;
  const row = 38;
  const max = Math.max(...rows.map((r) => r.detainers_issued));
  const scale = (width - 50) / max;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      class="bars compact"
      viewBox={`0 0 ${width} ${rows.length * row + 4}`}
      role="img"
      aria-label="Bar chart of Section I: detainers issued to counties with policies limiting cooperation"
    >
      {rows.map((r, i) => {
        const y = i * row;
        const w = Math.max(1, Math.round(r.detainers_issued * scale * 10) / 10);
        return (
          <Fragment key={r.county.fips}>
            <text x="0" y={y + 14}>{`${r.rank}. ${r.county.name}, ${r.county.state}`}</text>
            <rect x="0" y={y + 20} width={w} height="12" fill="#2b8cbe" />
            <text x={w + 6} y={y + 31}>
              {num(r.detainers_issued)}
            </text>
          </Fragment>
        );
      })}
    </svg>
  );
}

/**
 * Section I as a horizontal bar chart (inline SVG, one bar per listed county). `compact` adds the
 * phone drawing beside it (the web pages' stylesheet shows one or the other by screen width).
 */
export function Section1Chart({ report, compact = false }: { report: Report; compact?: boolean }) {
  const rows = report.section1;
  if (rows.length === 0) return null;
  if (compact)
    return (
      <>
        <Section1Chart report={report} />
        <CompactSection1Chart report={report} />
      </>
    );
  const width = 720;
  const labelWidth = 230;
  const row = 24;
  const height = rows.length * row + 8;
  const max = Math.max(...rows.map((r) => r.detainers_issued));
  const scale = (width - labelWidth - 60) / max;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      class="bars"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Bar chart of Section I: detainers issued to counties with policies limiting cooperation"
    >
      {rows.map((r, i) => {
        const y = i * row + 4;
        const w = Math.max(1, Math.round(r.detainers_issued * scale * 10) / 10);
        return (
          <Fragment key={r.county.fips}>
            <text x={labelWidth - 8} y={y + 15} text-anchor="end">
              {`${r.rank}. ${r.county.name}, ${r.county.state}`}
            </text>
            <rect x={labelWidth} y={y + 3} width={w} height="16" fill="#2b8cbe" />
            <text x={labelWidth + w + 6} y={y + 15}>
              {num(r.detainers_issued)}
            </text>
          </Fragment>
        );
      })}
    </svg>
  );
}
