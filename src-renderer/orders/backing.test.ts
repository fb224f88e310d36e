import { describe, expect, it } from 'vitest';
import { backingMark, backingWarning } from './backing.ts';

describe('item 5: the taker sees unconfirmed backing', () => {
  it('warns about unconfirmed or missing backing only', () => {
    expect(backingWarning('unconfirmed')).toMatch(/not confirmed/);
    expect(backingWarning('missing')).toMatch(/refused/);
    expect(backingWarning('confirmed')).toBeNull();
    expect(backingWarning('unknown')).toBeNull();
    expect(backingWarning(undefined)).toBeNull();
  });
  it('marks book rows', () => {
    expect(backingMark('unconfirmed')).toBe('unconfirmed');
    expect(backingMark('missing')).toBe('coins gone');
    expect(backingMark('confirmed')).toBeNull();
  });
});
