// Storing a validated trade record: once per trade id (a different second record is logged,
// never stored), then checked against the chains this node has, while the internal bus is told
// 'trade.recorded' and this node's own listeners hear the record itself.
import type { CoinTable } from '../../src-shared/coins/table.ts';
import type { TradeRecord } from '../../src-shared/history/record.ts';
import { wireForm, type Signer } from '../../src-shared/protocol/canonical.ts';
import type { InternalBus } from '../kernel/bus.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import { sleep } from '../kernel/time.ts';
import './facts.ts';
import type { TradeRepo, TradeVerification } from './repo.ts';
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

export interface TradeStore {
  /** Stores a new record; false when its trade id is already stored. */
  store(r: TradeRecord): boolean;
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

  async function check(r: TradeRecord): Promise<void> {
    const result = await checkOnChain(r, d.chains, d.log, d.pause);
    d.repo.setVerified(r.tradeId, result);
    if (result === 'failed') d.log.warn('a trade record does not match the chain', { tradeId: r.tradeId });
  }

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

  return {
    store(r) {
      const added = d.repo.add({
        tradeId: r.tradeId,
        base: r.market.base,
        quote: r.market.quote,
        finishedAt: r.finishedAt,
        record: wireForm(r),
        verified: 'pending',
        mine: isMine(r),
      });
      if (!added) {
        const held = d.repo.get<Record<string, unknown>>(r.tradeId);
        if (held && JSON.stringify(held.record) !== JSON.stringify(wireForm(r)))
          d.log.warn('two different trade records with one id; keeping the first', { tradeId: r.tradeId });
        return false;
      }
      void check(r);
      tell(r);
      return true;
    },
    onTrade(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
