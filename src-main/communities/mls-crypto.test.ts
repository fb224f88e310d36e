import { describe, expect, it } from 'vitest';
import { defaultCryptoProvider, getCiphersuiteFromName } from 'ts-mls';
import type { CiphersuiteImpl } from 'ts-mls';
import { bytesToHex, utf8ToBytes } from '../../src-shared/communities/ids.ts';
import {
  CIPHERSUITE,
  commit,
  createGroup,
  createMlsContext,
  decodeKeyPackage,
  deserializeGroup,
  encrypt,
  joinFromWelcome,
  receive,
  serializeGroup,
} from '../../src-shared/communities/mls.ts';
import type { Group } from '../../src-shared/communities/mls.ts';
import { descriptorFor, device, identity, T0 } from '../../src-shared/communities/testkit.ts';
import { syncCryptoProvider } from './mls-crypto.ts';

const suite = getCiphersuiteFromName(CIPHERSUITE);
const web = await defaultCryptoProvider.getCiphersuiteImpl(suite);
const sync = await syncCryptoProvider.getCiphersuiteImpl(suite);

/** Deterministic pseudo-random bytes (the inputs differ per case and length). */
function bytesOf(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const hex = async (p: Promise<Uint8Array>) => bytesToHex(await p);
/** The outcome of a call: its bytes, or that it threw. */
async function outcome<T>(p: () => Promise<T>): Promise<string> {
  try {
    const v = await p();
    return v instanceof Uint8Array ? bytesToHex(v) : JSON.stringify(v);
  } catch {
    return 'threw';
  }
}
const both = async <T>(call: (impl: CiphersuiteImpl) => Promise<T>) => [
  await outcome(() => call(web)),
  await outcome(() => call(sync)),
];

describe('the synchronous MLS crypto provider', () => {
  it('HKDF extract and expand give the same bytes (or refusals) as WebCrypto for many lengths', async () => {
    for (const [i, n] of [0, 1, 16, 31, 32, 33, 64, 100].entries()) {
      const salt = bytesOf(i, n);
      const ikm = bytesOf(i + 100, (n * 7) % 80);
      const [a, b] = await both((impl) => impl.kdf.extract(salt, ikm));
      expect(b).toBe(a);
      // Only an empty or a 32-byte salt is taken.
      expect(a === 'threw').toBe(n !== 0 && n !== 32);
      for (const prk of [bytesOf(i + 50, 32), bytesOf(i + 51, n)]) {
        for (const len of [0, 1, 12, 16, 32, 33, 64, 255, 255 * 32, 255 * 32 + 1]) {
          const info = bytesOf(i + len, len % 40);
          const [x, y] = await both((impl) => impl.kdf.expand(prk, info, len));
          expect(y).toBe(x);
        }
      }
    }
    expect(sync.kdf.size).toBe(web.kdf.size);
  });

  it('SHA-256 and HMAC agree with WebCrypto, and a MAC verifies only when it is right', async () => {
    for (const n of [0, 1, 55, 56, 64, 65, 1000]) {
      const data = bytesOf(n, n);
      const key = bytesOf(n + 1, (n % 70) + 1);
      expect(await hex(sync.hash.digest(data))).toBe(await hex(web.hash.digest(data)));
      const mac = await web.hash.mac(key, data);
      expect(await hex(sync.hash.mac(key, data))).toBe(bytesToHex(mac));
      expect(await sync.hash.verifyMac(key, mac, data)).toBe(true);
      const bad = mac.slice();
      bad[0]! ^= 1;
      expect(await both((impl) => impl.hash.verifyMac(key, bad, data))).toEqual(['false', 'false']);
      expect(await both((impl) => impl.hash.verifyMac(key, mac.slice(0, 16), data))).toEqual(['false', 'false']);
    }
  });

  it('AES-128-GCM seals to the same bytes and refuses what was altered, as WebCrypto does', async () => {
    for (const n of [0, 1, 15, 16, 17, 1024, 1100]) {
      const key = bytesOf(n, 16);
      const nonce = bytesOf(n + 1, 12);
      const plaintext = bytesOf(n + 2, n);
      for (const aad of [undefined, new Uint8Array(), bytesOf(n + 3, 29)]) {
        const ct = await web.hpke.encryptAead(key, nonce, aad, plaintext);
        expect(await hex(sync.hpke.encryptAead(key, nonce, aad, plaintext))).toBe(bytesToHex(ct));
        expect(await hex(sync.hpke.decryptAead(key, nonce, aad, ct))).toBe(bytesToHex(plaintext));
        const flipped = ct.slice();
        flipped[Math.floor(ct.length / 2)]! ^= 0x40;
        expect(await both((impl) => impl.hpke.decryptAead(key, nonce, aad, flipped))).toEqual(['threw', 'threw']);
        expect(await both((impl) => impl.hpke.decryptAead(key, nonce, bytesOf(9, 3), ct))).toEqual(['threw', 'threw']);
        expect(await both((impl) => impl.hpke.decryptAead(key, nonce, aad, ct.slice(0, 10)))).toEqual([
          'threw',
          'threw',
        ]);
      }
    }
  });

  it('Ed25519: keys from either provider sign the same bytes and verify alike, forgeries included', async () => {
    for (const [name, impl] of [
      ['web', web],
      ['sync', sync],
    ] as const) {
      const { signKey, publicKey } = await impl.signature.keygen();
      expect([name, signKey.length, publicKey.length]).toEqual([name, 48, 32]);
      const seed = signKey.slice(16);
      for (const n of [0, 1, 64, 500]) {
        const msg = bytesOf(n + 7, n);
        const sig = await web.signature.sign(signKey, msg);
        // The PKCS#8 key, and the raw 32-byte seed ts-mls may also hold.
        expect(await hex(sync.signature.sign(signKey, msg))).toBe(bytesToHex(sig));
        expect(await hex(sync.signature.sign(seed, msg))).toBe(bytesToHex(sig));
        expect(await both((i) => i.signature.verify(publicKey, msg, sig))).toEqual(['true', 'true']);
        const forged = sig.slice();
        forged[5]! ^= 1;
        expect(await both((i) => i.signature.verify(publicKey, msg, forged))).toEqual(['false', 'false']);
        const other = bytesOf(n + 8, n + 1);
        expect(await both((i) => i.signature.verify(publicKey, other, sig))).toEqual(['false', 'false']);
        expect(await both((i) => i.signature.verify(publicKey, msg, sig.slice(0, 63)))).toEqual(['false', 'false']);
        expect(await both((i) => i.signature.verify(publicKey.slice(0, 31), msg, sig))).toEqual(['threw', 'threw']);
        // s ≥ L (non-canonical): both refuse.
        const highS = sig.slice();
        highS[63] = 0xff;
        expect(await both((i) => i.signature.verify(publicKey, msg, highS))).toEqual(['false', 'false']);
      }
    }
  });

  it('groups on either provider interoperate and their states serialize to the same bytes after the same messages', async () => {
    const webCtx = await createMlsContext();
    const syncCtx = await createMlsContext(syncCryptoProvider);
    const alice = await device(syncCtx, identity('sp-alice'));
    const bob = await device(webCtx, identity('sp-bob'));
    const a0 = await createGroup(syncCtx, { descriptor: await descriptorFor(alice.who), own: alice.bundle });
    const added = await commit(syncCtx, a0, { add: [decodeKeyPackage(bob.bundle.bytes)] }, T0);
    let aliceGroup = added.group;
    let bobWeb = await joinFromWelcome(webCtx, added.welcome!, bob.bundle);
    // Bob's state twice: one receiving through WebCrypto, one through the synchronous provider.
    let bobSync: Group = deserializeGroup(syncCtx, serializeGroup(bobWeb));
    const read = (b: Uint8Array) => new TextDecoder().decode(b);
    for (let i = 0; i < 20; i++) {
      const sent = await encrypt(syncCtx, aliceGroup, utf8ToBytes(`m${i}`));
      aliceGroup = sent.group;
      const viaWeb = await receive(webCtx, bobWeb, sent.message, T0);
      const viaSync = await receive(syncCtx, bobSync, sent.message, T0);
      expect(viaWeb.kind).toBe('message');
      expect(viaSync.kind).toBe('message');
      if (viaWeb.kind !== 'message' || viaSync.kind !== 'message') return;
      expect([read(viaSync.plaintext), viaSync.sender.did]).toEqual([read(viaWeb.plaintext), alice.who.did]);
      bobWeb = viaWeb.group;
      bobSync = viaSync.group;
      expect(bytesToHex(serializeGroup(bobSync))).toBe(bytesToHex(serializeGroup(bobWeb)));
    }
    // Bob answers through WebCrypto; Alice reads it through the synchronous provider.
    const reply = await encrypt(webCtx, bobWeb, utf8ToBytes('back'));
    const got = await receive(syncCtx, aliceGroup, reply.message, T0);
    expect(got.kind === 'message' ? read(got.plaintext) : got.kind).toBe('back');
    // An altered message is refused by both.
    const tampered = reply.message.slice();
    tampered[tampered.length - 3]! ^= 1;
    const refusedSync = await receive(syncCtx, aliceGroup, tampered, T0);
    expect(refusedSync.kind).toBe('refused');
  });

  it('another ciphersuite is left to the default provider', async () => {
    const p256 = getCiphersuiteFromName('MLS_128_DHKEMP256_AES128GCM_SHA256_P256');
    const other = await syncCryptoProvider.getCiphersuiteImpl(p256);
    // P-256 signatures: the default verifies them; our Ed25519 refuses the key.
    const { signKey, publicKey } = await other.signature.keygen();
    const msg = bytesOf(4, 20);
    const sig = await other.signature.sign(signKey, msg);
    expect(await other.signature.verify(publicKey, msg, sig)).toBe(true);
    expect(await outcome(() => sync.signature.verify(publicKey, msg, sig))).toBe('threw');
  });
});
