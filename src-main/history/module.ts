// The history module's tables: countersigned trade records (the order network builds the trade
// history itself; src-main/orders/module.ts).
import { defineModule } from '../kernel/module.ts';
import { m0001Trades } from './migrations/0001_trades.ts';

export const historyModule = defineModule({
  name: 'history',
  schema: { domain: 'history', migrations: [m0001Trades] },
  needs: [],
  create: () => ({}),
});
