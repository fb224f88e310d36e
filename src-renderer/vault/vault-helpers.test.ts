import { describe, expect, it } from 'vitest';
import { cryptoRandomBelow, normalizeMnemonic, pickCheckPositions, splitMnemonic, wordMatches } from './mnemonic.ts';
import { passwordStrength } from './password.ts';

describe('password strength hint', () => {
  it.each([
    ['', 'too-short'],
    ['abc1234', 'too-short'],
    ['aaaaaaaaaaaa', 'weak'],
    ['abcdefgh', 'weak'],
    ['abcdefghij', 'fair'],
    ['abcD3fgh', 'fair'],
    ['correct horse battery', 'strong'],
    ['Tr0ub4dor&3xy', 'strong'],
  ])('rates %j as %s', (pw, strength) => {
    expect(passwordStrength(pw)).toBe(strength);
  });
});

describe('recovery phrase helpers', () => {
  it('tidies a pasted phrase with numbering, capitals and line breaks', () => {
    expect(normalizeMnemonic(' 1. Abandon\n2) ability  3. able\t')).toBe('abandon ability able');
  });

  it('splits words on any whitespace', () => {
    expect(splitMnemonic('a  b\nc ')).toEqual(['a', 'b', 'c']);
  });

  it('picks distinct positions within the phrase, sorted', () => {
    let n = 0;
    const sequence = [11, 0, 5];
    const positions = pickCheckPositions(12, 3, () => sequence[n++] ?? 0);
    expect(positions).toEqual([1, 7, 12]);
  });

  it('never picks the same word twice with the real random source', () => {
    for (let i = 0; i < 50; i++) {
      const p = pickCheckPositions(12, 3, cryptoRandomBelow);
      expect(new Set(p).size).toBe(3);
      expect(p.every((x) => x >= 1 && x <= 12)).toBe(true);
    }
  });

  it('accepts a typed word regardless of case and surrounding spaces, and nothing else', () => {
    expect(wordMatches('abandon', ' Abandon ')).toBe(true);
    expect(wordMatches('abandon', 'abandon1')).toBe(false);
    expect(wordMatches('abandon', '')).toBe(false);
  });
});
