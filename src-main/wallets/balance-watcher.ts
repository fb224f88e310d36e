// Pushes 'wallets.balance' when a connected wallet's balance changes. Bitcoin Core pushes
// nothing over JSON-RPC (ZMQ is not enabled on users' daemons), so the node asks the daemon on
// a timer; clients never poll — they get the event.
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import type { Logger } from '../kernel/log.ts';
import type { EventBus } from '../api/events.ts';
import type { WalletService } from './wallet-service.ts';

export interface BalanceWatcher {
  /** Check now (used after our own actions, e.g. funding a swap). */
  poke(): Promise<void>;
  stop(): void;
}

export function startBalanceWatcher(d: {
  wallets: WalletService;
  coins: CoinParams[];
  events: EventBus;
  log: Logger;
  intervalMs?: number;
}): BalanceWatcher {
  const last = new Map<string, string>();
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      for (const coin of d.coins) {
        if (!d.wallets.isConfigured(coin.ticker)) {
          last.delete(coin.ticker);
          continue;
        }
        try {
          const balance = await d.wallets.balance(coin.ticker);
          const key = `${balance.spendable}/${balance.unconfirmed}/${balance.locked}`;
          if (last.get(coin.ticker) !== key) {
            last.set(coin.ticker, key);
            d.events.emit('wallets.balance', { ticker: coin.ticker, balance });
          }
        } catch {
          // An unreachable daemon shows in wallets.list as an error; nothing to push here.
          last.delete(coin.ticker);
        }
      }
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void check(), d.intervalMs ?? 3000);
  timer.unref();
  return {
    poke: check,
    stop: () => clearInterval(timer),
  };
}
