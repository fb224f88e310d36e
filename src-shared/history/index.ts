// Trade history: signed trade records, OHLCV candles and 24-hour market stats.
export * from './record.ts';
export * from './candles.ts';
export * from './stats.ts';
