// A hostile taker (its own process, speaking the protocol) locks a wrong HTLC after the honest
// maker locked: the maker never claims (so never reveals the secret), refunds at its own lock and
// refuses that peer. Both wallets reconcile to the satoshi.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoMine, balancesOf, expectedAfter, feeOf, mineTo } from '../../support/swap-node.ts';
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

describe('honest maker, hostile taker', () => {
  it.each(CASES)(
    'taker locks an HTLC with $fault: the maker refunds ($code) without revealing the secret, and bans it',
    async ({ fault, code }) => {
      const { maker, dev } = pair;
      const hostile = await Hostile.start({
        root: pair.root,
        name: `hostile-taker-${fault}`,
        role: 'taker',
        fault,
        target: maker,
        dev,
      });
      hostiles.push(hostile);
      await maker.waitConnected(hostile.peerId);
      const before = (await balancesOf(maker, pair.taker)).maker;
      const hostileBefore = await hostile.balance('DEVB');
      const miner = autoMine(dev);
      try {
        const { swapId } = await maker.call('swaps.start', {
          peerId: hostile.peerId,
          sell: { ticker: 'DEVA', amount: '1' },
          buy: { ticker: 'DEVB', amount: '4' },
        });
        const funded = await hostile.waitFor('funded');
        const refunding = await maker.waitSwap(
          swapId,
          (x) => x.state === 'refunding',
          'maker gives up on the wrong HTLC',
        );
        expect(refunding.reason?.code).toBe(code);
        expect((await waitBan(maker, hostile.peerId)).reason).toMatch(/swap protocol/);
        await mineTo(dev.DEVA, refunding.locks.find((l) => l.side === 'own')!.locktime);
        const s = await maker.waitSwap(swapId, (x) => x.terminal, 'maker refunded');
        expect(s.outcome).toBe('refunded');
        expect(s.txs.some((t) => t.kind === 'claim')).toBe(false);
        expect(await maker.balance('DEVA')).toBe((await expectedAfter(maker, s, before)).DEVA);
        expect(await maker.balance('DEVB')).toBe(before.DEVB);
        await dev.DEVB.mine(1);
        expect(await hostile.balance('DEVB')).toBe(
          hostileBefore - BigInt(funded.amount as string) - (await feeOf(dev.DEVB, funded.txid as string)),
        );
      } finally {
        await miner.stop();
        await hostile.kill();
      }
    },
  );
});
