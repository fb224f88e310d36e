// The HTLC witness script as bytes, encoded and decoded without a Bitcoin library so the pure
// swap machine can check a counterparty's HTLC. src-main/chain/htlc.ts builds the same bytes with
// bitcoinjs-lib; its tests check that the two independent constructions agree byte for byte.
import { CodedError, isCoded } from '../errors.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

export interface HtlcFields {
  /** SHA256(secret), 64 lowercase hex chars. */
  readonly secretHash: string;
  /** Compressed pubkey (66 hex) that may spend with the secret. */
  readonly claimPubkey: string;
  /** Compressed pubkey (66 hex) that may spend once the lock has passed. */
  readonly refundPubkey: string;
  /** Absolute block height (CLTV). */
  readonly locktime: number;
}

/** not-htlc: another layout; non-canonical: the HTLC layout with a push that is not minimally encoded. */
export const HTLC_SCRIPT_PROBLEMS = [
  'not-htlc',
  'non-canonical',
  'bad-secret-hash',
  'bad-pubkey',
  'bad-locktime',
] as const;
export type HtlcScriptProblem = (typeof HTLC_SCRIPT_PROBLEMS)[number];

export const htlcScriptError = (code: HtlcScriptProblem, message: string) => new CodedError(code, message);
export const isHtlcScriptError = (err: unknown) => isCoded(err, ...HTLC_SCRIPT_PROBLEMS);

/**
 * Upper bounds, in vbytes, of a signed claim and refund (one HTLC input, one output of at most
 * 34 bytes of script, 72-byte signature). Used to price minimum amounts; htlc.test.ts checks them.
 */
export const HTLC_CLAIM_MAX_VSIZE = 155n;
export const HTLC_REFUND_MAX_VSIZE = 145n;

/** CLTV reads values at or above this as a Unix time, not a height. */
export const LOCKTIME_THRESHOLD = 500_000_000;

const OP_0 = 0x00;
const OP_1NEGATE = 0x4f;
const OP_1 = 0x51;
const OP_16 = 0x60;
const OP_IF = 0x63;
const OP_ELSE = 0x67;
const OP_ENDIF = 0x68;
const OP_DROP = 0x75;
const OP_SIZE = 0x82;
const OP_EQUALVERIFY = 0x88;
const OP_SHA256 = 0xa8;
const OP_CHECKSIG = 0xac;
const OP_CHECKLOCKTIMEVERIFY = 0xb1;

const HASH_HEX = /^[0-9a-f]{64}$/;
const PUBKEY_HEX = /^0[23][0-9a-f]{64}$/;

export function isSecretHashHex(x: string): boolean {
  return HASH_HEX.test(x);
}
export function isCompressedPubkeyHex(x: string): boolean {
  return PUBKEY_HEX.test(x);
}

/** Minimal script-number push of a non-negative height, as the interpreter requires it. */
function encodeLocktime(n: number): number[] {
  if (n === 0) return [OP_0];
  if (n >= 1 && n <= 16) return [OP_1 + n - 1];
  const bytes: number[] = [];
  let v = n;
  while (v > 0) {
    bytes.push(v & 0xff);
    v = Math.floor(v / 256);
  }
  // The top bit is the sign: a positive number whose last byte has it set needs a 0x00 byte.
  if ((bytes[bytes.length - 1]! & 0x80) !== 0) bytes.push(0x00);
  return [bytes.length, ...bytes];
}

export function encodeHtlcScript(f: HtlcFields): Uint8Array {
  if (!isSecretHashHex(f.secretHash))
    throw htlcScriptError('bad-secret-hash', 'secret hash must be 32 bytes of lowercase hex');
  if (!isCompressedPubkeyHex(f.claimPubkey) || !isCompressedPubkeyHex(f.refundPubkey)) {
    throw htlcScriptError('bad-pubkey', 'keys must be 33-byte compressed public keys in lowercase hex');
  }
  if (!Number.isSafeInteger(f.locktime) || f.locktime < 0 || f.locktime >= LOCKTIME_THRESHOLD) {
    throw htlcScriptError('bad-locktime', `locktime ${f.locktime} is not a block height`);
  }
  return Uint8Array.from([
    OP_IF,
    OP_SIZE,
    0x01,
    0x20,
    OP_EQUALVERIFY,
    OP_SHA256,
    0x20,
    ...hexToBytes(f.secretHash),
    OP_EQUALVERIFY,
    0x21,
    ...hexToBytes(f.claimPubkey),
    OP_ELSE,
    ...encodeLocktime(f.locktime),
    OP_CHECKLOCKTIMEVERIFY,
    OP_DROP,
    0x21,
    ...hexToBytes(f.refundPubkey),
    OP_ENDIF,
    OP_CHECKSIG,
  ]);
}

/** Reads a script back into its fields; anything but the exact canonical layout is an error. */
export function decodeHtlcScript(script: Uint8Array): HtlcFields {
  let i = 0;
  const notHtlc = (what: string) => htlcScriptError('not-htlc', `not a Hashlock HTLC script: ${what} at byte ${i}`);
  const nonCanonical = (what: string) => htlcScriptError('non-canonical', `HTLC script is not canonical: ${what}`);
  const expect = (...ops: number[]) => {
    for (const op of ops) {
      if (script[i] !== op) throw notHtlc(`expected opcode 0x${op.toString(16)}`);
      i += 1;
    }
  };
  /** A direct push of n bytes; the same data behind OP_PUSHDATA1/2/4 runs the same but is not our script byte for byte. */
  const pushed = (n: number, what: string): Uint8Array => {
    if (script[i] !== n) {
      if (isPushData(script[i])) throw nonCanonical(`the ${what} uses OP_PUSHDATA where a direct push is required`);
      throw notHtlc(`expected a ${n}-byte push of the ${what}`);
    }
    i += 1;
    return take(n, what);
  };
  const take = (n: number, what: string): Uint8Array => {
    if (i + n > script.length) throw notHtlc(`${what} is cut short`);
    const out = script.slice(i, i + n);
    i += n;
    return out;
  };
  expect(OP_IF, OP_SIZE);
  const size = pushed(1, 'size 32');
  if (size[0] !== 0x20) throw notHtlc('the preimage size is not 32');
  expect(OP_EQUALVERIFY, OP_SHA256);
  const hash = pushed(32, 'secret hash');
  expect(OP_EQUALVERIFY);
  const claim = pushed(33, 'claim key');
  expect(OP_ELSE);
  const locktime = decodeLocktime();
  expect(OP_CHECKLOCKTIMEVERIFY, OP_DROP);
  const refund = pushed(33, 'refund key');
  expect(OP_ENDIF, OP_CHECKSIG);
  if (i !== script.length) throw notHtlc('trailing bytes');
  const claimPubkey = bytesToHex(claim);
  const refundPubkey = bytesToHex(refund);
  if (!isCompressedPubkeyHex(claimPubkey) || !isCompressedPubkeyHex(refundPubkey)) {
    throw htlcScriptError('bad-pubkey', 'HTLC keys must be compressed public keys');
  }
  return { secretHash: bytesToHex(hash), claimPubkey, refundPubkey, locktime };

  function decodeLocktime(): number {
    const op = script[i];
    if (op === undefined) throw notHtlc('locktime missing');
    if (op === OP_0) {
      i += 1;
      return 0;
    }
    if (op >= OP_1 && op <= OP_16) {
      i += 1;
      return op - OP_1 + 1;
    }
    if (op === OP_1NEGATE) throw htlcScriptError('bad-locktime', 'locktime is negative');
    if (isPushData(op)) throw nonCanonical('the locktime uses OP_PUSHDATA');
    if (op < 1 || op > 5) throw notHtlc('locktime is not a number push');
    i += 1;
    const bytes = take(op, 'locktime');
    const last = bytes[bytes.length - 1]!;
    if ((last & 0x80) !== 0) throw htlcScriptError('bad-locktime', 'locktime is negative');
    const minimal = last !== 0 || (bytes.length > 1 && (bytes[bytes.length - 2]! & 0x80) !== 0);
    if (!minimal || (bytes.length === 1 && last <= 16)) throw nonCanonical('the locktime is not minimally encoded');
    let n = 0;
    for (let k = bytes.length - 1; k >= 0; k--) n = n * 256 + bytes[k]!;
    if (n >= LOCKTIME_THRESHOLD)
      throw htlcScriptError('bad-locktime', `locktime ${n} is a timestamp, not a block height`);
    return n;
  }
}

function isPushData(op: number | undefined): boolean {
  return op === 0x4c || op === 0x4d || op === 0x4e;
}

/** scriptPubKey of the P2WSH output paying to this witness script: OP_0 <sha256(script)>. */
export function p2wshOutputScript(witnessScript: Uint8Array): Uint8Array {
  return Uint8Array.from([OP_0, 0x20, ...sha256(witnessScript)]);
}

export function htlcScriptHex(f: HtlcFields): string {
  return bytesToHex(encodeHtlcScript(f));
}

export function htlcOutputScriptHex(f: HtlcFields): string {
  return bytesToHex(p2wshOutputScript(encodeHtlcScript(f)));
}

/** True when SHA256(secret) equals the hash; both lowercase hex. */
export function secretMatches(secretHex: string, secretHash: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(secretHex)) return false;
  return bytesToHex(sha256(hexToBytes(secretHex))) === secretHash;
}
