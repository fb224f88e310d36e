// The swap's effect runner: each effect of a stored step goes to the part that carries it out.
// Every one is idempotent (docs/swap.md §8.2), so a resume may start any of them again.
import type { Effect, SwapState } from '../../src-shared/swaps/types.ts';
import type { Logger } from '../kernel/log.ts';
import type { EffectRunner } from '../kernel/machine-runner.ts';
import type { SwapChains } from './chains.ts';
import type { Background } from './durable.ts';
import type { Funding } from './funding.ts';
import type { Outbox } from './outbox.ts';
import type { Spends } from './spends.ts';
import type { SwapMeta } from './view.ts';

export interface SwapEffectsDeps {
  outbox: Pick<Outbox, 'push'>;
  funding: Pick<Funding, 'fund'>;
  spends: Pick<Spends, 'request'>;
  chains: Pick<SwapChains, 'watch'>;
  log: Logger;
  background: Background;
}

export function createSwapEffects(d: SwapEffectsDeps): EffectRunner<SwapState, Effect, SwapMeta> {
  return {
    run(live, e) {
      switch (e.type) {
        case 'SendMessage':
          d.outbox.push(live, e.message);
          return;
        case 'FundHtlc':
          d.background(d.funding.fund(live, e), 'funding', live.id);
          return;
        case 'WatchHtlc':
          d.chains.watch(live);
          return;
        case 'BroadcastClaim':
        case 'BroadcastRefund':
          d.spends.request(live, e);
          return;
        case 'Notify': {
          const data = { swapId: live.id, code: e.code, message: e.message };
          if (e.level === 'info') d.log.info('swap notice', data);
          else d.log.warn('swap notice', data);
          return;
        }
      }
    },
  };
}
