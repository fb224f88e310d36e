// The user's own identities: keys derived in the vault (docs/vault.md), records signed there and
// stored through the same ingest as everyone else's, local labels, and finding published
// identities after a restore (both key paths, a gap limit). docs/identity.md §10.
import { addressOfKey } from '../../src-shared/identity/compact.ts';
import { fail } from '../../src-shared/identity/errors.ts';
import {
  buildProfilePayload,
  buildTombstonePayload,
  didOf,
  nextIat,
  type ProfileInput,
} from '../../src-shared/identity/profile.ts';
import { addressOfDid, didIsHeaderJson, signDidIsJws, type DigestSigner } from '../../src-shared/identity/verify.ts';
import type { Vault } from '../vault/index.ts';
import type { KeyScheme } from './component.ts';
import { refusal, type IngestOutcome, type Registry } from './registry.ts';
import type { IdentityRepo, MineRow, StoredRecord } from './repo.ts';

/** Unused keys in a row after which a restore stops looking on a path (as BIP44's address gap). */
export const DEFAULT_SCAN_GAP = 20;
const SCHEMES: readonly KeyScheme[] = ['wallet', 'purpose'];

export type OwnVault = Pick<Vault, 'identityPublicKey' | 'signIdentityDigest'>;

export interface Own {
  signer(did: string): DigestSigner;
  mineRow(did: string): MineRow;
  /** Signs a did:is record with the DID's key and ingests it as our own write. */
  write(did: string, payloadJson: string): Extract<IngestOutcome, { stored: true }>;
  create(p: { account?: number; label?: string | null; profile: ProfileInput }): string;
  update(did: string, profile: ProfileInput): void;
  remove(did: string): void;
  recreate(did: string, profile: ProfileInput): void;
  /** The DIDs of these keys of ours. */
  derive(
    keys: ReadonlyArray<{ scheme: KeyScheme; index: number }>,
  ): Array<{ did: string; scheme: KeyScheme; index: number }>;
  /** Adds stored identities of our keys to our list; returns those newly found. */
  adopt(found: ReadonlyArray<{ did: string; scheme: KeyScheme; index: number }>): string[];
}

/** Our identity keys: which DIDs are ours, the DID of a key, and signing as one of them. */
function ownKeys(d: { vault: OwnVault; repo: IdentityRepo }) {
  const mineRow = (did: string): MineRow => {
    const row = d.repo.mine.get(did);
    if (!row) fail('NOT_FOUND', `${did.slice(0, 80)} is not one of this node's identities`);
    return row;
  };
  const signer = (did: string): DigestSigner => {
    const row = mineRow(did);
    return {
      publicKey: d.vault.identityPublicKey(row.index, row.scheme),
      signDigest: (digest) => d.vault.signIdentityDigest(row.index, digest, row.scheme),
    };
  };
  const keyDid = (index: number, scheme: KeyScheme) => didOf(addressOfKey(d.vault.identityPublicKey(index, scheme)));
  return { mineRow, signer, keyDid };
}

export function createOwn(d: { vault: OwnVault; repo: IdentityRepo; registry: Registry; now: () => number }): Own {
  const { mineRow, signer, keyDid } = ownKeys(d);

  const write = (did: string, payloadJson: string) => {
    const address = addressOfDid(did)!;
    const content = signDidIsJws(didIsHeaderJson(address), payloadJson, signer(did));
    const outcome = d.registry.ingest(content, { via: 'self' });
    if (!outcome.stored) throw refusal(outcome);
    return outcome;
  };

  const stored = (did: string): StoredRecord | undefined => d.repo.get(did);

  const active = (did: string): StoredRecord => {
    mineRow(did);
    const rec = stored(did);
    if (!rec) fail('NOT_FOUND', `${did} has no published profile`);
    if (rec.tombstone) {
      fail('REPLAY_AFTER_DELETE', `${did} is deleted; recreate it to publish a profile again`);
    }
    return rec;
  };

  const nextUnused = (): number => {
    const used = new Set(
      d.repo.mine
        .list()
        .filter((r) => r.scheme === 'wallet')
        .map((r) => r.index),
    );
    for (let i = 0; ; i++) if (!used.has(i) && !stored(keyDid(i, 'wallet'))) return i;
  };

  return {
    signer,
    mineRow,
    write,
    create(p) {
      const index = p.account ?? nextUnused();
      const did = keyDid(index, 'wallet');
      const existing = stored(did);
      if (existing && !existing.tombstone) {
        fail('IAT_NOT_NEWER', `account ${index} already has the published identity ${did}`, { did });
      }
      const payload = buildProfilePayload(did, nextIat(d.now(), existing?.iat), p.profile);
      d.repo.mine.add({ did, scheme: 'wallet', index, label: p.label ?? null, createdAt: d.now() });
      write(did, payload);
      return did;
    },
    update(did, profile) {
      const rec = active(did);
      write(did, buildProfilePayload(did, nextIat(d.now(), rec.iat), profile));
    },
    remove(did) {
      const rec = active(did);
      write(did, buildTombstonePayload(did, nextIat(d.now(), rec.iat)));
    },
    recreate(did, profile) {
      mineRow(did);
      const rec = stored(did);
      if (rec && !rec.tombstone) fail('IAT_NOT_NEWER', `${did} is not deleted; update it instead`);
      write(did, buildProfilePayload(did, nextIat(d.now(), rec?.iat), profile));
    },
    derive: (keys) => keys.map((k) => ({ ...k, did: keyDid(k.index, k.scheme) })),
    adopt(found) {
      const added: string[] = [];
      for (const f of found) {
        if (d.repo.mine.get(f.did) || !stored(f.did)) continue;
        d.repo.mine.add({ ...f, label: null, createdAt: d.now() });
        added.push(f.did);
      }
      return added;
    },
  };
}

/**
 * Scans both key paths: a window of `gap` indices at a time, asking `lookup` (the registry, then
 * peers) which DIDs are published; a path stops after `gap` unused indices in a row.
 */
export async function scanPaths(
  own: Own,
  gap: number,
  lookup: (dids: string[]) => Promise<Set<string>>,
): Promise<{ found: Array<{ did: string; scheme: KeyScheme; index: number }>; checked: number }> {
  const found: Array<{ did: string; scheme: KeyScheme; index: number }> = [];
  const lastUsed: Record<KeyScheme, number> = { wallet: -1, purpose: -1 };
  const next: Record<KeyScheme, number> = { wallet: 0, purpose: 0 };
  let checked = 0;
  for (;;) {
    // Each path's next unchecked indices, up to `gap` past the last one in use.
    const keys = SCHEMES.flatMap((scheme) => {
      const end = Math.min(next[scheme] + gap, lastUsed[scheme] + gap + 1, 0x80000000);
      return Array.from({ length: Math.max(0, end - next[scheme]) }, (_, k) => ({ scheme, index: next[scheme] + k }));
    });
    if (keys.length === 0) break;
    const window = own.derive(keys);
    checked += window.length;
    const published = await lookup(window.map((k) => k.did));
    for (const k of window) {
      next[k.scheme] = Math.max(next[k.scheme], k.index + 1);
      if (!published.has(k.did)) continue;
      found.push(k);
      lastUsed[k.scheme] = Math.max(lastUsed[k.scheme], k.index);
    }
  }
  return { found, checked };
}
