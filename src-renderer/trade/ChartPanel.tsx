// Price chart (OHLCV candles + volume, lightweight-charts 5) and depth chart (drawn on a
// canvas) of one market. Candles come from the trade history and grow with trade.new; only
// the changed tail is pushed to the chart, so a year of candles stays smooth. Every float here
// is a drawing coordinate derived from the node's decimal strings (see decimal.ts).
import { useQuery } from '@tanstack/react-query';
import {
  CandlestickSeries,
  ColorType,
  createChart,
  CrosshairMode,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import { memo, useEffect, useRef, useState } from 'react';
import { CANDLE_INTERVALS, type CandleInterval } from '../../src-shared/history/candles.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { marketQueries } from '../api/trade-queries.ts';
import { useTheme } from '../app/theme.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { formatNumber, useNumberFormat, type NumberFormat } from '../settings/number-format.tsx';
import {
  candleBar,
  candleChange,
  chartWindowStart,
  orderedCandles,
  pricePrecision,
  volumeBar,
  type CandleView,
} from './candles.ts';
import { depthFrame } from './depth.ts';
import type { MarketRef } from './market.ts';

interface ChartColors {
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

function chartColors(): ChartColors {
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

interface Live {
  chart: IChartApi;
  candles: ISeriesApi<'Candlestick'>;
  volume: ISeriesApi<'Histogram'>;
  /** The whole series as last drawn; the chart holds shown[start..]. */
  shown: readonly CandleView[] | null;
  start: number;
  colors: ChartColors;
  precision: number;
  /** Converts one candle to the bars the two series take. */
  bars(c: CandleView): {
    bar: { time: UTCTimestamp; open: number; high: number; low: number; close: number };
    vol: { time: UTCTimestamp; value: number; color: string };
  };
  /** Hand the chart shown[start..] again (after a reset or when older bars are added). */
  load(): void;
}

function PriceChart(props: { market: MarketRef; interval: CandleInterval }) {
  const api = useApi();
  const { theme } = useTheme();
  const numberFormat = useNumberFormat();
  const { base, quote } = props.market;
  const candles = useQuery(marketQueries(api).candles(base, quote, props.interval));
  const box = useRef<HTMLDivElement>(null);
  const live = useRef<Live | null>(null);
  const data = candles.data;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const colors = chartColors();
    const chart = createChart(el, {
      autoSize: true,
      // The attribution logo would inject a <style> element and a remote link, both refused by the CSP;
      // TradingView Lightweight Charts is credited on the Settings page instead.
      layout: {
        attributionLogo: false,
        background: { type: ColorType.Solid, color: colors.bg },
        textColor: colors.text,
        fontSize: 11,
      },
      grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: colors.border },
      timeScale: { borderColor: colors.border, timeVisible: true, secondsVisible: false, rightOffset: 4 },
    });
    const candleSeries = chart.addSeries(CandlestickSeries, {
      upColor: colors.up,
      downColor: colors.down,
      wickUpColor: colors.up,
      wickDownColor: colors.down,
      borderVisible: false,
    });
    candleSeries.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.28 } });
    const volume = chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.78, bottom: 0 } });
    const l: Live = {
      chart,
      candles: candleSeries,
      volume,
      shown: null,
      start: 0,
      colors,
      precision: -1,
      bars(c) {
        const b = candleBar(c);
        const v = volumeBar(c);
        return {
          bar: { ...b, time: b.time as UTCTimestamp },
          vol: { time: v.time as UTCTimestamp, value: v.value, color: v.up ? l.colors.upVol : l.colors.downVol },
        };
      },
      load() {
        const slice = (l.shown ?? []).slice(l.start).map((c) => l.bars(c));
        l.candles.setData(slice.map((x) => x.bar));
        l.volume.setData(slice.map((x) => x.vol));
      },
    };
    live.current = l;
    // Older bars are handed over as the user scrolls back (chartWindowStart), so every update
    // stays cheap however long the history is.
    let growing = false;
    const onRange = (range: { from: number; to: number } | null) => {
      if (growing || !range || !l.shown) return;
      const start = chartWindowStart(l.shown.length, l.start, range.from);
      if (start === l.start) return;
      const added = l.start - start;
      growing = true;
      l.start = start;
      l.load();
      chart.timeScale().setVisibleLogicalRange({ from: range.from + added, to: range.to + added });
      growing = false;
    };
    chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);
    return () => {
      live.current = null;
      chart.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
      chart.remove();
    };
  }, []);

  // Theme colours: re-read the CSS variables and redraw every bar (volume bars carry colours).
  useEffect(() => {
    const l = live.current;
    if (!l) return;
    const colors = chartColors();
    l.colors = colors;
    l.chart.applyOptions({
      layout: { background: { type: ColorType.Solid, color: colors.bg }, textColor: colors.text },
      grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
      rightPriceScale: { borderColor: colors.border },
      timeScale: { borderColor: colors.border },
    });
    l.candles.applyOptions({
      upColor: colors.up,
      downColor: colors.down,
      wickUpColor: colors.up,
      wickDownColor: colors.down,
    });
    l.shown = null;
  }, [theme]);

  // Axis and crosshair labels in the user's number format, with the digits the prices have. Set
  // only when the format changes: new chart options make the chart re-process every bar.
  useEffect(() => {
    const l = live.current;
    if (!l) return;
    l.chart.applyOptions({
      localization: { priceFormatter: (p: number) => chartLabel(p, Math.max(0, l.precision), numberFormat) },
    });
  }, [numberFormat]);

  useEffect(() => {
    const l = live.current;
    if (!l) return;
    const next = orderedCandles(data ?? []);
    const change = candleChange(l.shown, next);
    if (change.kind === 'same') return;
    if (change.kind === 'tail' && change.from >= l.start) {
      l.shown = next;
      for (let i = change.from; i < next.length; i++) {
        const c = next[i];
        if (!c) continue;
        const { bar, vol } = l.bars(c);
        l.candles.update(bar);
        l.volume.update(vol);
      }
      return;
    }
    const precision = pricePrecision(next);
    if (precision !== l.precision) {
      l.precision = precision;
      l.candles.applyOptions({ priceFormat: { type: 'price', precision, minMove: 10 ** -precision } });
    }
    l.shown = next;
    l.start = chartWindowStart(next.length, null, null);
    l.load();
  }, [data, theme]);

  return (
    <div className="chart-box">
      {/* Without candles the empty chart would draw bare axes behind the note: hidden, not removed (the chart stays built). */}
      <div
        ref={box}
        className={`chart-canvas${data && data.length === 0 ? ' chart-canvas-empty' : ''}`}
        data-testid="price-chart"
        data-interval={props.interval}
        data-candles={data?.length ?? 0}
        role="img"
        aria-label={`Price chart of ${base}/${quote}, ${props.interval} candles`}
      />
      {candles.isPending ? <div className="chart-overlay muted">Loading candles{'\u2026'}</div> : null}
      {candles.isError ? (
        <div className="chart-overlay">
          <ErrorNote error={candles.error} testId="chart-error" />
        </div>
      ) : null}
      {data && data.length === 0 ? (
        <div className="chart-overlay muted" data-testid="chart-empty">
          No trades in this market yet: candles appear with the first trade.
        </div>
      ) : null}
    </div>
  );
}

function DepthChart(props: { market: MarketRef }) {
  const api = useApi();
  const { theme } = useTheme();
  const numberFormat = useNumberFormat();
  const { base, quote } = props.market;
  const book = useQuery(marketQueries(api).book(base, quote, 2));
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

export const ChartPanel = memo(function ChartPanel(props: { market: MarketRef }) {
  const [view, setView] = useState<'price' | 'depth'>('price');
  const [interval, setCandleInterval] = useState<CandleInterval>('1h');
  return (
    <section className="tpanel chart" aria-label="Charts" data-testid="chart-panel">
      <div className="tpanel-bar">
        <div className="segmented segmented-tiny" role="radiogroup" aria-label="Chart">
          {(['price', 'depth'] as const).map((v) => (
            <label key={v} className="segmented-option">
              <input
                type="radio"
                name="chart-view"
                checked={view === v}
                onChange={() => setView(v)}
                data-testid={`chart-tab-${v}`}
              />
              <span>{v === 'price' ? 'Price' : 'Depth'}</span>
            </label>
          ))}
        </div>
        {view === 'price' ? (
          <div className="intervals" role="group" aria-label="Candle interval">
            {CANDLE_INTERVALS.map((i) => (
              <button
                key={i}
                type="button"
                className={i === interval ? 'interval active' : 'interval'}
                aria-pressed={i === interval}
                data-testid={`interval-${i}`}
                onClick={() => setCandleInterval(i)}
              >
                {i}
              </button>
            ))}
          </div>
        ) : (
          <span className="small muted">Cumulative amount at each price</span>
        )}
      </div>
      {view === 'price' ? (
        <PriceChart market={props.market} interval={interval} />
      ) : (
        <DepthChart market={props.market} />
      )}
    </section>
  );
});
