import { describe, expect, it } from 'vitest';
import { fromJson, toJson } from './json.ts';

describe('store JSON codec', () => {
  it.each([
    ['a bigint', 123n],
    ['a negative bigint', -5n],
    ['a bigint beyond 2^53', 2n ** 80n],
    ['zero', 0n],
    [
      'nested bigints',
      { amount: 100000000n, legs: [{ fee: 1n }, { fee: 2n, note: 'x' }], ok: true, n: 1.5, none: null },
    ],
    ['a plain string', 'hello'],
    ['an array', [1, '2', null]],
  ])('round-trips %s', (_name, value) => {
    expect(fromJson(toJson(value))).toEqual(value);
  });

  it('writes bigints as {"$bigint":"…"} decimal strings', () => {
    expect(toJson({ a: 12345678901234567890n })).toBe('{"a":{"$bigint":"12345678901234567890"}}');
  });

  it('reads only well-formed bigint markers as bigints', () => {
    expect(fromJson('{"$bigint":"1.5"}')).toEqual({ $bigint: '1.5' });
    expect(fromJson('{"$bigint":"07"}')).toEqual({ $bigint: '07' });
    expect(fromJson('{"$bigint":"7","x":1}')).toEqual({ $bigint: '7', x: 1 });
  });

  it.each([
    ['NaN', { x: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['a Map', { m: new Map([[1, 2]]) }],
    ['a Set', new Set([1])],
    ['undefined', undefined],
    ['an object using the reserved key', { $bigint: '1' }],
  ])('refuses %s instead of storing something else', (_name, value) => {
    expect(() => toJson(value)).toThrow(expect.objectContaining({ code: 'JSON_CODEC' }));
  });
});
