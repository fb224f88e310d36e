// A micro-benchmark of the order book for a bench runner to call: ops/sec of add, best price,
// remove, depth and sweep on a book of n orders. The orders are synthetic (unsigned): the book
// never checks signatures, validation happens before it.
import { priceOf } from '../money/price.ts';
import { OrderBook } from './book.ts';
import type { Order, Side } from './types.ts';

export interface OrderBookBenchmark {
  readonly n: number;
  readonly addPerSec: number;
  readonly bestPerSec: number;
  readonly removePerSec: number;
  readonly depthPerSec: number;
  readonly sweepPerSec: number;
}

/** A deterministic pseudo-random generator (mulberry32), so runs are comparable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An order with the given shape and placeholder keys and signatures. */
export function syntheticOrder(
  i: number,
  side: Side,
  baseAmount: bigint,
  quoteAmount: bigint,
  createdAt: number,
  minBase: bigint = baseAmount,
): Order {
  const id = i.toString(16).padStart(64, '0');
  return {
    id,
    market: { base: 'DEVA', quote: 'DEVB' },
    side,
    baseAmount,
    quoteAmount,
    price: priceOf(baseAmount, quoteAmount),
    partial: { allowed: minBase < baseAmount, minBase },
    maker: {
      peerId: '12D3KooWSynthetic',
      pubkey: `02${(i % 97).toString(16).padStart(64, '0')}`,
      addresses: { payout: 'x', refund: 'y' },
    },
    makerUtxos: [`${id}:0`],
    createdAt,
    expiresAt: createdAt + 3_600_000,
    nonce: '00'.repeat(16),
    makerSig: '',
    serviceNode: { pubkey: '', signedAt: createdAt, sig: '' },
  };
}

function rate(ops: number, ms: number): number {
  return ms > 0 ? Math.round((ops * 1000) / ms) : Number.POSITIVE_INFINITY;
}

/**
 * Times each book operation on `n` random orders (half bids, half asks, prices spread ±20%).
 * `clock` returns milliseconds; it defaults to performance.now, the only clock in this module.
 */
export function benchmarkOrderBook(
  n: number,
  options: { clock?: () => number; seed?: number } = {},
): OrderBookBenchmark {
  const clock = options.clock ?? (() => performance.now());
  const random = seededRandom(options.seed ?? 1);
  const t0 = 1_700_000_000_000;
  const orders: Order[] = [];
  for (let i = 0; i < n; i++) {
    const side: Side = i % 2 === 0 ? 'sell' : 'buy';
    const base = 10_000_000n + BigInt(Math.floor(random() * 90_000_000));
    const perCoin = BigInt(Math.floor((side === 'sell' ? 25_000_000 : 20_000_000) + random() * 5_000_000));
    orders.push(syntheticOrder(i + 1, side, base, (base * perCoin) / 100_000_000n, t0 + i, base / 10n));
  }
  const book = new OrderBook({ base: 'DEVA', quote: 'DEVB' });

  let start = clock();
  for (const o of orders) book.add(o, t0);
  const addMs = clock() - start;

  const bestOps = Math.max(1000, n);
  start = clock();
  let sink = 0;
  for (let i = 0; i < bestOps; i++) sink += book.bestAsk() ? 1 : 0;
  const bestMs = clock() - start;

  const depthOps = 100;
  start = clock();
  for (let i = 0; i < depthOps; i++) sink += book.depth(i % 2 === 0 ? 'sell' : 'buy', 50).length;
  const depthMs = clock() - start;

  const sweepOps = 1000;
  start = clock();
  for (let i = 0; i < sweepOps; i++) sink += book.sweep(i % 2 === 0 ? 'buy' : 'sell', 500_000_000n, null).fills.length;
  const sweepMs = clock() - start;

  start = clock();
  for (const o of orders) book.remove(o.id);
  const removeMs = clock() - start;
  if (sink < 0 || book.size !== 0) throw new Error('benchmark book is inconsistent');

  return {
    n,
    addPerSec: rate(n, addMs),
    bestPerSec: rate(bestOps, bestMs),
    removePerSec: rate(n, removeMs),
    depthPerSec: rate(depthOps, depthMs),
    sweepPerSec: rate(sweepOps, sweepMs),
  };
}
