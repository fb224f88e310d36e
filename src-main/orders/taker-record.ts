// A taker's finished swap becomes a trade record: the fields come from the fill and from the
// swap's transactions, the trade history gets them signed by both parties and published, and
// the fill is marked recorded so a restart does not ask the maker again.
import type { SwapDetail } from '../../src-shared/api/schemas.ts';
import type { TradeRecordFields } from '../../src-shared/history/record.ts';
import type { Logger } from '../kernel/log.ts';
import { errorText } from '../kernel/log.ts';
import type { TradeHistory } from '../history/index.ts';
import type { SwapEngine } from '../swaps/index.ts';
import type { FillRecord, OrderRecord, RecordStore } from './records.ts';

export interface TakerRecordDeps {
  records: RecordStore;
  swaps?: Pick<SwapEngine, 'get'>;
  history: Pick<TradeHistory, 'recordAsTaker'>;
  /** This node's order key, or null while the vault is locked. */
  myKey: () => string | null;
  log: Logger;
  now: () => number;
}

export interface TakerRecords {
  /** Makes the trade record of a taker's fill whose swap finished (once; a failure is logged). */
  record(recId: string, swapId: string): Promise<void>;
  /** Records the finished fills a restart left unrecorded. */
  resume(): void;
}

/**
 * A trade record's fields from the taker's side: the maker's lock and claim are the swap's
 * `theirFunding` and `theirClaim`, ours are `ownFunding` and `claim`. Null (with the txids seen)
 * when the swap lacks one of the four.
 */
export function takerTradeFields(
  rec: Pick<OrderRecord, 'base' | 'quote'>,
  fill: FillRecord,
  swap: Pick<SwapDetail, 'swapId' | 'txs'>,
  taker: string,
  finishedAt: number,
): { ok: true; fields: TradeRecordFields } | { ok: false; txids: Record<string, string | undefined> } {
  const tx = (kind: string) => swap.txs.find((t) => t.kind === kind)?.txid;
  const makerLock = tx('theirFunding');
  const takerLock = tx('ownFunding');
  const makerClaim = tx('theirClaim');
  const takerClaim = tx('claim');
  if (!makerLock || !takerLock || !makerClaim || !takerClaim)
    return { ok: false, txids: { makerLock, takerLock, makerClaim, takerClaim } };
  return {
    ok: true,
    fields: {
      tradeId: swap.swapId,
      orderId: fill.orderId,
      market: { base: rec.base, quote: rec.quote },
      makerSide: fill.makerSide,
      baseAmount: fill.baseAmount,
      quoteAmount: fill.quoteAmount,
      price: fill.price,
      maker: fill.makerPubkey,
      taker,
      serviceNode: fill.serviceNode,
      txids: { makerLock, takerLock, makerClaim, takerClaim },
      feeTxid: fill.feeTxid,
      finishedAt,
    },
  };
}

export function createTakerRecords(d: TakerRecordDeps): TakerRecords {
  async function record(recId: string, swapId: string): Promise<void> {
    const rec = d.records.get(recId);
    const fill = rec?.fills.find((f) => f.holdId === swapId);
    const me = d.myKey();
    if (!rec || !fill || fill.recorded || !d.swaps || !me) return;
    const made = takerTradeFields(rec, fill, d.swaps.get(swapId), me, d.now());
    if (!made.ok) {
      d.log.warn('a finished swap lacks a transaction; no trade record', { swapId, txids: made.txids });
      return;
    }
    try {
      await d.history.recordAsTaker(made.fields, fill.counterparty);
      d.records.update(recId, (r) => {
        const f = r.fills.find((x) => x.holdId === swapId);
        if (f) f.recorded = true;
      });
    } catch (err) {
      d.log.warn('could not make the trade record', { swapId, error: errorText(err) });
    }
  }

  return {
    record,
    resume() {
      for (const rec of d.records.all()) {
        for (const f of rec.fills)
          if (rec.role === 'taker' && f.state === 'finished' && !f.recorded && f.holdId) void record(rec.id, f.holdId);
      }
    },
  };
}
