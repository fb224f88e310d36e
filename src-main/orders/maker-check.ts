// The maker's check before it countersigns a trade record the taker sent: the record must be of
// a fill of this node's own order, with that taker, on the fill's terms, and name the swap's own
// transactions after the swap completed here. It reads only the maker's fill records and its
// swaps, so it is built before the trade history (which asks it) and the order service.
import type { TradeRecord } from '../../src-shared/history/record.ts';
import { comparePrice } from '../../src-shared/money/index.ts';
import type { MakerCheck } from '../history/index.ts';
import type { SwapEngine } from '../swaps/index.ts';
import type { RecordStore } from './records.ts';

export interface MakerCheckDeps {
  records: Pick<RecordStore, 'bySwap'>;
  swaps?: Pick<SwapEngine, 'get'>;
}

export function createMakerCheck(d: MakerCheckDeps): MakerCheck {
  return (record: TradeRecord, takerPeerId: string): string | null => {
    const hit = d.records.bySwap(record.tradeId);
    if (!hit || hit.rec.role !== 'maker') return 'this node made no such trade';
    const { rec, fill } = hit;
    if (fill.counterparty !== takerPeerId) return 'the trade is with another peer';
    const same =
      record.orderId === fill.orderId &&
      record.baseAmount === fill.baseAmount &&
      record.quoteAmount === fill.quoteAmount &&
      record.makerSide === fill.makerSide &&
      record.market.base === rec.base &&
      record.market.quote === rec.quote &&
      record.serviceNode === fill.serviceNode &&
      record.feeTxid === fill.feeTxid &&
      comparePrice(record.price, fill.price) === 0;
    if (!same) return 'the record does not match the trade';
    if (!d.swaps) return 'this node runs no swaps';
    const s = d.swaps.get(record.tradeId);
    if (s.outcome !== 'completed') return "the swap has not completed on the maker's side yet";
    const tx = (kind: string) => s.txs.find((t) => t.kind === kind)?.txid;
    if (
      tx('ownFunding') !== record.txids.makerLock ||
      tx('theirFunding') !== record.txids.takerLock ||
      tx('claim') !== record.txids.makerClaim
    ) {
      return 'the record names other transactions than the swap';
    }
    return null;
  };
}
