// What to tell the user when one of their orders or swaps changes: derived from the pushed
// order.updated / swap.updated payloads and the state seen before, as plain words. Pure, so the
// wording and the transitions that deserve a notification are tested without a browser.
import type { EventPayload } from '../../src-shared/api/contract.ts';
import { compareDecimal, decimalUnits } from '../format/decimal.ts';

export type OrderView = EventPayload<'orders.updated'>;
export type SwapSummary = EventPayload<'swaps.updated'>;

export type NoticeKind = 'fill' | 'completed' | 'refund' | 'failure' | 'payment';

export interface Notice {
  /** Same transition, same key: a repeated event never notifies twice. */
  key: string;
  kind: NoticeKind;
  title: string;
  body: string;
  /** Hash route with the details, e.g. "#/swaps/abc". */
  link: string | null;
}

export interface OrderSnapshot {
  state: OrderView['state'];
  filledBase: string;
}
export interface SwapSnapshot {
  state: SwapSummary['state'];
}

/** Formats a decimal string for display (the user's number format). */
export type Fmt = (decimal: string) => string;

const plain: Fmt = (d) => d;

function leg(l: { ticker: string; amount: string }, fmt: Fmt): string {
  return `${fmt(l.amount)} ${l.ticker}`;
}

function reasonText(reason: string | undefined | null): string {
  if (!reason) return '';
  const t = reason.trim();
  return t ? ` ${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}` : '';
}

export function orderNotice(prev: OrderSnapshot | undefined, next: OrderView, fmt: Fmt = plain): Notice | null {
  if (!next.mine) return null;
  const market = `${next.base}/${next.quote}`;
  const filledBefore = prev?.filledBase ?? '0';
  if (compareDecimal(next.filledBase, filledBefore) > 0) {
    const done = decimalUnits(next.remainingBase) === 0n;
    // Only a limit order's rest waits on the book; what a market order could not fill is not posted.
    const listed = next.kind === 'limit' || (next.kind === 'stop' && next.stop?.then === 'limit');
    const verb = next.side === 'sell' ? 'Sold' : 'Bought';
    // Keyed by the fill's swap where there is one: a stop order and the order it fired as report the same fill.
    const swap = next.swapIds[next.swapIds.length - 1];
    return {
      key: swap ? `fill:${swap}` : `order:${next.id}:filled:${next.filledBase}`,
      kind: 'fill',
      title: done ? `Order filled \u00b7 ${market}` : `Order partly filled \u00b7 ${market}`,
      body:
        `${verb} ${fmt(next.filledBase)} of ${fmt(next.baseAmount)} ${next.base} at ${fmt(next.price)} ${next.quote}.` +
        (done || !listed ? '' : ` ${fmt(next.remainingBase)} ${next.base} stays on the book.`) +
        (next.swapIds.length > 0 ? ' The swap is under way.' : ''),
      link:
        next.swapIds.length > 0 ? `#/swaps/${encodeURIComponent(next.swapIds[next.swapIds.length - 1] ?? '')}` : null,
    };
  }
  // A rolled-back order's swap says it all ("Swap stopped", "Refund complete"): one notice per event, not two.
  if (
    (next.state === 'invalid' || (next.state === 'rolledback' && next.swapIds.length === 0)) &&
    prev?.state !== next.state
  ) {
    return {
      key: `order:${next.id}:${next.state}`,
      kind: 'failure',
      title: next.state === 'rolledback' ? `Trade rolled back \u00b7 ${market}` : `Order stopped \u00b7 ${market}`,
      body:
        (next.state === 'rolledback'
          ? `The swap for your ${next.side} order of ${fmt(next.baseAmount)} ${next.base} did not finish; locked coins come back by refund.`
          : `Your ${next.side} order of ${fmt(next.baseAmount)} ${next.base} at ${fmt(next.price)} ${next.quote} is no longer valid.`) +
        reasonText(next.reason),
      link: '#/trade',
    };
  }
  return null;
}

export function swapNotice(prev: SwapSnapshot | undefined, next: SwapSummary, fmt: Fmt = plain): Notice | null {
  if (prev?.state === next.state) return null;
  const link = `#/swaps/${encodeURIComponent(next.swapId)}`;
  const key = `swap:${next.swapId}:${next.state}`;
  const why = reasonText(next.reason?.message);
  switch (next.state) {
    case 'completed':
      return {
        key,
        kind: 'completed',
        title: 'Swap completed',
        body: `You received ${leg(next.buy, fmt)} for ${leg(next.sell, fmt)}.`,
        link,
      };
    case 'refunding':
      return {
        key,
        kind: 'refund',
        title: 'Swap stopped \u00b7 refund under way',
        body: `The swap for ${leg(next.buy, fmt)} will not finish.${why} Your ${leg(next.sell, fmt)} comes back to your wallet by itself once its lock time ends; there is nothing you need to do.`,
        link,
      };
    case 'refunded':
      return {
        key,
        kind: 'refund',
        title: 'Refund complete',
        body: `Your ${leg(next.sell, fmt)} is back in your wallet. The swap for ${leg(next.buy, fmt)} did not happen.${why}`,
        link,
      };
    case 'failedBeforeFunding':
      return {
        key,
        kind: 'failure',
        title: 'Swap did not start',
        body: `Nothing was locked and your coins did not move.${why}`,
        link,
      };
    case 'lost':
      return {
        key,
        kind: 'failure',
        title: 'Swap failed',
        body: `The swap for ${leg(next.buy, fmt)} ended without a claim or refund from this node.${why} Open the swap for details.`,
        link,
      };
    default:
      return null;
  }
}

/**
 * Remembers the last state of each order and swap and which notices were shown, so a pushed
 * event yields a notice only for a real transition, once.
 */
export class NoticeTracker {
  readonly #orders = new Map<string, OrderSnapshot>();
  readonly #swaps = new Map<string, SwapSnapshot>();
  readonly #shown = new Set<string>();

  /** Record states the user has already seen (e.g. from the cache) without notifying. */
  seedOrder(o: Pick<OrderView, 'id' | 'state' | 'filledBase'>): void {
    if (!this.#orders.has(o.id)) this.#orders.set(o.id, { state: o.state, filledBase: o.filledBase });
  }

  seedSwap(s: Pick<SwapSummary, 'swapId' | 'state'>): void {
    if (!this.#swaps.has(s.swapId)) this.#swaps.set(s.swapId, { state: s.state });
  }

  order(next: OrderView, fmt?: Fmt): Notice | null {
    const notice = orderNotice(this.#orders.get(next.id), next, fmt);
    this.#orders.set(next.id, { state: next.state, filledBase: next.filledBase });
    return this.#once(notice);
  }

  swap(next: SwapSummary, fmt?: Fmt): Notice | null {
    const notice = swapNotice(this.#swaps.get(next.swapId), next, fmt);
    this.#swaps.set(next.swapId, { state: next.state });
    return this.#once(notice);
  }

  #once(n: Notice | null): Notice | null {
    if (!n || this.#shown.has(n.key)) return null;
    this.#shown.add(n.key);
    return n;
  }
}
