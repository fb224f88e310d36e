// The node's registry key: a secp256k1 key made once and kept in <dataDir>/registry-node-key
// (hex, mode 0600). It signs this node's witness statements and the URIs its bucket mirrors
// serve; its did:is DID is the node's registry identity. Not a person: it has no profile.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ApiError } from '../../src-shared/api/errors.ts';
import { addressOfKey, signCompact } from '../../src-shared/identity/compact.ts';
import type { StatementSigner } from '../../src-shared/registry/statements.ts';

export const NODE_KEY_FILE = 'registry-node-key';

export function loadNodeKey(dataDir: string): StatementSigner & { publicKey: Uint8Array } {
  const path = join(dataDir, NODE_KEY_FILE);
  if (!existsSync(path)) {
    let secret: Uint8Array;
    do secret = randomBytes(32);
    while (!secp256k1.utils.isValidSecretKey(secret));
    writeFileSync(path, `${Buffer.from(secret).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  const text = readFileSync(path, 'utf8').trim();
  const secret = /^[0-9a-f]{64}$/.test(text) ? Buffer.from(text, 'hex') : undefined;
  if (!secret || !secp256k1.utils.isValidSecretKey(secret)) {
    throw new ApiError('CONFIG_INVALID', `The registry node key ${path} is damaged; move it away to make a new one.`, {
      path,
    });
  }
  const publicKey = secp256k1.getPublicKey(secret, true);
  return { did: `did:is:${addressOfKey(publicKey)}`, publicKey, signDigest: (d) => signCompact(d, secret) };
}
