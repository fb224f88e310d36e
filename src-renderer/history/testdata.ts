// Trades as the node sends them (getOrderFills, trade.new), for the history's tests.
import type { Result } from '../../src-shared/api/contract.ts';

type TradeView = Result<'history.fills'>[number];

export const trade = (id: string, time: number, price: string, over: Partial<TradeView> = {}): TradeView => ({
  id,
  base: 'DEVA',
  quote: 'DEVB',
  side: 'buy',
  price,
  baseAmount: '1',
  quoteAmount: price,
  time,
  orderId: 'o',
  mine: false,
  txids: [],
  verified: 'yes',
  ...over,
});
