import { describe, expect, it } from 'vitest';
import { ARRIVAL, MAKER, SERVICE_NODE, STRANGER, TAKER } from '../orders/testkit.ts';
import type { RefusalReason, Validation } from '../orders/validate.ts';
import {
  assembleTradeRecord,
  signTradeRecord,
  tradeOf,
  validateTradeRecord,
  type TradeRecordFields,
} from './record.ts';

type Wire = Record<string, any>;
const FIELDS: TradeRecordFields = {
  tradeId: 'd0'.repeat(32),
  orderId: 'e0'.repeat(32),
  market: { base: 'DEVA', quote: 'DEVB' },
  makerSide: 'sell',
  baseAmount: 30_000_000n,
  quoteAmount: 7_500_001n,
  price: { num: 25_000_001n, den: 100_000_000n },
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
};
function record(over: Partial<TradeRecordFields> = {}, signers = { maker: MAKER.signer, taker: TAKER.signer }): Wire {
  const f = { ...FIELDS, ...over };
  return assembleTradeRecord(f, signTradeRecord(f, signers.maker), signTradeRecord(f, signers.taker));
}
const ctx = { now: ARRIVAL };
const reasonOf = (v: Validation<unknown>): RefusalReason | 'ok' => (v.ok ? 'ok' : v.reason);

describe('trade records', () => {
  it('a record both parties signed verifies and becomes a trade', () => {
    const v = validateTradeRecord(JSON.parse(JSON.stringify(record())), ctx);
    if (!v.ok) throw new Error(v.message);
    expect(tradeOf(v.value)).toEqual({
      id: FIELDS.tradeId,
      time: ARRIVAL,
      price: FIELDS.price,
      baseAmount: 30_000_000n,
      quoteAmount: 7_500_001n,
    });
  });
  it("a buying maker's record rounds the quote down", () => {
    expect(reasonOf(validateTradeRecord(record({ makerSide: 'buy', quoteAmount: 7_500_000n }), ctx))).toBe('ok');
  });
  it('only a party of the trade signs its record', () => {
    expect(() => signTradeRecord(FIELDS, STRANGER.signer)).toThrow(/maker or the taker/);
  });
  const refused: Array<[string, () => unknown, RefusalReason]> = [
    [
      "a record without the maker's signature",
      () => ({ ...record(), makerSig: signTradeRecord({ ...FIELDS, taker: STRANGER.pubkey }, STRANGER.signer) }),
      'forged-maker-sig',
    ],
    [
      'a record the taker signed for other amounts',
      () => ({ ...record(), takerSig: record({ baseAmount: 40_000_000n, quoteAmount: 10_000_001n }).takerSig }),
      'forged-taker-sig',
    ],
    [
      'a record with a changed txid',
      () => ({ ...record(), txids: { ...FIELDS.txids, takerClaim: '09'.repeat(32) } }),
      'forged-maker-sig',
    ],
    [
      'a record with maker and taker swapped',
      () => ({ ...record(), maker: TAKER.pubkey, taker: MAKER.pubkey }),
      'forged-maker-sig',
    ],
    ['a quote rounded against the maker', () => record({ quoteAmount: 7_500_000n }), 'price-inconsistent'],
    [
      'a price not in lowest terms',
      () => record({ price: { num: 50_000_002n, den: 200_000_000n } }),
      'price-inconsistent',
    ],
    ['a record of an unknown coin', () => record({ market: { base: 'DEVA', quote: 'ZZZ' } }), 'unknown-market'],
    [
      'a trade with oneself',
      () => record({ taker: MAKER.pubkey }, { maker: MAKER.signer, taker: MAKER.signer }),
      'malformed',
    ],
    [
      'a record naming one transaction twice',
      () => record({ txids: { ...FIELDS.txids, takerClaim: '01'.repeat(32) } }),
      'malformed',
    ],
    ['a record dated in the future', () => record({ finishedAt: ARRIVAL + 60_000 }), 'future'],
    ['a record over the cap', () => new TextEncoder().encode(JSON.stringify(record()).padEnd(2100, ' ')), 'oversize'],
    ['a record with an amount as a number', () => ({ ...record(), baseAmount: 30000000 }), 'malformed'],
  ];
  it.each(refused)('refuses %s', (_n, make, reason) => expect(reasonOf(validateTradeRecord(make(), ctx))).toBe(reason));
});
