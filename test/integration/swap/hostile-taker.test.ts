// A hostile taker (its own process, speaking the protocol) locks a wrong HTLC after the honest
// maker locked: the maker never claims (so never reveals the secret), refunds at its own lock and
// refuses that peer. Both wallets reconcile to the satoshi.
import { describe, expect, it } from 'vitest';
import { mineTo, withMiner } from '../../support/regtest.ts';
import { expectedAfter, walletsOf } from './harness.ts';
import { FAULT_CASES, expectPaidOnlyItsHtlc, useHostiles, waitBan } from './hostile.ts';

const hostiles = useHostiles();

describe('honest maker, hostile taker', () => {
  it.each(FAULT_CASES)(
    'taker locks an HTLC with $fault: the maker refunds ($code) without revealing the secret, and bans it',
    async ({ fault, code }) => {
      const { maker, dev } = hostiles.pair;
      const hostile = await hostiles.start('taker', fault);
      await maker.waitConnected(hostile.peerId);
      const before = await walletsOf(maker);
      const hostileBefore = await hostile.balance('DEVB');
      try {
        await withMiner(dev, async () => {
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
          await expectPaidOnlyItsHtlc(hostile, hostileBefore, funded);
        });
      } finally {
        await hostile.kill();
      }
    },
  );
});
