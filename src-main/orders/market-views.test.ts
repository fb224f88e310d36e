// The network as the API lists it: markets with both wallets connected first and their last
// price, and the orders listed (ours marked).
import { describe, expect, it } from 'vitest';
import { price } from '../../src-shared/money/index.ts';
import { OrderBook } from '../../src-shared/orders/book.ts';
import { MAKER, NOW, signedOrder } from '../../src-shared/orders/testkit.ts';
import type { Market } from '../../src-shared/orders/types.ts';
import { createMarketViews } from './market-views.ts';
import { createOrderParams } from './params.ts';
import type { MakerIdentityOf } from './views.ts';
import { DEVA_DEVB, DEVNET } from './testkit.ts';

const OTHER: Market = { base: 'DEVB', quote: 'DEVA' };
const ask = signedOrder();
const bid = signedOrder({ side: 'buy', nonce: '1b'.repeat(16) });

function views(opts: { myKey?: string | null; connected?: string[]; makerIdentity?: MakerIdentityOf } = {}) {
  const books = new Map([
    ['DEVA/DEVB', new OrderBook(DEVA_DEVB)],
    ['DEVB/DEVA', new OrderBook(OTHER)],
  ]);
  books.get('DEVA/DEVB')!.add(ask, NOW);
  books.get('DEVA/DEVB')!.add(bid, NOW);
  const markets = [OTHER, DEVA_DEVB];
  const connected = new Set(opts.connected ?? ['DEVA', 'DEVB']);
  return createMarketViews({
    markets,
    coins: DEVNET,
    params: createOrderParams({ markets, coins: DEVNET, isConfigured: () => true }),
    book: {
      book: (m) => books.get(`${m.base}/${m.quote}`),
      find: (id) => [...books.values()].map((b) => b.get(id)).find((e) => e !== undefined),
    },
    lastPrice: (base) => (base === 'DEVA' ? price(1n, 4n) : null),
    isConfigured: (t) => connected.has(t),
    myKey: () => opts.myKey ?? null,
    now: () => NOW,
    ...(opts.makerIdentity ? { makerIdentity: opts.makerIdentity } : {}),
  });
}

describe('market views', () => {
  it('markets with both wallets connected come first, with their order count and last price', () => {
    expect(
      views()
        .markets()
        .map((m) => [m.base, m.orders, m.last]),
    ).toEqual([
      ['DEVB', 0, null],
      ['DEVA', 2, '0.25'],
    ]);
    const partly = views({ connected: ['DEVA'] }).markets();
    expect(partly.every((m) => !m.bothWalletsConnected)).toBe(true);
  });

  it("the listed orders of a market, this node's own marked as mine", () => {
    const list = views({ myKey: MAKER.pubkey }).orders('DEVA', 'DEVB');
    expect(list.map((o) => [o.id, o.side, o.mine])).toEqual([
      [ask.id, 'sell', true],
      [bid.id, 'buy', true],
    ]);
    expect(views().orders('DEVB').length).toBe(0);
    expect(views().listed(ask.id)).toMatchObject({ id: ask.id, state: 'open', mine: false });
    expect(views().listed('nope')).toBeUndefined();
  });

  it("a book asked for the wrong way round is explained (the params' refusal)", () => {
    expect(() => views().orderBook({ base: 'DEVA', quote: 'LTC' })).toThrow(/does not trade DEVA\/LTC/);
    expect(views().orderBook({ base: 'DEVA', quote: 'DEVB' })).toMatchObject({ asks: [{ price: '0.25' }], bids: [{}] });
  });

  it("a maker's verified identity travels with its orders, asked by its order key and node; others show none", () => {
    const asked: string[] = [];
    const makerIdentity: MakerIdentityOf = (key, peerId) => {
      asked.push(`${key} ${peerId}`);
      return key === MAKER.pubkey ? { did: 'did:is:PMaker', name: 'Maker' } : undefined;
    };
    const v = views({ makerIdentity });
    expect(v.listed(ask.id)?.makerIdentity).toEqual({ did: 'did:is:PMaker', name: 'Maker' });
    const book = v.orderBook({ base: 'DEVA', quote: 'DEVB', detail: 3 });
    expect(book.orders?.map((o) => o.makerIdentity?.name)).toEqual(['Maker', 'Maker']);
    expect(asked).toContain(`${MAKER.pubkey} ${ask.maker.peerId}`);
    const none = views({ makerIdentity: () => undefined }).listed(ask.id)!;
    expect('makerIdentity' in none).toBe(false);
  });
});
