import { ApiError } from '../../src-shared/api/errors.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { loadOrCreatePeerKey, peerKeyPath } from './identity-key.ts';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hashlock-peerkey-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('peer identity key', () => {
  it('is created once with mode 0600 and gives the same peer id when loaded again', async () => {
    const dir = await freshDir();
    const first = loadOrCreatePeerKey(join(dir, 'nested'));
    const again = loadOrCreatePeerKey(join(dir, 'nested'));
    expect(first.type).toBe('Ed25519');
    expect(peerIdFromPrivateKey(again).toString()).toBe(peerIdFromPrivateKey(first).toString());
    expect((await stat(peerKeyPath(join(dir, 'nested')))).mode & 0o777).toBe(0o600);
  });

  it('makes keys that sign and verify, and a different one per data dir', async () => {
    const key = loadOrCreatePeerKey(await freshDir());
    const other = loadOrCreatePeerKey(await freshDir());
    const msg = new TextEncoder().encode('hashlock');
    expect(await key.publicKey.verify(msg, await key.sign(msg))).toBe(true);
    expect(peerIdFromPrivateKey(key).toString()).not.toBe(peerIdFromPrivateKey(other).toString());
  });

  it('tightens a key file that other users can read', async () => {
    const dir = await freshDir();
    loadOrCreatePeerKey(dir);
    await chmod(peerKeyPath(dir), 0o644);
    loadOrCreatePeerKey(dir);
    expect((await stat(peerKeyPath(dir))).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['empty', new Uint8Array()],
    ['garbage', new TextEncoder().encode('this is not a protobuf key')],
    ['truncated', new Uint8Array([0x08, 0x01, 0x12, 0x40, 0x01, 0x02])],
  ])('refuses a %s key file with a clear error and leaves it in place', async (_name, content) => {
    const dir = await freshDir();
    await writeFile(peerKeyPath(dir), content, { mode: 0o600 });
    let err: unknown;
    try {
      loadOrCreatePeerKey(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('CONFIG_INVALID');
    expect((err as Error).message).toContain(peerKeyPath(dir));
    expect(new Uint8Array(await readFile(peerKeyPath(dir)))).toEqual(content);
  });

  it('refuses a key of the wrong type', async () => {
    const dir = await freshDir();
    await writeFile(peerKeyPath(dir), privateKeyToProtobuf(await generateKeyPair('secp256k1')), { mode: 0o600 });
    expect(() => loadOrCreatePeerKey(dir)).toThrow(/secp256k1 key, not Ed25519/);
  });
});
