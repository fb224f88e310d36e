// makeOrder and cancelOrder as the user asks them: a limit order posted by the maker (refused
// when it would cross another maker's best price), a market order swept by the taker, a stop
// order held here until it fires, each previewed first (dryRun stops there). A stop fires once,
// as a limit order at its price or a market order within its cap.
import { ApiError } from '../../src-shared/api/errors.ts';
import type { Result } from '../../src-shared/api/contract.ts';
import { formatAmount, quoteFor } from '../../src-shared/money/index.ts';
import type { Logger } from '../kernel/log.ts';
import { errorText } from '../kernel/log.ts';
import type { CoinPrep } from './coin-prep.ts';
import type { Maker } from './maker.ts';
import type { NetworkBook } from './network-book.ts';
import type { MakeParams, OrderParams, OrderTermsParams } from './params.ts';
import type { OrderPreview } from './preview.ts';
import type { OrderRecord, RecordStore } from './records.ts';
import type { StopOrders } from './stops.ts';
import type { Taking } from './taking.ts';
import { priceText, type OrderViewT } from './views.ts';

type MakeResult = Result<'orders.make'>;

export interface MakingDeps {
  records: RecordStore;
  book: Pick<NetworkBook, 'book'>;
  maker: Pick<Maker, 'place' | 'cancel'>;
  taking: Pick<Taking, 'marketOrder'>;
  stops: Pick<StopOrders, 'hold'>;
  params: OrderParams;
  preview: OrderPreview;
  view: (rec: OrderRecord) => OrderViewT;
  myKey: () => string | null;
  /** Coin preparation, for limit orders made with prepareCoins (docs/orders.md §10). */
  coinPrep?: Pick<CoinPrep, 'exactCoin'>;
}

export interface Making {
  makeOrder(p: MakeParams): Promise<MakeResult>;
  cancelOrder(orderId: string): Promise<OrderViewT>;
}

/** A limit order: refused when it would meet another maker's best price (take that instead). */
async function limit(d: MakingDeps, p: MakeParams, t: OrderTermsParams): Promise<MakeResult> {
  const { market: m, dec, amount, partial } = t;
  if (p.price === undefined) throw new ApiError('INVALID_PARAMS', 'A limit order needs a price.');
  const price = d.params.price(p.price, m, 'price');
  const quoteAmount = d.params.quote(price, amount, m, p.side === 'sell' ? 'up' : 'down');
  d.params.requireSwappable(m, partial.minBase, price);
  const preview = await d.preview.atPrice(m, p.side, amount, quoteAmount, price, partial.allowed);
  if (p.prepareCoins) preview.coinSplit = await splitPreview(d, m, p.side, amount, quoteAmount);
  if (p.dryRun) return { order: null, preview, swapIds: [] };
  d.params.requireWallets(m);
  const book = d.book.book(m)!;
  const other = p.side === 'sell' ? book.bestBid() : book.bestAsk();
  if (other && other.order.maker.pubkey !== d.myKey() && book.crosses(p.side, price)) {
    throw new ApiError(
      'CONFLICT',
      `A ${p.side} at ${p.price} would meet the best ${p.side === 'sell' ? 'bid' : 'ask'} at ${priceText(other.order.price, dec)}: take that order instead (makeOrder kind market, or takeOrder).`,
    );
  }
  const rec = await d.maker.place({
    base: m.base,
    quote: m.quote,
    side: p.side,
    baseAmount: amount,
    quoteAmount,
    partial,
    prepareCoins: p.prepareCoins === true,
  });
  return { order: d.view(rec), preview, swapIds: [] };
}

/** What prepareCoins would split first: null when a free coin of the exact size is there. */
async function splitPreview(
  d: MakingDeps,
  m: { base: string; quote: string },
  side: 'buy' | 'sell',
  amount: bigint,
  quoteAmount: bigint,
): Promise<MakeResult['preview']['coinSplit']> {
  if (!d.coinPrep) throw new ApiError('METHOD_NOT_FOUND', 'This node cannot prepare coins.');
  const [ticker, size] = side === 'sell' ? [m.base, amount] : [m.quote, quoteAmount];
  const { split } = await d.coinPrep.exactCoin(ticker, size, true);
  if (!split) return null;
  const dec = d.params.decimals(m.base, m.quote);
  const td = ticker === m.base ? dec.base : dec.quote;
  return { ticker, amount: formatAmount(size, td), fee: formatAmount(split.plan.fee, td) };
}

/** A market order: the taker sweeps the book within the price cap now. */
async function market(d: MakingDeps, p: MakeParams, t: OrderTermsParams): Promise<MakeResult> {
  const { preview } = await d.preview.sweep(t.market, p.side, t.amount, t.cap);
  if (p.dryRun) return { order: null, preview, swapIds: [] };
  const { rec, swapIds } = await d.taking.marketOrder(t.market, p.side, t.amount, t.cap, null);
  return { order: d.view(rec), preview, swapIds };
}

/** A stop order: held here, its direction judged against the last trade price when it is stored. */
async function stop(d: MakingDeps, p: MakeParams, t: OrderTermsParams): Promise<MakeResult> {
  const { market: m, amount, partial, cap } = t;
  if (p.triggerPrice === undefined) throw new ApiError('INVALID_PARAMS', 'A stop order needs a triggerPrice.');
  const trigger = d.params.price(p.triggerPrice, m, 'triggerPrice');
  const limitPrice = p.price !== undefined ? d.params.price(p.price, m, 'price') : null;
  if (limitPrice) d.params.requireSwappable(m, partial.minBase, limitPrice);
  const preview = limitPrice
    ? await d.preview.atPrice(
        m,
        p.side,
        amount,
        d.params.quote(limitPrice, amount, m, 'down'),
        limitPrice,
        partial.allowed,
      )
    : (await d.preview.sweep(m, p.side, amount, cap)).preview;
  if (p.dryRun) return { order: null, preview, swapIds: [] };
  d.params.requireWallets(m);
  const rec = d.stops.hold({
    market: m,
    side: p.side,
    baseAmount: amount,
    partial,
    trigger,
    limitPrice,
    priceCap: cap,
  });
  return { order: d.view(rec), preview, swapIds: [] };
}

async function makeOrder(d: MakingDeps, p: MakeParams): Promise<MakeResult> {
  // What every kind shares is checked first, in the order a user fixes it; then each kind its way.
  const t = d.params.terms(p);
  if (p.kind === 'limit') return limit(d, p, t);
  if (p.kind === 'market') return market(d, p, t);
  return stop(d, p, t);
}

/** Cancels a stop this node still holds, or a listed order of its own. */
async function cancelOrder(d: MakingDeps, orderId: string): Promise<OrderViewT> {
  const rec = d.records.get(orderId);
  if (rec?.kind === 'stop') {
    if (rec.state !== 'new')
      throw new ApiError('CONFLICT', `The stop order already fired (${rec.state}); cancel the order it became.`);
    return d.view(
      d.records.update(orderId, (r) => {
        r.state = 'canceled';
        r.reason = 'canceled by the user';
      })!,
    );
  }
  return d.view(await d.maker.cancel(orderId));
}

export function createMaking(d: MakingDeps): Making {
  return { makeOrder: (p) => makeOrder(d, p), cancelOrder: (orderId) => cancelOrder(d, orderId) };
}

export interface StopFiringDeps {
  records: RecordStore;
  maker: Pick<Maker, 'place'>;
  taking: Pick<Taking, 'marketOrder'>;
  log: Logger;
}

/** Places the order a stop becomes; from then on the stop's state follows that order (or it is invalid, and why). */
export async function fireStop(d: StopFiringDeps, stopId: string): Promise<void> {
  const rec = d.records.get(stopId)!;
  const s = rec.stop!;
  const m = { base: rec.base, quote: rec.quote };
  d.log.info('stop order fires', { stopId, then: s.then });
  try {
    let child: OrderRecord;
    if (s.then === 'limit') {
      child = await d.maker.place({
        base: m.base,
        quote: m.quote,
        side: rec.side,
        baseAmount: rec.baseAmount,
        quoteAmount: quoteFor(s.limitPrice!, rec.baseAmount, rec.side === 'sell' ? 'up' : 'down'),
        partial: rec.partial,
        parentStop: stopId,
      });
    } else {
      child = (await d.taking.marketOrder(m, rec.side, rec.baseAmount, s.priceCap, stopId)).rec;
    }
    d.records.update(stopId, (r) => {
      r.stop!.childId = child.id;
      r.state = child.state;
    });
  } catch (err) {
    d.records.update(stopId, (r) => {
      r.state = 'invalid';
      r.reason = `the stop order fired but could not be placed: ${errorText(err)}`;
    });
  }
}
