// A hostile maker (its own process, speaking the protocol) locks a wrong HTLC: the honest taker
// names the fault, never locks its own coins, and refuses that peer from then on. The taker's
// wallets are untouched to the satoshi; the hostile one paid exactly its wrong HTLC and fee.
import { describe, expect, it } from 'vitest';
import { withMiner } from '../../support/regtest.ts';
import { walletsOf } from './harness.ts';
import { FAULT_CASES, expectPaidOnlyItsHtlc, useHostiles, waitBan } from './hostile.ts';

const hostiles = useHostiles();

describe('hostile maker, honest taker', () => {
  it.each(FAULT_CASES)(
    'maker locks an HTLC with $fault: the taker fails before funding ($code) and bans it',
    async ({ fault, code }) => {
      const { taker, dev } = hostiles.pair;
      const hostile = await hostiles.start('maker', fault);
      await taker.call('swaps.allow', {
        peerId: hostile.peerId,
        sell: { ticker: 'DEVB', amount: '4' },
        buy: { ticker: 'DEVA', amount: '1' },
      });
      const before = await walletsOf(taker);
      const hostileBefore = await hostile.balance('DEVA');
      try {
        await withMiner(dev, async () => {
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
          expect(await walletsOf(taker)).toEqual(before);
          await expectPaidOnlyItsHtlc(hostile, hostileBefore, funded);
        });
      } finally {
        await hostile.kill();
      }
    },
  );
});
