import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  digestHex,
  findDuplicateKey,
  signBody,
  signingDigest,
  signingPayload,
  verifyBody,
  verifyDigestHex,
  type Signer,
} from './canonical.ts';

function keySigner(n: number): Signer {
  const sk = new Uint8Array(32);
  sk[31] = n;
  return {
    publicKey: bytesToHex(secp256k1.getPublicKey(sk, true)),
    signDigest: (d) => secp256k1.sign(d, sk, { prehash: false }),
  };
}

describe('canonicalJson', () => {
  const valid: Array<[string, unknown, string]> = [
    [
      'sorts keys at every level',
      { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } },
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    ],
    [
      'sorts keys by code unit, upper case first',
      { b: 1, B: 2, a: 3, _: 4, '10': 5, '9': 6 },
      '{"10":5,"9":6,"B":2,"_":4,"a":3,"b":1}',
    ],
    ['has no whitespace', { a: [1, 2], b: 'x y' }, '{"a":[1,2],"b":"x y"}'],
    ['escapes strings as JSON does', { s: 'line\n"quoted"\u0001é' }, '{"s":"line\\n\\"quoted\\"\\u0001é"}'],
    ['keeps amounts as strings', { amount: '150000000' }, '{"amount":"150000000"}'],
    ['accepts the largest safe integer', { t: Number.MAX_SAFE_INTEGER }, '{"t":9007199254740991}'],
    ['accepts negative integers and zero', [-5, 0], '[-5,0]'],
    ['accepts null-prototype objects', Object.assign(Object.create(null) as object, { b: 1, a: 2 }), '{"a":2,"b":1}'],
    ['encodes empty containers', { a: {}, b: [] }, '{"a":{},"b":[]}'],
  ];
  it.each(valid)('%s', (_n, value, text) => expect(canonicalJson(value)).toBe(text));

  it('gives the same text whatever the key insertion order', () => {
    expect(canonicalJson({ x: 1, y: { p: 'a', q: 'b' } })).toBe(canonicalJson({ y: { q: 'b', p: 'a' }, x: 1 }));
  });

  let deep: unknown = 'leaf';
  for (let i = 0; i < 20; i++) deep = [deep];
  const sparse = [1, 2];
  delete sparse[0];
  const refused: Array<[string, unknown, RegExp]> = [
    ['a float', { price: 0.25 }, /safe integers/],
    ['NaN', { n: NaN }, /safe integers/],
    ['Infinity', [Infinity], /safe integers/],
    ['an unsafe integer', 2 ** 53, /safe integers/],
    ['-0', { z: -0 }, /-0/],
    ['a bigint', { amount: 10n }, /bigint/],
    ['undefined as a value', { a: undefined }, /undefined/],
    ['undefined at the top', undefined, /undefined/],
    ['a function', { f: () => 1 }, /function/],
    ['a symbol', Symbol('x'), /symbol/],
    ['a Date', { d: new Date(0) }, /plain objects/],
    ['bytes', { b: new Uint8Array(2) }, /plain objects/],
    ['a Map', new Map(), /plain objects/],
    ['a sparse array', sparse, /sparse/],
    ['a lone surrogate in a string', { s: 'a\ud800b' }, /lone surrogate/],
    ['a lone surrogate in a key', { ['\udc00']: 1 }, /lone surrogate/],
    ['nesting beyond the limit', deep, /deeper than/],
  ];
  it.each(refused)('refuses %s', (_n, value, msg) => {
    expect(() => canonicalJson(value)).toThrow(expect.objectContaining({ code: 'CANONICAL_JSON' }));
    expect(() => canonicalJson(value)).toThrow(msg);
  });
});

describe('findDuplicateKey', () => {
  const cases: Array<[string, string, string | null]> = [
    ['no duplicates', '{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}', null],
    ['a top-level duplicate', '{"a":1,"b":2,"a":3}', 'a'],
    ['a nested duplicate', '{"x":{"k":1,"k":2}}', 'k'],
    ['a duplicate spelled with an escape', '{"ab":1,"\\u0061b":2}', 'ab'],
    ['a duplicate after an inner object closes', '{"a":{"b":1},"a":2}', 'a'],
    ['a string value equal to a key', '{"a":"a","b":"a"}', null],
    ['keys inside arrays of objects are per object', '[{"a":1},{"a":1}]', null],
    ['an escaped quote inside a key', '{"a\\"b":1,"c":"}{","a\\"b":2}', 'a"b'],
    ['an empty object before a key', '{"e":{},"f":1,"e":2}', 'e'],
    ['a key ending in an escaped backslash', '{"a\\\\":1,"b":"\\\\","a\\\\":2}', 'a\\'],
  ];
  it.each(cases)('%s', (_n, text, dup) => {
    JSON.parse(text);
    expect(findDuplicateKey(text)).toBe(dup);
  });
});

describe('signing payload', () => {
  it('is the domain tag, a newline and the canonical JSON', () => {
    expect(new TextDecoder().decode(signingPayload('order', { b: '2', a: 1 }))).toBe(
      'hashlock:order:v1\n{"a":1,"b":"2"}',
    );
  });
  it('digest is SHA-256 of the payload', () => {
    expect(bytesToHex(signingDigest('order.cancel', { a: 1 }))).toBe(
      bytesToHex(sha256(new TextEncoder().encode('hashlock:order.cancel:v1\n{"a":1}'))),
    );
    expect(digestHex('order.cancel', { a: 1 })).toBe(bytesToHex(signingDigest('order.cancel', { a: 1 })));
  });
  it('separates domains: the same body under two types has two digests', () => {
    expect(digestHex('order', { a: 1 })).not.toBe(digestHex('order.cancel', { a: 1 }));
  });
  it.each(['', 'Order', 'a:b', 'a\nb', 'x'.repeat(65), '1abc'])('refuses the type tag %j', (tag) => {
    expect(() => signingPayload(tag, {})).toThrow(expect.objectContaining({ code: 'CANONICAL_JSON' }));
  });
});

describe('sign and verify', () => {
  const alice = keySigner(7);
  const bob = keySigner(8);
  const body = { orderId: 'ab'.repeat(32), seq: 3 };
  const sig = signBody('order.cancel', body, alice);

  it('verifies a signature by the signer over the same body and type', () => {
    expect(sig).toMatch(/^[0-9a-f]{128}$/);
    expect(verifyBody('order.cancel', { seq: 3, orderId: 'ab'.repeat(32) }, sig, alice.publicKey)).toBe(true);
    expect(verifyDigestHex(digestHex('order.cancel', body), sig, alice.publicKey)).toBe(true);
  });
  const forged: Array<[string, () => boolean]> = [
    ['another key', () => verifyBody('order.cancel', body, sig, bob.publicKey)],
    ['another type', () => verifyBody('order.keepalive', body, sig, alice.publicKey)],
    ['a changed body', () => verifyBody('order.cancel', { ...body, seq: 4 }, sig, alice.publicKey)],
    [
      'a flipped signature bit',
      () => verifyBody('order.cancel', body, (sig[0] === '0' ? '1' : '0') + sig.slice(1), alice.publicKey),
    ],
    ['upper-case hex', () => verifyBody('order.cancel', body, sig.toUpperCase(), alice.publicKey)],
    ['a short signature', () => verifyBody('order.cancel', body, sig.slice(2), alice.publicKey)],
    ['a public key that is not on the curve', () => verifyBody('order.cancel', body, sig, `02${'ff'.repeat(32)}`)],
    ['an uncompressed-looking key', () => verifyBody('order.cancel', body, sig, `04${'11'.repeat(32)}`)],
    ['a body with no canonical form', () => verifyBody('order.cancel', { x: 1.5 }, sig, alice.publicKey)],
    ['a digest that is not hex', () => verifyDigestHex('zz'.repeat(32), sig, alice.publicKey)],
  ];
  it.each(forged)('refuses a signature checked against %s', (_n, check) => expect(check()).toBe(false));

  it('refuses the high-S twin of a valid signature (malleability)', () => {
    const parsed = secp256k1.Signature.fromBytes(hexToBytes(sig), 'compact');
    const highS = new secp256k1.Signature(parsed.r, secp256k1.Point.CURVE().n - parsed.s);
    expect(verifyBody('order.cancel', body, bytesToHex(highS.toBytes('compact')), alice.publicKey)).toBe(false);
  });
});
