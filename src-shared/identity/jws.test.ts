// The table base64url codec of jws.ts against @scure/base as the reference: the same text for any
// bytes, and the same bytes or the same refusal for any text (alphabet, no padding, no length
// 4k+1, canonical last character only).
import { base64urlnopad } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { b64urlFromBytes, b64urlFromText, b64urlToBytes } from './jws.ts';

/** The strict decoding as it was written on @scure/base: regex, decode, canonical re-encode. */
function reference(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  try {
    const bytes = base64urlnopad.decode(text);
    return base64urlnopad.encode(bytes) === text ? bytes : undefined;
  } catch {
    return undefined;
  }
}

// A fixed-seed generator, so a failure names a case that reproduces.
function random(seed: number) {
  let x = seed;
  return (below: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % below;
  };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('base64url of did:is records', () => {
  it('encodes any bytes exactly as @scure/base does', () => {
    const next = random(1);
    for (let length = 0; length < 200; length++) {
      const bytes = Uint8Array.from({ length }, () => next(256));
      expect(b64urlFromBytes(bytes)).toBe(base64urlnopad.encode(bytes));
    }
    expect(b64urlFromBytes(new Uint8Array(300).fill(255))).toBe(base64urlnopad.encode(new Uint8Array(300).fill(255)));
    expect(b64urlFromText('{"alg":"ES256K"} é ✓')).toBe(
      base64urlnopad.encode(new TextEncoder().encode('{"alg":"ES256K"} é ✓')),
    );
  });

  it('decodes what it encodes', () => {
    const next = random(2);
    for (let length = 0; length < 200; length++) {
      const bytes = Uint8Array.from({ length }, () => next(256));
      expect(b64urlToBytes(b64urlFromBytes(bytes))).toEqual(bytes);
    }
  });

  it('agrees with the reference on every text of up to two characters and on the last character of longer ones', () => {
    const chars = `${ALPHABET}=+/. \u0000é\u{1F600}`;
    const texts = [''];
    for (const a of chars) {
      texts.push(a);
      for (const b of chars) texts.push(a + b);
    }
    for (const prefix of ['', 'AAAA', 'AB', 'ABC'])
      for (const c of chars) texts.push(`${prefix}AB${c}`, `${prefix}${c}AB`);
    for (const text of texts) expect(b64urlToBytes(text), JSON.stringify(text)).toEqual(reference(text));
  });

  it('agrees with the reference on random texts with and without foreign characters', () => {
    const next = random(3);
    const chars = `${ALPHABET}${ALPHABET}=+/ é`;
    for (let n = 0; n < 5000; n++) {
      const length = next(40);
      const text = Array.from({ length }, () => chars[next(chars.length)]).join('');
      expect(b64urlToBytes(text), JSON.stringify(text)).toEqual(reference(text));
    }
  });

  it('refuses padding, the standard alphabet, length 4k+1 and non-canonical last characters', () => {
    expect(b64urlToBytes('QQ')).toEqual(Uint8Array.of(0x41));
    expect(b64urlToBytes('QR')).toBeUndefined(); // same byte, unused bits set
    expect(b64urlToBytes('QUI')).toEqual(Uint8Array.of(0x41, 0x42));
    expect(b64urlToBytes('QUJ')).toBeUndefined();
    expect(b64urlToBytes('QQ==')).toBeUndefined();
    expect(b64urlToBytes('+/8')).toBeUndefined();
    expect(b64urlToBytes('-_8')).toEqual(Uint8Array.of(0xfb, 0xff));
    expect(b64urlToBytes('QUJDR')).toBeUndefined();
  });
});
