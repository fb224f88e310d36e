import { describe, expect, it } from 'vitest';
import { lockText, splitParams } from './coin-words.ts';

describe('item 5: the Coins view', () => {
  it('says what locks each coin', () => {
    expect(lockText(null)).toBe('Free');
    expect(lockText({ kind: 'order', orderId: 'ab'.repeat(32) })).toBe('Backs order abababab\u2026');
    expect(lockText({ kind: 'swap', swapId: 'cd'.repeat(32), orderId: 'x' })).toMatch(/^Funding swap cdcdcdcd/);
    expect(lockText({ kind: 'outside' })).toBe('Locked outside Hashlock');
  });

  it('reads the split form into a dry run, exactly', () => {
    expect(splitParams('DEVA', { amount: '2,5', count: '3' }, ',')).toEqual({
      ok: true,
      params: { ticker: 'DEVA', amount: '2.5', count: 3, dryRun: true },
    });
    expect(splitParams('DEVA', { amount: '0', count: '3' }, '.')).toMatchObject({ ok: false });
    expect(splitParams('DEVA', { amount: 'x', count: '3' }, '.')).toMatchObject({ ok: false });
    expect(splitParams('DEVA', { amount: '1', count: '51' }, '.')).toMatchObject({ ok: false });
    expect(splitParams('DEVA', { amount: '1', count: '1.5' }, '.')).toMatchObject({ ok: false });
  });
});
