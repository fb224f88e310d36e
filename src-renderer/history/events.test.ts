import { describe, expect, it } from 'vitest';
import type { Result } from '../../src-shared/api/contract.ts';
import { eventHarness } from '../api/event-harness.ts';
import { createHistoryEvents, prependTrades } from './events.ts';
import { historyKeys } from './queries.ts';
import { trade } from './testdata.ts';

type TradeView = Result<'history.fills'>[number];
type History = Result<'history.candles'>;

const HOUR = 3_600_000;
const T0 = 1_763_700_000_000 - (1_763_700_000_000 % HOUR);
const stats = {
  last: '0.25',
  change24h: '1.2',
  high24h: '0.3',
  low24h: '0.2',
  volumeBase24h: '10',
  volumeQuote24h: '2.5',
};
const history: History = {
  candles: [
    {
      time: T0,
      open: '0.25',
      high: '0.25',
      low: '0.25',
      close: '0.25',
      volumeBase: '1',
      volumeQuote: '0.25',
      trades: 1,
    },
  ],
  stats,
};

const harness = () => eventHarness([createHistoryEvents({ statsIntervalMs: 3000 })]);

describe('trade lists', () => {
  it('prepends new trades newest first, skips ones already listed and keeps a cap', () => {
    const list = [trade('t2', 20, '1'), trade('t1', 10, '1')];
    expect(
      prependTrades(list, [trade('t3', 30, '1'), trade('t2', 20, '1'), trade('t4', 40, '1')], 3).map((t) => t.id),
    ).toEqual(['t4', 't3', 't2']);
  });
});

describe('trade.new reaches the history in batches', () => {
  it('folds new trades into every cached candle series of the market and patches the last price, once per trade', () => {
    const h = harness();
    h.qc.setQueryData(historyKeys.candleSeries('DEVA', 'DEVB', '1h'), history);
    h.qc.setQueryData(historyKeys.candleSeries('DEVA', 'DEVB', '1m'), history);
    h.qc.setQueryData(historyKeys.stats('DEVA', 'DEVB'), stats);
    h.qc.setQueryData(historyKeys.trades('DEVA', 'DEVB'), []);
    h.events.dispatch({ event: 'history.trade', data: trade('t1', T0 + 30 * 60_000, '0.3') });
    h.events.dispatch({ event: 'history.trade', data: trade('t1', T0 + 30 * 60_000, '0.3') });
    expect(h.qc.getQueryData<History>(historyKeys.candleSeries('DEVA', 'DEVB', '1h'))).toEqual(history);
    h.frame();
    expect(h.qc.getQueryData<History>(historyKeys.candleSeries('DEVA', 'DEVB', '1h'))?.candles).toEqual([
      {
        time: T0,
        open: '0.25',
        high: '0.3',
        low: '0.25',
        close: '0.3',
        volumeBase: '2',
        volumeQuote: '0.55',
        trades: 2,
      },
    ]);
    expect(h.qc.getQueryData<History>(historyKeys.candleSeries('DEVA', 'DEVB', '1m'))?.candles).toHaveLength(2);
    expect(h.qc.getQueryData<typeof stats>(historyKeys.stats('DEVA', 'DEVB'))?.last).toBe('0.3');
    expect(h.qc.getQueryData<TradeView[]>(historyKeys.trades('DEVA', 'DEVB'))?.map((t) => t.id)).toEqual(['t1']);
  });

  it('refetches a series a trade older than its last candle arrives for, leaving other markets alone', () => {
    const h = harness();
    const other = { ...history };
    h.qc.setQueryData(historyKeys.candleSeries('DEVA', 'DEVB', '1h'), history);
    h.qc.setQueryData(historyKeys.candleSeries('DEVA', 'DEVC', '1h'), other);
    h.events.dispatch({ event: 'history.trade', data: trade('old', T0 - 2 * HOUR, '0.2') });
    h.frame();
    expect(h.qc.getQueryState(historyKeys.candleSeries('DEVA', 'DEVB', '1h'))?.isInvalidated).toBe(true);
    expect(h.qc.getQueryState(historyKeys.candleSeries('DEVA', 'DEVC', '1h'))?.isInvalidated).toBe(false);
  });

  it('puts only the user’s own trades into their list, and drops that list when the vault locks', () => {
    const h = harness();
    h.qc.setQueryData<TradeView[]>(historyKeys.mine, []);
    h.events.dispatch({ event: 'history.trade', data: trade('theirs', T0, '0.3') });
    h.events.dispatch({ event: 'history.trade', data: trade('mine', T0, '0.3', { mine: true }) });
    h.frame();
    expect(h.qc.getQueryData<TradeView[]>(historyKeys.mine)?.map((t) => t.id)).toEqual(['mine']);
    h.qc.setQueryData(historyKeys.trades('DEVA', 'DEVB'), []);
    h.events.dispatch({ event: 'vault.state', data: { state: 'locked' } });
    expect(h.qc.getQueryData(historyKeys.mine)).toBeUndefined();
    expect(h.qc.getQueryData(historyKeys.trades('DEVA', 'DEVB'))).toEqual([]);
  });
});
