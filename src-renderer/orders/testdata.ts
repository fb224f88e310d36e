// Orders as the node sends them (getOrder, order.updated), for the orders' tests.
import type { Result } from '../../src-shared/api/contract.ts';

type OrderView = Result<'orders.get'>;

export const order = (id: string, over: Partial<OrderView> = {}): OrderView => ({
  id,
  base: 'DEVA',
  quote: 'DEVB',
  side: 'sell',
  kind: 'limit',
  state: 'open',
  price: '0.25',
  baseAmount: '2',
  quoteAmount: '0.5',
  filledBase: '0',
  remainingBase: '2',
  partial: { allowed: false, minBase: '2' },
  mine: true,
  makerPeerId: 'me',
  swapIds: [],
  createdAt: 100,
  updatedAt: 100,
  ...over,
});
