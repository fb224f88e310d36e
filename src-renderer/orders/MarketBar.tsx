// The strip above the trading panels: the market selector (tradable markets first, the others
// marked) and the market's last price, 24 h change, high, low and volume, in fixed-width cells
// so nothing shifts as prices stream in.
import { useQuery } from '@tanstack/react-query';
import { memo } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import { href } from '../app/routes.ts';
import { useFormatDecimal } from '../format/number-format.tsx';
import { historyQueries } from '../history/index.ts';
import { groupMarkets, marketId, type MarketView } from './market.ts';

function Stat(props: {
  label: string;
  value: string | null;
  testId: string;
  raw?: string | null;
  tone?: 'up' | 'down' | null;
  wide?: boolean;
}) {
  return (
    <div className={props.wide ? 'mstat mstat-wide' : 'mstat'}>
      <span className="mstat-label">{props.label}</span>
      <span
        className={`mstat-value num${props.tone ? ` tone-${props.tone}` : ''}`}
        data-testid={props.testId}
        data-value={props.raw ?? undefined}
      >
        {props.value ?? '\u2014'}
      </span>
    </div>
  );
}

/** "+1.25 %" / "−0.40 %"; the node's change24h is a signed percentage with two decimals. */
function changeText(
  change: string | null,
  fmt: (t: string) => string,
): { text: string | null; tone: 'up' | 'down' | null } {
  if (change === null) return { text: null, tone: null };
  const negative = change.startsWith('-');
  const digits = negative ? change.slice(1) : change;
  const zero = /^0(\.0*)?$/.test(digits);
  return {
    text: `${zero ? '' : negative ? '\u2212' : '+'}${fmt(digits)} %`,
    tone: zero ? null : negative ? 'down' : 'up',
  };
}

export const MarketBar = memo(function MarketBar(props: { markets: readonly MarketView[]; market: MarketView }) {
  const api = useApi();
  const fmt = useFormatDecimal();
  const { base, quote } = props.market;
  const stats = useQuery(historyQueries(api).stats(base, quote));
  const { ready, other } = groupMarkets(props.markets);
  const s = stats.data;
  const change = changeText(s?.change24h ?? null, (t) => fmt(t));
  const last = s?.last ?? props.market.last;

  return (
    <div className="market-bar">
      <h1 tabIndex={-1} className="market-title">
        Trade
      </h1>
      <div className="market-select-wrap">
        <label htmlFor="market-select" className="sr-only">
          Market
        </label>
        <select
          id="market-select"
          className="input market-select"
          data-testid="market-select"
          value={marketId(props.market)}
          onChange={(e) => {
            window.location.hash = href('trade', ...e.target.value.split('/'));
          }}
        >
          {ready.length > 0 ? (
            <optgroup label="Ready to trade">
              {ready.map((m) => (
                <option key={marketId(m)} value={marketId(m)}>
                  {marketId(m)}
                </option>
              ))}
            </optgroup>
          ) : null}
          {other.length > 0 ? (
            <optgroup label="Connect both wallets to trade">
              {other.map((m) => (
                <option key={marketId(m)} value={marketId(m)}>
                  {marketId(m)}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </div>
      <Stat label="Last price" value={last ? `${fmt(last)}` : null} raw={last} testId="market-last" wide />
      <Stat label="24 h change" value={change.text} raw={s?.change24h} tone={change.tone} testId="market-change" />
      <Stat label="24 h high" value={s?.high24h ? fmt(s.high24h) : null} raw={s?.high24h} testId="market-high" />
      <Stat label="24 h low" value={s?.low24h ? fmt(s.low24h) : null} raw={s?.low24h} testId="market-low" />
      <Stat
        label={`24 h volume (${base})`}
        value={s ? fmt(s.volumeBase24h) : null}
        raw={s?.volumeBase24h}
        testId="market-volume"
        wide
      />
      <div className="market-status">
        {props.market.bothWalletsConnected ? (
          <span className="badge badge-ok" data-testid="market-tradable" data-tradable="true">
            Both wallets connected
          </span>
        ) : (
          <a
            className="badge badge-warn"
            href={href('wallets')}
            data-testid="market-tradable"
            data-tradable="false"
            title={`Connect the ${base} and ${quote} wallets to trade this market`}
          >
            View only {'\u00b7'} connect wallets
          </a>
        )}
      </div>
    </div>
  );
});
