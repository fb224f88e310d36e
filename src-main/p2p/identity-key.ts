// The node's network identity: an Ed25519 key made once and kept in `<dataDir>/peer-key`
// (libp2p protobuf encoding, mode 0600), so the peer id survives restarts. A damaged key file
// is reported, never silently replaced: peers and service-node registrations know us by it.
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { ApiError } from '../../src-shared/api/errors.ts';

export const PEER_KEY_FILE = 'peer-key';

export class PeerKeyCorruptError extends ApiError {
  override name = 'PeerKeyCorruptError';
  readonly path: string;
  constructor(path: string, why: string) {
    super('CONFIG_INVALID', `The network identity key file ${path} is damaged (${why}). Restore it from a backup, or move it away to start with a new peer id.`, { path });
    this.path = path;
  }
}

export function peerKeyPath(dataDir: string): string {
  return join(dataDir, PEER_KEY_FILE);
}

/** Loads the key from `dataDir`, creating it on first use. */
export async function loadOrCreatePeerKey(dataDir: string): Promise<PrivateKey> {
  const path = peerKeyPath(dataDir);
  const existing = await readKeyFile(path);
  if (existing !== undefined) return existing;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const key = await generateKeyPair('Ed25519');
  try {
    await writeNewKeyFile(path, privateKeyToProtobuf(key));
  } catch (err) {
    // Another process made the key between our read and write: use theirs, so both agree.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const theirs = await readKeyFile(path);
      if (theirs !== undefined) return theirs;
    }
    throw err;
  }
  return key;
}

async function readKeyFile(path: string): Promise<PrivateKey | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (bytes.length === 0) throw new PeerKeyCorruptError(path, 'it is empty');
  let key: PrivateKey;
  try {
    key = privateKeyFromProtobuf(bytes);
  } catch (err) {
    throw new PeerKeyCorruptError(path, `it is not a key: ${(err as Error).message}`);
  }
  if (key.type !== 'Ed25519') throw new PeerKeyCorruptError(path, `it holds a ${key.type} key, not Ed25519`);
  // A key readable by other users is a leak waiting to happen; tighten it rather than refuse to start.
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & 0o077) !== 0) await chmod(path, 0o600);
  return key;
}

/** Writes a temp file, syncs it, then links it into place; never overwrites an existing key. */
async function writeNewKeyFile(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // link() fails with EEXIST instead of replacing, which rename() would do.
    await link(tmp, path);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
