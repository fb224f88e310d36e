import { describe, expect, it } from 'vitest';
import { rowWindow } from './virtual.ts';

describe('row windowing', () => {
  it('renders only the rows in view plus overscan', () => {
    expect(rowWindow(0, 180, 18, 5000, 5)).toEqual({ start: 0, end: 16, offset: 0, total: 90_000 });
    expect(rowWindow(1800, 180, 18, 5000, 5)).toEqual({ start: 95, end: 116, offset: 1710, total: 90_000 });
  });

  it('clamps a scroll position past the end (the list shrank)', () => {
    const w = rowWindow(1_000_000, 180, 18, 20, 2);
    expect(w.end).toBe(20);
    expect(w.start).toBeGreaterThanOrEqual(0);
    expect(w.offset).toBe(w.start * 18);
  });

  it('renders nothing for an empty list', () => {
    expect(rowWindow(0, 180, 18, 0)).toEqual({ start: 0, end: 0, offset: 0, total: 0 });
  });
});
