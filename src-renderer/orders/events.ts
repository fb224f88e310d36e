// Order events → the orders' cache, batched. A busy market pushes many events a second: they
// are collected and applied once per frame (api/events.ts). Orders are written in place, the
// market list gets each trade's price at once, books and the market list are refetched at most
// every so often, and never while their previous fetch is still running.
import type { Result } from '../../src-shared/api/contract.ts';
import { isTerminal } from '../../src-shared/orders/state.ts';
import { recentIds, type FeatureEventsFactory } from '../api/events.ts';
import { marketId, type MarketRef } from './market.ts';
import { orderKeys } from './queries.ts';

type OrderView = Result<'orders.get'>;
type TradeView = Result<'history.fills'>[number];
type Markets = Result<'orders.markets'>;

/** The list with this order replaced in place or inserted newest first; with activeOnly, finished orders leave it. */
export function upsertOrder(list: readonly OrderView[], order: OrderView, activeOnly: boolean): OrderView[] {
  const drop = activeOnly && isTerminal(order.state);
  const at = list.findIndex((o) => o.id === order.id);
  if (at >= 0) return drop ? list.filter((_, i) => i !== at) : list.map((o, i) => (i === at ? order : o));
  if (drop) return list as OrderView[];
  const before = list.findIndex((o) => o.createdAt < order.createdAt);
  return before < 0 ? [...list, order] : [...list.slice(0, before), order, ...list.slice(before)];
}

export interface OrdersEventsOptions {
  /** Least time between two refetches of one market's book. */
  bookIntervalMs?: number;
  /** Least time between two refetches of the market list. */
  marketsIntervalMs?: number;
}

const SEEN_TRADES = 5000;

export function createOrdersEvents(opts: OrdersEventsOptions = {}): FeatureEventsFactory {
  const bookInterval = opts.bookIntervalMs ?? 200;
  const marketsInterval = opts.marketsIntervalMs ?? 3000;

  return ({ qc, requestFlush, refetchThrottled }) => {
    const orders = new Map<string, OrderView>();
    const dirtyBooks = new Map<string, MarketRef>();
    /** Per market, the latest trade of this frame: the market list's last price. */
    const lastTrades = new Map<string, TradeView>();
    const seenTrades = recentIds(SEEN_TRADES);
    let marketsDirty = false;

    const markBook = (m: MarketRef) => dirtyBooks.set(marketId(m), { base: m.base, quote: m.quote });

    function applyOrders(): void {
      for (const o of orders.values()) {
        qc.setQueryData<OrderView>(orderKeys.one(o.id), (old) => (old ? o : old));
        if (!o.mine) continue;
        qc.setQueryData<OrderView[]>(orderKeys.myOrders(false), (list) => (list ? upsertOrder(list, o, true) : list));
        qc.setQueryData<OrderView[]>(orderKeys.myOrders(true), (list) => (list ? upsertOrder(list, o, false) : list));
      }
      orders.clear();
    }

    function applyLastPrices(): void {
      for (const t of lastTrades.values()) {
        qc.setQueryData<Markets>(orderKeys.markets, (ms) =>
          ms?.map((m) => (m.base === t.base && m.quote === t.quote ? { ...m, last: t.price } : m)),
        );
      }
      lastTrades.clear();
    }

    return {
      on: {
        'orders.updated': (o) => {
          orders.set(o.id, o);
          markBook(o);
          requestFlush();
        },
        'orders.bookChanged': (m) => {
          markBook(m);
          marketsDirty = true;
          requestFlush();
        },
        'history.trade': (t) => {
          if (!seenTrades.firstTime(t.id)) return;
          const id = marketId(t);
          const before = lastTrades.get(id);
          if (!before || t.time >= before.time) lastTrades.set(id, t);
          requestFlush();
        },
        // Which markets are tradable follows the connected wallets.
        'wallets.changed': () => {
          void qc.invalidateQueries({ queryKey: orderKeys.markets });
        },
        'vault.state': ({ state }) => {
          if (state === 'unlocked') return;
          qc.removeQueries({ queryKey: orderKeys.mine });
          qc.removeQueries({ queryKey: orderKeys.single });
        },
      },
      flush() {
        applyOrders();
        applyLastPrices();
        for (const [id, m] of dirtyBooks) {
          if (refetchThrottled(orderKeys.book(m.base, m.quote), bookInterval)) dirtyBooks.delete(id);
        }
        if (marketsDirty && refetchThrottled(orderKeys.markets, marketsInterval)) marketsDirty = false;
        return dirtyBooks.size > 0 || marketsDirty;
      },
    };
  };
}

export const ordersEvents = createOrdersEvents();
