// Depth chart of one market, drawn on a canvas: cumulative bids and asks as step areas around
// the mid price, from the book the order book panel also shows. Floats are drawing coordinates.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import { useTheme } from '../app/theme.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { useNumberFormat, type NumberFormat } from '../format/number-format.tsx';
import { chartColors, chartLabel, type ChartColors } from './chart-style.ts';
import { depthFrame } from './depth.ts';
import type { MarketRef } from './market.ts';
import { orderQueries } from './queries.ts';

export function DepthChart(props: { market: MarketRef }) {
  const api = useApi();
  const { theme } = useTheme();
  const numberFormat = useNumberFormat();
  const { base, quote } = props.market;
  const book = useQuery(orderQueries(api).book(base, quote, 2));
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const c = canvas.current;
    if (!c || size.w === 0 || size.h === 0) return;
    const frame = requestAnimationFrame(() =>
      drawDepth(
        c,
        size.w,
        size.h,
        book.data ? depthFrame(book.data.asks, book.data.bids) : null,
        chartColors(),
        numberFormat,
      ),
    );
    return () => cancelAnimationFrame(frame);
  }, [book.data, size, theme, numberFormat]);

  return (
    <div ref={wrap} className="chart-box">
      {/* Sized through CSSOM as it follows the box; the CSP allows that. */}
      <canvas
        ref={canvas}
        className="chart-canvas"
        data-testid="depth-chart"
        role="img"
        aria-label={`Depth chart of ${base}/${quote}`}
        width={Math.round(size.w * devicePixelRatio)}
        height={Math.round(size.h * devicePixelRatio)}
        style={{ width: size.w, height: size.h }}
      />
      {book.isError ? (
        <div className="chart-overlay">
          <ErrorNote error={book.error} />
        </div>
      ) : null}
    </div>
  );
}

function drawDepth(
  c: HTMLCanvasElement,
  w: number,
  h: number,
  f: ReturnType<typeof depthFrame>,
  colors: ChartColors,
  fmt: NumberFormat,
): void {
  const ctx = c.getContext('2d');
  if (!ctx) return;
  const dpr = devicePixelRatio;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = colors.bg;
  ctx.fillRect(0, 0, w, h);
  const padB = 22;
  const padR = 56;
  const plotW = w - padR;
  const plotH = h - padB;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = colors.text;
  if (!f) {
    ctx.textAlign = 'center';
    ctx.fillText('No orders to draw', w / 2, h / 2);
    return;
  }
  const x = (p: number) => ((p - f.minPrice) / (f.maxPrice - f.minPrice || 1)) * plotW;
  const y = (a: number) => plotH - (a / f.maxAmount) * plotH;

  const side = (points: typeof f.bids, stroke: string, fill: string, edge: number) => {
    if (points.length === 0) return;
    ctx.beginPath();
    const first = points[0];
    if (!first) return;
    ctx.moveTo(x(first.price), plotH);
    let prevY = plotH;
    for (const p of points) {
      ctx.lineTo(x(p.price), prevY);
      ctx.lineTo(x(p.price), y(p.cumulative));
      prevY = y(p.cumulative);
    }
    ctx.lineTo(edge, prevY);
    ctx.strokeStyle = stroke;
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.lineTo(edge, plotH);
    ctx.closePath();
    ctx.fillStyle = fill;
    ctx.fill();
  };
  side(f.bids, colors.up, colors.bidFill, 0);
  side(f.asks, colors.down, colors.askFill, plotW);

  ctx.strokeStyle = colors.border;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(0, plotH + 0.5);
  ctx.lineTo(plotW, plotH + 0.5);
  ctx.moveTo(plotW + 0.5, 0);
  ctx.lineTo(plotW + 0.5, plotH);
  ctx.stroke();

  ctx.fillStyle = colors.text;
  const digits = Math.max(0, Math.min(8, 3 - Math.floor(Math.log10(f.maxPrice - f.minPrice || 1))));
  ctx.textAlign = 'center';
  for (let i = 1; i < 5; i++) {
    const p = f.minPrice + ((f.maxPrice - f.minPrice) * i) / 5;
    ctx.fillText(chartLabel(p, digits, fmt), x(p), plotH + 15);
  }
  ctx.textAlign = 'left';
  for (let i = 1; i <= 4; i++) {
    const a = (f.maxAmount * i) / 5;
    ctx.fillText(
      a >= 1000 ? `${chartLabel(a / 1000, 1, fmt)}K` : chartLabel(a, a < 10 ? 2 : 0, fmt),
      plotW + 6,
      y(a) + 4,
    );
  }
}
