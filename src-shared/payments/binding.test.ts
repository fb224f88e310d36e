import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { base64urlnopad, createBase58check } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { getCoin } from '../coins/registry.ts';
import { bindingBytes, bindingDigest, bindingHolds, signBinding, type BindingFields } from './binding.ts';
import { bindingFieldsFor, buildPaymentUri, type RequestInput } from './build.ts';
import fixtures from './fixtures/bindings.json' with { type: 'json' };
import { parsePaymentUri, type ParseOptions } from './uri.ts';
import { checkBinding } from './verify.ts';

const KEY_A = hexToBytes('d5b34141a2857def8ba7b42fedce6087e3df1ef91bd4af8845e51f6ca0efa449');
const KEY_B = hexToBytes('83acf3881b2e34c58a9b7581cd14a0c470a402fc9cef11fbbb98855acc43a7f4');
const DID_A = 'did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP';
const NONCE = Uint8Array.from({ length: 16 }, (_, i) => i);
const EXPIRES = 1_800_000_000;

type Vector = (typeof fixtures.vectors)[number];

function fieldsOf(v: Vector): BindingFields {
  const f = v.fields;
  return {
    scheme: f.scheme as BindingFields['scheme'],
    network: f.network as BindingFields['network'],
    did: f.did,
    address: f.address,
    amount: f.amount === null ? undefined : BigInt(f.amount),
    label: f.label ?? undefined,
    message: f.message ?? undefined,
    expires: f.expires,
    nonce: base64urlnopad.decode(f.nonce),
    identityKey: f.identityKey === null ? undefined : base64urlnopad.decode(f.identityKey),
  };
}

/** A request signed by `secret` and built into a URI, as a merchant's node would. */
function signedUri(input: RequestInput & { identity: { did: string } }, secret = KEY_A, expires = EXPIRES): string {
  const fields = bindingFieldsFor(input, expires, NONCE);
  const signature = base64urlnopad.decode(signBinding(fields, secret));
  return buildPaymentUri({ ...input, identity: { ...input.identity, binding: { expires, nonce: NONCE, signature } } });
}

function statusOf(uri: string, options?: ParseOptions): string {
  return checkBinding(parsePaymentUri(uri, options)).status;
}

const coffee: RequestInput & { identity: { did: string } } = {
  coin: getCoin('BTC'),
  address: 'bc1qxvenxvenxvenxvenxvenxvenxvenxven2ymjt8',
  amount: 100_000n,
  label: 'Acme Coffee',
  message: 'Order 42',
  identity: { did: DID_A },
};

describe('binding vectors (fixtures/bindings.json)', () => {
  for (const v of fixtures.vectors) {
    it(`${v.name}: canonical bytes, digest, signature and URI`, () => {
      const fields = fieldsOf(v);
      expect(bytesToHex(bindingBytes(fields))).toBe(v.canonicalHex);
      expect(bytesToHex(bindingDigest(fields))).toBe(v.digestHex);
      expect(signBinding(fields, hexToBytes(v.secretKey))).toBe(v.signature);
      const input = {
        coin: getCoin(v.ticker),
        address: fields.address,
        amount: fields.amount,
        label: fields.label,
        message: fields.message,
        identity: { did: fields.did, key: fields.identityKey },
      };
      const signature = base64urlnopad.decode(v.signature);
      const binding = { expires: fields.expires, nonce: fields.nonce, signature };
      expect(buildPaymentUri({ ...input, identity: { ...input.identity, binding } })).toBe(v.uri);
    });

    it(`${v.name}: the signature recovers the DID's key (checked with noble directly)`, () => {
      const sig = base64urlnopad.decode(v.signature);
      const recovered = secp256k1.Signature.fromBytes(sig.slice(1), 'compact')
        .addRecoveryBit(sig[0]! - 31)
        .recoverPublicKey(hexToBytes(v.digestHex))
        .toBytes(true);
      const address = createBase58check(sha256).encode(Uint8Array.of(55, ...ripemd160(sha256(recovered))));
      expect(`did:is:${address}`).toBe(v.fields.did);
    });

    it(`${v.name}: the URI parses to a valid binding`, () => {
      const check = checkBinding(parsePaymentUri(v.uri, { ticker: v.ticker }));
      expect(check).toMatchObject({ status: 'valid', did: v.fields.did, expiresAt: v.fields.expires * 1000 });
    });
  }

  it('the canonical bytes are the length-prefixed fields of §3.3, in order', () => {
    const v = fixtures.vectors[0]!;
    const parts = [
      'did:is payment binding v1',
      'bitcoin',
      'mainnet',
      v.fields.did,
      v.fields.address,
      '100000',
      'Acme Coffee',
      'Order 42',
      '1800000000',
    ].map((s) => new TextEncoder().encode(s));
    parts.push(NONCE, new Uint8Array(0));
    const hex = parts.map((p) => p.length.toString(16).padStart(8, '0') + bytesToHex(p)).join('');
    expect(v.canonicalHex).toBe(hex);
  });
});

describe('what the binding defeats', () => {
  const uri = signedUri(coffee);

  it('the untouched request verifies', () => {
    expect(statusOf(uri)).toBe('valid');
  });

  it('a swapped address fails the binding', () => {
    const swapped = uri.replace(coffee.address, 'bc1qg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zqd8sxw4');
    expect(swapped).not.toBe(uri);
    expect(statusOf(swapped)).toBe('invalid');
  });

  it('an edited amount fails the binding', () => {
    expect(statusOf(uri.replace('amount=0.001', 'amount=0.01'))).toBe('invalid');
  });

  it('a removed amount fails the binding', () => {
    expect(statusOf(uri.replace('amount=0.001&', ''))).toBe('invalid');
  });

  it('the same amount written differently still verifies (base units are signed)', () => {
    expect(statusOf(uri.replace('amount=0.001', 'amount=0.00100000'))).toBe('valid');
  });

  it('an edited label or message fails the binding', () => {
    expect(statusOf(uri.replace('label=Acme%20Coffee', 'label=Acme%20Coffee%20'))).toBe('invalid');
    expect(statusOf(uri.replace('message=Order%2042', 'message=Order%2043'))).toBe('invalid');
  });

  it('an extended expiry fails the binding', () => {
    expect(statusOf(uri.replace(`identity-expires=${EXPIRES}`, `identity-expires=${EXPIRES + 86_400}`))).toBe(
      'invalid',
    );
  });

  it('a replaced nonce fails the binding', () => {
    expect(
      statusOf(uri.replace('identity-nonce=AAECAwQFBgcICQoLDA0ODw', 'identity-nonce=AQECAwQFBgcICQoLDA0ODw')),
    ).toBe('invalid');
  });

  it('an added identity-key fails the binding', () => {
    const withKey = `${uri}&identity-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8`;
    expect(statusOf(withKey)).toBe('invalid');
  });

  it('a signature by another key under this DID is a failed binding', () => {
    expect(statusOf(signedUri(coffee, KEY_B))).toBe('invalid');
  });

  it('an upper-cased segwit address still verifies (its canonical form is signed)', () => {
    expect(statusOf(uri.replace(coffee.address, coffee.address.toUpperCase()))).toBe('valid');
  });

  it('a signature with an uncompressed-key header never verifies', () => {
    const fields = bindingFieldsFor(coffee, EXPIRES, NONCE);
    const sig = base64urlnopad.decode(signBinding(fields, KEY_A));
    expect(bindingHolds(fields, sig)).toBe(true);
    sig[0] = sig[0]! - 4;
    expect(bindingHolds(fields, sig)).toBe(false);
  });

  it('a testnet binding does not verify on mainnet', () => {
    const fields = bindingFieldsFor(coffee, EXPIRES, NONCE);
    const onTestnet = { ...fields, network: 'testnet' as const };
    const sig = base64urlnopad.decode(signBinding(onTestnet, KEY_A));
    expect(bindingHolds(onTestnet, sig)).toBe(true);
    expect(bindingHolds(fields, sig)).toBe(false);
  });

  it('a testnet binding does not verify on regtest for the same base58 address', () => {
    const onTestnet = signedUri({ ...coffee, coin: getCoin('tBTC'), address: 'mh5CE8Nbj38iND267s4XnvhSmhDW7yWc6Q' });
    expect(statusOf(onTestnet, { ticker: 'tBTC' })).toBe('valid');
    expect(statusOf(onTestnet, { ticker: 'rBTC' })).toBe('invalid');
  });

  it('a devnet A binding does not verify on devnet B', () => {
    const onA = signedUri({
      ...coffee,
      coin: getCoin('DEVA'),
      address: 'rltc1qxvenxvenxvenxvenxvenxvenxvenxvenuxr9sr',
    });
    expect(onA.startsWith('deva:')).toBe(true);
    expect(statusOf(onA)).toBe('valid');
    expect(statusOf(onA.replace(/^deva:/, 'devb:'))).toBe('invalid');
  });

  it('an identity without a signature is unbound, and none is absent', () => {
    expect(statusOf(`bitcoin:${coffee.address}?identity=${DID_A}`)).toBe('unbound');
    expect(statusOf(`bitcoin:${coffee.address}`)).toBe('absent');
  });
});
