// The devnet's market maker: a loop that trades through a node's JSON-RPC API, as a bot would,
// keeping a few limit orders on each side of one book around the last trade price, so the demo
// shows a live market. Orders that are taken, expire or fail are simply replaced on the next tick.
import type { Logger } from '../kernel/log.ts';
import type { NodeRpc } from '../cli/rpc-client.ts';
import { formatAmount, parseAmount } from '../../src-shared/money/index.ts';

export interface MarketMakerOptions {
  rpc: NodeRpc;
  log: Logger;
  base: string;
  quote: string;
  /** Orders kept on each side. */
  levels?: number;
  /** Price when the market has no trade yet (quote per base). */
  startPrice?: string;
  /** Gap between levels, in percent of the price. */
  stepPercent?: number;
  /** Base amount per order, and its smallest fill. */
  amount?: string;
  minAmount?: string;
  intervalMs?: number;
}

const DECIMALS = 8;

/** Prices of the levels of one side: the best is one step away from `mid`. */
export function levelPrices(mid: bigint, side: 'buy' | 'sell', levels: number, stepPercent: number): string[] {
  return Array.from({ length: levels }, (_, i) => {
    const pct = BigInt(100 * 100 + (side === 'sell' ? 1 : -1) * stepPercent * 100 * (i + 1));
    return formatAmount((mid * pct) / 10_000n, DECIMALS);
  });
}

export function startMarketMaker(o: MarketMakerOptions): { stop(): void; tick(): Promise<void> } {
  const levels = o.levels ?? 3;
  const step = o.stepPercent ?? 2;
  let busy = false;
  let stopped = false;
  let lastProblem = '';

  async function tick(): Promise<void> {
    if (busy || stopped) return;
    busy = true;
    try {
      const market = (await o.rpc.call('orders.markets', {})).find((m) => m.base === o.base && m.quote === o.quote);
      const mid = parseAmount(market?.last ?? o.startPrice ?? '0.5', DECIMALS);
      const mine = (await o.rpc.call('orders.mine', {})).filter(
        (x) =>
          x.base === o.base && x.quote === o.quote && x.kind === 'limit' && ['open', 'accepting'].includes(x.state),
      );
      for (const side of ['sell', 'buy'] as const) {
        const have = new Set(mine.filter((x) => x.side === side).map((x) => x.price));
        const missing = levelPrices(mid, side, levels, step).filter((p) => !have.has(p));
        // Stale levels far from the market are left to expire; new ones fill the gaps.
        if (mine.filter((x) => x.side === side).length >= levels) continue;
        const price = missing[0];
        if (!price) continue;
        await o.rpc.call('orders.make', {
          base: o.base,
          quote: o.quote,
          side,
          kind: 'limit',
          amount: o.amount ?? '1',
          price,
          minAmount: o.minAmount ?? '0.25',
        });
        o.log.info('market maker posted an order', { side, price });
      }
      lastProblem = '';
    } catch (err) {
      const text = (err as Error).message;
      // The service node may not be up yet: say so once, not every tick.
      if (text !== lastProblem) o.log.warn('market maker waits', { reason: text });
      lastProblem = text;
    } finally {
      busy = false;
    }
  }

  const timer = setInterval(() => void tick(), o.intervalMs ?? 3000);
  timer.unref();
  void tick();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    tick,
  };
}
