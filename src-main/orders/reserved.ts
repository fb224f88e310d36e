// What this node's own orders hold back from its wallets: the coins backing its listed orders
// (so one coin never backs two orders) and, per coin, the amount its balance shows as locked
// until a swap takes over. Coins locked in the wallet (coin-locks.ts) are counted by the wallet.
import { fillQuote } from '../../src-shared/orders/order.ts';
import { FUNDING_SOON, fundingSoon } from './coin-locks.ts';
import { LISTING_ALIVE, type OrderRecord } from './records.ts';

/** Outpoints (`txid:vout`) backing this node's orders that can still be taken. */
export function reservedOutpoints(records: Iterable<OrderRecord>): Set<string> {
  const out = new Set<string>();
  for (const r of records) {
    // A fully held order's coins are about to fund its swap: no other order may take them.
    if (r.role !== 'maker' || (!LISTING_ALIVE.includes(r.state) && !fundingSoon(r))) continue;
    for (const u of (r.order?.makerUtxos as string[] | undefined) ?? []) out.add(u);
  }
  return out;
}

/**
 * Coins of `ticker` reserved by open orders (what is still offered: remaining base for a sell,
 * its quote for a buy) and by takes whose fills have no swap yet (what the taker gives).
 */
export function lockedAmount(
  records: Iterable<OrderRecord>,
  ticker: string,
  lockedInWallet: ReadonlySet<string> = new Set(),
): bigint {
  let total = 0n;
  for (const r of records) {
    if (r.kind === 'stop') continue;
    if (r.role === 'maker') {
      // Held fills about to be funded: their coins are free in the wallet but spoken for.
      for (const f of r.fills) {
        if (!FUNDING_SOON.includes(f.state)) continue;
        if (r.side === 'sell' && r.base === ticker) total += f.baseAmount;
        if (r.side === 'buy' && r.quote === ticker) total += f.quoteAmount;
      }
    }
    const backing = (r.order?.makerUtxos as string[] | undefined) ?? [];
    // Coins locked with lockunspent are counted by the wallet itself.
    const frozen = backing.length > 0 && backing.every((u) => lockedInWallet.has(u));
    if (r.role === 'maker' && LISTING_ALIVE.includes(r.state) && r.price && !frozen) {
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
