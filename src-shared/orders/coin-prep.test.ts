import { describe, expect, it } from 'vitest';
import { findCoin } from '../coins/registry.ts';
import { coinRows, exactCoin, planSplit, scriptKind, splitVsize, type PrepCoin } from './coin-prep.ts';
import { minLegAmount } from './minimum.ts';

const DEVA = findCoin('DEVA')!;
const COIN = 100_000_000n;
const coin = (n: number, amount: bigint, confirmations = 1): PrepCoin => ({
  outpoint: `${String(n).padStart(64, '0')}:0`,
  amount,
  confirmations,
  script: 'p2wpkh',
});
const req = { amount: 2n * COIN, count: 3, feeRate: 10n, minOutput: minLegAmount(DEVA), dust: DEVA.dustP2wpkh };

describe('item 5: split planning', () => {
  it('pays count outputs and change; the fee is exactly inputs minus outputs at rate × vsize', () => {
    const r = planSplit([coin(1, 10n * COIN)], req);
    if (!r.ok) throw new Error(r.message);
    const p = r.plan;
    expect(p.outputs).toEqual([2n * COIN, 2n * COIN, 2n * COIN]);
    expect(p.vsize).toBe(11n + 68n + 4n * 31n);
    expect(p.fee).toBe(10n * p.vsize);
    expect(p.inputs.reduce((a, c) => a + c.amount, 0n)).toBe(6n * COIN + p.change + p.fee);
    expect(p.change).toBe(4n * COIN - 10n * 203n);
  });

  it('dust: an output below the swap minimum is refused before anything is built', () => {
    const r = planSplit([coin(1, 10n * COIN)], { ...req, amount: minLegAmount(DEVA) - 1n });
    expect(r).toMatchObject({ ok: false, reason: 'dust' });
    expect(planSplit([coin(1, 10n * COIN)], { ...req, amount: minLegAmount(DEVA) }).ok).toBe(true);
  });

  it('dust: change below the dust limit goes to the fee, never to an output', () => {
    // Exactly what three outputs and the no-change fee need, plus 100 sat: too little to keep.
    const noChangeFee = 10n * splitVsize(['p2wpkh'], 3);
    const r = planSplit([coin(1, 6n * COIN + noChangeFee + 100n)], req);
    if (!r.ok) throw new Error(r.message);
    expect(r.plan.change).toBe(0n);
    expect(r.plan.changeToFee).toBe(100n);
    expect(r.plan.fee).toBe(noChangeFee + 100n);
    expect(r.plan.vsize).toBe(splitVsize(['p2wpkh'], 3));
  });

  it('insufficient funds: unconfirmed coins are not spent, and too little is refused', () => {
    expect(planSplit([coin(1, 100n * COIN, 0)], req)).toMatchObject({ ok: false, reason: 'insufficient' });
    expect(planSplit([coin(1, 6n * COIN)], req)).toMatchObject({ ok: false, reason: 'insufficient' });
  });

  it('takes the largest coins first and counts each input kind', () => {
    const legacy: PrepCoin = { ...coin(3, 5n * COIN), script: 'other' };
    const r = planSplit([coin(1, 1n * COIN), legacy, coin(2, 4n * COIN)], req);
    if (!r.ok) throw new Error(r.message);
    expect(r.plan.inputs.map((i) => i.amount)).toEqual([5n * COIN, 4n * COIN]);
    expect(r.plan.vsize).toBe(11n + 148n + 68n + 4n * 31n);
  });

  it('fee cap: the fee follows the (already clamped) rate; a count beyond 50 is refused', () => {
    const a = planSplit([coin(1, 10n * COIN)], { ...req, feeRate: 1000n });
    const b = planSplit([coin(1, 10n * COIN)], { ...req, feeRate: 10n });
    expect(a.ok && b.ok && a.plan.fee === 100n * b.plan.fee).toBe(true);
    expect(planSplit([coin(1, 1000n * COIN)], { ...req, count: 51 })).toMatchObject({ reason: 'too-many' });
  });

  it('script kinds from scriptPubKey', () => {
    expect(scriptKind('0014' + 'ab'.repeat(20))).toBe('p2wpkh');
    expect(scriptKind('a914' + 'ab'.repeat(20) + '87')).toBe('p2sh-p2wpkh');
    expect(scriptKind('5120' + 'ab'.repeat(32))).toBe('p2tr');
    expect(scriptKind('76a914' + 'ab'.repeat(20) + '88ac')).toBe('other');
  });
});

describe('item 5: crash between split and order post', () => {
  it("the split's own output (even unconfirmed) backs the next order: no second split", () => {
    const free = [coin(1, 10n * COIN), coin(2, 2n * COIN, 0)];
    expect(exactCoin(free, 2n * COIN)?.outpoint).toBe(free[1]!.outpoint);
    expect(exactCoin([...free, coin(3, 2n * COIN)], 2n * COIN)?.outpoint).toBe(coin(3, 0n).outpoint);
    expect(exactCoin(free, 3n * COIN)).toBeNull();
  });
});

describe('item 5: what locks each coin', () => {
  it('free, held by an order or a swap, or locked outside Hashlock', () => {
    const row = (n: number, amount: bigint) => ({ outpoint: coin(n, 0n).outpoint, amount, confirmations: 1 });
    const held = new Map([
      [coin(2, 0n).outpoint, { kind: 'order' as const, orderId: 'o1' }],
      [coin(4, 0n).outpoint, { kind: 'swap' as const, swapId: 's1', orderId: 'o2' }],
    ]);
    const rows = coinRows([row(1, 5n), row(4, 7n)], [row(2, 3n), row(3, 9n)], held);
    expect(rows.map((r) => [r.amount, r.lock?.kind ?? 'free'])).toEqual([
      [5n, 'free'],
      [9n, 'outside'],
      [7n, 'swap'],
      [3n, 'order'],
    ]);
  });
});
