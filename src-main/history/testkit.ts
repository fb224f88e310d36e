// Test-only: one trade record both parties signed (the shared test keys), field by field
// changeable, as the history stores and the maker checks it.
import {
  assembleTradeRecord,
  signTradeRecord,
  validateTradeRecord,
  type TradeRecord,
  type TradeRecordFields,
} from '../../src-shared/history/record.ts';
import { ARRIVAL, MAKER, SERVICE_NODE, TAKER } from '../../src-shared/orders/testkit.ts';

/** 1 DEVA for 0.25 DEVB, the maker sold. */
export function tradeFields(over: Partial<TradeRecordFields> = {}): TradeRecordFields {
  return {
    tradeId: 'd0'.repeat(32),
    orderId: 'e0'.repeat(32),
    market: { base: 'DEVA', quote: 'DEVB' },
    makerSide: 'sell',
    baseAmount: 100_000_000n,
    quoteAmount: 25_000_000n,
    price: { num: 1n, den: 4n },
    maker: MAKER.pubkey,
    taker: TAKER.pubkey,
    serviceNode: SERVICE_NODE.pubkey,
    txids: {
      makerLock: '01'.repeat(32),
      takerLock: '02'.repeat(32),
      makerClaim: '03'.repeat(32),
      takerClaim: '04'.repeat(32),
    },
    feeTxid: '05'.repeat(32),
    finishedAt: ARRIVAL,
    ...over,
  };
}

/** The wire form, signed by both parties. */
export function tradeWire(over: Partial<TradeRecordFields> = {}): Record<string, unknown> {
  const f = tradeFields(over);
  return assembleTradeRecord(f, signTradeRecord(f, MAKER.signer), signTradeRecord(f, TAKER.signer)) as Record<
    string,
    unknown
  >;
}

/** The record as validated (what stores and checks receive). */
export function tradeRecord(over: Partial<TradeRecordFields> = {}): TradeRecord {
  const v = validateTradeRecord(tradeWire(over), { now: ARRIVAL });
  if (!v.ok) throw new Error(`the test trade record does not check: ${v.message}`);
  return v.value;
}
