// The swaps module: the swap engine (docs/swap.md) as a part of the node. It tells clients and
// other domains of every change, reserves the coins its unfinished swaps hold, and keeps the
// vault unlocked while a swap needs its keys.
import { ApiError } from '../../src-shared/api/errors.ts';
import { parseAmount } from '../../src-shared/money/index.ts';
import { defineModule } from '../kernel/module.ts';
import { SwapsConfig } from './config.ts';
import { createSwapEngine, type SwapEngine } from './engine.ts';
import './facts.ts';
import { m0001Swaps } from './migrations/0001_swaps.ts';
import { createSwapStepTimes } from './metrics.ts';
import { createSwapRepo } from './repo.ts';

declare module '../kernel/module.ts' {
  interface Components {
    swaps: SwapEngine;
    /** Least confirmations this node asks for on a coin: config.json pins it, else the user's setting now. */
    confirmations: (ticker: string) => number;
  }
}

export const swapsModule = defineModule({
  name: 'swaps',
  config: { swaps: SwapsConfig },
  schema: { domain: 'swaps', migrations: [m0001Swaps] },
  needs: ['vault', 'wallets', 'p2p', 'settings', 'settingsRepo', 'reservations', 'lockGuards', 'metrics'],
  provides: ['swaps', 'confirmations'],
  create(c, config) {
    const stepTimes = createSwapStepTimes(c.metrics);
    const confirmations = (ticker: string) => config.swaps.confirmations[ticker] ?? c.settings.confirmations(ticker);
    const engine = createSwapEngine({
      coins: c.coins.all,
      repo: createSwapRepo(c.db),
      settings: c.settingsRepo,
      vault: c.vault,
      wallets: c.wallets,
      p2p: c.p2p,
      log: c.log,
      confirmations,
      pollMs: config.swaps.pollMs,
      // The user's cap (the orders module's coin splits read it through engine.feeCap too).
      feeCap: (ticker) => {
        const cap = config.swaps.maxFeeSatPerVb[ticker];
        return cap === undefined ? undefined : BigInt(cap);
      },
      onUpdate: (summary) => {
        stepTimes.update(summary);
        c.events.emit('swaps.updated', summary);
        c.bus.emit('swaps.updated', summary);
        c.reservations.changed('swaps');
      },
      ...(c.host.crashAt ? { crashAt: c.host.crashAt } : {}),
    });
    const offs = [
      c.reservations.addSource('swaps', (ticker) => engine.lockedAmount(ticker)),
      // Claims and refunds are signed with vault keys: locking mid-swap could let a deadline
      // pass unsigned and strand coins, so the vault stays open until every swap has ended.
      c.lockGuards.add(() => {
        const live = engine.stats().liveSwaps;
        if (live === 0) return undefined;
        const one = live === 1;
        return {
          reason: `${live} swap${one ? ' is' : 's are'} in progress and need${one ? 's' : ''} the vault's keys to claim or refund; the vault can be locked once ${one ? 'it has' : 'they have'} ended.`,
          details: { liveSwaps: live },
        };
      }),
    ];
    const leg = (l: { ticker: string; amount: string }) => {
      const coin = c.coins.get(l.ticker);
      try {
        return { ticker: l.ticker, amount: parseAmount(l.amount, coin.decimals) };
      } catch (err) {
        throw new ApiError('INVALID_PARAMS', `${l.amount} is not a ${l.ticker} amount: ${(err as Error).message}`);
      }
    };
    return {
      provides: { swaps: engine, confirmations },
      start: () => engine.start(),
      async stop() {
        for (const off of offs) off();
        await engine.stop();
      },
      handlers: {
        'swaps.start': (p) => engine.startSwap({ peerId: p.peerId, sell: leg(p.sell), buy: leg(p.buy) }),
        'swaps.allow': (p) => ({
          ok: true as const,
          ...engine.allow({
            peerId: p.peerId,
            sell: leg(p.sell),
            buy: leg(p.buy),
            ...(p.ttlSec !== undefined ? { ttlMs: p.ttlSec * 1000 } : {}),
          }),
        }),
        'swaps.list': () => engine.list(),
        'swaps.get': (p) => engine.get(p.swapId),
        'swaps.abort': (p) => engine.abort(p.swapId),
        'swaps.stats': () => engine.stats(),
      },
    };
  },
});
