// A hostile taker (its own process, speaking the protocol) locks a wrong HTLC after the honest
// maker locked: the maker never claims (so never reveals the secret), refunds at its own lock and
// refuses that peer. Both wallets reconcile to the satoshi. A taker that double-spends its HTLC's
// funding before it confirms gets no claim either: the maker waits for confirmations, then refunds.
import { z } from 'zod';
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

  it('taker double-spends its HTLC funding before it confirms: the maker never claims, keeps the secret and refunds at its lock', async () => {
    const { maker, dev } = hostiles.pair;
    const hostile = await hostiles.start('taker', 'double-spend');
    await maker.waitConnected(hostile.peerId);
    const before = await walletsOf(maker);
    const hostileBefore = await hostile.balance('DEVB');
    try {
      await withMiner(dev, async (miner) => {
        miner.paused.add('DEVB');
        const { swapId } = await maker.call('swaps.start', {
          peerId: hostile.peerId,
          sell: { ticker: 'DEVA', amount: '1' },
          buy: { ticker: 'DEVB', amount: '4' },
        });
        const funded = await hostile.waitFor('funded');
        await maker.waitSwap(
          swapId,
          (x) => x.txs.some((t) => t.kind === 'theirFunding' && t.txid === funded.txid),
          'maker saw the taker HTLC, unconfirmed',
        );
        hostile.doubleSpend();
        const spent = await hostile.waitFor('double-spend');
        // A block with the conflicting payment and not the funding (a colluding miner's).
        const to = await dev.DEVB.rpc.callAs(z.string(), 'getnewaddress', ['', 'bech32']);
        await dev.DEVB.rpc.call('generateblock', [to, [spent.hex]], { wallet: false });
        expect(await dev.DEVB.rpc.callAs(z.array(z.string()), 'getrawmempool', [], { wallet: false })).toEqual([]);
        miner.paused.delete('DEVB');
        // The HTLC's funding can never confirm now. Past the maker's claim deadline:
        const locks = (await maker.swap(swapId)).locks;
        await mineTo(dev.DEVB, locks.find((l) => l.side === 'counterparty')!.locktime);
        const refunding = await maker.waitSwap(swapId, (x) => x.state === 'refunding', 'maker gives up');
        expect(refunding.txs.some((t) => t.kind === 'claim')).toBe(false);
        await mineTo(dev.DEVA, locks.find((l) => l.side === 'own')!.locktime);
        const s = await maker.waitSwap(swapId, (x) => x.terminal, 'maker refunded');
        expect(s.outcome).toBe('refunded');
        expect(s.txs.some((t) => t.kind === 'claim')).toBe(false);
        expect(await maker.balance('DEVA')).toBe((await expectedAfter(maker, s, before)).DEVA);
        expect(await maker.balance('DEVB')).toBe(before.DEVB);
        // The hostile peer paid only its replacement's fee: its HTLC never existed on chain.
        expect(await hostile.balance('DEVB')).toBe(hostileBefore - BigInt(spent.fee as string));
      });
    } finally {
      await hostile.kill();
    }
  });
});
