// Storing a validated trade record: checked against the chains this node has first, stored
// after, and only a record that passed every check it can make is heard (the internal bus's
// 'trade.recorded', stops, prices). One record per trade id; one that failed gives way to one
// that passes (docs/orders.md §6).
import type { CoinTable } from '../../src-shared/coins/table.ts';
import type { TradeRecord } from '../../src-shared/history/record.ts';
import { wireForm, type Signer } from '../../src-shared/protocol/canonical.ts';
import type { InternalBus } from '../kernel/bus.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import { sleep } from '../kernel/time.ts';
import './facts.ts';
import { usableTrade, type TradeRepo, type TradeVerification } from './repo.ts';
import { verifyTradeOnChain, type ChainLookup } from './verify.ts';
import { tradeView } from './views.ts';

export interface TradeStoreDeps {
  repo: TradeRepo;
  coins: CoinTable;
  bus: Pick<InternalBus, 'emit'>;
  chains: ChainLookup;
  /** This node's order key signer, or null while the vault is locked (a record is "mine" when it names that key). */
  signer: () => Signer | null;
  log: Logger;
  /** Waits between looks at the chain (tests shorten it). */
  pause?: (ms: number) => Promise<void>;
}

/** What the service-node-signed hold of a trade named: the record must agree. */
export interface HoldBinding {
  orderId: string;
  maker: string;
  taker: string;
  serviceNode: string;
  baseAmount: bigint;
  quoteAmount: bigint;
}

export interface TradeStore {
  /**
   * Checks a validated record and stores it: `bound` when its hold (or this node's own trade)
   * named its maker and taker. False when a usable record already holds its trade id.
   */
  store(r: TradeRecord, bound: boolean): boolean;
  onTrade(cb: (record: TradeRecord) => void): () => void;
}

/** Claims may still be on their way into blocks: a few looks, further apart, before 'failed'. */
export async function checkOnChain(
  r: TradeRecord,
  chains: ChainLookup,
  log: Logger,
  pause: (ms: number) => Promise<void> = sleep,
): Promise<TradeVerification> {
  let result: TradeVerification = 'failed';
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      result = await verifyTradeOnChain(r, chains);
    } catch (err) {
      log.warn('could not check a trade against the chain', { tradeId: r.tradeId, error: errorText(err) });
      result = 'pending';
    }
    if (result === 'yes' || result === 'no-chain') break;
    await pause(1000 * (attempt + 1));
  }
  return result;
}

export function createTradeStore(d: TradeStoreDeps): TradeStore {
  const listeners = new Set<(r: TradeRecord) => void>();
  const isMine = (r: TradeRecord): boolean => {
    const me = d.signer()?.publicKey;
    return me !== undefined && (r.maker === me || r.taker === me);
  };
  const same = (row: { record: unknown }, r: TradeRecord) => JSON.stringify(row.record) === JSON.stringify(wireForm(r));

  function tell(r: TradeRecord): void {
    const row = d.repo.get<Record<string, unknown>>(r.tradeId);
    const view = row ? tradeView(row, d.coins) : null;
    if (view) d.bus.emit('trade.recorded', view);
    for (const cb of [...listeners]) {
      try {
        cb(r);
      } catch (err) {
        d.log.warn('trade listener failed', { error: (err as Error).stack ?? String(err) });
      }
    }
  }

  /** Checked first, stored after: nobody hears of a record before it passed what this node can check. */
  async function checkThenStore(r: TradeRecord, bound: boolean): Promise<void> {
    let result = await checkOnChain(r, d.chains, d.log, d.pause);
    // No chain to check and no hold to bind it: unverified, listed but never priced.
    if (result === 'no-chain' && !bound) result = 'pending';
    const held = d.repo.get<Record<string, unknown>>(r.tradeId);
    if (held && (usableTrade(held.verified) || same(held, r))) return;
    // A record that failed (or could not be checked) never blocks one that passes.
    if (held) d.repo.remove(r.tradeId);
    d.repo.add({
      tradeId: r.tradeId,
      base: r.market.base,
      quote: r.market.quote,
      finishedAt: r.finishedAt,
      record: wireForm(r),
      verified: result,
      mine: isMine(r),
    });
    if (result === 'failed') d.log.warn('a trade record does not match the chain', { tradeId: r.tradeId });
    if (usableTrade(result)) tell(r);
  }

  return {
    store(r, bound) {
      const held = d.repo.get<Record<string, unknown>>(r.tradeId);
      if (held && same(held, r)) return false;
      if (held && usableTrade(held.verified)) {
        d.log.warn('two different trade records with one id; keeping the one that checked', { tradeId: r.tradeId });
        return false;
      }
      void checkThenStore(r, bound).catch((err: unknown) =>
        d.log.warn('could not store a trade record', { tradeId: r.tradeId, error: errorText(err) }),
      );
      return true;
    },
    onTrade(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
