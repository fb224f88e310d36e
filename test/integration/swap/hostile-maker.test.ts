// A hostile maker (its own process, speaking the protocol) locks a wrong HTLC: the honest taker
// names the fault, never locks its own coins, and refuses that peer from then on. The taker's
// wallets are untouched to the satoshi; the hostile one paid exactly its wrong HTLC and fee.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoMine, feeOf } from '../../support/swap-node.ts';
import { setupPair, type Pair } from './harness.ts';
import { Hostile, waitBan } from './hostile.ts';

let pair: Pair;
const hostiles: Hostile[] = [];

beforeAll(async () => {
  pair = await setupPair();
});
afterAll(async () => {
  await Promise.all(hostiles.map((h) => h.kill()));
  await pair?.cleanup();
});

const CASES = [
  { fault: 'wrong-amount', code: 'wrong-amount' },
  { fault: 'wrong-script', code: 'script-not-htlc' },
  { fault: 'wrong-hash', code: 'wrong-secret-hash' },
  { fault: 'short-lock', code: 'lock-too-short' },
] as const;

describe('hostile maker, honest taker', () => {
  it.each(CASES)(
    'maker locks an HTLC with $fault: the taker fails before funding ($code) and bans it',
    async ({ fault, code }) => {
      const { taker, dev } = pair;
      const hostile = await Hostile.start({
        root: pair.root,
        name: `hostile-maker-${fault}`,
        role: 'maker',
        fault,
        target: taker,
        dev,
      });
      hostiles.push(hostile);
      await taker.call('swaps.allow', {
        peerId: hostile.peerId,
        sell: { ticker: 'DEVB', amount: '4' },
        buy: { ticker: 'DEVA', amount: '1' },
      });
      const before = {
        DEVA: await taker.balance('DEVA'),
        DEVB: await taker.balance('DEVB'),
        hostile: await hostile.balance('DEVA'),
      };
      const miner = autoMine(dev);
      try {
        hostile.go();
        const swapId = (await hostile.waitFor('proposing')).swapId as string;
        const s = await taker.waitSwap(swapId, (x) => x.terminal, 'taker refused the wrong HTLC');
        expect(s.outcome).toBe('failedBeforeFunding');
        expect(s.reason?.code).toBe(code);
        expect(s.txs.map((t) => t.kind)).toEqual(['theirFunding']);
        const funded = await hostile.waitFor('funded');
        // The taker's abort reaches it, then the ban cuts it off.
        expect(await hostile.waitFor('message', { type: 'swap.abort' })).toMatchObject({
          reason: 'counterparty-htlc-invalid',
        });
        expect((await waitBan(taker, hostile.peerId)).reason).toMatch(/swap protocol/);
        expect((await taker.call('p2p.peers', {})).some((p) => p.peerId === hostile.peerId)).toBe(false);
        await dev.DEVA.mine(1);
        expect(await taker.balance('DEVA')).toBe(before.DEVA);
        expect(await taker.balance('DEVB')).toBe(before.DEVB);
        expect(await hostile.balance('DEVA')).toBe(
          before.hostile - BigInt(funded.amount as string) - (await feeOf(dev.DEVA, funded.txid as string)),
        );
      } finally {
        await miner.stop();
        await hostile.kill();
      }
    },
  );
});
