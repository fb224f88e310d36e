// BIP32 keys derived from the unlocked seed, and the only code that signs with them. Private keys
// never leave this module: callers get public keys and signatures. wipe() zeroes what it holds.

import * as ecc from '@bitcoinerlab/secp256k1';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { BIP32Factory, type BIP32Interface } from 'bip32';
import { loadLibsecp256k1 } from '../kernel/libsecp256k1.ts';

/**
 * bip32 needs a public key at every step of a path (the parent's fingerprint, and the data of a
 * non-hardened child): five for an identity key. noble's constant-time multiplication takes
 * ~0.45 ms each here, so a restore scan of 40 identity keys at every unlock cost ~65-140 ms of CPU;
 * libsecp256k1 (constant time too) takes a few µs. Anything libsecp256k1 refuses goes to noble,
 * so errors are noble's. BIP32Factory checks the result against its test vectors at load.
 */
export function eccFor(lib = loadLibsecp256k1()): typeof ecc {
  if (!lib) return ecc;
  return {
    ...ecc,
    pointFromScalar(d, compressed) {
      try {
        return lib.publicKeyCreate(d, compressed !== false);
      } catch {
        return ecc.pointFromScalar(d, compressed);
      }
    },
  };
}

const bip32 = BIP32Factory(eccFor());

const HARDENED = 0x80000000;

/**
 * Swap (HTLC claim/refund) keys: m/9641'/0'/0'/0/{index}. 9641' is a purpose number of our own,
 * outside BIP43's registered ones, so swap keys never coincide with any wallet's addresses;
 * then a scheme version (0'), an account (0') and the external chain (0).
 */
export const SWAP_KEY_BRANCH = [9641 + HARDENED, HARDENED, HARDENED, 0] as const;
/**
 * Order-network keys (docs/protocol.md §1): the order key that signs a maker's orders and a
 * taker's accepts, m/9641'/1'/0'/0/0, and a service node's key, m/9641'/2'/0'/0/0. Beside the
 * swap branch, so they never coincide with a swap key.
 */
export const ORDER_KEY_PATH = [9641 + HARDENED, 1 + HARDENED, HARDENED, 0, 0] as const;
export const SERVICE_NODE_KEY_PATH = [9641 + HARDENED, 2 + HARDENED, HARDENED, 0, 0] as const;
export type NetworkKey = 'order' | 'serviceNode';
const NETWORK_KEY_PATHS: Record<NetworkKey, readonly number[]> = {
  order: ORDER_KEY_PATH,
  serviceNode: SERVICE_NODE_KEY_PATH,
};

/**
 * did:is identity keys, purpose 302 at the first level (docs/identity.md §10). `wallet` is how
 * Blockcore's wallet derives them, m/302'/616'/{index}'/0/0, and what we create; `purpose` is
 * Blockcore's older m/302'/{index}', which a restore also scans.
 */
export type IdentityKeyScheme = 'wallet' | 'purpose';
/** Where each scheme's keys branch off: kept while unlocked, so a scan derives only the tails. */
const IDENTITY_PARENT: Record<IdentityKeyScheme, readonly number[]> = {
  wallet: [302 + HARDENED, 616 + HARDENED],
  purpose: [302 + HARDENED],
};
const identityKeyTail = (index: number, scheme: IdentityKeyScheme): number[] =>
  scheme === 'wallet' ? [index + HARDENED, 0, 0] : [index + HARDENED];
export const identityKeyPath = (index: number, scheme: IdentityKeyScheme = 'wallet'): number[] => [
  ...IDENTITY_PARENT[scheme],
  ...identityKeyTail(index, scheme),
];

export function formatPath(path: readonly number[]): string {
  return ['m', ...path.map((i) => (i >= HARDENED ? `${i - HARDENED}'` : String(i)))].join('/');
}

export interface KeyRing {
  swapPublicKey(index: number): Uint8Array;
  signSwapDigest(index: number, digest: Uint8Array): Uint8Array;
  identityPublicKey(index: number, scheme?: IdentityKeyScheme): Uint8Array;
  signIdentityDigest(index: number, digest: Uint8Array, scheme?: IdentityKeyScheme): Uint8Array;
  networkPublicKey(kind: NetworkKey): Uint8Array;
  /** 64-byte compact (r||s), low S: what order-network Verifiers accept. */
  signNetworkDigest(kind: NetworkKey, digest: Uint8Array): Uint8Array;
  wipe(): void;
}

/** Takes ownership of `seed` and zeroes it once the master key is made. */
export function createKeyRing(seed: Uint8Array): KeyRing {
  let root: BIP32Interface | undefined = bip32.fromSeed(seed);
  seed.fill(0);
  let swapBranch: BIP32Interface | undefined;
  const swapPublicKeys = new Map<number, Uint8Array>();
  const identityKeys = new Map<string, BIP32Interface>();
  const identityParents = new Map<IdentityKeyScheme, BIP32Interface>();
  const networkKeys = new Map<NetworkKey, BIP32Interface>();

  const master = (): BIP32Interface => {
    if (!root) throw new Error('key ring was wiped');
    return root;
  };

  const swapKey = (index: number): BIP32Interface => {
    checkIndex(index, 'swap key index');
    swapBranch ??= deriveWiping(master(), SWAP_KEY_BRANCH);
    return swapBranch.derive(index);
  };

  const identityKey = (index: number, scheme: IdentityKeyScheme = 'wallet'): BIP32Interface => {
    checkIndex(index, 'identity index');
    if (scheme !== 'wallet' && scheme !== 'purpose') throw new RangeError(`unknown identity key scheme ${scheme}`);
    let node = identityKeys.get(`${scheme}/${index}`);
    if (!node) {
      let parent = identityParents.get(scheme);
      if (!parent) {
        parent = deriveWiping(master(), IDENTITY_PARENT[scheme]);
        identityParents.set(scheme, parent);
      }
      node = deriveWiping(parent, identityKeyTail(index, scheme));
      identityKeys.set(`${scheme}/${index}`, node);
    }
    return node;
  };

  const networkKey = (kind: NetworkKey): BIP32Interface => {
    let node = networkKeys.get(kind);
    if (!node) {
      node = deriveWiping(master(), NETWORK_KEY_PATHS[kind]);
      networkKeys.set(kind, node);
    }
    return node;
  };

  return {
    swapPublicKey(index) {
      let pub = swapPublicKeys.get(index);
      if (!pub) {
        const node = swapKey(index);
        pub = Uint8Array.from(node.publicKey);
        wipeNode(node);
        swapPublicKeys.set(index, pub);
      }
      return Uint8Array.from(pub);
    },
    signSwapDigest(index, digest) {
      checkDigest(digest);
      const node = swapKey(index);
      try {
        // Low-R grinding as bitcoinjs does: saves a byte per signature, which keeps re-signed
        // transactions above the relay fee floor (see STACK.md).
        return Uint8Array.from(node.sign(digest, true));
      } finally {
        wipeNode(node);
      }
    },
    identityPublicKey(index, scheme) {
      return Uint8Array.from(identityKey(index, scheme).publicKey);
    },
    signIdentityDigest(index, digest, scheme) {
      checkDigest(digest);
      const priv = identityKey(index, scheme).privateKey;
      if (!priv) throw new Error('identity key has no private key');
      // noble gives [recovery, r, s]; Bitcoin message signatures put 27 + recovery + 4 (compressed key) first.
      const sig = secp256k1.sign(digest, priv, { prehash: false, lowS: true, format: 'recovered' });
      const out = Uint8Array.from(sig);
      out[0] = 27 + 4 + (sig[0] ?? 0);
      return out;
    },
    networkPublicKey(kind) {
      return Uint8Array.from(networkKey(kind).publicKey);
    },
    signNetworkDigest(kind, digest) {
      checkDigest(digest);
      const priv = networkKey(kind).privateKey;
      if (!priv) throw new Error('network key has no private key');
      return Uint8Array.from(secp256k1.sign(digest, priv, { prehash: false, lowS: true, format: 'compact' }));
    },
    wipe() {
      if (swapBranch) wipeNode(swapBranch);
      for (const node of identityKeys.values()) wipeNode(node);
      for (const node of identityParents.values()) wipeNode(node);
      identityParents.clear();
      for (const node of networkKeys.values()) wipeNode(node);
      networkKeys.clear();
      if (root) wipeNode(root);
      swapBranch = undefined;
      root = undefined;
      identityKeys.clear();
      swapPublicKeys.clear();
    },
  };
}

/** Derives step by step so the intermediate private keys can be zeroed, not just dropped. */
function deriveWiping(from: BIP32Interface, path: readonly number[]): BIP32Interface {
  let node = from;
  for (const index of path) {
    const next = node.derive(index);
    if (node !== from) wipeNode(node);
    node = next;
  }
  return node;
}

/** bip32's privateKey getter returns its own buffer, so filling it wipes the key in place. */
function wipeNode(node: BIP32Interface): void {
  node.privateKey?.fill(0);
  node.chainCode.fill(0);
}

function checkIndex(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n >= HARDENED)
    throw new RangeError(`${what} must be an integer from 0 to 2^31-1, got ${n}`);
}

function checkDigest(digest: Uint8Array): void {
  if (!(digest instanceof Uint8Array) || digest.length !== 32) throw new RangeError('digest must be 32 bytes');
}
