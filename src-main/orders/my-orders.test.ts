// The user's view of this node's own orders: what counts as filled (only what a service node
// held), a market order's price as what its fills paid, why an order ended, a fired stop shown
// as the order it became, and the list newest first.
import { describe, expect, it } from 'vitest';
import { price } from '../../src-shared/money/index.ts';
import { createMyOrders, recordView } from './my-orders.ts';
import type { OrderRecord } from './records.ts';
import { COIN, DEVNET, OUR_PEER, THEIR_PEER, T0, fill, makerRecord, memoryRecords, takerRecord } from './testkit.ts';

const DEC = { base: 8, quote: 8 };

describe('one order as the user sees it', () => {
  it('a take whose accept is on its way is not filled yet; a held fill is', () => {
    const rec = takerRecord({
      fills: [
        fill({ state: 'accepting' }),
        fill({ state: 'hold', acceptId: 'a2', holdId: 'swap-2', baseAmount: COIN / 2n, quoteAmount: COIN / 8n }),
      ],
    });
    const v = recordView(rec, DEC, OUR_PEER);
    expect(v).toMatchObject({ filledBase: '0.5', remainingBase: '0.5', mine: true, makerPeerId: THEIR_PEER });
    expect(v.swapIds).toEqual(['swap-1', 'swap-2']);
  });

  it("a market order's price and quote are what its held fills paid", () => {
    const rec = takerRecord({
      fills: [
        fill({ state: 'finished', baseAmount: COIN, quoteAmount: COIN / 4n }),
        fill({ state: 'finished', acceptId: 'a2', holdId: 'swap-2', baseAmount: COIN, quoteAmount: COIN / 2n }),
      ],
      baseAmount: 2n * COIN,
    });
    expect(recordView(rec, DEC, OUR_PEER)).toMatchObject({ price: '0.375', quoteAmount: '0.75', filledBase: '2' });
  });

  it("a maker's order shows what is still listed and this node as its maker", () => {
    const v = recordView(makerRecord({ remainingBase: COIN / 4n }), DEC, OUR_PEER);
    expect(v).toMatchObject({ price: '0.25', remainingBase: '0.25', makerPeerId: OUR_PEER, expiresAt: T0 + 3_600_000 });
  });

  it("the reason is the order's own, else its latest fill's", () => {
    const failed = [
      fill({ state: 'canceled', reason: 'first' }),
      fill({ state: 'canceled', acceptId: 'a2', reason: 'last' }),
    ];
    expect(recordView(takerRecord({ fills: failed }), DEC, OUR_PEER).reason).toBe('last');
    expect(recordView(takerRecord({ fills: failed, reason: 'own' }), DEC, OUR_PEER).reason).toBe('own');
  });
});

describe("this node's orders", () => {
  const stop = (over: Partial<OrderRecord>): OrderRecord =>
    makerRecord({
      id: 'stop-1',
      kind: 'stop',
      state: 'new',
      order: null,
      stop: {
        trigger: price(3n, 10n),
        direction: 'above',
        then: 'limit',
        limitPrice: price(1n, 4n),
        priceCap: null,
        childId: null,
        firedAt: null,
      },
      ...over,
    });

  it('a stop not fired yet shows its trigger; fired, it shows the order it became under its own id', () => {
    const records = memoryRecords();
    const mine = createMyOrders({ records, coins: DEVNET, p2p: { peerId: OUR_PEER } });
    expect(mine.view(stop({})).stop).toEqual({
      triggerPrice: '0.3',
      direction: 'above',
      then: 'limit',
      limitPrice: '0.25',
    });
    records.put(makerRecord({ id: 'child', state: 'open', createdAt: T0 + 10 }));
    const fired = mine.view(stop({ state: 'open', stop: { ...stop({}).stop!, childId: 'child', firedAt: T0 } }));
    expect(fired).toMatchObject({ id: 'stop-1', kind: 'stop', state: 'open', createdAt: T0, remainingBase: '1' });
    expect(fired.stop?.triggerPrice).toBe('0.3');
  });

  it('are listed newest first, the closed ones only when asked for', () => {
    const records = memoryRecords();
    records.put(makerRecord({ id: 'old', createdAt: T0 }));
    records.put(makerRecord({ id: 'new', createdAt: T0 + 1 }));
    records.put(makerRecord({ id: 'gone', state: 'canceled', createdAt: T0 + 2 }));
    const mine = createMyOrders({ records, coins: DEVNET, p2p: { peerId: OUR_PEER } });
    expect(mine.list(false).map((o) => o.id)).toEqual(['new', 'old']);
    expect(mine.list(true).map((o) => o.id)).toEqual(['gone', 'new', 'old']);
  });
});

describe('item 5: the maker sees its own unconfirmed backing', () => {
  it('an open maker order carries the mark of its coins; a canceled one and a taker order do not', () => {
    const records = memoryRecords();
    records.put(makerRecord({ id: 'open' }));
    records.put(makerRecord({ id: 'gone', state: 'canceled' }));
    records.put(takerRecord({ id: 'took' }));
    const asked: string[] = [];
    const mine = createMyOrders({
      records,
      coins: DEVNET,
      p2p: { peerId: OUR_PEER },
      backing: (o) => {
        asked.push(`${o.id} ${o.market.base} ${o.side} ${o.makerUtxos.length}`);
        return 'unconfirmed';
      },
    });
    expect(mine.view(records.get('open')!).backing).toBe('unconfirmed');
    expect(mine.view(records.get('gone')!).backing).toBeUndefined();
    expect(mine.view(records.get('took')!).backing).toBeUndefined();
    expect(asked).toEqual(['open DEVA sell 1']);
  });
});
