// Checks that an address belongs to a coin's network (segwit bech32/bech32m with the coin's
// prefix), so an address from a wallet on another chain is never used for a swap.
import { bech32, bech32m } from '@scure/base';
import type { CoinParams } from '../../src-shared/coins/registry.ts';

/** True for a valid native segwit address of this coin: right prefix, checksum and program size. */
export function isCoinSegwitAddress(coin: Pick<CoinParams, 'bech32'>, address: string): boolean {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) return false;
  const lower = address.toLowerCase();
  if (!lower.startsWith(`${coin.bech32}1`)) return false;
  // BIP350: witness version 0 uses the bech32 checksum, versions 1-16 use bech32m.
  const v0 = bech32.decodeUnsafe(lower, 90);
  const decoded = v0 && v0.words[0] === 0 ? v0 : bech32m.decodeUnsafe(lower, 90);
  if (!decoded || decoded.prefix !== coin.bech32) return false;
  const version = decoded.words[0];
  if (version === undefined || version > 16 || (version === 0) !== (decoded === v0)) return false;
  const program = bech32.fromWordsUnsafe(decoded.words.slice(1));
  if (!program) return false;
  if (version === 0) return program.length === 20 || program.length === 32;
  return program.length >= 2 && program.length <= 40;
}

/**
 * A well-formed P2WPKH address of this coin that nobody uses; `validateaddress` on it tells
 * whether a daemon speaks this coin (a Bitcoin regtest daemon rejects Litecoin's rltc1...).
 */
export function probeAddress(coin: Pick<CoinParams, 'bech32'>): string {
  return bech32.encode(coin.bech32, [0, ...bech32.toWords(new Uint8Array(20).fill(0x11))]);
}
