// The wallets module: the user's own wallets (detection, connections sealed by the vault,
// balances minus what orders and swaps reserve, addresses) and the coin list (docs/wallets.md).
import { defineModule } from '../kernel/module.ts';
import { startBalanceWatcher, type BalanceWatcher } from './balance-watcher.ts';
import { WalletsConfig } from './config.ts';
import { createWalletConnectionRepo } from './connection-repo.ts';
import { m0001WalletConnections } from './migrations/0001_wallet_connections.ts';
import { createReservations, type Reservations } from './reservations.ts';
import { createWalletService, type WalletService } from './wallet-service.ts';

declare module '../kernel/module.ts' {
  interface Components {
    wallets: WalletService;
    reservations: Reservations;
  }
}

export const walletsModule = defineModule({
  name: 'wallets',
  config: { wallets: WalletsConfig },
  schema: { domain: 'wallets', migrations: [m0001WalletConnections] },
  needs: ['vault'],
  provides: ['wallets', 'reservations'],
  create(c, config) {
    const reservations = createReservations((err) => c.log.warn('reservation listener failed', { error: String(err) }));
    let watcher: BalanceWatcher | undefined;
    const wallets = createWalletService({
      coins: c.coins.all,
      lockedAmount: (ticker) => reservations.lockedAmount(ticker),
      repo: createWalletConnectionRepo(c.db),
      secrets: c.vault.secretBox(),
      detectOptions: { extraDirs: config.wallets.searchDirs },
      onChanged: (ticker) => {
        c.events.emit('wallets.changed', { ticker });
        void watcher?.poke();
      },
    });
    const known = (ticker: string) => c.coins.get(ticker).ticker;
    const offs: Array<() => void> = [];
    return {
      provides: { wallets, reservations },
      start() {
        watcher = startBalanceWatcher({ wallets, coins: [...c.coins.all], events: c.events, log: c.log });
        // Our own orders and swaps lock and unlock coins: every open window hears of it at once.
        offs.push(reservations.onChange(() => void watcher?.poke()));
        offs.push(
          c.vault.onStateChange((state) => {
            if (state !== 'unlocked') wallets.forgetClients();
          }),
        );
      },
      stop() {
        for (const off of offs.splice(0)) off();
        watcher?.stop();
      },
      handlers: {
        'coins.list': () =>
          c.coins.all.map((coin) => ({
            ticker: coin.ticker,
            name: coin.name,
            network: coin.network,
            decimals: coin.decimals,
            blockTimeSec: coin.blockTimeSec,
            defaultConfirmations: coin.defaultConfirmations,
          })),
        'wallets.list': () => wallets.list(),
        'wallets.detect': (p) => wallets.detect(known(p.ticker)),
        'wallets.test': (p) => wallets.test(known(p.ticker), p.connection),
        'wallets.connect': (p) => wallets.connect(known(p.ticker), p.connection),
        'wallets.disconnect': (p) => wallets.disconnect(known(p.ticker)),
        'wallets.balance': (p) => wallets.balance(known(p.ticker)),
        'wallets.newAddress': (p) => wallets.newAddress(known(p.ticker), p.label),
        'wallets.utxos': (p) => wallets.utxos(known(p.ticker)),
        'wallets.feeEstimate': (p) => wallets.feeEstimate(known(p.ticker), p.targetBlocks),
        'wallets.connected': () =>
          c.coins.all.filter((coin) => wallets.isConfigured(coin.ticker)).map((coin) => coin.ticker),
        'wallets.balances': async () => {
          const out: Record<string, Awaited<ReturnType<WalletService['balance']>>> = {};
          for (const coin of c.coins.all) {
            if (wallets.isConfigured(coin.ticker)) out[coin.ticker] = await wallets.balance(coin.ticker);
          }
          return out;
        },
      },
    };
  },
});
