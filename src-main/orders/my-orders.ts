// The user's view of this node's own orders: a record as the API shows it (amounts and prices
// as decimal strings, what is filled, why it ended), a fired stop order shown as the order it
// became, and the list of them newest first.
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { formatAmount } from '../../src-shared/money/index.ts';
import { isTerminal } from '../../src-shared/orders/state.ts';
import type { P2pHost } from '../p2p/index.ts';
import type { BackedOrder, Backing } from './backing.ts';
import { heldFills, LISTING_ALIVE, type OrderRecord, type RecordStore } from './records.ts';
import { priceText, type Decimals, type OrderViewT } from './views.ts';

export interface MyOrdersDeps {
  records: Pick<RecordStore, 'get' | 'all'>;
  coins: CoinTable;
  p2p: Pick<P2pHost, 'peerId'>;
  /** The unconfirmed-backing mark of a listed order (docs/orders.md §10). */
  backing?: (o: BackedOrder) => Backing;
}

export interface MyOrders {
  view(rec: OrderRecord): OrderViewT;
  /** Newest first; `includeClosed` adds the orders that ended. */
  list(includeClosed: boolean): OrderViewT[];
}

/** Base filled so far: by the fills a service node held (a take on its way is not a fill yet). */
export function filledOf(rec: OrderRecord): bigint {
  return heldFills(rec.fills).reduce((a, f) => a + f.baseAmount, 0n);
}

function stopView(rec: OrderRecord, dec: Decimals): NonNullable<OrderViewT['stop']> {
  const s = rec.stop!;
  return {
    triggerPrice: priceText(s.trigger, dec),
    direction: s.direction,
    then: s.then,
    ...(s.limitPrice ? { limitPrice: priceText(s.limitPrice, dec) } : {}),
  };
}

/** One record as the API shows it; `makerPeerId` is ours for a maker's order, else the first fill's maker. */
export function recordView(rec: OrderRecord, dec: Decimals, ourPeerId: string): OrderViewT {
  const filled = filledOf(rec);
  const fillsQuote = heldFills(rec.fills).reduce((a, f) => a + f.quoteAmount, 0n);
  const shownPrice = rec.kind === 'market' && filled > 0n ? { num: fillsQuote, den: filled } : rec.price;
  const view: OrderViewT = {
    id: rec.id,
    base: rec.base,
    quote: rec.quote,
    side: rec.side,
    kind: rec.kind,
    state: rec.state,
    price: priceText(shownPrice && shownPrice.num > 0n ? shownPrice : null, dec),
    baseAmount: formatAmount(rec.baseAmount, dec.base),
    quoteAmount: formatAmount(rec.kind === 'market' ? fillsQuote : rec.quoteAmount, dec.quote),
    filledBase: formatAmount(filled, dec.base),
    remainingBase: formatAmount(rec.role === 'maker' ? rec.remainingBase : rec.baseAmount - filled, dec.base),
    partial: { allowed: rec.partial.allowed, minBase: formatAmount(rec.partial.minBase, dec.base) },
    mine: true,
    makerPeerId: rec.role === 'maker' ? ourPeerId : (rec.fills[0]?.counterparty ?? ''),
    swapIds: rec.fills.flatMap((f) => (f.holdId ? [f.holdId] : [])),
    createdAt: rec.createdAt,
    updatedAt: rec.updatedAt,
  };
  if (rec.serviceNode) view.serviceNode = rec.serviceNode;
  if (rec.expiresAt !== null) view.expiresAt = rec.expiresAt;
  const reason = rec.reason ?? [...rec.fills].reverse().find((f) => f.reason)?.reason;
  if (reason) view.reason = reason;
  if (rec.stop) view.stop = stopView(rec, dec);
  return view;
}

export function createMyOrders(d: MyOrdersDeps): MyOrders {
  const decimals = (rec: OrderRecord): Decimals => ({
    base: d.coins.decimals(rec.base),
    quote: d.coins.decimals(rec.quote),
  });
  function view(rec: OrderRecord): OrderViewT {
    if (rec.kind === 'stop' && rec.stop?.childId) {
      const child = d.records.get(rec.stop.childId);
      if (child)
        return {
          ...view(child),
          id: rec.id,
          kind: 'stop',
          stop: stopView(rec, decimals(rec)),
          createdAt: rec.createdAt,
        };
    }
    const shown = recordView(rec, decimals(rec), d.p2p.peerId);
    const utxos = (rec.order?.makerUtxos as string[] | undefined) ?? [];
    if (d.backing && rec.role === 'maker' && LISTING_ALIVE.includes(rec.state) && utxos.length > 0)
      shown.backing = d.backing({
        id: rec.id,
        market: { base: rec.base, quote: rec.quote },
        side: rec.side,
        makerUtxos: utxos,
      });
    return shown;
  }
  return {
    view,
    list(includeClosed) {
      return d.records
        .all()
        .filter((r) => includeClosed || !isTerminal(r.state))
        .sort((a, b) => b.createdAt - a.createdAt)
        .map(view);
    },
  };
}
