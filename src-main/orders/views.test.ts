import { describe, expect, it } from 'vitest';
import { COINS, type CoinParams } from '../../src-shared/coins/registry.ts';
import { feePreview, type PreviewInput } from './views.ts';

const coin = (t: string): CoinParams => COINS.find((c) => c.ticker === t)!;
const base = (over: Partial<PreviewInput>): PreviewInput => ({
  makerSells: coin('DEVA'),
  makerReceives: coin('DEVB'),
  role: 'taker',
  feeRate: async () => 10n,
  takerFee: { ticker: 'DEVB', amount: 100_000n },
  confirmations: () => 1,
  ...over,
});

describe('the fee preview a user confirms', () => {
  it("counts the taker's payment of the service-node fee among the network fees, and marks every network fee as an estimate", async () => {
    const p = await feePreview(base({}));
    expect(p.takerFee).toEqual({ ticker: 'DEVB', amount: '0.001' });
    expect(p.networkFees).toEqual([
      { ticker: 'DEVB', amount: '0.00002', what: 'locking your coins (about)' },
      { ticker: 'DEVA', amount: '0.0000155', what: "claiming the other side's coins (about)" },
      { ticker: 'DEVB', amount: '0.00002', what: 'paying the taker fee (about)' },
    ]);
  });

  it("charges a market order that takes three orders three swaps' transactions and three fee payments", async () => {
    const p = await feePreview(base({ fills: 3, takerFee: { ticker: 'DEVB', amount: 300_000n } }));
    expect(p.networkFees.map((f) => [f.amount, f.what])).toEqual([
      ['0.00006', 'locking your coins in 3 swaps (about)'],
      ['0.0000465', "claiming the other side's coins in 3 swaps (about)"],
      ['0.00006', 'paying the taker fee (3 payments) (about)'],
    ]);
  });

  it('tells a maker of a partial order that each fill pays its own network fees, and charges no taker fee', async () => {
    const p = await feePreview(base({ role: 'maker', takerFee: null, partial: true }));
    expect(p.takerFee).toBeNull();
    expect(p.networkFees.map((f) => [f.ticker, f.what])).toEqual([
      ['DEVA', 'locking your coins (about, per fill)'],
      ['DEVB', "claiming the other side's coins (about, per fill)"],
    ]);
  });

  it('shows the lock times the confirmations setting of now gives', async () => {
    const one = await feePreview(base({}));
    const four = await feePreview(base({ confirmations: (t) => (t === 'DEVB' ? 4 : 1) }));
    expect(one.locks.map((l) => [l.who, l.blocks])).toEqual([
      ['maker', 64],
      ['taker', 32],
    ]);
    expect(four.locks[1]!.blocks).toBeGreaterThan(one.locks[1]!.blocks);
    expect(four.ifCounterpartyVanishes).toContain(`${four.locks[1]!.blocks} DEVB blocks`);
  });
});
