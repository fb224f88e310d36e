import { describe, expect, it } from 'vitest';
import { closeness, editDistance, findLookalike, skeleton } from './lookalike.ts';

// [a, b, close?, why]
const PAIRS: [string, string, boolean, string][] = [
  ['PayPal', 'P\u0430yPal', true, 'Cyrillic а in PayPal matches'],
  ['Acme', '\u0391\u0441m\u0435', true, 'Greek Α and Cyrillic с, е spell Acme'],
  ['Acme Inc', 'Acme lnc', true, 'lower-case l for capital I matches'],
  ['Acme Inc', 'acme inc', true, 'case is folded'],
  ['Acme Inc', 'Acme, Inc.', true, 'punctuation and spaces are ignored'],
  ['monzo', 'rnonzo', true, 'rn matches m'],
  ['wise', 'vvise', true, 'vv matches w'],
  ['Google', 'G00gle', true, 'zeros match o'],
  ['Café Bleu', 'Cafe Bleu', true, 'accents are ignored'],
  ['Acme', 'Ａｃｍｅ', true, 'fullwidth letters are plain letters'],
  ['Acme', 'Ac\u200Bme', true, 'zero-width space is invisible'],
  ['Stripe', 'Strlpe', true, 'i and l fold together'],
  ['Coinbase', 'Coinbsae', true, 'an adjacent swap counts one edit'],
  ['Kraken Exchange', 'Kraken Exchnage', true, 'long names allow an adjacent swap'],
  ['Bitstamp Ltd', 'Bitstamp Ltx', true, 'one edit in a long name'],
  ['Bitstamp Limited', 'Bitstamp Limitex', true, 'one substitution in a long name'],
  ['Binance Global', 'Binance Glob', true, 'two deletions in a name of nine or more'],
  ['Bob', 'Rob', false, 'short names only match by skeleton'],
  ['Anna', 'Hanna', false, 'a four-letter name is not near a five-letter one'],
  ['Alice', 'Bob', false, 'different names'],
  ['Acme', 'Apex', false, 'two edits in a short name'],
  ['Bakery', 'Brewery', false, 'three edits'],
  ['...', '---', false, 'names without letters never match'],
  ['山田商店', '田中商店', false, 'CJK is outside the map: only exact skeletons'],
];

describe('lookalike names', () => {
  for (const [a, b, close, why] of PAIRS) {
    it(`${why}: "${a}" vs "${b}" → ${close ? 'close' : 'not close'}`, () => {
      expect(closeness(a, b).close).toBe(close);
      expect(closeness(b, a).close).toBe(close);
    });
  }

  it('the skeleton of a Cyrillic-and-Greek spelling is plain Latin', () => {
    expect(skeleton('\u0420\u0430\u0443\u0420\u0430l')).toBe('paypal');
    expect(skeleton('\u039C\u03BF\u03BD\u03B6\u03BF')).toBe('movζo');
  });

  it('the same name in identical letters is distance 0', () => {
    expect(closeness('Acme', 'Acme')).toEqual({ close: true, distance: 0 });
  });

  it('edit distance counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abcd', 'acbd')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('😀a', 'a')).toBe(1);
  });

  it('a contact is never its own lookalike', () => {
    const contacts = [{ did: 'did:is:A', name: 'Acme' }];
    expect(findLookalike(['Acme'], 'did:is:A', contacts)).toBeUndefined();
    expect(findLookalike(['Acmé'], 'did:is:B', contacts)).toEqual({ name: 'Acmé', contact: contacts[0] });
  });

  it('any of several names (profile name, label) can be the lookalike', () => {
    const contacts = [{ did: 'did:is:A', name: 'Acme Coffee' }];
    expect(findLookalike([undefined, 'Totally Different', 'Acme Cofee'], 'did:is:B', contacts)?.name).toBe(
      'Acme Cofee',
    );
  });

  it('very long names are compared on their first 256 characters only', () => {
    const long = 'a'.repeat(5000);
    expect(closeness(long, `${long}b`).close).toBe(true);
  });
});
