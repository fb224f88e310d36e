// Taking orders as this node's user asked: one listed order (takeOrder), or a market order that
// sweeps the book within a price cap. Each planned fill is taken in turn (Taker.takeFill); one
// that fails is recorded and the rest still go. The taker's record holds every fill.
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { Result } from '../../src-shared/api/contract.ts';
import { formatAmount, type Price } from '../../src-shared/money/index.ts';
import { isValidFill } from '../../src-shared/orders/order.ts';
import type { Market, Order, Side } from '../../src-shared/orders/types.ts';
import type { Logger } from '../kernel/log.ts';
import { errorText } from '../kernel/log.ts';
import type { Backing } from './backing.ts';
import type { NetworkBook } from './network-book.ts';
import type { OrderParams } from './params.ts';
import type { OrderPreview } from './preview.ts';
import { heldFills, type OrderRecord, type RecordStore } from './records.ts';
import { settle } from './fill-tracking.ts';
import type { Taker } from './taker.ts';
import type { OrderViewT } from './views.ts';

type MakeResult = Result<'orders.make'>;
type TakeParams = { orderId: string; amount?: string; dryRun?: boolean };

export interface TakingDeps {
  records: RecordStore;
  book: Pick<NetworkBook, 'book' | 'find'>;
  taker: Pick<Taker, 'takeFill'>;
  params: OrderParams;
  preview: Pick<OrderPreview, 'take'>;
  view: (rec: OrderRecord) => OrderViewT;
  /** A fill's swap may have moved before its hold id was known (FillTracking.catchUp). */
  catchUp: (swapId: string) => void;
  myKey: () => string | null;
  /** True once the service stopped: fills not yet taken are left. */
  stopped: () => boolean;
  /**
   * The order's backing coins as this node's daemon sees them now: an order whose coins are spent
   * is not taken (its swap could never be funded; a hostile service node may still have signed it).
   */
  backing?: (o: Order) => Promise<Backing>;
  log: Logger;
  now: () => number;
}

export interface Taking {
  /** Sweeps the book for `amount` within `cap`; `parentStop` when a stop order fired it. */
  marketOrder(
    m: Market,
    side: Side,
    amount: bigint,
    cap: Price | null,
    parentStop: string | null,
  ): Promise<{ rec: OrderRecord; swapIds: string[] }>;
  takeOrder(p: TakeParams): Promise<MakeResult>;
}

const sideOpposite = (s: Side): Side => (s === 'buy' ? 'sell' : 'buy');
/** Errors that fail a whole take when no fill got through: nothing would go better for the next order. */
const STOPS_THE_TAKE = ['VAULT_LOCKED', 'INSUFFICIENT_FUNDS', 'WALLET_NOT_CONFIGURED'];
const SPENT_BACKING =
  "the order's backing coins are spent, as this node's daemon sees them: its maker could not fund the swap, so it was not taken and no fee was paid";

/** A taker's record before its first fill: a market order for `baseAmount`, `cap` its price cap. */
export function newTakerRecord(
  m: Market,
  side: Side,
  baseAmount: bigint,
  cap: Price | null,
  parentStop: string | null,
  now: number,
): OrderRecord {
  return {
    id: randomBytes(32).toString('hex'),
    kind: 'market',
    role: 'taker',
    state: 'accepting',
    base: m.base,
    quote: m.quote,
    side,
    baseAmount,
    quoteAmount: 0n,
    price: cap,
    partial: { allowed: true, minBase: 1n },
    remainingBase: baseAmount,
    order: null,
    serviceNode: null,
    expiresAt: null,
    fills: [],
    acks: [],
    stop: null,
    parentStop,
    repostOf: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** Why (part of) a take did not go through, as the user will read it. */
const note = (d: TakingDeps, recId: string, reason: string) =>
  d.records.update(recId, (r) => {
    r.reason = reason;
  });

/** Takes each planned fill in turn; a fill that fails is recorded and the rest still go. */
async function runFills(
  d: TakingDeps,
  recId: string,
  fills: ReadonlyArray<{ orderId: string; baseAmount: bigint }>,
): Promise<string[]> {
  const swapIds: string[] = [];
  for (const f of fills) {
    if (d.stopped()) break;
    const entry = d.book.find(f.orderId);
    if (!entry || !isValidFill(entry.order.partial, entry.remainingBase, f.baseAmount)) {
      note(d, recId, 'an order of the plan was taken by someone else first');
      continue;
    }
    // A failed look-up is no refusal: only coins seen spent stop the fill.
    if ((await d.backing?.(entry.order).catch(() => 'unknown')) === 'missing') {
      note(d, recId, SPENT_BACKING);
      continue;
    }
    try {
      const holdId = await d.taker.takeFill(recId, entry.order, f.baseAmount);
      if (holdId) {
        swapIds.push(holdId);
        d.catchUp(holdId);
      }
    } catch (err) {
      d.log.warn('a fill could not be taken', { orderId: f.orderId, error: errorText(err) });
      note(d, recId, errorText(err));
      if (err instanceof ApiError && STOPS_THE_TAKE.includes(err.code) && swapIds.length === 0) {
        d.records.update(recId, (r) => {
          r.state = 'canceled';
        });
        throw err;
      }
    }
  }
  d.records.update(recId, (r) => {
    r.quoteAmount = heldFills(r.fills).reduce((a, x) => a + x.quoteAmount, 0n);
    settle(r);
    if (r.fills.length === 0) r.state = 'canceled';
  });
  return swapIds;
}

/** A new taker's record, stored before its first fill is taken. */
function openTake(
  d: TakingDeps,
  m: Market,
  side: Side,
  amount: bigint,
  cap: Price | null,
  parentStop: string | null,
): OrderRecord {
  const rec = newTakerRecord(m, side, amount, cap, parentStop, d.now());
  d.records.put(rec);
  return rec;
}

async function marketOrder(
  d: TakingDeps,
  m: Market,
  side: Side,
  amount: bigint,
  cap: Price | null,
  parentStop: string | null,
): Promise<{ rec: OrderRecord; swapIds: string[] }> {
  d.params.requireWallets(m);
  const plan = d.book.book(m)!.sweep(side, amount, cap, { excludeMaker: d.myKey() ?? undefined });
  if (plan.fills.length === 0)
    throw new ApiError(
      'NOT_FOUND',
      `No order on the ${m.base}/${m.quote} book can fill this${cap ? ' within the price cap' : ''}.`,
    );
  const rec = openTake(d, m, side, amount, cap, parentStop);
  const swapIds = await runFills(d, rec.id, plan.fills);
  return { rec: d.records.get(rec.id)!, swapIds };
}

async function takeOrder(d: TakingDeps, p: TakeParams): Promise<MakeResult> {
  const entry = d.book.find(p.orderId);
  if (!entry)
    throw new ApiError('NOT_FOUND', `No order ${p.orderId} is listed (it may have been taken, canceled or expired).`);
  const o = entry.order;
  const m = d.params.market(o.market.base, o.market.quote);
  const dec = d.params.decimals(m.base, m.quote);
  if (o.maker.pubkey === d.myKey()) throw new ApiError('CONFLICT', 'That is an order of this node: cancel it instead.');
  const amount = p.amount !== undefined ? d.params.amount(p.amount, m.base, 'amount') : entry.remainingBase;
  if (!isValidFill(o.partial, entry.remainingBase, amount)) {
    throw new ApiError(
      'INVALID_PARAMS',
      o.partial.allowed
        ? `Take all ${formatAmount(entry.remainingBase, dec.base)} ${m.base}, or between ${formatAmount(o.partial.minBase, dec.base)} and ${formatAmount(entry.remainingBase - o.partial.minBase, dec.base)}.`
        : `This order is taken whole: ${formatAmount(entry.remainingBase, dec.base)} ${m.base}.`,
    );
  }
  const preview = await d.preview.take(entry, amount);
  if (p.dryRun) return { order: null, preview, swapIds: [] };
  d.params.requireWallets(m);
  const rec = openTake(d, m, sideOpposite(o.side), amount, o.price, null);
  const swapIds = await runFills(d, rec.id, [{ orderId: o.id, baseAmount: amount }]);
  const after = d.records.get(rec.id)!;
  if (swapIds.length === 0)
    throw new ApiError('PEER_REFUSED', `The order could not be taken: ${d.view(after).reason ?? 'refused'}`, {
      order: d.view(after),
    });
  return { order: d.view(after), preview, swapIds };
}

export function createTaking(d: TakingDeps): Taking {
  return {
    marketOrder: (m, side, amount, cap, parentStop) => marketOrder(d, m, side, amount, cap, parentStop),
    takeOrder: (p) => takeOrder(d, p),
  };
}
