// Stored trade records as the API shows them: one trade (with the four transactions it names
// and whether this node could check them on chain), a market's OHLCV candles and 24 h stats,
// and its last price. Prices stay exact ratios until they are printed here.
import type { Result } from '../../src-shared/api/contract.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { aggregateCandles, candleToApi, INTERVAL_MS, type CandleInterval } from '../../src-shared/history/candles.ts';
import { tradeOf } from '../../src-shared/history/record.ts';
import { stats24h, statsToApi } from '../../src-shared/history/stats.ts';
import { formatAmount, formatPrice, price as makePrice, type Price } from '../../src-shared/money/index.ts';
import { decodeOrderMessage } from '../../src-shared/protocol/orders.ts';
import { usableTrade, type TradeRepo, type TradeRow } from './repo.ts';

export type TradeView = Result<'history.fills'>[number];
export type CandleView = Result<'history.candles'>['candles'][number];
export type MarketStats = Result<'history.candles'>['stats'];

/** Decimals of a coin this node may not handle (a record's market is checked on ingest): 8. */
const decimalsOf = (coins: CoinTable, t: string): number => coins.find(t)?.decimals ?? 8;

/** A stored record as the API shows it, or null when the stored record no longer decodes. */
export function tradeView(row: TradeRow<Record<string, unknown>>, coins: CoinTable): TradeView | null {
  const m = decodeOrderMessage(row.record, 'trade.record');
  if (!m.ok) return null;
  const r = m.msg;
  const bd = decimalsOf(coins, r.market.base);
  const qd = decimalsOf(coins, r.market.quote);
  const makerTicker = r.makerSide === 'sell' ? r.market.base : r.market.quote;
  const takerTicker = r.makerSide === 'sell' ? r.market.quote : r.market.base;
  return {
    id: r.tradeId,
    base: r.market.base,
    quote: r.market.quote,
    side: r.makerSide === 'sell' ? 'buy' : 'sell',
    price: formatPrice(makePrice(r.price.num, r.price.den), bd, qd),
    baseAmount: formatAmount(r.baseAmount, bd),
    quoteAmount: formatAmount(r.quoteAmount, qd),
    time: r.finishedAt,
    orderId: r.orderId,
    ...(row.mine ? { swapId: r.tradeId } : {}),
    mine: row.mine,
    txids: [
      { ticker: makerTicker, txid: r.txids.makerLock, what: 'maker lock' },
      { ticker: takerTicker, txid: r.txids.takerLock, what: 'taker lock' },
      { ticker: takerTicker, txid: r.txids.makerClaim, what: 'maker claim' },
      { ticker: makerTicker, txid: r.txids.takerClaim, what: 'taker claim' },
    ],
    verified: row.verified,
  };
}

function tradesOf(repo: TradeRepo, base: string, quote: string, from: number, to: number) {
  return repo.range<Record<string, unknown>>(base, quote, from, to).flatMap((row) => {
    if (!usableTrade(row.verified)) return [];
    const m = decodeOrderMessage(row.record, 'trade.record');
    return m.ok ? [tradeOf(m.msg)] : [];
  });
}

/** A market's candles in [from, to) (default: the last 500 intervals) and its stats over the last 24 h. */
export function marketHistory(
  repo: TradeRepo,
  coins: CoinTable,
  q: { base: string; quote: string; interval: CandleInterval; from?: number; to?: number; now: number },
): { candles: CandleView[]; stats: MarketStats } {
  const { base, quote, interval, now } = q;
  const end = q.to ?? now + 1;
  const start = q.from ?? end - INTERVAL_MS[interval] * 500;
  const bd = decimalsOf(coins, base);
  const qd = decimalsOf(coins, quote);
  const candles = aggregateCandles(tradesOf(repo, base, quote, start, end), interval).map((c) => {
    const a = candleToApi(c, bd, qd);
    return {
      time: a.openTime,
      open: a.open,
      high: a.high,
      low: a.low,
      close: a.close,
      volumeBase: a.volumeBase,
      volumeQuote: a.volumeQuote,
      trades: a.trades,
    };
  });
  const s = statsToApi(stats24h(tradesOf(repo, base, quote, now - 30 * 86_400_000, now + 1), now), bd, qd);
  return {
    candles,
    stats: {
      last: s.last,
      change24h: s.changePercent,
      high24h: s.high,
      low24h: s.low,
      volumeBase24h: s.volumeBase,
      volumeQuote24h: s.volumeQuote,
    },
  };
}

/** The price of the market's latest usable trade (by finishing time), or null. */
export function lastPrice(repo: TradeRepo, base: string, quote: string): Price | null {
  const row = repo.list<Record<string, unknown>>({ base, quote, limit: 200 }).find((x) => usableTrade(x.verified));
  if (!row) return null;
  const m = decodeOrderMessage(row.record, 'trade.record');
  return m.ok ? makePrice(m.msg.price.num, m.msg.price.den) : null;
}
