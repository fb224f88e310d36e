// The coins backing this node's open orders, locked in their wallets (lockunspent) so that no
// other payment (a fee, another swap's funding, the user) spends them while a taker may come.
// A fill being swapped frees its order's coins, since its funding spends them; the locks are
// reconciled with the records after every change, on a timer and at start (docs/orders.md §4).
import { z } from 'zod';
import { makerSellsTicker } from '../../src-shared/orders/order.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { WalletService } from '../wallets/index.ts';
import { parseOutpoint } from './chain.ts';
import { LISTING_ALIVE, type OrderRecord } from './records.ts';

/** Fill states in which the swap is about to fund from the order's coins. */
export const FUNDING_SOON: readonly string[] = ['hold', 'initialized'];

/** The order's coins are about to fund one of its fills: neither locked nor free for another order. */
export const fundingSoon = (r: OrderRecord): boolean => r.fills.some((f) => FUNDING_SOON.includes(f.state));

/** Outpoints to keep locked, by ticker: the backing coins of open orders none of whose fills is funding. */
export function backingCoins(records: Iterable<OrderRecord>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of records) {
    if (r.role !== 'maker' || r.kind === 'stop' || !LISTING_ALIVE.includes(r.state) || fundingSoon(r)) continue;
    const ticker = makerSellsTicker({ market: { base: r.base, quote: r.quote }, side: r.side });
    const set = out.get(ticker) ?? new Set<string>();
    for (const u of (r.order?.makerUtxos as string[] | undefined) ?? []) set.add(u);
    out.set(ticker, set);
  }
  return out;
}

export interface CoinLocksDeps {
  wallets: Pick<WalletService, 'rpc' | 'isConfigured'>;
  records: { all(): Iterable<OrderRecord> };
  /** The coins orders can be backed by. */
  tickers: readonly string[];
  log: Logger;
}

export interface CoinLocks {
  /** Locks what open orders need and unlocks what this node locked for orders that ended. */
  reconcile(): Promise<void>;
  /** At start: every lock that backs no open order is released (a fee payment in flight died with the process). */
  reconcileAtStart(): Promise<void>;
  /** Outpoints this node holds locked for orders, by ticker. */
  locked(ticker: string): ReadonlySet<string>;
}

const asInputs = (set: Iterable<string>) => [...set].map((u) => parseOutpoint(u));
const Locked = z.array(z.object({ txid: z.string(), vout: z.number().int() }).loose()).max(100_000);

export function createCoinLocks(d: CoinLocksDeps): CoinLocks {
  const ours = new Map<string, Set<string>>();
  let running: Promise<void> = Promise.resolve();
  // Many record changes in a row need one reconcile after the last, not one each.
  let queued: { all: boolean; done: Promise<void> } | null = null;

  async function apply(ticker: string, want: ReadonlySet<string>, all: boolean): Promise<void> {
    const rpc = d.wallets.rpc(ticker);
    const listed = await rpc.callAs(Locked, 'listlockunspent', []);
    const lockedNow = new Set(listed.map((o) => `${o.txid}:${o.vout}`));
    const mine = ours.get(ticker) ?? new Set<string>();
    const toLock = [...want].filter((u) => !lockedNow.has(u));
    const toUnlock = [...(all ? lockedNow : mine)].filter((u) => !want.has(u) && lockedNow.has(u));
    // A coin already spent cannot be locked; the order it backs is refused by the next check.
    for (const u of toLock)
      await rpc
        .call('lockunspent', [false, asInputs([u])])
        .catch((err: unknown) =>
          d.log.info('a backing coin could not be locked', { ticker, outpoint: u, error: errorText(err) }),
        );
    if (toUnlock.length > 0) await rpc.call('lockunspent', [true, asInputs(toUnlock)]);
    ours.set(ticker, new Set(want));
  }

  function run(all: boolean): Promise<void> {
    if (queued && (queued.all || !all)) return queued.done;
    const mine = { all, done: Promise.resolve() };
    queued = mine;
    const next = running.then(async () => {
      if (queued === mine) queued = null;
      const want = backingCoins(d.records.all());
      for (const t of d.tickers) {
        if (!d.wallets.isConfigured(t)) continue;
        try {
          await apply(t, want.get(t) ?? new Set(), all);
        } catch (err) {
          d.log.warn('could not reconcile the locks of backing coins', { ticker: t, error: errorText(err) });
        }
      }
    });
    mine.done = next;
    running = next.catch(() => undefined);
    return next;
  }

  return {
    reconcile: () => run(false),
    reconcileAtStart: () => run(true),
    locked: (t) => ours.get(t) ?? new Set(),
  };
}
