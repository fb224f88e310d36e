// The vanishing counterparty: a node dies at a named step (a real SIGKILL) and stays away while
// blocks pass on both chains. The party left behind must end on its own (failed before funding,
// refunded, or completed); the one that vanished ends correctly when it comes back. Wallets of
// both reconcile to the satoshi.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwapOutcome } from '../../../src-shared/api/schemas.ts';
import type { z } from 'zod';
import { autoMine, balancesOf, passTime } from '../../support/swap-node.ts';
import { reconcile, setupPair, startSwap, type Pair } from './harness.ts';

type Outcome = z.infer<typeof SwapOutcome>;

export interface VanishCase {
  readonly at: string;
  readonly when: string;
  /** How the party left behind ends, alone. */
  readonly survivor: Outcome;
  /** How the vanished party ends once it is back. */
  readonly returned: Outcome;
}

export function vanishMatrix(victim: 'maker' | 'taker', cases: readonly VanishCase[]): void {
  let pair: Pair;
  beforeAll(async () => {
    pair = await setupPair();
  });
  afterAll(async () => {
    await pair?.cleanup();
  });

  describe(`${victim} vanishes at each step: both sides still end, never stranded`, () => {
    it.each(cases)(
      `${victim} vanishes $when: the other ends $survivor, it ends $returned on return`,
      async ({ at, survivor, returned }) => {
        const gone = pair[victim];
        const other = victim === 'maker' ? pair.taker : pair.maker;
        await gone.restart({ crashAt: at });
        await pair.maker.waitConnected(pair.taker.peerId);
        const before = await balancesOf(pair.maker, pair.taker);
        const miner = autoMine(pair.dev);
        try {
          const { swapId } = await startSwap(pair);
          await gone.exited();
          await passTime(
            pair.dev,
            async () => (await other.swap(swapId)).terminal,
            `the ${victim === 'maker' ? 'taker' : 'maker'} ending alone`,
          );
          expect((await other.swap(swapId)).outcome).toBe(survivor);
          await gone.start();
          await passTime(
            pair.dev,
            async () => (await gone.swap(swapId)).terminal,
            `the ${victim} ending after its return`,
          );
          expect((await gone.swap(swapId)).outcome).toBe(returned);
          await reconcile(pair, swapId, before);
        } finally {
          await miner.stop();
        }
      },
    );
  });
}
