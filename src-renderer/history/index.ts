// The trade history's public surface: its queries and the candle arithmetic the price chart
// draws with. The history has no page: what shows it (price chart, trades tables) sits on the
// Trade screen in orders/, which loads with that page; this file loads with the app.
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
