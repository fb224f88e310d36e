// The fund loop: pays our HTLC from the user's wallet while the swap is in `funding`, one loop per
// swap. The payment itself (chain-effects.ts) first looks for one it already made, so a resumed
// loop never pays twice; an unreachable daemon or a locked vault is retried (every <= 3 s).
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { FEE_TARGET_BLOCKS } from '../../src-shared/swaps/rules.ts';
import type { Chain, SwapEvent } from '../../src-shared/swaps/types.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import { sleep as realSleep } from '../kernel/time.ts';
import type { WalletService } from '../wallets/index.ts';
import { fundHtlc, type FundDeps, type FundEffect, type FundOutcome } from './chain-effects.ts';
import type { Live } from './durable.ts';

export interface FundingDeps {
  coins: CoinTable;
  wallets: Pick<WalletService, 'rpc' | 'feeEstimate'>;
  /** The chain's tip now (the payment's `notAfter` is checked against it). */
  freshHeight(ticker: string): Promise<number>;
  /** Feeds the wallet's answer to the swap and re-evaluates it, in the swap's queue. */
  report(live: Live, event: SwapEvent): Promise<unknown>;
  isRunning(): boolean;
  log: Logger;
  crashAt?: (point: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Test seam: the wallet payment (chain-effects.ts fundHtlc). */
  payHtlc?: (e: FundEffect, deps: FundDeps) => Promise<FundOutcome>;
}

export interface Funding {
  /** Runs the fund loop for this swap unless one runs already. */
  fund(live: Live, e: FundEffect): Promise<void>;
}

export function createFunding(d: FundingDeps): Funding {
  const sleep = d.sleep ?? realSleep;
  const pay = d.payHtlc ?? fundHtlc;
  const running = new WeakSet<Live>();

  async function attempt(live: Live, e: FundEffect): Promise<FundOutcome> {
    try {
      return await pay(e, {
        coin: d.coins.get(e.ticker),
        wallet: d.wallets.rpc(e.ticker),
        heightOf: (chain: Chain) => d.freshHeight(live.context.tickers[chain]),
        feeRate: async () => BigInt((await d.wallets.feeEstimate(e.ticker, FEE_TARGET_BLOCKS.fund)).satPerVb),
        afterSend: () => d.crashAt?.('after-fund-send'),
      });
    } catch (err) {
      return { type: 'retry', reason: errorText(err) };
    }
  }

  return {
    async fund(live, e) {
      if (running.has(live)) return;
      running.add(live);
      try {
        for (let n = 1; d.isRunning() && live.state.phase === 'funding'; n++) {
          const outcome = await attempt(live, e);
          if (outcome.type !== 'retry') {
            await d.report(live, outcome);
            return;
          }
          if (n === 1 || n % 10 === 0)
            d.log.warn('funding the HTLC must wait', { swapId: live.id, reason: outcome.reason });
          await sleep(Math.min(500 * n, 3000));
        }
      } finally {
        running.delete(live);
      }
    },
  };
}
