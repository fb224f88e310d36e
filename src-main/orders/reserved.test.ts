// What this node's own orders hold back: a coin never backs two orders, and the balance shows
// as locked exactly what open orders still offer and what takes give before their swap starts.
import { describe, expect, it } from 'vitest';
import { price } from '../../src-shared/money/index.ts';
import type { OrderState } from '../../src-shared/orders/types.ts';
import type { OrderRecord } from './records.ts';
import { lockedAmount, reservedOutpoints } from './reserved.ts';
import { COIN, fill, makerRecord, takerRecord } from './testkit.ts';

const quarter = price(COIN / 4n, COIN);

describe('locked amounts', () => {
  const cases: Array<[string, OrderRecord[], { DEVA: bigint; DEVB: bigint }]> = [
    [
      'an open sell locks its remaining base',
      [makerRecord({ remainingBase: COIN / 2n })],
      { DEVA: COIN / 2n, DEVB: 0n },
    ],
    [
      'an open buy locks the quote of its remaining base',
      [makerRecord({ side: 'buy', remainingBase: COIN, price: quarter })],
      { DEVA: 0n, DEVB: COIN / 4n },
    ],
    ['an order offline (maker silent) still locks', [makerRecord({ state: 'offline' })], { DEVA: COIN, DEVB: 0n }],
    ...(['hold', 'canceled', 'expired', 'invalid', 'finished'] as OrderState[]).map(
      (state): [string, OrderRecord[], { DEVA: bigint; DEVB: bigint }] => [
        `a maker's order ${state} locks nothing (the swap engine or nobody holds it)`,
        [makerRecord({ state })],
        { DEVA: 0n, DEVB: 0n },
      ],
    ),
    [
      "a taker's fill on its way locks what the taker gives (quote, for a maker's sell)",
      [takerRecord({ fills: [fill({ state: 'accepting' }), fill({ state: 'hold', acceptId: 'a2' })] })],
      { DEVA: 0n, DEVB: COIN / 2n },
    ],
    [
      "a taker's fill of a maker's buy gives base",
      [takerRecord({ side: 'sell', fills: [fill({ state: 'hold', makerSide: 'buy' })] })],
      { DEVA: COIN, DEVB: 0n },
    ],
    [
      "a taker's fill whose swap started locks nothing here",
      [takerRecord({ fills: [fill({ state: 'initialized' }), fill({ state: 'canceled', acceptId: 'a2' })] })],
      { DEVA: 0n, DEVB: 0n },
    ],
    [
      'a stop order locks nothing until it fires',
      [makerRecord({ kind: 'stop', state: 'new' })],
      { DEVA: 0n, DEVB: 0n },
    ],
  ];
  it.each(cases)('%s', (_name, records, expected) => {
    expect({ DEVA: lockedAmount(records, 'DEVA'), DEVB: lockedAmount(records, 'DEVB') }).toEqual(expected);
  });
});

describe('reserved outpoints', () => {
  it("the coins of a maker's orders that can still be taken, and no others", () => {
    const records = [
      makerRecord({ id: 'a', order: { makerUtxos: ['aa:0', 'aa:1'] } }),
      makerRecord({ id: 'b', state: 'accepting', order: { makerUtxos: ['bb:0'] } }),
      makerRecord({ id: 'c', state: 'hold', order: { makerUtxos: ['cc:0'] } }),
      makerRecord({ id: 'd', state: 'canceled', order: { makerUtxos: ['dd:0'] } }),
      takerRecord(),
    ];
    expect([...reservedOutpoints(records)].sort()).toEqual(['aa:0', 'aa:1', 'bb:0']);
  });
});
