// The charts of one market: the price chart (candles of the chosen interval) or the depth
// chart, switched by tabs above them.
import { memo, useState } from 'react';
import { CANDLE_INTERVALS, type CandleInterval } from '../../src-shared/history/candles.ts';
import { DepthChart } from './DepthChart.tsx';
import type { MarketRef } from './market.ts';
import { PriceChart } from './PriceChart.tsx';

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
