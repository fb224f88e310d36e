// The swap HTLC on Bitcoin-Core-family chains (docs/swap.md §2): its script and P2WSH address,
// and the claim and refund transactions that spend it. Keys never come here: a signer from the
// vault signs sighash digests, and every signature is checked before a transaction is returned.
import { CodedError } from '../../src-shared/errors.ts';
import * as ecc from '@bitcoinerlab/secp256k1';
import { equalBytes } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { Transaction, address as baddress, payments, script as bscript } from 'bitcoinjs-lib';
import type { Network } from 'bitcoinjs-lib';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { htlcScriptError, LOCKTIME_THRESHOLD } from '../../src-shared/swaps/script.ts';

export interface HtlcParams {
  readonly secretHash: Uint8Array;
  readonly claimPubkey: Uint8Array;
  readonly refundPubkey: Uint8Array;
  /** Absolute block height. */
  readonly locktime: number;
}

/** Signs a 32-byte sighash digest with a swap key; returns a 64-byte compact (r‖s) low-R, low-S signature. */
export interface SwapSigner {
  readonly publicKey: Uint8Array;
  signDigest(digest32: Uint8Array): Uint8Array;
}

export type HtlcTxProblem =
  | 'wrong-key'
  | 'wrong-preimage'
  | 'bad-destination'
  | 'output-below-dust'
  | 'bad-signature'
  | 'locktime-mismatch'
  | 'bad-input';

const htlcTxError = (code: HtlcTxProblem, message: string) => new CodedError(code, message);

const { OPS } = bscript;
const SIGHASH_ALL = Transaction.SIGHASH_ALL;
/**
 * Claims and refunds signal replacement (BIP 125: below 0xfffffffe), so a spend priced before a
 * fee spike can be sent again at a higher rate (docs/swap.md §8.8); below 0xffffffff nLockTime is
 * enforced too, which the refund needs.
 */
const CLAIM_SEQUENCE = 0xfffffffd;
const REFUND_SEQUENCE = 0xfffffffd;

/** A bitcoinjs Network built from the coin's registry entry. */
export function networkOf(coin: CoinParams): Network {
  return {
    messagePrefix: coin.family === 'litecoin' ? '\x19Litecoin Signed Message:\n' : '\x18Bitcoin Signed Message:\n',
    bech32: coin.bech32,
    bip32: { public: coin.bip32.public, private: coin.bip32.private },
    pubKeyHash: coin.pubKeyHash,
    scriptHash: coin.scriptHash,
    wif: coin.wif,
  };
}

function checkParams(p: HtlcParams): void {
  if (p.secretHash.length !== 32) throw htlcScriptError('bad-secret-hash', 'the secret hash must be 32 bytes');
  for (const key of [p.claimPubkey, p.refundPubkey]) {
    if (key.length !== 33 || (key[0] !== 0x02 && key[0] !== 0x03))
      throw htlcScriptError('bad-pubkey', 'HTLC keys must be 33-byte compressed public keys');
  }
  if (!Number.isSafeInteger(p.locktime) || p.locktime < 0 || p.locktime >= LOCKTIME_THRESHOLD) {
    throw htlcScriptError('bad-locktime', `locktime ${p.locktime} is not a block height`);
  }
}

/** OP_IF OP_SIZE 32 OP_EQUALVERIFY OP_SHA256 <h> OP_EQUALVERIFY <claim> OP_ELSE <lock> OP_CLTV OP_DROP <refund> OP_ENDIF OP_CHECKSIG */
export function htlcScript(p: HtlcParams): Uint8Array {
  checkParams(p);
  return bscript.compile([
    OPS.OP_IF,
    OPS.OP_SIZE,
    bscript.number.encode(32),
    OPS.OP_EQUALVERIFY,
    OPS.OP_SHA256,
    p.secretHash,
    OPS.OP_EQUALVERIFY,
    p.claimPubkey,
    OPS.OP_ELSE,
    bscript.number.encode(p.locktime),
    OPS.OP_CHECKLOCKTIMEVERIFY,
    OPS.OP_DROP,
    p.refundPubkey,
    OPS.OP_ENDIF,
    OPS.OP_CHECKSIG,
  ]);
}

/** Reads an HTLC script (e.g. the counterparty's) back into its fields; anything but our exact canonical script throws an HTLC script problem. */
export function parseHtlcScript(bytes: Uint8Array): HtlcParams {
  const chunks = bscript.decompile(bytes);
  const notHtlc = (what: string) => htlcScriptError('not-htlc', `not a Hashlock HTLC script: ${what}`);
  if (!chunks) throw notHtlc('it does not decode');
  let k = 0;
  const op = (expected: number, name: string) => {
    if (chunks[k] !== expected) throw notHtlc(`expected ${name} at chunk ${k}`);
    k += 1;
  };
  const data = (length: number, name: string): Uint8Array => {
    const c = chunks[k];
    if (!(c instanceof Uint8Array) || c.length !== length) throw notHtlc(`expected the ${name} at chunk ${k}`);
    k += 1;
    return c;
  };
  op(OPS.OP_IF, 'OP_IF');
  op(OPS.OP_SIZE, 'OP_SIZE');
  const size = data(1, 'size 32');
  if (size[0] !== 32) throw notHtlc('the preimage size is not 32');
  op(OPS.OP_EQUALVERIFY, 'OP_EQUALVERIFY');
  op(OPS.OP_SHA256, 'OP_SHA256');
  const secretHash = data(32, 'secret hash');
  op(OPS.OP_EQUALVERIFY, 'OP_EQUALVERIFY');
  const claimPubkey = data(33, 'claim key');
  op(OPS.OP_ELSE, 'OP_ELSE');
  const locktime = readLocktime(chunks[k], notHtlc);
  k += 1;
  op(OPS.OP_CHECKLOCKTIMEVERIFY, 'OP_CHECKLOCKTIMEVERIFY');
  op(OPS.OP_DROP, 'OP_DROP');
  const refundPubkey = data(33, 'refund key');
  op(OPS.OP_ENDIF, 'OP_ENDIF');
  op(OPS.OP_CHECKSIG, 'OP_CHECKSIG');
  if (k !== chunks.length) throw notHtlc('trailing data');
  const fields = { secretHash, claimPubkey, refundPubkey, locktime };
  checkParams(fields);
  // decompile() reads non-minimal pushes as if they were minimal; our script is only the canonical bytes.
  if (!equalBytes(htlcScript(fields), bytes))
    throw htlcScriptError('non-canonical', 'HTLC script is not canonical: a push is not minimally encoded');
  return fields;
}

function readLocktime(chunk: number | Uint8Array | undefined, notHtlc: (what: string) => Error): number {
  if (typeof chunk === 'number') {
    if (chunk === OPS.OP_0) return 0;
    if (chunk >= OPS.OP_1 && chunk <= OPS.OP_16) return chunk - OPS.OP_1 + 1;
    if (chunk === OPS.OP_1NEGATE) throw htlcScriptError('bad-locktime', 'locktime is negative');
    throw notHtlc('the locktime is not a number');
  }
  if (!chunk || chunk.length > 5) throw notHtlc('the locktime is not a number');
  if ((chunk[chunk.length - 1]! & 0x80) !== 0) throw htlcScriptError('bad-locktime', 'locktime is negative');
  try {
    return bscript.number.decode(chunk, 5, true);
  } catch {
    throw htlcScriptError('non-canonical', 'HTLC script is not canonical: the locktime is not minimally encoded');
  }
}

/** The P2WSH address paying to the script, with the coin's bech32 prefix. */
export function htlcAddress(script: Uint8Array, coin: CoinParams): string {
  const p = payments.p2wsh({ redeem: { output: script }, network: networkOf(coin) });
  if (!p.address) throw htlcScriptError('not-htlc', 'no address for this script');
  return p.address;
}

export function htlcOutputScript(script: Uint8Array): Uint8Array {
  return Uint8Array.from([0x00, 0x20, ...sha256(script)]);
}

/**
 * Relay dust threshold of an output script, as Bitcoin Core computes it (output size plus the
 * size of spending it, times the dust rate); the rate comes from the coin's P2WPKH dust (98 bytes).
 */
export function dustThreshold(outputScript: Uint8Array, coin: Pick<CoinParams, 'dustP2wpkh'>): bigint {
  const len = outputScript.length;
  const v = outputScript[0];
  const isWitnessProgram =
    len >= 4 && len <= 42 && (v === 0x00 || (v !== undefined && v >= 0x51 && v <= 0x60)) && outputScript[1] === len - 2;
  const size = 8 + (len < 253 ? 1 : 3) + len + (isWitnessProgram ? 67 : 148);
  return (BigInt(size) * coin.dustP2wpkh + 97n) / 98n;
}

/** Fee rate used: the asked rate, never below the coin's floors (relay and wallet) nor above its cap. */
export function clampFeeRate(
  satPerVb: bigint,
  coin: Pick<CoinParams, 'minRelayFeeSatPerVb' | 'walletMinFeeSatPerVb' | 'maxFeeSatPerVb'>,
): bigint {
  const floor =
    coin.minRelayFeeSatPerVb > coin.walletMinFeeSatPerVb ? coin.minRelayFeeSatPerVb : coin.walletMinFeeSatPerVb;
  if (satPerVb < floor) return floor;
  if (satPerVb > coin.maxFeeSatPerVb) return coin.maxFeeSatPerVb;
  return satPerVb;
}

export interface SpendParams {
  readonly fundingTxid: string;
  readonly vout: number;
  /** Value of the HTLC output, base units. */
  readonly value: bigint;
  readonly script: Uint8Array;
  readonly destination: string;
  readonly feeRateSatPerVb: bigint;
  readonly coin: CoinParams;
  readonly signer: SwapSigner;
}

export interface BuiltTx {
  readonly tx: Transaction;
  readonly hex: string;
  readonly txid: string;
  readonly fee: bigint;
  readonly vsize: number;
  /** The rate after clamping to the coin's floor and cap. */
  readonly feeRate: bigint;
}

/** Spend with the secret: witness [sig, preimage, 0x01, script]; nLockTime as given (default 0), sequence 0xfffffffd (replaceable). */
export function buildClaimTx(p: SpendParams & { readonly preimage: Uint8Array; readonly locktime?: number }): BuiltTx {
  const fields = parseHtlcScript(p.script);
  if (!equalBytes(p.signer.publicKey, fields.claimPubkey))
    throw htlcTxError('wrong-key', 'this key cannot claim the HTLC');
  if (p.preimage.length !== 32 || !equalBytes(sha256(p.preimage), fields.secretHash)) {
    throw htlcTxError('wrong-preimage', "the secret does not match the HTLC's hash");
  }
  return buildSpend(p, {
    sequence: CLAIM_SEQUENCE,
    locktime: p.locktime ?? 0,
    witness: (sig) => [sig, p.preimage, Uint8Array.of(1), p.script],
  });
}

/** Spend after the lock: witness [sig, <empty>, script]; nLockTime = the script's locktime, sequence 0xfffffffd (replaceable). */
export function buildRefundTx(p: SpendParams & { readonly locktime?: number }): BuiltTx {
  const fields = parseHtlcScript(p.script);
  if (!equalBytes(p.signer.publicKey, fields.refundPubkey))
    throw htlcTxError('wrong-key', 'this key cannot refund the HTLC');
  if (p.locktime !== undefined && p.locktime !== fields.locktime) {
    throw htlcTxError('locktime-mismatch', `the HTLC unlocks at ${fields.locktime}, not ${p.locktime}`);
  }
  return buildSpend(p, {
    sequence: REFUND_SEQUENCE,
    locktime: fields.locktime,
    witness: (sig) => [sig, new Uint8Array(0), p.script],
  });
}

function buildSpend(
  p: SpendParams,
  how: { sequence: number; locktime: number; witness: (sig: Uint8Array) => Uint8Array[] },
): BuiltTx {
  if (!/^[0-9a-f]{64}$/.test(p.fundingTxid) || !Number.isInteger(p.vout) || p.vout < 0 || p.value <= 0n) {
    throw htlcTxError('bad-input', 'the HTLC outpoint or value is malformed');
  }
  let outScript: Uint8Array;
  try {
    outScript = baddress.toOutputScript(p.destination, networkOf(p.coin));
  } catch {
    throw htlcTxError('bad-destination', `${p.destination} is not a ${p.coin.name} address`);
  }
  const rate = clampFeeRate(p.feeRateSatPerVb, p.coin);
  const dust = dustThreshold(outScript, p.coin);
  const prevHash = hexToBytes(p.fundingTxid).reverse();

  const signed = (fee: bigint): Transaction => {
    const out = p.value - fee;
    if (out < dust) {
      throw htlcTxError(
        'output-below-dust',
        `after a fee of ${fee} the payout of ${out} would be below the ${dust} dust limit`,
      );
    }
    const tx = new Transaction();
    tx.version = 2;
    tx.locktime = how.locktime;
    tx.addInput(prevHash, p.vout, how.sequence);
    tx.addOutput(outScript, out);
    const digest = tx.hashForWitnessV0(0, p.script, p.value, SIGHASH_ALL);
    const sig = p.signer.signDigest(digest);
    checkSignature(sig, digest, p.signer.publicKey);
    tx.setWitness(0, how.witness(bscript.signature.encode(sig, SIGHASH_ALL)));
    return tx;
  };

  // Fee from the signed size: sign, measure, re-sign with fee = vsize × rate until it covers its own size.
  let fee = 0n;
  for (let round = 0; round < 5; round++) {
    const tx = signed(fee);
    const needed = BigInt(tx.virtualSize()) * rate;
    if (fee >= needed) return { tx, hex: tx.toHex(), txid: tx.getId(), fee, vsize: tx.virtualSize(), feeRate: rate };
    fee = needed;
  }
  throw htlcTxError('bad-signature', 'the signed size did not settle; the signer is not producing low-R signatures');
}

const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

function checkSignature(sig: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): void {
  if (sig.length !== 64) throw htlcTxError('bad-signature', 'the signer must return a 64-byte compact signature');
  // Low-R keeps the DER signature at 70-71 bytes, so re-signing never grows the transaction past its fee.
  if (sig[0]! >= 0x80) throw htlcTxError('bad-signature', 'the signer returned a high-R signature');
  if (BigInt(`0x${bytesToHex(sig.subarray(32))}`) > HALF_ORDER)
    throw htlcTxError('bad-signature', 'the signer returned a high-S signature');
  if (!ecc.verify(digest, publicKey, sig, true))
    throw htlcTxError('bad-signature', 'the signature does not verify against the key');
}

/**
 * The secret revealed by a claim of our HTLC in `tx` (from the mempool or a block), or null when
 * no input claims it (a refund, or another spend). Match by the exact script or by the hash.
 */
export function extractSecret(
  tx: Transaction | string,
  match: { readonly script: Uint8Array } | { readonly secretHash: Uint8Array },
): Uint8Array | null {
  const t = typeof tx === 'string' ? Transaction.fromHex(tx) : tx;
  const hash = 'secretHash' in match ? match.secretHash : parseHtlcScript(match.script).secretHash;
  for (const input of t.ins) {
    const w = input.witness;
    if (w.length !== 4) continue;
    const [, preimage, branch, script] = w;
    if (!preimage || !branch || !script || preimage.length !== 32 || branch.length !== 1 || branch[0] !== 1) continue;
    if ('script' in match && !equalBytes(script, match.script)) continue;
    if (equalBytes(sha256(preimage), hash)) return preimage;
  }
  return null;
}
