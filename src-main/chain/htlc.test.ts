import * as ecc from '@bitcoinerlab/secp256k1';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { bech32 } from '@scure/base';
import { Transaction, payments, script as bscript } from 'bitcoinjs-lib';
import { ECPairFactory } from 'ecpair';
import { describe, expect, it } from 'vitest';
import { getCoin } from '../../src-shared/coins/registry.ts';
import {
  HTLC_CLAIM_MAX_VSIZE,
  HTLC_REFUND_MAX_VSIZE,
  decodeHtlcScript,
  encodeHtlcScript,
  p2wshOutputScript,
} from '../../src-shared/swaps/script.ts';
import fixtures from './htlc-fixtures.json' with { type: 'json' };
import {
  buildClaimTx,
  buildRefundTx,
  clampFeeRate,
  dustThreshold,
  extractSecret,
  htlcAddress,
  htlcOutputScript,
  htlcScript,
  networkOf,
  parseHtlcScript,
} from './htlc.ts';
import type { HtlcParams, SwapSigner } from './htlc.ts';

const ECPair = ECPairFactory(ecc);
const DEVA = getCoin('DEVA');
const BTC = getCoin('BTC');

/** Test-only signer: an ecpair key signing low-R, as the vault's signSwapDigest does. */
function testSigner(n: number): SwapSigner & { privateKey: Uint8Array } {
  const privateKey = new Uint8Array(32);
  privateKey[31] = n;
  const pair = ECPair.fromPrivateKey(privateKey);
  return { privateKey, publicKey: pair.publicKey, signDigest: (d) => pair.sign(d, true) };
}

function params(v: { secretHash: string; claimPubkey: string; refundPubkey: string; locktime: number }): HtlcParams {
  return {
    secretHash: hexToBytes(v.secretHash),
    claimPubkey: hexToBytes(v.claimPubkey),
    refundPubkey: hexToBytes(v.refundPubkey),
    locktime: v.locktime,
  };
}

describe('htlc fixtures: valid', () => {
  it.each(fixtures.valid.map((v) => [v.description, v] as const))('%s', (_d, v) => {
    const script = htlcScript(params(v));
    expect(bytesToHex(script)).toBe(v.script);
    // Two independent constructions agree byte for byte.
    expect(bytesToHex(encodeHtlcScript(v))).toBe(v.script);
    expect(parseHtlcScript(script)).toEqual(params(v));
    expect(decodeHtlcScript(script)).toEqual({
      secretHash: v.secretHash,
      claimPubkey: v.claimPubkey,
      refundPubkey: v.refundPubkey,
      locktime: v.locktime,
    });
    expect(bytesToHex(sha256(hexToBytes(v.secret)))).toBe(v.secretHash);
    for (const [ticker, addr] of Object.entries(v.addresses)) expect(htlcAddress(script, getCoin(ticker))).toBe(addr);
    expect(htlcOutputScript(script)).toEqual(p2wshOutputScript(script));
  });
  it("addresses carry each coin's bech32 prefix (rltc1 for the devnet)", () => {
    const script = hexToBytes(fixtures.valid[0]!.script);
    expect(htlcAddress(script, DEVA)).toMatch(/^rltc1q/);
    expect(htlcAddress(script, getCoin('DEVB'))).toMatch(/^rltc1q/);
    expect(htlcAddress(script, getCoin('LTC'))).toMatch(/^ltc1q/);
    expect(htlcAddress(script, BTC)).toMatch(/^bc1q/);
    const decoded = bech32.decode(htlcAddress(script, DEVA) as `${string}1${string}`);
    expect(bech32.fromWords(decoded.words.slice(1))).toEqual(sha256(script));
  });
});

describe('htlc fixtures: invalid', () => {
  it.each(fixtures.invalid.parse.map((v) => [v.description, v] as const))('parse refuses %s', (_d, v) => {
    const bytes = hexToBytes(v.script);
    expect(() => parseHtlcScript(bytes)).toThrow(expect.objectContaining({ code: v.error }));
    expect(() => decodeHtlcScript(bytes)).toThrow(expect.objectContaining({ code: v.error }));
  });
  it.each(fixtures.invalid.build.map((v) => [v.description, v] as const))('build refuses %s', (_d, v) => {
    expect(() => htlcScript(params(v))).toThrow(expect.objectContaining({ code: v.error }));
    expect(() => encodeHtlcScript(v)).toThrow(expect.objectContaining({ code: v.error }));
  });
});

describe('networkOf', () => {
  it('builds the devnet network from the registry', () => {
    expect(networkOf(DEVA)).toMatchObject({ bech32: 'rltc', pubKeyHash: 0x6f, scriptHash: 0x3a, wif: 0xef });
  });
});

// One HTLC on the devnet: taker key 3 claims, maker key 1 refunds after block 264.
const SECRET = hexToBytes('5e'.repeat(32));
const claimer = testSigner(3);
const refunder = testSigner(1);
const htlc: HtlcParams = {
  secretHash: sha256(SECRET),
  claimPubkey: claimer.publicKey,
  refundPubkey: refunder.publicKey,
  locktime: 264,
};
const SCRIPT = htlcScript(htlc);
const VALUE = 1_000_000n;
const FUNDING = 'f0'.repeat(32);
const payout = (n: number, coin = DEVA) =>
  payments.p2wpkh({ pubkey: testSigner(n).publicKey, network: networkOf(coin) }).address!;
const base = {
  fundingTxid: FUNDING,
  vout: 1,
  value: VALUE,
  script: SCRIPT,
  destination: payout(20),
  feeRateSatPerVb: 10n,
  coin: DEVA,
};

function verifyInputSignature(tx: Transaction, pubkey: Uint8Array): { der: Uint8Array } {
  const der = tx.ins[0]!.witness[0]!;
  const { signature, hashType } = bscript.signature.decode(der);
  expect(hashType).toBe(Transaction.SIGHASH_ALL);
  const digest = tx.hashForWitnessV0(0, SCRIPT, VALUE, Transaction.SIGHASH_ALL);
  expect(secp256k1.verify(signature, digest, pubkey, { prehash: false })).toBe(true);
  return { der };
}

describe('buildClaimTx', () => {
  const built = buildClaimTx({ ...base, preimage: SECRET, signer: claimer });
  it('spends the HTLC outpoint with witness [sig, preimage, 0x01, script]', () => {
    const w = built.tx.ins[0]!.witness;
    expect(w).toHaveLength(4);
    expect(w[1]).toEqual(SECRET);
    expect(w[2]).toEqual(Uint8Array.of(1));
    expect(w[3]).toEqual(SCRIPT);
    expect(bytesToHex(Uint8Array.from(built.tx.ins[0]!.hash).reverse())).toBe(FUNDING);
    expect(built.tx.ins[0]!.index).toBe(1);
  });
  it('uses sequence 0xfffffffd (signals replacement) and nLockTime 0 (or the tip when given)', () => {
    expect(built.tx.ins[0]!.sequence).toBe(0xfffffffd);
    expect(built.tx.locktime).toBe(0);
    expect(buildClaimTx({ ...base, preimage: SECRET, signer: claimer, locktime: 250 }).tx.locktime).toBe(250);
  });
  it('has a signature that verifies against the BIP143 sighash, low-R and low-S', () => {
    const { der } = verifyInputSignature(built.tx, claimer.publicKey);
    expect(der[3]).toBeLessThanOrEqual(32); // r needs no 0x00 pad: r < 2^255
    expect(der.length).toBeLessThanOrEqual(72);
  });
  it('pays value minus vsize × rate, measured on the signed transaction', () => {
    expect(built.fee).toBe(BigInt(built.tx.virtualSize()) * 10n);
    expect(built.tx.outs[0]!.value).toBe(VALUE - built.fee);
    expect(built.txid).toBe(Transaction.fromHex(built.hex).getId());
  });
  it('stays within the size bound used to price minimum amounts, for every output type', () => {
    const dests = [
      payout(21),
      payments.p2wsh({ redeem: { output: SCRIPT }, network: networkOf(DEVA) }).address!,
      payments.p2pkh({ pubkey: claimer.publicKey, network: networkOf(DEVA) }).address!,
    ];
    for (const destination of dests) {
      expect(
        BigInt(buildClaimTx({ ...base, destination, preimage: SECRET, signer: claimer }).vsize),
      ).toBeLessThanOrEqual(HTLC_CLAIM_MAX_VSIZE);
    }
  });
  it('reveals the secret to extractSecret, by script and by hash, also from hex', () => {
    expect(extractSecret(built.tx, { script: SCRIPT })).toEqual(SECRET);
    expect(extractSecret(built.hex, { secretHash: htlc.secretHash })).toEqual(SECRET);
    expect(extractSecret(built.tx, { script: htlcScript({ ...htlc, locktime: 265 }) })).toBeNull();
  });
  it('refuses a key that is not the claim key', () => {
    expect(() => buildClaimTx({ ...base, preimage: SECRET, signer: refunder })).toThrow(
      expect.objectContaining({ code: 'wrong-key' }),
    );
  });
  it('refuses a wrong preimage', () => {
    expect(() => buildClaimTx({ ...base, preimage: new Uint8Array(32), signer: claimer })).toThrow(
      expect.objectContaining({ code: 'wrong-preimage' }),
    );
  });
  it('refuses an address of another chain', () => {
    expect(() => buildClaimTx({ ...base, destination: payout(20, BTC), preimage: SECRET, signer: claimer })).toThrow(
      expect.objectContaining({ code: 'bad-destination' }),
    );
  });
  it("refuses a payout below the coin's P2WPKH dust", () => {
    // A claim to P2WPKH is 139 vB: 1390 sat at 10 sat/vB, so 4300 would leave 2910 < 2940.
    expect(() => buildClaimTx({ ...base, value: 4300n, preimage: SECRET, signer: claimer })).toThrow(
      expect.objectContaining({ code: 'output-below-dust' }),
    );
    const ok = buildClaimTx({ ...base, value: 2940n + HTLC_CLAIM_MAX_VSIZE * 10n, preimage: SECRET, signer: claimer });
    expect(ok.tx.outs[0]!.value).toBeGreaterThanOrEqual(2940n);
  });
  it('clamps the fee rate to the coin floor and cap', () => {
    expect(buildClaimTx({ ...base, feeRateSatPerVb: 1n, preimage: SECRET, signer: claimer }).feeRate).toBe(10n);
    expect(buildClaimTx({ ...base, feeRateSatPerVb: 5000n, preimage: SECRET, signer: claimer }).feeRate).toBe(1000n);
  });
  it('refuses a signer that returns high-R, or signs for another key', () => {
    const highR: SwapSigner = {
      publicKey: claimer.publicKey,
      signDigest: (d) => {
        for (let i = 0; ; i++) {
          const sig = secp256k1.sign(d, claimer.privateKey, { prehash: false, extraEntropy: Uint8Array.of(i) });
          if (sig[0]! >= 0x80) return sig;
        }
      },
    };
    expect(() => buildClaimTx({ ...base, preimage: SECRET, signer: highR })).toThrow(
      expect.objectContaining({ code: 'bad-signature' }),
    );
    const liar: SwapSigner = { publicKey: claimer.publicKey, signDigest: (d) => refunder.signDigest(d) };
    expect(() => buildClaimTx({ ...base, preimage: SECRET, signer: liar })).toThrow(/does not verify/);
  });
  it('refuses a malformed outpoint', () => {
    expect(() => buildClaimTx({ ...base, fundingTxid: 'xyz', preimage: SECRET, signer: claimer })).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
  });
});

describe('buildRefundTx', () => {
  const built = buildRefundTx({ ...base, signer: refunder });
  it('uses witness [sig, <empty>, script], nLockTime = the script lock, sequence 0xfffffffd (enforces the lock, signals replacement)', () => {
    const w = built.tx.ins[0]!.witness;
    expect(w).toHaveLength(3);
    expect(w[1]).toEqual(new Uint8Array(0));
    expect(w[2]).toEqual(SCRIPT);
    expect(built.tx.locktime).toBe(264);
    expect(built.tx.ins[0]!.sequence).toBe(0xfffffffd);
  });
  it('has a valid low-R signature and pays vsize × rate', () => {
    const { der } = verifyInputSignature(built.tx, refunder.publicKey);
    expect(der[3]).toBeLessThanOrEqual(32);
    expect(built.fee).toBe(BigInt(built.vsize) * 10n);
    expect(BigInt(built.vsize)).toBeLessThanOrEqual(HTLC_REFUND_MAX_VSIZE);
  });
  it('reveals no secret', () => {
    expect(extractSecret(built.tx, { script: SCRIPT })).toBeNull();
    expect(extractSecret(built.hex, { secretHash: htlc.secretHash })).toBeNull();
  });
  it("refuses the claim key and a locktime other than the script's", () => {
    expect(() => buildRefundTx({ ...base, signer: claimer })).toThrow(expect.objectContaining({ code: 'wrong-key' }));
    expect(() => buildRefundTx({ ...base, signer: refunder, locktime: 263 })).toThrow(
      expect.objectContaining({ code: 'locktime-mismatch' }),
    );
  });
});

describe('dust and fee rules', () => {
  const table: Array<[string, string, bigint]> = [
    ['P2WPKH', 'DEVA', 2940n],
    ['P2WSH', 'DEVA', 3300n],
    ['P2PKH', 'DEVA', 5460n],
    ['P2WPKH', 'BTC', 294n],
    ['P2WSH', 'BTC', 330n],
    ['P2PKH', 'BTC', 546n],
  ];
  const scripts: Record<string, Uint8Array> = {
    P2WPKH: Uint8Array.from([0x00, 0x14, ...new Uint8Array(20)]),
    P2WSH: Uint8Array.from([0x00, 0x20, ...new Uint8Array(32)]),
    P2PKH: Uint8Array.from([0x76, 0xa9, 0x14, ...new Uint8Array(20), 0x88, 0xac]),
  };
  it.each(table)('%s dust on %s is %s', (kind, ticker, dust) =>
    expect(dustThreshold(scripts[kind]!, getCoin(ticker))).toBe(dust),
  );
  it('fee rates are clamped to [max(relay, wallet floor), cap]', () => {
    expect(clampFeeRate(0n, DEVA)).toBe(10n);
    expect(clampFeeRate(25n, DEVA)).toBe(25n);
    expect(clampFeeRate(0n, BTC)).toBe(1n);
    expect(clampFeeRate(10_000n, BTC)).toBe(1000n);
  });
});
