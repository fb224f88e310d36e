// The crash matrix: a node SIGKILLs itself at a named step of a swap (a real kill at an exact
// point, asked for with `start({ crashAt })`), is started again, resumes from its log, and the
// swap still ends completed for both, with no coin paid twice (wallets reconcile to the satoshi).
import { describe, expect, it } from 'vitest';
import { withMiner } from '../../support/regtest.ts';
import { armCrash, balancesOf, reconcile, startSwap, usePair, type Side } from './harness.ts';

export interface CrashCase {
  /** The engine step at which the node dies (see SwapEngineDeps.crashAt). */
  readonly at: string;
  /** What is true at that moment, in words, for the test name. */
  readonly when: string;
}

export function crashMatrix(victim: Side, cases: readonly CrashCase[]): void {
  const pair = usePair();

  describe(`${victim} SIGKILLed at each step, restarted: the swap completes for both`, () => {
    it.each(cases)(`${victim} killed $when ($at)`, async ({ at }) => {
      const { node, other } = await armCrash(pair, victim, at);
      const before = await balancesOf(pair.maker, pair.taker);
      await withMiner(pair.dev, async () => {
        let swapId: string | undefined;
        try {
          swapId = (await startSwap(pair)).swapId;
        } catch (err) {
          // The maker may die inside swaps.start itself; the swap was stored before it died.
          if (victim !== 'maker') throw err;
        }
        await node.exited();
        expect(node.running).toBe(false);
        await node.start();
        swapId ??= (await node.call('swaps.list', {}))[0]!.swapId;
        const a = await node.waitSwap(swapId, (s) => s.terminal, `${victim} finished after its restart`);
        const b = await other.waitSwap(swapId, (s) => s.terminal, 'the other side finished');
        expect([a.outcome, b.outcome]).toEqual(['completed', 'completed']);
      });
      const swapId = (await pair.maker.call('swaps.list', {}))[0]!.swapId;
      await reconcile(pair, swapId, before);
    });
  });
}
