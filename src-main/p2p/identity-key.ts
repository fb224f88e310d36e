// The node's network identity: an Ed25519 key made once and kept in `<dataDir>/peer-key`
// (libp2p protobuf encoding, mode 0600), so the peer id survives restarts. A damaged key file
// is reported, never silently replaced: peers and service-node registrations know us by it.
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { privateKeyFromProtobuf, privateKeyFromRaw, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { ApiError } from '../../src-shared/api/errors.ts';

export const PEER_KEY_FILE = 'peer-key';

function peerKeyCorrupt(path: string, why: string): ApiError {
  return new ApiError(
    'CONFIG_INVALID',
    `The network identity key file ${path} is damaged (${why}). Restore it from a backup, or move it away to start with a new peer id.`,
    { path },
  );
}

export function peerKeyPath(dataDir: string): string {
  return join(dataDir, PEER_KEY_FILE);
}

/**
 * Loads the key from `dataDir`, creating it on first use. Synchronous so the peer id is known
 * as soon as the host object exists, before any network start.
 */
export function loadOrCreatePeerKey(dataDir: string): PrivateKey {
  const path = peerKeyPath(dataDir);
  const existing = readKeyFile(path);
  if (existing !== undefined) return existing;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = generateEd25519();
  try {
    writeNewKeyFile(path, privateKeyToProtobuf(key));
  } catch (err) {
    // Another process made the key between our read and write: use theirs, so both agree.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const theirs = readKeyFile(path);
      if (theirs !== undefined) return theirs;
    }
    throw err;
  }
  return key;
}

/** The peer id a node with this data directory has (its key made now if it has none yet). */
export function peerIdOfDataDir(dataDir: string): string {
  return peerIdFromPrivateKey(loadOrCreatePeerKey(dataDir)).toString();
}

function generateEd25519(): PrivateKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  // libp2p's raw Ed25519 private key is the 32-byte seed followed by the 32-byte public key.
  return privateKeyFromRaw(Buffer.concat([seed, pub]));
}

function readKeyFile(path: string): PrivateKey | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (bytes.length === 0) throw peerKeyCorrupt(path, 'it is empty');
  let key: PrivateKey;
  try {
    key = privateKeyFromProtobuf(bytes);
  } catch (err) {
    throw peerKeyCorrupt(path, `it is not a key: ${(err as Error).message}`);
  }
  if (key.type !== 'Ed25519') throw peerKeyCorrupt(path, `it holds a ${key.type} key, not Ed25519`);
  // A key readable by other users is a leak waiting to happen; tighten it rather than refuse to start.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return key;
}

/** Writes a temp file, syncs it, then links it into place; never overwrites an existing key. */
function writeNewKeyFile(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    // link() fails with EEXIST instead of replacing, which rename() would do.
    linkSync(tmp, path);
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
}
