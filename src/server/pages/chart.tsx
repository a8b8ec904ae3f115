/** A small server-rendered line chart (inline SVG): weekly detainers issued and declines recorded. */
import type { WeekPoint } from '../../report/series.js';

export function WeeklyChart(props: { points: WeekPoint[]; label: string }) {
  const { points } = props;
  if (points.length === 0) return <p>No detainers recorded.</p>;
  const w = 900;
  const h = 240;
  const pad = { l: 48, r: 12, t: 12, b: 28 };
  const max = Math.max(1, ...points.map((p) => Math.max(p.detainers_issued, p.declined)));
  const x = (i: number) =>
    pad.l + (points.length === 1 ? 0 : (i * (w - pad.l - pad.r)) / (points.length - 1));
  const y = (v: number) => h - pad.b - (v * (h - pad.t - pad.b)) / max;
  const line = (key: 'detainers_issued' | 'declined') =>
    points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join('');
  const ticks = [0, Math.round(max / 2), max];
  return (
    <figure>
      <svg class="chart" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={props.label}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.l} x2={w - pad.r} y1={y(t)} y2={y(t)} stroke="#e3e3e3" />
            <text x={pad.l - 6} y={y(t) + 4} text-anchor="end">
              {t.toLocaleString('en-US')}
            </text>
          </g>
        ))}
        <path d={line('detainers_issued')} fill="none" stroke="#045a8d" stroke-width="2" />
        <path d={line('declined')} fill="none" stroke="#8a3b00" stroke-width="2" stroke-dasharray="5 3" />
        <text x={pad.l} y={h - 8}>
          {points[0]!.week}
        </text>
        <text x={w - pad.r} y={h - 8} text-anchor="end">
          {points.at(-1)!.week}
        </text>
      </svg>
      <figcaption>
        <span style="color:#045a8d">━ detainers issued</span> ·{' '}
        <span style="color:#8a3b00">┅ declines recorded</span>, by week (Saturday–Friday). {props.label}
      </figcaption>
    </figure>
  );
}
