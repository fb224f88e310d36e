// Decodes Bitcoin-family addresses to what they pay to, per coin parameters, so an order's payout
// and refund addresses and a service node's collateral address are checked against their chain.
import { base58check, bech32, bech32m } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';

export interface AddressParams {
  readonly bech32: string;
  readonly pubKeyHash: number;
  readonly scriptHash: number;
}

export type DecodedAddress =
  | { kind: 'p2pkh'; hash: Uint8Array }
  | { kind: 'p2sh'; hash: Uint8Array }
  | { kind: 'p2wpkh'; hash: Uint8Array }
  | { kind: 'p2wsh'; hash: Uint8Array }
  | { kind: 'p2tr'; key: Uint8Array };

const b58 = base58check(sha256);

/** What `address` pays to on the coin described by `params`, or null when it is not that coin's address. */
export function decodeAddress(address: string, params: AddressParams): DecodedAddress | null {
  if (address.length > 100) return null;
  const lower = address.toLowerCase();
  if (lower.startsWith(`${params.bech32}1`)) {
    if (address !== lower && address !== address.toUpperCase()) return null;
    return decodeSegwit(lower, params.bech32);
  }
  let raw: Uint8Array;
  try {
    raw = b58.decode(address);
  } catch {
    return null;
  }
  if (raw.length !== 21) return null;
  const hash = raw.slice(1);
  if (raw[0] === params.pubKeyHash) return { kind: 'p2pkh', hash };
  if (raw[0] === params.scriptHash) return { kind: 'p2sh', hash };
  return null;
}

function decodeSegwit(address: string, hrp: string): DecodedAddress | null {
  for (const codec of [bech32, bech32m]) {
    const decoded = codec.decodeUnsafe(address);
    if (!decoded) continue;
    if (decoded.prefix !== hrp || decoded.words.length === 0) return null;
    const version = decoded.words[0]!;
    const program = codec.fromWordsUnsafe(decoded.words.slice(1));
    if (!program) return null;
    // BIP350: version 0 uses bech32, versions 1+ use bech32m.
    if ((version === 0) !== (codec === bech32)) return null;
    if (version === 0 && program.length === 20) return { kind: 'p2wpkh', hash: program };
    if (version === 0 && program.length === 32) return { kind: 'p2wsh', hash: program };
    if (version === 1 && program.length === 32) return { kind: 'p2tr', key: program };
    return null;
  }
  return null;
}
