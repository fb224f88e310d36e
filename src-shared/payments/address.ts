// Decodes any Bitcoin-family address without knowing its coin first, so a refusal can say which
// network an address really belongs to ("a Bitcoin mainnet address in a litecoin: request").
// Base58check per the registry's version bytes; segwit per BIP173/BIP350.
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32, bech32m, createBase58check } from '@scure/base';
import { COINS, type CoinParams } from '../coins/registry.ts';
import { paymentError, type PaymentError } from './errors.ts';

const base58check = createBase58check(sha256);

export type AddressKind = 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr' | 'witness-unknown';

export type DecodedAddress =
  | {
      readonly encoding: 'base58';
      /** The address as written: base58 is case-sensitive. */
      readonly text: string;
      readonly version: number;
      readonly hash: Uint8Array;
    }
  | {
      readonly encoding: 'bech32' | 'bech32m';
      /** Lower case: the canonical form of a segwit address. */
      readonly text: string;
      readonly hrp: string;
      readonly witnessVersion: number;
      readonly program: Uint8Array;
    };

/** Longest address accepted (BIP173's 90-character limit). */
export const MAX_ADDRESS_LENGTH = 90;

/** An address decoded by its own checksum and structure, or ADDRESS_INVALID. */
export function decodeAnyAddress(text: string): DecodedAddress {
  if (text.length === 0 || text.length > MAX_ADDRESS_LENGTH || !/^[A-Za-z0-9]+$/.test(text)) {
    throw invalid(text);
  }
  const segwit = decodeSegwit(text);
  if (segwit) return segwit;
  try {
    const bytes = base58check.decode(text);
    if (bytes.length === 21) return { encoding: 'base58', text, version: bytes[0]!, hash: bytes.slice(1) };
  } catch {
    // Not base58check either: fall through to the refusal.
  }
  throw invalid(text);
}

function decodeSegwit(text: string): DecodedAddress | undefined {
  for (const codec of [bech32, bech32m] as const) {
    // decodeUnsafe refuses mixed case, bad checksums and characters outside the charset.
    const decoded = codec.decodeUnsafe(text, MAX_ADDRESS_LENGTH);
    if (!decoded) continue;
    const encoding = codec === bech32 ? 'bech32' : 'bech32m';
    const [witnessVersion, ...words] = decoded.words;
    if (witnessVersion === undefined || witnessVersion > 16) throw invalid(text);
    // BIP350: version 0 is bech32, versions 1–16 are bech32m.
    if ((witnessVersion === 0) !== (encoding === 'bech32')) throw invalid(text);
    const program = codec.fromWordsUnsafe(words);
    if (!program || program.length < 2 || program.length > 40) throw invalid(text);
    if (witnessVersion === 0 && program.length !== 20 && program.length !== 32) throw invalid(text);
    return { encoding, text: text.toLowerCase(), hrp: decoded.prefix, witnessVersion, program };
  }
  return undefined;
}

function invalid(text: string): PaymentError {
  return paymentError(
    'ADDRESS_INVALID',
    `"${shorten(text)}" is not a valid address: its checksum, length or characters are wrong (a typo, or a damaged code)`,
    { address: shorten(text, 100) },
  );
}

export function addressKind(a: DecodedAddress, coin?: CoinParams): AddressKind | undefined {
  if (a.encoding === 'base58') {
    if (!coin) return undefined;
    if (a.version === coin.pubKeyHash) return 'p2pkh';
    if (a.version === coin.scriptHash) return 'p2sh';
    return undefined;
  }
  if (a.witnessVersion === 0) return a.program.length === 20 ? 'p2wpkh' : 'p2wsh';
  if (a.witnessVersion === 1 && a.program.length === 32) return 'p2tr';
  return 'witness-unknown';
}

/** Whether `a` is an address of `coin`'s network. */
export function belongsTo(a: DecodedAddress, coin: CoinParams): boolean {
  if (a.encoding === 'base58') return a.version === coin.pubKeyHash || a.version === coin.scriptHash;
  return a.hrp === coin.bech32;
}

/**
 * Refuses addresses whose outputs nobody can safely own today: witness versions 2–16, and
 * version 1 programs other than a 32-byte taproot key, are spendable by anyone until a
 * future soft fork gives them meaning.
 */
export function checkPayable(a: DecodedAddress): void {
  if (a.encoding === 'base58') return;
  if (a.witnessVersion === 0 || (a.witnessVersion === 1 && a.program.length === 32)) return;
  throw paymentError(
    'ADDRESS_UNSUPPORTED',
    `"${shorten(a.text)}" is a segwit version ${a.witnessVersion} address with a ${a.program.length}-byte program; ` +
      'coins sent there could be spent by anyone until a future upgrade, so Hashlock does not pay it',
    { witnessVersion: a.witnessVersion, programLength: a.program.length },
  );
}

/** The scriptPubKey an address pays to (what a wallet puts in the output). */
export function outputScript(a: DecodedAddress, coin: CoinParams): Uint8Array {
  if (a.encoding === 'base58') {
    if (a.version === coin.pubKeyHash) return concat([0x76, 0xa9, 0x14], a.hash, [0x88, 0xac]);
    if (a.version === coin.scriptHash) return concat([0xa9, 0x14], a.hash, [0x87]);
    throw new Error(`version ${a.version} is not a ${coin.ticker} address`);
  }
  const op = a.witnessVersion === 0 ? 0x00 : 0x50 + a.witnessVersion;
  return concat([op, a.program.length], a.program);
}

function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** "Bitcoin mainnet", "Litecoin regtest" … for every registry network the address fits. */
export function networksOf(a: DecodedAddress): string[] {
  const words = COINS.filter((c) => belongsTo(a, c)).map(
    (c) => `${c.family === 'bitcoin' ? 'Bitcoin' : 'Litecoin'} ${c.network}`,
  );
  return [...new Set(words)];
}

export function shorten(text: string, max = 24): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
