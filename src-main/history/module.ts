// The history module: countersigned trade records (taken in from gossip, checked against the
// chains this node has, countersigned as the maker), candles and stats (docs/protocol.md §12).
import { defineModule } from '../kernel/module.ts';
import { createPeerScorer, vaultSigner } from '../orders/index.ts';
import './facts.ts';
import { m0001Trades } from './migrations/0001_trades.ts';
import { createTradeRepo } from './repo.ts';
import { createTradeHistory, type TradeHistory } from './service.ts';

declare module '../kernel/module.ts' {
  interface Components {
    history: TradeHistory;
  }
}

export const historyModule = defineModule({
  name: 'history',
  schema: { domain: 'history', migrations: [m0001Trades] },
  needs: ['vault', 'wallets', 'p2p', 'makerCheck'],
  provides: ['history'],
  create(c) {
    const history = createTradeHistory({
      p2p: c.p2p,
      log: c.log,
      now: c.now,
      repo: createTradeRepo(c.db),
      coins: c.coins,
      bus: c.bus,
      scorer: createPeerScorer({ p2p: c.p2p }),
      // A record is checked against a chain only where this node has that coin's daemon.
      chains: (ticker) => (c.coins.has(ticker) && c.wallets.isConfigured(ticker) ? c.wallets.rpc(ticker) : null),
      signer: () => (c.vault.status() === 'unlocked' ? vaultSigner(c.vault, 'order') : null),
      makerCheck: c.makerCheck,
    });
    return {
      provides: { history },
      start: () => history.start(),
      stop: () => history.stop(),
      handlers: {
        'history.fills': (p) => history.fills(p),
        'history.candles': (p) => {
          c.coins.get(p.base);
          c.coins.get(p.quote);
          return history.history(p.base, p.quote, p.interval, p.from, p.to);
        },
      },
    };
  },
});
