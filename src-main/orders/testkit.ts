// Test-only: this node's own order records (a maker's listed order, a taker's take with its
// fills) in a record store held in memory, and swap summaries as the engine reports them, so
// the order service's parts can be tested one at a time without a network or a database.
import type { SwapDetail, SwapSummary } from '../../src-shared/api/schemas.ts';
import { COINS } from '../../src-shared/coins/registry.ts';
import { createCoinTable } from '../../src-shared/coins/table.ts';
import { price } from '../../src-shared/money/index.ts';
import { silentLogger } from '../kernel/log.ts';
import type { OrderRepo, StoredMyOrder } from './repo.ts';
import { createRecordStore, type FillRecord, type OrderRecord, type RecordStore } from './records.ts';

export const DEVNET = createCoinTable(COINS.filter((c) => c.ticker === 'DEVA' || c.ticker === 'DEVB'));
export const DEVA_DEVB = { base: 'DEVA', quote: 'DEVB' } as const;
export const COIN = 100_000_000n;
export const T0 = 1_700_000_000_000;
export const OUR_PEER = '12D3KooWOurOwnNodeOurOwnNodeOurOwnNodeOurOwnNodeOurO';
export const THEIR_PEER = '12D3KooWTheirNodeTheirNodeTheirNodeTheirNodeTheirNod';

/** An order repo in memory: what was put, by id. */
export function memoryOrderRepo(): OrderRepo & { rows: Map<string, unknown> } {
  const rows = new Map<string, StoredMyOrder>();
  return {
    rows,
    put(o) {
      rows.set(o.id, { ...o, createdAt: rows.get(o.id)?.createdAt ?? T0, updatedAt: T0 });
    },
    get: <T>(id: string) => rows.get(id) as StoredMyOrder<T> | undefined,
    list: <T>() => [...rows.values()] as Array<StoredMyOrder<T>>,
  };
}

export function memoryRecords(now: () => number = () => T0): RecordStore {
  return createRecordStore(memoryOrderRepo(), silentLogger, now);
}

/** One fill of 1 DEVA for 0.25 DEVB of a maker's sell order, held under hold id `holdId`. */
export function fill(over: Partial<FillRecord> = {}): FillRecord {
  return {
    orderId: 'order-1',
    acceptId: 'accept-1',
    holdId: 'swap-1',
    counterparty: THEIR_PEER,
    baseAmount: COIN,
    quoteAmount: COIN / 4n,
    feeTxid: 'fe'.repeat(32),
    state: 'hold',
    makerPubkey: '02' + 'aa'.repeat(32),
    serviceNode: '03' + 'bb'.repeat(32),
    price: price(COIN / 4n, COIN),
    makerSide: 'sell',
    at: T0,
    ...over,
  };
}

/** A maker's limit order: sells 1 DEVA at 0.25 DEVB, all of it still listed. */
export function makerRecord(over: Partial<OrderRecord> = {}): OrderRecord {
  return {
    id: 'order-1',
    kind: 'limit',
    role: 'maker',
    state: 'open',
    ...DEVA_DEVB,
    side: 'sell',
    baseAmount: COIN,
    quoteAmount: COIN / 4n,
    price: price(COIN / 4n, COIN),
    partial: { allowed: false, minBase: COIN },
    remainingBase: COIN,
    order: { makerUtxos: ['a1'.repeat(32) + ':0'] },
    serviceNode: '03' + 'bb'.repeat(32),
    expiresAt: T0 + 3_600_000,
    fills: [],
    acks: [],
    stop: null,
    parentStop: null,
    repostOf: null,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

/** A taker's market order: buys 1 DEVA, no fill taken yet. */
export function takerRecord(over: Partial<OrderRecord> = {}): OrderRecord {
  return {
    id: 'take-1',
    kind: 'market',
    role: 'taker',
    state: 'accepting',
    ...DEVA_DEVB,
    side: 'buy',
    baseAmount: COIN,
    quoteAmount: 0n,
    price: null,
    partial: { allowed: true, minBase: 1n },
    remainingBase: COIN,
    order: null,
    serviceNode: null,
    expiresAt: null,
    fills: [],
    acks: [],
    stop: null,
    parentStop: null,
    repostOf: null,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function swapSummary(over: Partial<SwapSummary> = {}): SwapSummary {
  return {
    swapId: 'swap-1',
    role: 'taker',
    state: 'funding',
    terminal: false,
    outcome: null,
    counterparty: THEIR_PEER,
    sell: { ticker: 'DEVB', amount: '0.25' },
    buy: { ticker: 'DEVA', amount: '1' },
    createdAt: T0,
    updatedAt: T0,
    reason: null,
    notice: null,
    ...over,
  };
}

/** A swap's detail with the transactions each side saw (kinds as the engine names them). */
export function swapDetail(
  over: Partial<SwapSummary> = {},
  txs: Partial<Record<SwapDetail['txs'][number]['kind'], string>> = {},
): SwapDetail {
  return {
    ...swapSummary(over),
    secretHash: null,
    locks: [],
    confirmations: [],
    deadlines: [],
    txs: Object.entries(txs).map(([kind, txid]) => ({ kind, ticker: 'DEVA', txid }) as SwapDetail['txs'][number]),
    timeline: [],
  };
}
