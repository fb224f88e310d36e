// Price chart of one market: OHLCV candles + volume (lightweight-charts 5). Candles come from
// the trade history and grow with trade.new; only the changed tail is pushed to the chart, so a
// year of candles stays smooth. Every float here is a drawing coordinate (format/decimal.ts).
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
import { useEffect, useRef } from 'react';
import type { CandleInterval } from '../../src-shared/history/candles.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { useTheme } from '../app/theme.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { useNumberFormat } from '../format/number-format.tsx';
import {
  candleBar,
  candleChange,
  chartWindowStart,
  historyQueries,
  orderedCandles,
  pricePrecision,
  volumeBar,
  type CandleView,
} from '../history/index.ts';
import { chartColors, chartLabel, type ChartColors } from './chart-style.ts';
import type { MarketRef } from './market.ts';

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

export function PriceChart(props: { market: MarketRef; interval: CandleInterval }) {
  const api = useApi();
  const { theme } = useTheme();
  const numberFormat = useNumberFormat();
  const { base, quote } = props.market;
  const candles = useQuery(historyQueries(api).candles(base, quote, props.interval));
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
