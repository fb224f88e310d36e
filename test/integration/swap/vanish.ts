// The vanishing counterparty: a node dies at a named step (a real SIGKILL) and stays away while
// blocks pass on both chains. The party left behind must end on its own (failed before funding,
// refunded, or completed); the one that vanished ends correctly when it comes back. Wallets of
// both reconcile to the satoshi.
import { describe, expect, it } from 'vitest';
import type { SwapOutcome } from '../../../src-shared/api/schemas.ts';
import type { z } from 'zod';
import { passTime, withMiner } from '../../support/regtest.ts';
import { armCrash, balancesOf, reconcile, startSwap, usePair, type Side } from './harness.ts';

type Outcome = z.infer<typeof SwapOutcome>;

export interface VanishCase {
  readonly at: string;
  readonly when: string;
  /** How the party left behind ends, alone. */
  readonly survivor: Outcome;
  /** How the vanished party ends once it is back. */
  readonly returned: Outcome;
}

export function vanishMatrix(victim: Side, cases: readonly VanishCase[]): void {
  const pair = usePair();

  describe(`${victim} vanishes at each step: both sides still end, never stranded`, () => {
    it.each(cases)(
      `${victim} vanishes $when: the other ends $survivor, it ends $returned on return`,
      async ({ at, survivor, returned }) => {
        // Where the time went, printed with the case (a slow run says which phase was slow).
        const t0 = Date.now();
        const marks: string[] = [];
        const mark = (what: string) => marks.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        const logs = () => `${marks.join(', ')}\n${other.logTail(60)}\n${gone.logTail(60)}`;
        const { node: gone, other } = await armCrash(pair, victim, at);
        mark('armed');
        const before = await balancesOf(pair.maker, pair.taker);
        await withMiner(pair.dev, async () => {
          const { swapId } = await startSwap(pair);
          mark('started');
          await gone.exited();
          mark('gone');
          await passTime(
            pair.dev,
            async () => (await other.swap(swapId)).terminal,
            `the ${victim === 'maker' ? 'taker' : 'maker'} ending alone`,
            undefined,
            logs,
          );
          mark('other ended');
          expect((await other.swap(swapId)).outcome).toBe(survivor);
          await gone.start();
          mark('back');
          await passTime(
            pair.dev,
            async () => (await gone.swap(swapId)).terminal,
            `the ${victim} ending after its return`,
            undefined,
            logs,
          );
          mark('it ended');
          expect((await gone.swap(swapId)).outcome).toBe(returned);
          await reconcile(pair, swapId, before);
        });
        console.log(`vanish ${victim} ${at}: ${marks.join(', ')}`);
      },
      // Two waits of up to 120 s each, and two node starts: their own errors (with the nodes' logs)
      // come before this one.
      360_000,
    );
  });
}
