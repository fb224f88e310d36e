import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { BIP32Factory } from 'bip32';
import { script } from 'bitcoinjs-lib';
import * as ecc from '@bitcoinerlab/secp256k1';
import { describe, expect, it } from 'vitest';
import { loadLibsecp256k1 } from '../kernel/libsecp256k1.ts';
import {
  createKeyRing,
  eccFor,
  formatPath,
  identityKeyPath,
  ORDER_KEY_PATH,
  SERVICE_NODE_KEY_PATH,
  SWAP_KEY_BRANCH,
} from './keyring.ts';
import { secp256k1Verifier, signBody, verifyBody } from '../../src-shared/protocol/canonical.ts';
import bip32Vectors from './fixtures/bip32-vectors.json' with { type: 'json' };
import bip39Vectors from './fixtures/bip39-vectors.json' with { type: 'json' };
import pinned from './fixtures/derived-keys.json' with { type: 'json' };
import keyPaths from '../../src-shared/identity/fixtures/key-paths.json' with { type: 'json' };
import { addressOfKey, recoverCompact } from '../../src-shared/identity/compact.ts';
import { mnemonicToSeedSync } from '@scure/bip39';

const HARDENED = 0x80000000;
const CURVE_N = secp256k1.Point.CURVE().n;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const bigFrom = (b: Uint8Array): bigint => BigInt(`0x${hex(b)}`);

/** A second, from-the-spec BIP32 CKDpriv (noble hashes + curve), to check the bip32 package's paths. */
function independentPrivateKey(seed: Uint8Array, path: readonly number[]): Uint8Array {
  let I: Uint8Array = hmac(sha512, new TextEncoder().encode('Bitcoin seed'), seed);
  let k: Uint8Array = I.slice(0, 32);
  let c = I.slice(32);
  for (const index of path) {
    const ser = new Uint8Array(4);
    new DataView(ser.buffer).setUint32(0, index);
    const data =
      index >= HARDENED
        ? Uint8Array.from([0, ...k, ...ser])
        : Uint8Array.from([...secp256k1.getPublicKey(k, true), ...ser]);
    I = hmac(sha512, c, data);
    const child = (bigFrom(I.slice(0, 32)) + bigFrom(k)) % CURVE_N;
    k = fromHex(child.toString(16).padStart(64, '0'));
    c = I.slice(32);
  }
  return k;
}

const vectorSeed = (): Uint8Array => fromHex(bip39Vectors.valid[0]!.seed);
const digestOf = (text: string): Uint8Array => sha256(new TextEncoder().encode(text));

describe('derivation paths', () => {
  it('names the documented paths', () => {
    expect(formatPath(SWAP_KEY_BRANCH)).toBe("m/9641'/0'/0'/0");
    expect(formatPath(identityKeyPath(3))).toBe("m/302'/616'/3'/0/0");
    expect(formatPath(ORDER_KEY_PATH)).toBe("m/9641'/1'/0'/0/0");
    expect(formatPath(SERVICE_NODE_KEY_PATH)).toBe("m/9641'/2'/0'/0/0");
  });

  it.each([
    ['order', ORDER_KEY_PATH],
    ['serviceNode', SERVICE_NODE_KEY_PATH],
  ] as const)('the %s key matches an independent derivation of its path', (kind, path) => {
    const ring = createKeyRing(vectorSeed());
    expect(hex(ring.networkPublicKey(kind))).toBe(
      hex(secp256k1.getPublicKey(independentPrivateKey(vectorSeed(), path), true)),
    );
  });

  it('the bip32 package as configured reproduces BIP32 test vector 1', () => {
    const root = BIP32Factory(ecc).fromSeed(Buffer.from(bip32Vectors.seed, 'hex'));
    for (const d of bip32Vectors.derivations)
      expect((d.path === 'm' ? root : root.derivePath(d.path)).toBase58()).toBe(d.xprv);
  });

  it('the independent CKDpriv reproduces BIP32 test vector 1 too', () => {
    const root = BIP32Factory(ecc).fromBase58(bip32Vectors.derivations[2]!.xprv);
    const path = [HARDENED, 1, 2 + HARDENED, 2, 1000000000];
    expect(hex(independentPrivateKey(fromHex(bip32Vectors.seed), path))).toBe(hex(root.privateKey!));
  });

  it.each([0, 1, 7, 2 ** 31 - 1])("swap key %i matches an independent derivation of m/9641'/0'/0'/0/i", (index) => {
    const ring = createKeyRing(vectorSeed());
    const priv = independentPrivateKey(vectorSeed(), [...SWAP_KEY_BRANCH, index]);
    expect(hex(ring.swapPublicKey(index))).toBe(hex(secp256k1.getPublicKey(priv, true)));
  });

  it.each([0, 1, 5])(
    "identity key for account %i matches an independent derivation of m/302'/616'/a'/0/0",
    (account) => {
      const ring = createKeyRing(vectorSeed());
      const priv = independentPrivateKey(vectorSeed(), identityKeyPath(account));
      expect(hex(ring.identityPublicKey(account))).toBe(hex(secp256k1.getPublicKey(priv, true)));
    },
  );

  it('keeps producing the pinned keys for the reference phrase (paths never change silently)', () => {
    const ring = createKeyRing(vectorSeed());
    for (const p of pinned.swap) expect(hex(ring.swapPublicKey(p.index))).toBe(p.publicKey);
    for (const p of pinned.identity) expect(hex(ring.identityPublicKey(p.account))).toBe(p.publicKey);
    for (const p of pinned.network)
      expect(hex(ring.networkPublicKey(p.kind as 'order' | 'serviceNode'))).toBe(p.publicKey);
  });

  it('gives the order key and the service-node key apart from every swap key', () => {
    const ring = createKeyRing(vectorSeed());
    const order = hex(ring.networkPublicKey('order'));
    const sn = hex(ring.networkPublicKey('serviceNode'));
    expect(order).not.toBe(sn);
    for (const i of [0, 1, 2]) expect([order, sn]).not.toContain(hex(ring.swapPublicKey(i)));
  });

  it('is deterministic and gives distinct keys per index', () => {
    const a = createKeyRing(vectorSeed());
    const b = createKeyRing(vectorSeed());
    expect(hex(a.swapPublicKey(4))).toBe(hex(b.swapPublicKey(4)));
    expect(hex(a.swapPublicKey(4))).not.toBe(hex(a.swapPublicKey(5)));
    expect(hex(a.identityPublicKey(0))).not.toBe(hex(a.swapPublicKey(0)));
  });

  it.each([-1, 1.5, 2 ** 31, Number.NaN])('refuses index %s', (bad) => {
    const ring = createKeyRing(vectorSeed());
    expect(() => ring.swapPublicKey(bad)).toThrow(RangeError);
    expect(() => ring.identityPublicKey(bad)).toThrow(RangeError);
  });
});

describe('swap signatures', () => {
  const ring = createKeyRing(vectorSeed());
  const digests = Array.from({ length: 40 }, (_, i) => digestOf(`swap digest ${i}`));

  it('are 64-byte compact signatures that verify under the swap public key', () => {
    for (const [i, digest] of digests.entries()) {
      const sig = ring.signSwapDigest(i % 3, digest);
      expect(sig).toHaveLength(64);
      expect(secp256k1.verify(sig, digest, ring.swapPublicKey(i % 3), { prehash: false, lowS: true })).toBe(true);
      expect(secp256k1.verify(sig, digest, ring.swapPublicKey((i % 3) + 1), { prehash: false })).toBe(false);
    }
  });

  it('are low-R (r < 2^255) and low-S (s <= n/2), even where a plain RFC6979 signature is high-R', () => {
    const priv = independentPrivateKey(vectorSeed(), [...SWAP_KEY_BRANCH, 0]);
    let plainHighR = 0;
    for (const digest of digests) {
      if ((secp256k1.sign(digest, priv, { prehash: false }).at(0) ?? 0) >= 0x80) plainHighR += 1;
      const sig = ring.signSwapDigest(0, digest);
      expect(sig[0]).toBeLessThan(0x80);
      expect(bigFrom(sig.subarray(32))).toBeLessThanOrEqual(CURVE_N / 2n);
    }
    expect(plainHighR).toBeGreaterThan(0); // otherwise the low-R assertion above proved nothing
  });

  it('DER-encode with bitcoinjs script.signature.encode to at most 71 bytes plus the hash type', () => {
    for (const digest of digests) {
      const der = script.signature.encode(ring.signSwapDigest(0, digest), 0x01);
      expect(der.length).toBeLessThanOrEqual(72);
      expect(der[3]).toBeLessThanOrEqual(32); // r never needs a 0x00 pad: low-R
      expect(hex(script.signature.decode(der).signature)).toBe(hex(ring.signSwapDigest(0, digest)));
    }
  });

  it('refuses a digest that is not 32 bytes', () => {
    expect(() => ring.signSwapDigest(0, new Uint8Array(31))).toThrow(RangeError);
  });
});

describe('order-network signatures', () => {
  const ring = createKeyRing(vectorSeed());

  it('verify as order-network signatures (low S, compact) under their key and no other', () => {
    for (const kind of ['order', 'serviceNode'] as const) {
      const signer = {
        publicKey: hex(ring.networkPublicKey(kind)),
        signDigest: (d: Uint8Array) => ring.signNetworkDigest(kind, d),
      };
      for (let i = 0; i < 12; i += 1) {
        const body = { n: i, kind };
        const sig = signBody('order.cancel', body, signer);
        expect(verifyBody('order.cancel', body, sig, signer.publicKey, secp256k1Verifier)).toBe(true);
        expect(verifyBody('order.keepalive', body, sig, signer.publicKey, secp256k1Verifier)).toBe(false);
        expect(bigFrom(fromHex(sig).subarray(32))).toBeLessThanOrEqual(CURVE_N / 2n);
      }
    }
    const sig = ring.signNetworkDigest('order', digestOf('x'));
    expect(secp256k1.verify(sig, digestOf('x'), ring.networkPublicKey('serviceNode'), { prehash: false })).toBe(false);
  });

  it('refuses a digest that is not 32 bytes', () => {
    expect(() => ring.signNetworkDigest('order', new Uint8Array(33))).toThrow(RangeError);
  });
});

describe('identity signatures', () => {
  const ring = createKeyRing(vectorSeed());

  it('are 65 bytes, header 31..34, and recover to the identity public key', () => {
    for (let i = 0; i < 12; i += 1) {
      const digest = digestOf(`identity ${i}`);
      const sig = ring.signIdentityDigest(2, digest);
      expect(sig).toHaveLength(65);
      const header = sig[0]!;
      expect(header).toBeGreaterThanOrEqual(31);
      expect(header).toBeLessThanOrEqual(34);
      const nobleForm = Uint8Array.from([header - 31, ...sig.subarray(1)]);
      expect(hex(secp256k1.recoverPublicKey(nobleForm, digest, { prehash: false }))).toBe(
        hex(ring.identityPublicKey(2)),
      );
      expect(secp256k1.verify(sig.subarray(1), digest, ring.identityPublicKey(2), { prehash: false, lowS: true })).toBe(
        true,
      );
    }
  });
});

describe('identity keys on both purpose-302 paths (src-shared/identity/fixtures/key-paths.json)', () => {
  const ring = createKeyRing(mnemonicToSeedSync(keyPaths.mnemonic, keyPaths.passphrase));
  const schemeOf = (path: string) => (path.startsWith("m/302'/616'") ? 'wallet' : 'purpose');
  const indexOf = (path: string) => Number(/^m\/302'\/(?:616'\/)?(\d+)'/.exec(path)![1]);

  it.each(keyPaths.keys)('derives $address at $path', ({ path, address }) => {
    const scheme = schemeOf(path);
    expect(formatPath(identityKeyPath(indexOf(path), scheme))).toBe(path);
    expect(addressOfKey(ring.identityPublicKey(indexOf(path), scheme))).toBe(address);
  });

  it('signs with the key of the scheme asked for, never the other', () => {
    const digest = digestOf('which path');
    for (const { path, address } of keyPaths.keys) {
      const sig = ring.signIdentityDigest(indexOf(path), digest, schemeOf(path));
      expect(addressOfKey(recoverCompact(digest, sig))).toBe(address);
    }
    expect(hex(ring.identityPublicKey(0, 'purpose'))).not.toBe(hex(ring.identityPublicKey(0, 'wallet')));
  });

  it('refuses a scheme it does not know', () => {
    expect(() => ring.identityPublicKey(0, 'other' as 'wallet')).toThrow(RangeError);
  });
});

describe('wipe', () => {
  it('zeroes the seed it was given at once', () => {
    const seed = vectorSeed();
    createKeyRing(seed);
    expect(seed.every((b) => b === 0)).toBe(true);
  });

  it('makes every operation fail afterwards but leaves public keys already handed out intact', () => {
    const ring = createKeyRing(vectorSeed());
    const pub = ring.swapPublicKey(0);
    const copy = hex(pub);
    ring.identityPublicKey(0);
    ring.identityPublicKey(0, 'purpose');
    ring.wipe();
    expect(hex(pub)).toBe(copy);
    expect(() => ring.swapPublicKey(0)).toThrow();
    expect(() => ring.signSwapDigest(0, new Uint8Array(32))).toThrow();
    expect(() => ring.identityPublicKey(0)).toThrow();
    expect(() => ring.signIdentityDigest(0, new Uint8Array(32))).toThrow();
    expect(() => ring.signIdentityDigest(0, new Uint8Array(32), 'purpose')).toThrow();
    expect(() => ring.networkPublicKey('order')).toThrow();
    expect(() => ring.signNetworkDigest('serviceNode', new Uint8Array(32))).toThrow();
  });
});

describe('public keys through libsecp256k1', () => {
  const native = eccFor();

  it("uses the binding where the package ships one, and gives noble's keys, compressed or not", () => {
    const shipped = ['linux-x64', 'darwin-arm64', 'win32-x64'].includes(`${process.platform}-${process.arch}`);
    expect(native.pointFromScalar !== ecc.pointFromScalar).toBe(shipped && loadLibsecp256k1() !== null);
    for (let i = 0; i < 50; i++) {
      const d = secp256k1.utils.randomSecretKey();
      expect(hex(native.pointFromScalar(d, true)!)).toBe(hex(secp256k1.getPublicKey(d, true)));
      expect(hex(native.pointFromScalar(d, false)!)).toBe(hex(secp256k1.getPublicKey(d, false)));
      expect(hex(native.pointFromScalar(d)!)).toBe(hex(secp256k1.getPublicKey(d, true)));
    }
  });

  it('answers a key libsecp256k1 refuses (zero, the order) exactly as noble does', () => {
    const refusing = eccFor({
      ecdsaVerify: () => false,
      publicKeyCreate: () => {
        throw new Error('libsecp256k1 refused');
      },
    });
    const good = secp256k1.utils.randomSecretKey();
    expect(hex(refusing.pointFromScalar(good, true)!)).toBe(hex(secp256k1.getPublicKey(good, true)));
    for (const bad of [new Uint8Array(32), fromHex(CURVE_N.toString(16))]) {
      let nobleError: unknown;
      try {
        ecc.pointFromScalar(bad, true);
      } catch (err) {
        nobleError = err;
      }
      expect(nobleError).toBeInstanceOf(Error);
      expect(() => native.pointFromScalar(bad, true)).toThrow((nobleError as Error).message);
    }
  });

  it('derives identity keys from the kept parents as the spec does, on both schemes, in any order', () => {
    const ring = createKeyRing(vectorSeed());
    for (const index of [7, 0, 31, 2, 1000]) {
      for (const scheme of ['wallet', 'purpose'] as const) {
        const priv = independentPrivateKey(vectorSeed(), identityKeyPath(index, scheme));
        expect(hex(ring.identityPublicKey(index, scheme))).toBe(hex(secp256k1.getPublicKey(priv, true)));
      }
    }
  });
});
