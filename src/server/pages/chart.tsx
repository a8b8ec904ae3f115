/**
 * A small server-rendered line chart (inline SVG): weekly detainers issued and declines recorded.
 * Honest coverage (issue 15): the issued line ends at the last week with issuing data; later weeks,
 * which hold only declines recorded late, are hatched and labelled, and the caption says so.
 */
import type { WeekPoint } from '../../report/series.js';

const num = (n: number) => n.toLocaleString('en-US');

/** The caption's word on coverage: where issuing data end, and how many weeks after hold only late declines. */
export function coverageNote(points: WeekPoint[]): string {
  const covered = points.filter((p) => p.issuing_data);
  const late = points.filter((p) => !p.issuing_data);
  if (covered.length === 0) return 'No issuing data: only declines recorded late are shown.';
  const span = `Issuing data cover the weeks of ${covered[0]!.week} to ${covered.at(-1)!.week}`;
  if (late.length === 0) return `${span}.`;
  return `${span}; the ${late.length === 1 ? 'week' : `${num(late.length)} weeks`} after (${late[0]!.week}${
    late.length > 1 ? ` to ${late.at(-1)!.week}` : ''
  }, hatched) ${late.length === 1 ? 'holds' : 'hold'} only declines recorded late, so no detainers-issued figure is drawn for ${late.length === 1 ? 'it' : 'them'}.`;
}

/** One drawing of the chart: `wide` for large screens, `compact` (320 units) for phones. */
function WeeklySvg(props: { points: WeekPoint[]; label: string; size: 'wide' | 'compact' }) {
  const { points } = props;
  const compact = props.size === 'compact';
  const w = compact ? 320 : 900;
  const h = compact ? 190 : 240;
  const pad = compact ? { l: 40, r: 6, t: 10, b: 26 } : { l: 48, r: 12, t: 12, b: 28 };
  const max = Math.max(
    1,
    ...points.map((p) => Math.max(p.issuing_data ? p.detainers_issued : 0, p.declined)),
  );
  const step = points.length === 1 ? 0 : (w - pad.l - pad.r) / (points.length - 1);
  const x = (i: number) => pad.l + i * step;
  const y = (v: number) => h - pad.b - (v * (h - pad.t - pad.b)) / max;
  const path = (key: 'detainers_issued' | 'declined', upTo: number) =>
    points
      .slice(0, upTo)
      .map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`)
      .join('');
  const ticks = [0, Math.round(max / 2), max];
  const firstLate = points.findIndex((p) => !p.issuing_data);
  const covered = firstLate === -1 ? points.length : firstLate;
  // The hatched band starts half a step before the first late week (or at the left edge).
  const bandX = firstLate <= 0 ? pad.l : x(firstLate) - step / 2;
  const hatch = `late-only-${props.size}`;
  return (
    <svg class={`chart ${props.size}`} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={props.label}>
      <defs>
        <pattern id={hatch} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <line x1="0" y1="0" x2="0" y2="8" stroke="#c9c9c9" stroke-width="3" />
        </pattern>
      </defs>
      {firstLate !== -1 ? (
        <g class="late-only">
          <rect
            x={bandX}
            y={pad.t}
            width={w - pad.r - bandX}
            height={h - pad.t - pad.b}
            fill={`url(#${hatch})`}
          />
          <text x={w - pad.r - 4} y={pad.t + 14} text-anchor="end">
            {compact ? 'late declines only' : 'declines recorded late only'}
          </text>
        </g>
      ) : null}
      {ticks.map((t) => (
        <g key={t}>
          <line x1={pad.l} x2={w - pad.r} y1={y(t)} y2={y(t)} stroke="#e3e3e3" />
          <text x={pad.l - 4} y={y(t) + 4} text-anchor="end">
            {num(t)}
          </text>
        </g>
      ))}
      {covered > 0 ? (
        <path d={path('detainers_issued', covered)} fill="none" stroke="#045a8d" stroke-width="2" />
      ) : null}
      <path
        d={path('declined', points.length)}
        fill="none"
        stroke="#8a3b00"
        stroke-width="2"
        stroke-dasharray="5 3"
      />
      <text x={pad.l} y={h - 8}>
        {points[0]!.week}
      </text>
      <text x={w - pad.r} y={h - 8} text-anchor="end">
        {points.at(-1)!.week}
      </text>
    </svg>
  );
}

/** The chart with its caption; the page's stylesheet shows the wide or the compact drawing by screen width. */
export function WeeklyChart(props: { points: WeekPoint[]; label: string }) {
  const { points } = props;
  if (points.length === 0) return <p>No detainers recorded.</p>;
  return (
    <figure>
      <WeeklySvg points={points} label={props.label} size="wide" />
      <WeeklySvg points={points} label={props.label} size="compact" />
      <figcaption>
        <span class="legend-issued">━ detainers issued</span> ·{' '}
        <span class="legend-declined">┅ declines recorded</span>, by week (Saturday–Friday). {props.label}.{' '}
        {coverageNote(points)}
      </figcaption>
    </figure>
  );
}
