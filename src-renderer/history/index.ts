// The trade history's public surface: its queries, the candle arithmetic the price chart draws
// with, and the trades tables; the history has no page of its own (they sit on the Trade screen).
export {
  candleBar,
  candleChange,
  chartWindowStart,
  orderedCandles,
  pricePrecision,
  volumeBar,
  type CandleView,
} from './candles.ts';
export { historyEvents } from './events.ts';
export { historyKeys, historyQueries } from './queries.ts';
export { MarketTrades, MyTrades } from './TradeTables.tsx';
