// The Trade screen: market bar on top; order book, charts and order entry side by side; the
// user's orders, swaps and trades below. Laid out as a fixed grid so streaming data never moves
// anything; at 1280x800 it fits without scrolling the page.
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '../api/ApiProvider.tsx';
import { href, type PageProps } from '../app/routes.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ChartPanel } from './ChartPanel.tsx';
import type { BookLevel, BookSide } from './depth.ts';
import { marketFromRoute, marketId, pickMarket } from './market.ts';
import { MarketBar } from './MarketBar.tsx';
import { OrderBook, type BookOrder } from './OrderBook.tsx';
import { OrderEntry } from './OrderEntry.tsx';
import { EMPTY_ORDER_FORM, type OrderFormValues } from './order-form.ts';
import { OrdersPanel } from './OrdersPanel.tsx';
import { orderQueries } from './queries.ts';
import { useCoins } from './use-trade-context.ts';
import '../styles/trade.css';

export function TradePage(props: PageProps) {
  const api = useApi();
  const markets = useQuery(orderQueries(api).markets());
  const coins = useCoins();
  const market = pickMarket(markets.data ?? [], marketFromRoute(props.rest));
  const id = market ? marketId(market) : null;
  const [form, setForm] = useState<OrderFormValues>(EMPTY_ORDER_FORM);
  const [taking, setTaking] = useState<BookOrder | null>(null);

  // Another market: keep the side and order type, drop what was typed for the old one.
  useEffect(() => {
    setForm((f) => ({ ...EMPTY_ORDER_FORM, side: f.side, kind: f.kind }));
    setTaking(null);
  }, [id]);

  // A click on an ask fills a buy at that price for everything up to it; a bid, a sell.
  const onPick = useCallback((side: BookSide, level: BookLevel) => {
    setTaking(null);
    setForm((f) => ({
      ...f,
      side: side === 'ask' ? 'buy' : 'sell',
      kind: f.kind === 'market' ? 'limit' : f.kind,
      price: level.price,
      amount: level.cumulative,
    }));
  }, []);
  const onTake = useCallback((o: BookOrder) => setTaking(o), []);
  // One object per market, so the memoized panels do not redraw while the user types.
  const base = market?.base;
  const quote = market?.quote;
  const ref = useMemo(() => (base && quote ? { base, quote } : null), [base, quote]);
  const stopTaking = useCallback(() => setTaking(null), []);

  if (!market || !ref) {
    return (
      <section className="page-narrow" data-testid="trade-no-markets">
        <PageHeader title="Trade" />
        {markets.isError ? (
          <ErrorNote error={markets.error} testId="markets-error" title="The node could not list the markets" />
        ) : (
          <div className="panel">
            <p className="prose">
              {markets.isPending
                ? 'Loading markets\u2026'
                : 'No markets yet. Markets appear when service nodes on the network support at least two coins.'}
            </p>
            <p className="muted small">
              Meanwhile connect your coin wallets on the <a href={href('wallets')}>Wallets</a> page.
            </p>
          </div>
        )}
      </section>
    );
  }

  return (
    <section className="trade" data-testid="trade" data-market={id}>
      <MarketBar markets={markets.data ?? []} market={market} />
      <div className="trade-main">
        <OrderBook
          key={`book-${id}`}
          market={ref}
          baseDecimals={coins.decimalsOf(market.base)}
          quoteDecimals={coins.decimalsOf(market.quote)}
          takingId={taking?.id ?? null}
          onPick={onPick}
          onTake={onTake}
        />
        <ChartPanel key={`chart-${id}`} market={ref} />
        <OrderEntry
          market={market}
          values={form}
          setValues={setForm}
          taking={taking}
          onStopTaking={stopTaking}
          lastPrice={market.last}
        />
      </div>
      <OrdersPanel market={ref} />
    </section>
  );
}
