// The user's side of trading, below the book and chart: open orders (cancel; a matched order
// shows its swap's progress), swaps in progress and recent refunds, order history, the user's
// trades and the market's latest trades. Tabs follow the ARIA tab pattern (arrow keys move).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { memo, useRef, useState, type KeyboardEvent } from 'react';
import type { Result } from '../../src-shared/api/contract.ts';
import { canTransition } from '../../src-shared/orders/state.ts';
import { useApi } from '../api/ApiProvider.tsx';
import { href } from '../app/routes.ts';
import { EmptyRow, Side, When } from '../components/cells.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { describeError } from '../format/errors.ts';
import { useFormatDecimal } from '../format/number-format.tsx';
import { swapQueries, SwapProgress } from '../swaps/index.ts';
import { refreshBalances } from '../wallets/index.ts';
import type { MarketRef } from './market.ts';
import { stateWords } from './order-states.ts';
import { orderKeys, orderQueries } from './queries.ts';
import { relevantSwaps } from './relevant-swaps.ts';
import { MarketTrades, MyTrades } from './TradeTables.tsx';
import { useCoins } from './use-trade-context.ts';

type OrderView = Result<'orders.get'>;
type Tab = 'open' | 'swaps' | 'history' | 'mine' | 'market';

function tone(state: OrderView['state']): string {
  if (state === 'finished') return 'badge-ok';
  if (state === 'invalid' || state === 'rolledback' || state === 'rollbackFailed') return 'badge-error';
  if (['accepting', 'hold', 'initialized', 'created', 'committed'].includes(state)) return 'badge-info';
  return '';
}

function OrderPrice(props: { o: OrderView }) {
  const fmt = useFormatDecimal();
  const { o } = props;
  if (o.kind === 'stop' && o.stop) {
    return (
      <span
        className="num"
        title={`Fires when the last price goes ${o.stop.direction} ${o.stop.triggerPrice}, then as ${o.stop.then}`}
      >
        {o.stop.direction === 'above' ? '\u2265' : '\u2264'} {fmt(o.stop.triggerPrice)}
        {o.stop.limitPrice ? ` \u2192 ${fmt(o.stop.limitPrice)}` : ''}
      </span>
    );
  }
  return <span className="num">{fmt(o.price)}</span>;
}

function OpenOrderRow(props: { o: OrderView }) {
  const api = useApi();
  const coins = useCoins();
  const qc = useQueryClient();
  const fmt = useFormatDecimal();
  const { o } = props;
  const cancel = useMutation({
    mutationFn: () => api.call('orders.cancel', { orderId: o.id }),
    onSuccess: (updated) => {
      qc.setQueryData<OrderView[]>(orderKeys.myOrders(false), (list) => list?.filter((x) => x.id !== updated.id));
      void qc.invalidateQueries({ queryKey: orderKeys.myOrders(true) });
      refreshBalances(qc);
    },
  });
  const cancellable = canTransition(o.state, 'canceled');
  const swapId = o.swapIds[o.swapIds.length - 1];
  return (
    <>
      <tr data-testid={`open-order-row-${o.id}`} data-state={o.state} data-order-id={o.id}>
        <td>
          <When ms={o.createdAt} />
        </td>
        <td>
          {o.base}/{o.quote}
        </td>
        <td>
          <Side side={o.side} />
        </td>
        <td className="muted">
          {o.kind}
          {o.partial.allowed ? ' \u00b7 partial' : ''}
        </td>
        <td className="num">
          <OrderPrice o={o} />
        </td>
        <td className="num">{fmt(o.baseAmount)}</td>
        <td className="num">{fmt(o.filledBase)}</td>
        <td>
          <span className={`badge ${tone(o.state)}`} data-testid={`open-order-state-${o.id}`}>
            {stateWords(o)}
          </span>
        </td>
        <td className="actions-col">
          <button
            type="button"
            className="btn btn-small"
            data-testid={`cancel-order-${o.id}`}
            disabled={!cancellable || cancel.isPending}
            title={cancellable ? 'Cancel this order' : 'A swap is under way: this order can no longer be canceled'}
            onClick={() => cancel.mutate()}
          >
            {cancel.isPending ? 'Canceling\u2026' : 'Cancel'}
          </button>
        </td>
      </tr>
      {cancel.isError ? (
        <tr className="sub-row">
          <td colSpan={9}>
            <span
              className="error-text small"
              role="alert"
              data-testid={`cancel-order-error-${o.id}`}
              data-code={describeError(cancel.error).code}
            >
              {describeError(cancel.error).message}
            </span>
          </td>
        </tr>
      ) : null}
      {swapId ? (
        <tr className="sub-row">
          <td colSpan={9}>
            <SwapProgress swapId={swapId} coins={coins} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function OpenOrders(props: { orders: ReturnType<typeof useMyOpenOrders> }) {
  const q = props.orders;
  return (
    <table className="table compact ttable" data-testid="open-orders">
      <thead>
        <tr>
          <th>Time</th>
          <th>Market</th>
          <th>Side</th>
          <th>Type</th>
          <th className="num">Price</th>
          <th className="num">Amount</th>
          <th className="num">Filled</th>
          <th>State</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {q.isError ? (
          <tr>
            <td colSpan={9}>
              <ErrorNote error={q.error} />
            </td>
          </tr>
        ) : null}
        {q.data?.length === 0 ? (
          <EmptyRow cols={9} testId="open-orders-empty">
            No open orders. Orders you place appear here until they fill or you cancel them.
          </EmptyRow>
        ) : null}
        {q.data?.map((o) => (
          <OpenOrderRow key={o.id} o={o} />
        ))}
      </tbody>
    </table>
  );
}

function useMyOpenOrders() {
  const api = useApi();
  return useQuery(orderQueries(api).mine(false));
}

function Swaps(props: { swaps: ReturnType<typeof useRelevantSwaps> }) {
  const coins = useCoins();
  const { list, query } = props.swaps;
  return (
    <div className="swap-list" data-testid="trade-swaps">
      {query.isError ? <ErrorNote error={query.error} /> : null}
      {query.data && list.length === 0 ? (
        <p className="empty muted" data-testid="trade-swaps-empty">
          No swaps in progress or recently ended. When an order fills, its swap is shown here step by step.
        </p>
      ) : null}
      {list.map((s) => (
        <SwapProgress key={s.swapId} swapId={s.swapId} coins={coins} />
      ))}
      <p className="small muted">
        <a href={href('swaps')}>All swaps</a>
      </p>
    </div>
  );
}

/** Running swaps and recently ended ones (relevant-swaps.ts); the tab counts the running ones. */
function useRelevantSwaps() {
  const api = useApi();
  const query = useQuery(swapQueries(api).list());
  return { query, ...relevantSwaps(query.data ?? [], Date.now()) };
}

function History() {
  const api = useApi();
  const fmt = useFormatDecimal();
  const q = useQuery(orderQueries(api).mine(true));
  return (
    <table className="table compact ttable" data-testid="order-history">
      <thead>
        <tr>
          <th>Time</th>
          <th>Market</th>
          <th>Side</th>
          <th>Type</th>
          <th className="num">Price</th>
          <th className="num">Amount</th>
          <th className="num">Filled</th>
          <th>State</th>
        </tr>
      </thead>
      <tbody>
        {q.isError ? (
          <tr>
            <td colSpan={8}>
              <ErrorNote error={q.error} />
            </td>
          </tr>
        ) : null}
        {q.data?.length === 0 ? (
          <EmptyRow cols={8} testId="order-history-empty">
            No orders yet.
          </EmptyRow>
        ) : null}
        {q.data?.map((o) => (
          <tr key={o.id} data-testid={`order-history-row-${o.id}`} data-state={o.state}>
            <td>
              <When ms={o.updatedAt} />
            </td>
            <td>
              {o.base}/{o.quote}
            </td>
            <td>
              <Side side={o.side} />
            </td>
            <td className="muted">{o.kind}</td>
            <td className="num">
              <OrderPrice o={o} />
            </td>
            <td className="num">{fmt(o.baseAmount)}</td>
            <td className="num">{fmt(o.filledBase)}</td>
            <td>
              <span className={`badge ${tone(o.state)}`} title={o.reason}>
                {stateWords(o)}
              </span>
              {o.reason ? <span className="small muted"> {o.reason}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export const OrdersPanel = memo(function OrdersPanel(props: { market: MarketRef }) {
  const [tab, setTab] = useState<Tab>('open');
  const open = useMyOpenOrders();
  const swaps = useRelevantSwaps();
  const tabsRef = useRef<HTMLDivElement>(null);
  const tabs: Array<{ id: Tab; label: string; count?: number }> = [
    { id: 'open', label: 'Open orders', count: open.data?.length },
    { id: 'swaps', label: 'Swaps', count: swaps.running },
    { id: 'history', label: 'Order history' },
    { id: 'mine', label: 'My trades' },
    { id: 'market', label: `Trades ${props.market.base}/${props.market.quote}` },
  ];
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const at = tabs.findIndex((t) => t.id === tab);
    const next = tabs[(at + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    if (!next) return;
    e.preventDefault();
    setTab(next.id);
    tabsRef.current?.querySelector<HTMLElement>(`[data-tab="${next.id}"]`)?.focus();
  };
  return (
    <section className="tpanel orders" aria-label="Your orders and trades">
      <div className="tpanel-bar tabs" role="tablist" ref={tabsRef} onKeyDown={onKey} data-testid="orders-tabs">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`tabpanel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={tab === t.id ? 'tab active' : 'tab'}
            data-tab={t.id}
            data-testid={`tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {t.count !== undefined ? <span className="count num">{t.count}</span> : null}
          </button>
        ))}
      </div>
      <div className="orders-body" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'open' ? <OpenOrders orders={open} /> : null}
        {tab === 'swaps' ? <Swaps swaps={swaps} /> : null}
        {tab === 'history' ? <History /> : null}
        {tab === 'mine' ? <MyTrades /> : null}
        {tab === 'market' ? <MarketTrades market={props.market} /> : null}
      </div>
    </section>
  );
});
