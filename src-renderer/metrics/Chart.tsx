// A small hand-drawn SVG line chart for the Node page: time on x, one line per series, a round
// y maximum, a legend. No chart library: the history is already sampled by the node.
import { useMemo } from 'react';
import { niceMax, pathOf, type Line } from './dashboard.ts';

const W = 560;
const H = 140;
const PAD = { left: 56, right: 8, top: 8, bottom: 20 };
const COLORS = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#14b8a6', '#ec4899', '#64748b'];

export function Chart(props: {
  title: string;
  lines: readonly Line[];
  from: number;
  to: number;
  format: (v: number) => string;
  testId: string;
}) {
  const { lines, from, to, format } = props;
  const max = useMemo(() => niceMax(lines.flatMap((l) => l.points.map((p) => p.value))), [lines]);
  const w = W - PAD.left - PAD.right;
  const h = H - PAD.top - PAD.bottom;
  const empty = lines.every((l) => l.points.length === 0);
  const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return (
    <figure className="chart" data-testid={props.testId} data-lines={lines.length}>
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title} preserveAspectRatio="none">
        <g transform={`translate(${PAD.left},${PAD.top})`}>
          {[0, 0.5, 1].map((f) => (
            <g key={f}>
              <line className="chart-grid" x1={0} x2={w} y1={h - f * h} y2={h - f * h} />
              <text className="chart-axis" x={-6} y={h - f * h + 4} textAnchor="end">
                {format(max * f)}
              </text>
            </g>
          ))}
          <text className="chart-axis" x={0} y={h + 15} textAnchor="start">
            {time(from)}
          </text>
          <text className="chart-axis" x={w} y={h + 15} textAnchor="end">
            {time(to)}
          </text>
          {lines.map((l, i) => (
            <path
              key={l.key}
              className="chart-line"
              d={pathOf(l.points, { w, h, from, to, max })}
              stroke={COLORS[i % COLORS.length]}
              data-testid={`${props.testId}-line`}
            />
          ))}
        </g>
      </svg>
      {empty ? (
        <p className="muted small">No samples yet: the node samples every few seconds.</p>
      ) : (
        <ul className="chart-legend">
          {lines.map((l, i) => (
            <li key={l.key}>
              <span className="chart-swatch" style={{ background: COLORS[i % COLORS.length] }} />
              {l.label} <span className="muted">{format(l.points[l.points.length - 1]?.value ?? 0)}</span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
