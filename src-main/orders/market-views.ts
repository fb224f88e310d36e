// The network as the API lists it: the markets this node follows (with the last trade price),
// their books by price level and the orders listed on them. Read-only views over the network book.
import type { Result } from '../../src-shared/api/contract.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import type { Price } from '../../src-shared/money/index.ts';
import type { Market } from '../../src-shared/orders/types.ts';
import type { NetworkBook } from './network-book.ts';
import type { OrderParams } from './params.ts';
import {
  bookView,
  networkOrderView,
  priceText,
  type BackingOfOrder,
  type MakerIdentityOf,
  type OrderViewT,
} from './views.ts';

export interface MarketViewsDeps {
  markets: readonly Market[];
  coins: CoinTable;
  params: Pick<OrderParams, 'market' | 'decimals'>;
  book: Pick<NetworkBook, 'book' | 'find'>;
  lastPrice: (base: string, quote: string) => Price | null;
  isConfigured: (ticker: string) => boolean;
  myKey: () => string | null;
  now: () => number;
  /** The identity a maker shows on its orders (the identity domain's makerIdentities). */
  makerIdentity?: MakerIdentityOf;
  /** The unconfirmed-backing mark of a listed order (docs/orders.md §10). */
  backing?: BackingOfOrder;
}

export interface MarketViews {
  /** A listed order of the network book, or undefined. */
  listed(orderId: string): OrderViewT | undefined;
  orders(base?: string, quote?: string): OrderViewT[];
  orderBook(p: { base: string; quote: string; detail?: 1 | 2 | 3; depth?: number }): Result<'orders.book'>;
  /** Markets with both wallets connected first. */
  markets(): Result<'orders.markets'>;
}

export function createMarketViews(d: MarketViewsDeps): MarketViews {
  return {
    listed(orderId) {
      const entry = d.book.find(orderId);
      if (!entry) return undefined;
      const m = entry.order.market;
      const dec = d.params.decimals(m.base, m.quote);
      return networkOrderView(entry, dec, entry.order.maker.pubkey === d.myKey(), d.makerIdentity, d.backing);
    },
    orders(base, quote) {
      const me = d.myKey();
      return d.markets
        .filter((m) => (!base || m.base === base) && (!quote || m.quote === quote))
        .flatMap((m) => {
          const book = d.book.book(m)!;
          const dec = d.params.decimals(m.base, m.quote);
          return [...book.list('sell'), ...book.list('buy')].map((e) =>
            networkOrderView(e, dec, e.order.maker.pubkey === me, d.makerIdentity, d.backing),
          );
        });
    },
    orderBook(p) {
      const m = d.params.market(p.base, p.quote);
      const dec = d.params.decimals(m.base, m.quote);
      return bookView(
        d.book.book(m)!,
        p.detail ?? 2,
        p.depth ?? 50,
        dec,
        d.myKey(),
        d.now(),
        d.makerIdentity,
        d.backing,
      );
    },
    markets() {
      return d.markets
        .map((m) => {
          const last = d.lastPrice(m.base, m.quote);
          return {
            base: m.base,
            quote: m.quote,
            bothWalletsConnected: d.isConfigured(m.base) && d.isConfigured(m.quote),
            orders: d.book.book(m)!.size,
            last: last ? priceText(last, d.params.decimals(m.base, m.quote)) : null,
          };
        })
        .sort((a, b) => Number(b.bothWalletsConnected) - Number(a.bothWalletsConnected));
    },
  };
}
