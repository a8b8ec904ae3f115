import { Fragment } from 'preact';
import type { Report } from '../../report/model.js';
import { num } from '../escape.js';

/** Section I as a horizontal bar chart (inline SVG, one bar per listed county). */
export function Section1Chart({ report }: { report: Report }) {
  const rows = report.section1;
  if (rows.length === 0) return null;
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
