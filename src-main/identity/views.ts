// Stored records as the API shows them: IdentityView for profiles, LinkView for links, the
// resolved form the `identities` component hands other domains, and the stored state DID
// resolution reads. Records were verified on ingest; here they are only decoded.
import { bytesToHex } from '@noble/hashes/utils.js';
import type { IdentityView, LinkCheck, LinkView } from '../../src-shared/identity/contract.ts';
import { parseCompactJws } from '../../src-shared/identity/jws.ts';
import { parseAccountId, type ChainLookup } from '../../src-shared/identity/links.ts';
import { checkProfilePayload, type ProfileFields } from '../../src-shared/identity/profile.ts';
import { MAX_RECORD_CHARS } from '../../src-shared/identity/records.ts';
import { iatToDateTime, type StoredDid } from '../../src-shared/identity/resolve.ts';
import { formatPath, identityKeyPath } from '../vault/index.ts';
import type { ResolvedIdentity } from './component.ts';
import type { IdentityRepo, MineRow, StoredRecord } from './repo.ts';

export function profileFields(content: string): ProfileFields {
  const p = checkProfilePayload(parseCompactJws(content, MAX_RECORD_CHARS).payload);
  return {
    name: p.name,
    shortname: p.shortname,
    alias: p.alias,
    title: p.title,
    email: p.email,
    url: p.url,
    image: p.image,
    hubs: p.hubs,
  };
}

export function resolvedOf(rec: StoredRecord, repo: IdentityRepo, mine: boolean): ResolvedIdentity {
  const info = repo.didInfo(rec.did);
  return {
    did: rec.did,
    address: rec.did.slice('did:is:'.length),
    deleted: rec.tombstone,
    profile: profileFields(rec.content),
    iat: rec.iat,
    recordId: rec.id,
    publicKey: rec.publicKey!,
    content: rec.content,
    mine,
    seen: {
      firstSeenAt: info?.firstSeenAt ?? rec.storedAt,
      storedAt: rec.storedAt,
      via: rec.via,
      ...(rec.peerId ? { peerId: rec.peerId } : {}),
    },
  };
}

export function identityView(rec: StoredRecord, repo: IdentityRepo, mine: MineRow | undefined): IdentityView {
  const r = resolvedOf(rec, repo, mine !== undefined);
  return {
    did: r.did,
    address: r.address,
    mine: r.mine,
    deleted: r.deleted,
    iat: r.iat,
    updated: iatToDateTime(r.iat),
    created: iatToDateTime(repo.didInfo(rec.did)?.createdIat ?? r.iat),
    recordId: r.recordId,
    publicKey: bytesToHex(r.publicKey),
    profile: r.profile,
    content: r.content,
    seen: { ...r.seen, peerId: r.seen.peerId ?? null },
    label: mine?.label ?? null,
    key: mine
      ? { scheme: mine.scheme, index: mine.index, path: formatPath(identityKeyPath(mine.index, mine.scheme)) }
      : null,
  };
}

const NOT_CHECKED: LinkCheck = { state: 'not-checked', detail: null, checkedAt: null, balances: [] };

export function linkView(rec: StoredRecord, repo: IdentityRepo, chains: ChainLookup): LinkView {
  const target = rec.target!;
  const isDomain = target.startsWith('https://');
  let account: ReturnType<typeof parseAccountId> | undefined;
  if (!isDomain) {
    try {
      account = parseAccountId(target, chains);
    } catch {
      account = undefined; // a chain this node no longer lists: shown without its name
    }
  }
  const check = repo.checks.get(rec.slot);
  return {
    did: rec.did,
    target,
    kind: isDomain ? 'domain' : 'account',
    iat: rec.iat,
    removed: rec.tombstone,
    revokedBy: !rec.tombstone ? null : rec.content.startsWith('{') ? 'address' : 'did',
    chain: account?.chain.name ?? null,
    caip2: isDomain ? null : target.slice(0, target.lastIndexOf(':')),
    address: isDomain ? null : target.slice(target.lastIndexOf(':') + 1),
    pkh: isDomain ? null : `did:pkh:${target}`,
    check: rec.tombstone || !check ? NOT_CHECKED : check,
    content: rec.content,
  };
}

/** What DID resolution needs of a DID: its current profile and its live links. */
export function storedDid(did: string, repo: IdentityRepo): StoredDid | undefined {
  const records = repo.byDid(did);
  const profile = records.find((r) => r.kind === 'profile');
  if (!profile?.publicKey) return undefined;
  const live = records.filter((r) => r.kind === 'link' && !r.tombstone);
  return {
    format: 'v1',
    current: { iat: profile.iat, id: profile.id, tombstone: profile.tombstone, publicKey: profile.publicKey },
    createdIat: repo.didInfo(did)?.createdIat ?? profile.iat,
    accounts: live.filter((r) => !r.target!.startsWith('https://')).map((r) => r.target!),
    origins: live.filter((r) => r.target!.startsWith('https://')).map((r) => r.target!),
  };
}
