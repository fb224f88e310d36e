// The unconfirmed-backing mark (docs/orders.md §10): whether the coins an order names are
// confirmed, still in the mempool, or gone, as this node's own daemon sees them. Never taken from
// the maker's word: an order carries only outpoints. Book views read the cached mark (and ask for
// a fresh look when it is stale); a take's preview looks it up now.
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { makerSellsTicker } from '../../src-shared/orders/order.ts';
import type { Market, Side } from '../../src-shared/orders/types.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { WalletService } from '../wallets/index.ts';
import { lookupOutput, parseOutpoint } from './chain.ts';

export type Backing = 'confirmed' | 'unconfirmed' | 'missing' | 'unknown';

/** What the mark needs of an order. */
export interface BackedOrder {
  readonly id: string;
  readonly market: Market;
  readonly side: Side;
  readonly makerUtxos: readonly string[];
}

/** The mark of a set of coins from each one's confirmations (null: spent or unknown). */
export function backingOf(confirmations: ReadonlyArray<number | null>): Backing {
  if (confirmations.length === 0) return 'unknown';
  if (confirmations.some((c) => c === null)) return 'missing';
  return confirmations.every((c) => (c ?? 0) >= 1) ? 'confirmed' : 'unconfirmed';
}

export interface BackingWatchDeps {
  coins: CoinTable;
  wallets: Pick<WalletService, 'rpc' | 'isConfigured'>;
  now: () => number;
  log: Logger;
  /** A mark changed: the market's book views should be read again. */
  changed: (m: Market) => void;
  /** A confirmed mark is looked at again after this long; others sooner. */
  confirmedTtlMs?: number;
  pendingTtlMs?: number;
}

export interface BackingWatch {
  /** The cached mark ('unknown' until first looked up); a stale one is refreshed in the background. */
  cached(o: BackedOrder): Backing;
  /** The mark now, from the daemon. */
  check(o: BackedOrder): Promise<Backing>;
}

const MAX_ENTRIES = 20_000;

export function createBackingWatch(d: BackingWatchDeps): BackingWatch {
  const cache = new Map<string, { state: Backing; at: number }>();
  const inFlight = new Set<string>();
  const confirmedTtl = d.confirmedTtlMs ?? 30_000;
  const pendingTtl = d.pendingTtlMs ?? 3_000;

  async function check(o: BackedOrder): Promise<Backing> {
    const ticker = makerSellsTicker({ market: o.market, side: o.side });
    if (!d.wallets.isConfigured(ticker) || o.makerUtxos.length === 0) return 'unknown';
    const rpc = d.wallets.rpc(ticker);
    const coin = d.coins.get(ticker);
    const confs: Array<number | null> = [];
    for (const u of o.makerUtxos) confs.push((await lookupOutput(rpc, coin, parseOutpoint(u)))?.confirmations ?? null);
    const state = backingOf(confs);
    const before = cache.get(o.id)?.state;
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(o.id, { state, at: d.now() });
    if (before !== undefined && before !== state) d.changed(o.market);
    return state;
  }

  function refresh(o: BackedOrder): void {
    if (inFlight.has(o.id)) return;
    inFlight.add(o.id);
    check(o)
      .catch((err: unknown) => d.log.info('could not look up backing coins', { orderId: o.id, error: errorText(err) }))
      .finally(() => inFlight.delete(o.id));
  }

  return {
    cached(o) {
      const c = cache.get(o.id);
      const ttl = c?.state === 'confirmed' ? confirmedTtl : pendingTtl;
      if (!c || d.now() - c.at >= ttl) refresh(o);
      if (!c) {
        // The first look: tell the views once it is known.
        cache.set(o.id, { state: 'unknown', at: d.now() });
      }
      return c?.state ?? 'unknown';
    },
    check,
  };
}
