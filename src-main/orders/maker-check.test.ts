// The maker countersigns a trade record only when it is the record of a fill of its own, with
// the taker that asks, on the fill's terms, naming the transactions of a swap that completed on
// the maker's side. Every other record is refused with the reason the taker is told.
import { describe, expect, it } from 'vitest';
import type { SwapDetail } from '../../src-shared/api/schemas.ts';
import type { TradeRecordFields } from '../../src-shared/history/record.ts';
import { MAKER, SERVICE_NODE } from '../../src-shared/orders/testkit.ts';
import { tradeFields, tradeRecord } from '../history/testkit.ts';
import { createMakerCheck } from './maker-check.ts';
import type { FillRecord } from './records.ts';
import { THEIR_PEER, fill, makerRecord, memoryRecords, swapDetail, takerRecord } from './testkit.ts';

const TRADE = tradeFields();
/** The maker's fill behind TRADE, as this node recorded it. */
const ourFill = (over: Partial<FillRecord> = {}): FillRecord =>
  fill({
    orderId: TRADE.orderId,
    holdId: TRADE.tradeId,
    counterparty: THEIR_PEER,
    baseAmount: TRADE.baseAmount,
    quoteAmount: TRADE.quoteAmount,
    price: TRADE.price,
    makerSide: 'sell',
    makerPubkey: MAKER.pubkey,
    serviceNode: SERVICE_NODE.pubkey,
    feeTxid: TRADE.feeTxid,
    ...over,
  });
/** The maker's side of the swap: its own funding is the maker's lock, its claim the maker's claim. */
const COMPLETED = swapDetail(
  { swapId: TRADE.tradeId, role: 'maker', state: 'completed', terminal: true, outcome: 'completed' },
  { ownFunding: TRADE.txids.makerLock, theirFunding: TRADE.txids.takerLock, claim: TRADE.txids.makerClaim },
);

function check(opts: { rec?: 'maker' | 'taker' | 'none'; fill?: Partial<FillRecord>; swap?: SwapDetail | null } = {}) {
  const records = memoryRecords();
  const fills = [ourFill(opts.fill)];
  if (opts.rec !== 'none')
    records.put(opts.rec === 'taker' ? takerRecord({ fills }) : makerRecord({ id: TRADE.orderId, fills }));
  const swap = opts.swap === undefined ? COMPLETED : opts.swap;
  return createMakerCheck({ records, ...(swap === null ? {} : { swaps: { get: () => swap } }) });
}

describe("the maker's check of a trade record", () => {
  it('a record of our fill with that taker, on its terms, after our swap completed, is countersigned', () => {
    expect(check()(tradeRecord(), THEIR_PEER)).toBeNull();
  });

  const refused: Array<[string, Parameters<typeof check>[0], Partial<TradeRecordFields>, string, string]> = [
    ['a trade this node made no fill for', { rec: 'none' }, {}, THEIR_PEER, 'this node made no such trade'],
    ['a trade this node took, not made', { rec: 'taker' }, {}, THEIR_PEER, 'this node made no such trade'],
    ['a record sent by another peer than the taker', {}, {}, '12D3KooWSomeoneElse', 'the trade is with another peer'],
    [
      'another amount',
      {},
      { baseAmount: 50_000_000n, quoteAmount: 12_500_000n },
      THEIR_PEER,
      'the record does not match the trade',
    ],
    [
      'another price',
      {},
      { price: { num: 1n, den: 5n }, quoteAmount: 20_000_000n },
      THEIR_PEER,
      'the record does not match the trade',
    ],
    ['another order', {}, { orderId: 'e1'.repeat(32) }, THEIR_PEER, 'the record does not match the trade'],
    ['another fee payment', {}, { feeTxid: '06'.repeat(32) }, THEIR_PEER, 'the record does not match the trade'],
    ['a node that runs no swaps', { swap: null }, {}, THEIR_PEER, 'this node runs no swaps'],
    [
      "a swap not completed on the maker's side yet",
      { swap: { ...COMPLETED, state: 'claiming', terminal: false, outcome: null } },
      {},
      THEIR_PEER,
      "the swap has not completed on the maker's side yet",
    ],
    [
      "a record naming another maker's lock",
      {},
      { txids: { ...TRADE.txids, makerLock: '0f'.repeat(32) } },
      THEIR_PEER,
      'the record names other transactions than the swap',
    ],
    [
      "a record naming another maker's claim",
      {},
      { txids: { ...TRADE.txids, makerClaim: '0f'.repeat(32) } },
      THEIR_PEER,
      'the record names other transactions than the swap',
    ],
  ];
  it.each(refused)('refuses %s', (_name, setup, over, peer, reason) => {
    expect(check(setup)(tradeRecord(over), peer)).toBe(reason);
  });
});
