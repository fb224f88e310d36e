// What this node's own orders hold back from its wallets: the coins backing its listed orders
// (so one coin never backs two orders) and, per coin, the amount its balance shows as locked
// until a swap takes over.
import { fillQuote } from '../../src-shared/orders/order.ts';
import { LISTING_ALIVE, type OrderRecord } from './records.ts';

/** Outpoints (`txid:vout`) backing this node's orders that can still be taken. */
export function reservedOutpoints(records: Iterable<OrderRecord>): Set<string> {
  const out = new Set<string>();
  for (const r of records) {
    if (r.role !== 'maker' || !LISTING_ALIVE.includes(r.state)) continue;
    for (const u of (r.order?.makerUtxos as string[] | undefined) ?? []) out.add(u);
  }
  return out;
}

/**
 * Coins of `ticker` reserved by open orders (what is still offered: remaining base for a sell,
 * its quote for a buy) and by takes whose fills have no swap yet (what the taker gives).
 */
export function lockedAmount(records: Iterable<OrderRecord>, ticker: string): bigint {
  let total = 0n;
  for (const r of records) {
    if (r.kind === 'stop') continue;
    if (r.role === 'maker' && LISTING_ALIVE.includes(r.state) && r.price) {
      if (r.side === 'sell' && r.base === ticker) total += r.remainingBase;
      if (r.side === 'buy' && r.quote === ticker) total += fillQuote(r.price, r.remainingBase, 'buy');
    }
    if (r.role === 'taker') {
      for (const f of r.fills) {
        if (f.state !== 'accepting' && f.state !== 'hold') continue;
        const gives = f.makerSide === 'sell' ? r.quote : r.base;
        if (gives === ticker) total += f.makerSide === 'sell' ? f.quoteAmount : f.baseAmount;
      }
    }
  }
  return total;
}
