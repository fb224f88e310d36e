// Stop orders held in this node until the market's trades reach their trigger: holding one
// (its direction judged against the last trade price, in the same step as it is stored), and
// judging every trade record that arrives, so each stop fires exactly once; once fired, its
// state follows the order it became.
import { randomBytes } from 'node:crypto';
import { comparePrice, quoteFor, type Price } from '../../src-shared/money/index.ts';
import type { Market, Side } from '../../src-shared/orders/types.ts';
import type { Logger } from '../kernel/log.ts';
import type { OrderRecord, RecordStore } from './records.ts';

export interface StopSpec {
  market: Market;
  side: Side;
  baseAmount: bigint;
  partial: { allowed: boolean; minBase: bigint };
  trigger: Price;
  /** Fires as a limit order at this price; null: as a market order within priceCap. */
  limitPrice: Price | null;
  priceCap: Price | null;
}

export interface StopOrdersDeps {
  store: RecordStore;
  /** The market's last trade price, as the trade history has it now. */
  lastPrice: (market: Market) => Price | null;
  /** Places the order a stop becomes (once: the stop is marked fired before this is called). */
  fire: (stopId: string) => void;
  log: Logger;
  now: () => number;
}

export interface StopOrders {
  /**
   * Holds a stop order. Synchronous on purpose: the last price is read and the stop stored in
   * one step, so no trade record can arrive in between and be judged without it.
   */
  hold(spec: StopSpec): OrderRecord;
  /** A trade record of `market` at `price` arrived: fires the stops it reaches. */
  onTrade(market: Market, price: Price): void;
}

/** 'above' when the trigger is above the last price (a buy with no trade yet too), else 'below'. */
export function stopDirection(trigger: Price, last: Price | null, side: Side): 'above' | 'below' {
  if (!last) return side === 'buy' ? 'above' : 'below';
  return comparePrice(trigger, last) > 0 ? 'above' : 'below';
}

/** Whether a trade at `price` reaches a stop's trigger from its side. */
export function reaches(price: Price, trigger: Price, direction: 'above' | 'below'): boolean {
  const c = comparePrice(price, trigger);
  return direction === 'above' ? c >= 0 : c <= 0;
}

/** A fired stop's state follows the order it became; returns what stops following. */
export function followFiredOrders(records: Pick<RecordStore, 'onChange' | 'get' | 'update'>): () => void {
  return records.onChange((rec) => {
    if (!rec.parentStop) return;
    const parent = records.get(rec.parentStop);
    if (parent && parent.state !== rec.state)
      records.update(parent.id, (p) => {
        p.state = rec.state;
      });
  });
}

export function createStopOrders(d: StopOrdersDeps): StopOrders {
  return {
    hold(spec) {
      const direction = stopDirection(spec.trigger, d.lastPrice(spec.market), spec.side);
      const now = d.now();
      const quoteAmount = spec.limitPrice ? quoteFor(spec.limitPrice, spec.baseAmount, 'down') : 0n;
      const rec: OrderRecord = {
        id: randomBytes(32).toString('hex'),
        kind: 'stop',
        role: spec.limitPrice ? 'maker' : 'taker',
        state: 'new',
        base: spec.market.base,
        quote: spec.market.quote,
        side: spec.side,
        baseAmount: spec.baseAmount,
        quoteAmount,
        price: spec.limitPrice ?? spec.priceCap,
        partial: spec.partial,
        remainingBase: spec.baseAmount,
        order: null,
        serviceNode: null,
        expiresAt: null,
        fills: [],
        acks: [],
        stop: {
          trigger: spec.trigger,
          direction,
          then: spec.limitPrice ? 'limit' : 'market',
          limitPrice: spec.limitPrice,
          priceCap: spec.priceCap,
          childId: null,
          firedAt: null,
        },
        parentStop: null,
        repostOf: null,
        createdAt: now,
        updatedAt: now,
      };
      d.store.put(rec);
      d.log.info('stop order held', { id: rec.id, direction });
      return rec;
    },
    onTrade(market, price) {
      for (const rec of d.store.all()) {
        const s = rec.stop;
        if (
          rec.kind !== 'stop' ||
          rec.state !== 'new' ||
          !s ||
          s.firedAt !== null ||
          rec.base !== market.base ||
          rec.quote !== market.quote
        )
          continue;
        if (!reaches(price, s.trigger, s.direction)) continue;
        // Marked before the order is placed: trades that arrive while it is being placed see it fired.
        d.store.update(rec.id, (r) => {
          r.stop!.firedAt = d.now();
        });
        d.fire(rec.id);
      }
    },
  };
}
