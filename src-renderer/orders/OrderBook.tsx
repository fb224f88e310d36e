// The order book of one market: price levels with depth bars (asks above, bids below, the
// spread between), the user's own orders marked, optional grouping into coarser prices, and an
// "Orders" view of every single order (virtualized) to take one. A click on a level fills the
// order form; arrow keys move between levels.
import { useQuery } from '@tanstack/react-query';
import { memo, useMemo, useState, type CSSProperties, type KeyboardEvent } from 'react';
import type { Result } from '../../src-shared/api/contract.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { backingMark, backingWarning } from './backing.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { useFormatDecimal } from '../format/number-format.tsx';
import { chartNumber, fractionDigits } from '../format/decimal.ts';
import {
  groupingSteps,
  groupLevels,
  maxCumulative,
  ordersBestFirst,
  spreadOf,
  type BookLevel,
  type BookSide,
} from './depth.ts';
import type { MarketRef } from './market.ts';
import { orderQueries } from './queries.ts';
import { VirtualList } from './VirtualList.tsx';

export type BookOrder = NonNullable<Result<'orders.book'>['orders']>[number];

/** Levels drawn per side: more than fit at 1280x800, few enough to draw in well under a frame. */
const MAX_LEVEL_ROWS = 40;
/** Price levels whose orders the Orders view fetches. */
const ORDERS_DEPTH = 100;
const ORDER_ROW_HEIGHT = 20;

function padTo(rows: readonly BookLevel[], pick: (l: BookLevel) => string, cap: number): number {
  let digits = 0;
  for (const r of rows) digits = Math.max(digits, fractionDigits(pick(r)));
  return Math.min(cap, digits);
}

function moveFocus(e: KeyboardEvent<HTMLDivElement>) {
  if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
  const rows = [...e.currentTarget.querySelectorAll<HTMLElement>('[data-book-row]')];
  const at = rows.indexOf(document.activeElement as HTMLElement);
  if (at < 0) return;
  e.preventDefault();
  rows[Math.min(rows.length - 1, Math.max(0, at + (e.key === 'ArrowUp' ? -1 : 1)))]?.focus();
}

function LevelRow(props: {
  level: BookLevel;
  side: BookSide;
  max: number;
  pricePad: number;
  amountPad: number;
  tabbable: boolean;
  onPick(): void;
}) {
  const fmt = useFormatDecimal();
  const l = props.level;
  const depth = props.max > 0 ? Math.min(1, chartNumber(l.cumulative) / props.max) : 0;
  return (
    <button
      type="button"
      className={`book-row ${props.side}${l.mine ? ' mine' : ''}`}
      data-book-row=""
      tabIndex={props.tabbable ? 0 : -1}
      data-testid={props.side === 'ask' ? 'book-ask' : 'book-bid'}
      data-price={l.price}
      data-amount={l.amount}
      data-cumulative={l.cumulative}
      data-mine={l.mine ? 'true' : 'false'}
      onClick={props.onPick}
      aria-label={`${props.side === 'ask' ? 'Sell' : 'Buy'} orders at ${l.price}: ${l.amount}${l.mine ? ', including yours' : ''}`}
      // The depth bar's width follows the data; set through CSSOM, which the CSP allows.
      style={{ '--depth': depth } as CSSProperties}
    >
      <span className="book-price num">{fmt(l.price, props.pricePad)}</span>
      <span className="book-amount num">{fmt(l.amount, props.amountPad)}</span>
      <span className="book-total num">{fmt(l.cumulative, props.amountPad)}</span>
      <span className="book-mine" aria-hidden="true">
        {l.mine ? '\u25cf' : ''}
      </span>
    </button>
  );
}

function Levels(props: {
  market: MarketRef;
  baseDecimals: number;
  quoteDecimals: number;
  onPick(side: BookSide, level: BookLevel): void;
}) {
  const api = useApi();
  const fmt = useFormatDecimal();
  const { base, quote } = props.market;
  const book = useQuery(orderQueries(api).book(base, quote, 2));
  const [step, setStep] = useState<string | null>(null);

  const view = useMemo(() => {
    const asks = groupLevels(book.data?.asks ?? [], step, 'ask').slice(0, MAX_LEVEL_ROWS);
    const bids = groupLevels(book.data?.bids ?? [], step, 'bid').slice(0, MAX_LEVEL_ROWS);
    const rows = [...asks, ...bids];
    return {
      asks,
      bids,
      max: maxCumulative(asks, bids),
      pricePad: padTo(rows, (l) => l.price, props.quoteDecimals),
      amountPad: padTo(rows, (l) => l.amount, props.baseDecimals),
      spread: spreadOf(asks, bids),
      steps: groupingSteps(asks[0]?.price ?? bids[0]?.price ?? null, props.quoteDecimals),
    };
  }, [book.data, step, props.baseDecimals, props.quoteDecimals]);

  const askRows = view.asks.map((l, i) => ({ l, i })).reverse();
  const bestAsk = view.asks[0]?.price;
  const bestBid = view.bids[0]?.price;
  const spreadPct = view.spread !== null && bestAsk ? (chartNumber(view.spread) / chartNumber(bestAsk)) * 100 : null;

  return (
    <>
      <div className="book-tools">
        <label className="small muted" htmlFor="book-grouping">
          Group
        </label>
        <select
          id="book-grouping"
          className="input input-tiny"
          data-testid="book-grouping"
          value={step ?? ''}
          onChange={(e) => setStep(e.target.value === '' ? null : e.target.value)}
        >
          <option value="">None</option>
          {view.steps.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
          {step !== null && !view.steps.includes(step) ? <option value={step}>{step}</option> : null}
        </select>
      </div>
      <div className="book-head" aria-hidden="true">
        <span>Price ({quote})</span>
        <span>Amount ({base})</span>
        <span>Total ({base})</span>
      </div>
      {book.isError ? (
        <div className="book-overlay">
          <ErrorNote error={book.error} testId="book-error" />
        </div>
      ) : null}
      <div className="book-levels" onKeyDown={moveFocus} role="group" aria-label={`Order book ${base}/${quote}`}>
        <div className="book-side book-asks" data-testid="book-asks">
          {askRows.map(({ l, i }) => (
            <LevelRow
              key={l.price}
              level={l}
              side="ask"
              max={view.max}
              pricePad={view.pricePad}
              amountPad={view.amountPad}
              tabbable={i === 0}
              onPick={() => props.onPick('ask', l)}
            />
          ))}
        </div>
        <div className="book-spread" data-testid="book-spread" data-spread={view.spread ?? undefined}>
          {book.isPending ? (
            <span className="muted">Loading the book{'\u2026'}</span>
          ) : !bestAsk && !bestBid ? (
            <span className="muted" data-testid="book-empty">
              No orders in this market yet
            </span>
          ) : (
            <>
              <span className="muted">Spread</span>
              <span className="num">{view.spread !== null ? fmt(view.spread, view.pricePad) : '\u2014'}</span>
              <span className="num muted">{spreadPct !== null ? `${fmt(spreadPct.toFixed(2))} %` : ''}</span>
            </>
          )}
        </div>
        <div className="book-side book-bids" data-testid="book-bids">
          {view.bids.map((l, i) => (
            <LevelRow
              key={l.price}
              level={l}
              side="bid"
              max={view.max}
              pricePad={view.pricePad}
              amountPad={view.amountPad}
              tabbable={i === 0}
              onPick={() => props.onPick('bid', l)}
            />
          ))}
        </div>
      </div>
    </>
  );
}

function Orders(props: { market: MarketRef; takingId: string | null; onTake(order: BookOrder): void }) {
  const api = useApi();
  const fmt = useFormatDecimal();
  const { base, quote } = props.market;
  const [side, setSide] = useState<'sell' | 'buy'>('sell');
  const book = useQuery(orderQueries(api).book(base, quote, 3, ORDERS_DEPTH));
  const orders = useMemo(() => ordersBestFirst(book.data?.orders ?? [], side), [book.data, side]);
  const pricePad = useMemo(() => orders.reduce((d, o) => Math.max(d, fractionDigits(o.price)), 0), [orders]);
  const amountPad = useMemo(() => orders.reduce((d, o) => Math.max(d, fractionDigits(o.remainingBase)), 0), [orders]);

  return (
    <>
      <div className="book-tools">
        <div className="segmented segmented-tiny" role="radiogroup" aria-label="Side">
          {(['sell', 'buy'] as const).map((s) => (
            <label key={s} className="segmented-option">
              <input
                type="radio"
                name="book-order-side"
                checked={side === s}
                onChange={() => setSide(s)}
                data-testid={`book-orders-${s}`}
              />
              <span>{s === 'sell' ? 'Sell orders' : 'Buy orders'}</span>
            </label>
          ))}
        </div>
        <span className="small muted num" data-testid="book-orders-count">
          {book.data ? `${orders.length}` : ''}
        </span>
      </div>
      <div className="book-head book-head-orders" aria-hidden="true">
        <span>Price ({quote})</span>
        <span>Left ({base})</span>
        <span>Min fill</span>
      </div>
      {book.isError ? <ErrorNote error={book.error} testId="book-error" /> : null}
      <VirtualList
        items={orders}
        rowHeight={ORDER_ROW_HEIGHT}
        className="book-orders"
        testId="book-orders"
        label={`${side === 'sell' ? 'Sell' : 'Buy'} orders`}
        render={(o) => (
          <button
            key={o.id}
            type="button"
            role="listitem"
            className={`book-row book-order ${o.side === 'sell' ? 'ask' : 'bid'}${o.mine ? ' mine' : ''}${props.takingId === o.id ? ' picked' : ''}`}
            data-testid="book-order"
            data-order-id={o.id}
            data-price={o.price}
            data-mine={o.mine ? 'true' : 'false'}
            data-side={o.side}
            disabled={o.mine}
            data-maker={o.makerIdentity?.name ?? undefined}
            data-backing={o.backing ?? undefined}
            title={
              o.mine
                ? 'Your own order'
                : backingWarning(o.backing)
                  ? `Take this order (${backingWarning(o.backing)})`
                  : o.makerIdentity
                    ? `Take this order from ${o.makerIdentity.name ?? 'a verified identity'} (verified identity)`
                    : 'Take this order'
            }
            onClick={() => props.onTake(o)}
          >
            <span className="book-price num">{fmt(o.price, pricePad)}</span>
            <span className="book-amount num">{fmt(o.remainingBase, amountPad)}</span>
            <span className="book-total num">{o.partial.allowed ? fmt(o.partial.minBase, amountPad) : 'all'}</span>
            <span className="book-mine" aria-hidden="true">
              {o.mine ? '\u25cf' : backingMark(o.backing) ? '\u26a0' : o.makerIdentity ? '\u2713' : ''}
            </span>
          </button>
        )}
      />
    </>
  );
}

export const OrderBook = memo(function OrderBook(props: {
  market: MarketRef;
  baseDecimals: number;
  quoteDecimals: number;
  takingId: string | null;
  onPick(side: BookSide, level: BookLevel): void;
  onTake(order: BookOrder): void;
}) {
  const [mode, setMode] = useState<'levels' | 'orders'>('levels');
  return (
    <section className="tpanel book" data-testid="order-book" data-mode={mode} aria-labelledby="book-title">
      <div className="tpanel-bar">
        <h2 id="book-title">Order book</h2>
        <div className="segmented segmented-tiny" role="radiogroup" aria-label="Book view">
          {(['levels', 'orders'] as const).map((m) => (
            <label key={m} className="segmented-option">
              <input
                type="radio"
                name="book-mode"
                checked={mode === m}
                onChange={() => setMode(m)}
                data-testid={`book-mode-${m}`}
              />
              <span>{m === 'levels' ? 'Levels' : 'Orders'}</span>
            </label>
          ))}
        </div>
      </div>
      {mode === 'levels' ? (
        <Levels
          market={props.market}
          baseDecimals={props.baseDecimals}
          quoteDecimals={props.quoteDecimals}
          onPick={props.onPick}
        />
      ) : (
        <Orders market={props.market} takingId={props.takingId} onTake={props.onTake} />
      )}
    </section>
  );
});
