import { describe, expect, it } from 'vitest';
import { getCoin } from '../coins/registry.ts';
import {
  DEFAULT_TIMELOCK_POLICY,
  REGTEST_TIMELOCK_POLICY,
  chainParamsOf,
  checkProposal,
  checkTerms,
  makerMayClaim,
  marginBlocks,
  minHtlcAmount,
  proposeLocktimes,
  refundOpen,
  swapDeadlines,
  takerMayFund,
  timelockPolicyFor,
} from './timelock.ts';
import type { TermsCheck } from './timelock.ts';
import { CHAINS, MAKER_KEYS, POLICY, START, TAKER_KEYS, pubkeyOf, setup, terms } from './testkit.ts';
import type { Heights, SwapTerms, TimelockPolicy } from './types.ts';

function codes(c: TermsCheck): string[] {
  return c.ok ? [] : c.problems.map((p) => p.code);
}

describe('proposeLocktimes', () => {
  // [maker coin, taker coin, confirmations maker/taker, policy, expected blocks of lock maker/taker]
  const table: Array<[string, string, [number, number], TimelockPolicy, [number, number]]> = [
    ['DEVA', 'DEVB', [1, 1], REGTEST_TIMELOCK_POLICY, [64, 32]],
    ['LTC', 'BTC', [6, 3], DEFAULT_TIMELOCK_POLICY, [104, 13]],
    ['BTC', 'LTC', [3, 6], DEFAULT_TIMELOCK_POLICY, [19, 38]],
    ['rLTC', 'rBTC', [1, 1], REGTEST_TIMELOCK_POLICY, [64, 8]],
    ['tLTC', 'tBTC', [1, 1], DEFAULT_TIMELOCK_POLICY, [80, 10]],
  ];
  describe.each(table)('%s → %s', (m, t, [cM, cT], policy, expectedBlocks) => {
    const chains = { makerChain: chainParamsOf(getCoin(m)), takerChain: chainParamsOf(getCoin(t)) };
    const heights: Heights = { makerChain: 1000, takerChain: 5000 };
    const locks = proposeLocktimes({ chains, confirmations: { makerChain: cM, takerChain: cT }, heights, policy });
    const base = terms();
    const proposed: SwapTerms = {
      ...base,
      makerLeg: { ticker: m, amount: 10_000_000n, locktime: locks.makerChain, confirmations: cM },
      takerLeg: { ticker: t, amount: 10_000_000n, locktime: locks.takerChain, confirmations: cT },
    };
    const ctx = { chains, policy };
    const remM = (locks.makerChain - heights.makerChain) * chains.makerChain.blockTimeSec;
    const remT = (locks.takerChain - heights.takerChain) * chains.takerChain.blockTimeSec;

    it('gives the expected lock lengths in blocks', () => {
      expect([locks.makerChain - heights.makerChain, locks.takerChain - heights.takerChain]).toEqual(expectedBlocks);
    });
    it('passes its own checks', () => expect(checkTerms(proposed, heights, ctx)).toEqual({ ok: true }));
    it('makes the maker lock about twice the taker lock, ending after it', () => {
      expect(remM).toBeGreaterThanOrEqual(2 * remT);
      expect(remM).toBeLessThan(
        2 * remT +
          chains.makerChain.blockTimeSec +
          policy.fundingSlackSec +
          marginBlocks(chains.makerChain, policy) * chains.makerChain.blockTimeSec,
      );
    });
    it('stays acceptable after one slack of delay on both chains', () => {
      const later = {
        makerChain: heights.makerChain + Math.floor(policy.fundingSlackSec / chains.makerChain.blockTimeSec),
        takerChain: heights.takerChain + Math.floor(policy.fundingSlackSec / chains.takerChain.blockTimeSec),
      };
      expect(checkTerms(proposed, later, ctx)).toEqual({ ok: true });
    });
    it('is refused as too short once the taker chain has used up more than one slack and its confirmations', () => {
      const late = {
        ...heights,
        takerChain: swapDeadlines({ terms: proposed, chains, policy }).makerFundBy.height + 1,
      };
      expect(codes(checkTerms(proposed, late, ctx))).toContain('lock-too-short');
    });
    it('orders the deadlines: maker funds, taker funds, maker claims, taker refunds; taker claims before maker refunds', () => {
      const d = swapDeadlines({ terms: proposed, chains, policy });
      expect(d.makerFundBy.height).toBeGreaterThanOrEqual(heights.takerChain);
      expect(d.makerFundBy.height).toBeLessThanOrEqual(d.takerFundBy.height);
      expect(d.takerFundBy.height).toBeLessThan(d.makerClaimBy.height);
      expect(d.makerClaimBy.height).toBeLessThan(d.takerRefundAt.height);
      expect(d.takerRefundAt.height).toBe(locks.takerChain);
      expect(d.takerClaimBy.height).toBeLessThan(d.makerRefundAt.height);
      expect(d.makerRefundAt.height).toBe(locks.makerChain);
    });
    it('stays within the longest lock the policy allows', () => expect(remM).toBeLessThanOrEqual(policy.maxLockSec));
  });
});

describe('checkTerms refuses bad terms, each with its own code', () => {
  const t = terms();
  const ctx = { chains: CHAINS, policy: POLICY };
  const cases: Array<[string, SwapTerms, string, Heights?]> = [
    ['a swap id with spaces', { ...t, swapId: 'bad id' }, 'bad-swap-id'],
    ['an empty order id', { ...t, orderId: '' }, 'bad-order-id'],
    ['a 31-byte secret hash', { ...t, secretHash: 'ab'.repeat(31) }, 'bad-secret-hash'],
    ['an upper-case secret hash', { ...t, secretHash: t.secretHash.toUpperCase() }, 'bad-secret-hash'],
    [
      'an uncompressed key',
      { ...t, makerPubkeys: { ...MAKER_KEYS, makerChain: '04' + 'ab'.repeat(32) } },
      'bad-pubkey',
    ],
    [
      'a key that is not on the curve',
      { ...t, takerPubkeys: { ...TAKER_KEYS, takerChain: '02' + 'ff'.repeat(32) } },
      'bad-pubkey',
    ],
    [
      'the same claim and refund key on the maker chain',
      { ...t, takerPubkeys: { ...TAKER_KEYS, makerChain: MAKER_KEYS.makerChain } },
      'same-key',
    ],
    [
      'the same claim and refund key on the taker chain',
      { ...t, takerPubkeys: { ...TAKER_KEYS, takerChain: MAKER_KEYS.takerChain } },
      'same-key',
    ],
    ['both legs on one coin', { ...t, takerLeg: { ...t.takerLeg, ticker: 'DEVA' } }, 'same-chain'],
    ['a malformed address', { ...t, takerAddresses: { ...t.takerAddresses, payout: 'x' } }, 'bad-address'],
    ['a zero amount', { ...t, makerLeg: { ...t.makerLeg, amount: 0n } }, 'bad-amount'],
    [
      'an amount below what can be locked and claimed',
      { ...t, takerLeg: { ...t.takerLeg, amount: minHtlcAmount(CHAINS.takerChain) - 1n } },
      'amount-below-dust',
    ],
    ['zero confirmations', { ...t, makerLeg: { ...t.makerLeg, confirmations: 0 } }, 'bad-confirmations'],
    ['a lock at the current height', { ...t, takerLeg: { ...t.takerLeg, locktime: START.takerChain } }, 'bad-locktime'],
    [
      'a lock that CLTV would read as a timestamp',
      { ...t, makerLeg: { ...t.makerLeg, locktime: 500_000_000 } },
      'bad-locktime',
    ],
    [
      'a maker lock ending before the taker lock',
      { ...t, makerLeg: { ...t.makerLeg, locktime: START.makerChain + 20 } },
      'locks-inverted',
    ],
    [
      'a taker lock too short to finish',
      { ...t, takerLeg: { ...t.takerLeg, locktime: START.takerChain + 15 } },
      'lock-too-short',
    ],
    [
      'a maker lock barely after the taker lock',
      { ...t, makerLeg: { ...t.makerLeg, locktime: START.makerChain + 33 } },
      'lock-too-short',
    ],
    [
      'a maker lock of days',
      { ...t, makerLeg: { ...t.makerLeg, locktime: START.makerChain + 40_000 } },
      'lock-too-long',
    ],
  ];
  it.each(cases)('%s', (_name, bad, code, heights) => {
    expect(codes(checkTerms(bad, heights ?? START, ctx))).toEqual([code]);
  });
  it("confirmations below the checking user's risk setting", () => {
    expect(codes(checkTerms(t, START, { ...ctx, minConfirmations: { makerChain: 1, takerChain: 2 } }))).toEqual([
      'confirmations-below-risk-setting',
    ]);
  });
  it('reports every problem at once', () => {
    expect(codes(checkTerms({ ...t, swapId: '', secretHash: 'zz' }, START, ctx))).toEqual([
      'bad-swap-id',
      'bad-secret-hash',
    ]);
  });
  it('the smallest lockable amount passes', () => {
    expect(
      checkTerms({ ...t, takerLeg: { ...t.takerLeg, amount: minHtlcAmount(CHAINS.takerChain) } }, START, ctx),
    ).toEqual({ ok: true });
  });
  it('checkProposal checks the maker part without taker keys', () => {
    const { takerPubkeys: _k, takerAddresses: _a, ...p } = t;
    expect(checkProposal(p, START, ctx)).toEqual({ ok: true });
    expect(
      codes(
        checkProposal(
          { ...p, makerPubkeys: { ...MAKER_KEYS, takerChain: pubkeyOf(5).replace(/^0./, '05') } },
          START,
          ctx,
        ),
      ),
    ).toEqual(['bad-pubkey']);
  });
});

describe('minHtlcAmount', () => {
  const table: Array<[string, bigint]> = [
    ['DEVA', 2940n + 155n * 10n], // Litecoin: P2WPKH dust + a claim at the wallet floor of 10 sat/vB
    ['LTC', 4490n],
    ['BTC', 294n + 155n], // Bitcoin: P2WPKH dust + a claim at 1 sat/vB; above the 330 sat P2WSH dust
  ];
  it.each(table)('%s', (ticker, min) => expect(minHtlcAmount(chainParamsOf(getCoin(ticker)))).toBe(min));
});

describe('guards at their boundaries', () => {
  const s = setup();
  const d = swapDeadlines(s);
  it('takerMayFund until takerFundBy, not after', () => {
    expect(takerMayFund(s, { makerChain: START.makerChain, takerChain: d.takerFundBy.height })).toEqual({ ok: true });
    expect(takerMayFund(s, { makerChain: START.makerChain, takerChain: d.takerFundBy.height + 1 })).toMatchObject({
      ok: false,
      code: 'deadline-passed',
    });
  });
  it('takerMayFund refuses when the maker chain ran ahead so its lock ends too close to ours', () => {
    expect(takerMayFund(s, { makerChain: s.terms.makerLeg.locktime - 20, takerChain: START.takerChain })).toMatchObject(
      { ok: false, code: 'maker-lock-too-close' },
    );
  });
  it('makerMayClaim strictly below makerClaimBy', () => {
    expect(makerMayClaim(s, { makerChain: 0, takerChain: d.makerClaimBy.height - 1 })).toBe(true);
    expect(makerMayClaim(s, { makerChain: 0, takerChain: d.makerClaimBy.height })).toBe(false);
  });
  it('refundOpen from the locktime on (the next block is above it)', () => {
    const lT = s.terms.takerLeg.locktime;
    expect(refundOpen(s.terms, 'takerChain', { makerChain: 0, takerChain: lT - 1 })).toBe(false);
    expect(refundOpen(s.terms, 'takerChain', { makerChain: 0, takerChain: lT })).toBe(true);
    expect(refundOpen(s.terms, 'makerChain', { makerChain: s.terms.makerLeg.locktime, takerChain: 0 })).toBe(true);
  });
});

describe('policy', () => {
  it('picks the short regtest policy only for regtest', () => {
    expect(timelockPolicyFor('regtest')).toBe(REGTEST_TIMELOCK_POLICY);
    expect(timelockPolicyFor('mainnet')).toBe(DEFAULT_TIMELOCK_POLICY);
    expect(timelockPolicyFor('testnet')).toBe(DEFAULT_TIMELOCK_POLICY);
  });
  const margins: Array<[string, TimelockPolicy, number]> = [
    ['BTC', DEFAULT_TIMELOCK_POLICY, 6],
    ['LTC', DEFAULT_TIMELOCK_POLICY, 12],
    ['DEVA', REGTEST_TIMELOCK_POLICY, 6],
    ['DEVA', DEFAULT_TIMELOCK_POLICY, 360],
  ];
  it.each(margins)('margin on %s', (ticker, policy, blocks) =>
    expect(marginBlocks(chainParamsOf(getCoin(ticker)), policy)).toBe(blocks),
  );
});
