// What the Trade screen's two charts share: colours read from the theme's CSS variables, and
// chart coordinates written back as text in the user's number format (labels only).
import { formatNumber, type NumberFormat } from '../format/number-format.tsx';

export interface ChartColors {
  up: string;
  down: string;
  upVol: string;
  downVol: string;
  text: string;
  grid: string;
  border: string;
  bg: string;
  bidFill: string;
  askFill: string;
}

export function chartColors(): ChartColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    up: v('--chart-up', '#3fb68b'),
    down: v('--chart-down', '#ef6b63'),
    upVol: v('--chart-up-vol', 'rgba(63,182,139,0.35)'),
    downVol: v('--chart-down-vol', 'rgba(239,107,99,0.35)'),
    text: v('--chart-text', '#8a95a4'),
    grid: v('--chart-grid', 'rgba(128,128,128,0.08)'),
    border: v('--chart-border', '#252d38'),
    bg: v('--chart-bg', '#141920'),
    bidFill: v('--chart-up-fill', 'rgba(63,182,139,0.18)'),
    askFill: v('--chart-down-fill', 'rgba(239,107,99,0.18)'),
  };
}

/** A chart coordinate back as text in the user's number format (axis labels, crosshair; display only). */
export function chartLabel(value: number, digits: number, fmt: NumberFormat): string {
  return formatNumber(fmt, value.toFixed(digits));
}
