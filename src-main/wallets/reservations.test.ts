import { describe, expect, it } from 'vitest';
import { createReservations } from './reservations.ts';

describe('reservations', () => {
  it('sums what every holder holds per coin', () => {
    const r = createReservations();
    r.addSource('orders', (t) => (t === 'DEVA' ? 5n : 0n));
    const off = r.addSource('swaps', (t) => (t === 'DEVA' ? 7n : 2n));
    expect(r.lockedAmount('DEVA')).toBe(12n);
    expect(r.lockedAmount('DEVB')).toBe(2n);
    off();
    expect(r.lockedAmount('DEVA')).toBe(5n);
  });

  it('refuses a second holder under the same name', () => {
    const r = createReservations();
    r.addSource('orders', () => 0n);
    expect(() => r.addSource('orders', () => 0n)).toThrow('orders is already registered');
  });

  it('tells listeners which holder changed, and a failing listener does not stop the others', () => {
    const errors: unknown[] = [];
    const r = createReservations((e) => errors.push(e));
    const heard: string[] = [];
    r.onChange(() => {
      throw new Error('x');
    });
    r.onChange((name) => heard.push(name));
    r.changed('swaps');
    expect(heard).toEqual(['swaps']);
    expect(errors).toHaveLength(1);
  });
});
