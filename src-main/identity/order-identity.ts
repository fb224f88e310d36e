// Identity on the exchange (docs/identity.md §9). Our side: the one identity the user chose to
// show on orders attests the node's order key in a registry record, renewed before it expires and
// withdrawn when the choice changes. Everyone's side: which verified identity, if any, speaks for
// the order key of an order in the book.
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  buildOrderKeyPayload,
  buildOrderKeyWithdrawal,
  isLive,
  type OrderKeyPayload,
} from '../../src-shared/identity/attestation.ts';
import { fail } from '../../src-shared/identity/errors.ts';
import { nextIat } from '../../src-shared/identity/profile.ts';
import { parseCompactJws } from '../../src-shared/identity/jws.ts';
import { MAX_RECORD_CHARS, orderKeySlot } from '../../src-shared/identity/records.ts';
import type { Logger } from '../kernel/log.ts';
import type { Own } from './own.ts';
import type { IdentityRepo, StoredRecord } from './repo.ts';
import { profileFields } from './views.ts';

/** How long what we publish lasts, and when it is renewed. */
export const ATTEST_DAYS = 30;
const RENEW_BEFORE_MS = 7 * 86_400_000;

/** The identity an order in the book is shown with. */
export interface MakerIdentity {
  readonly did: string;
  /** The profile's name (or short name or alias); null when it has none. */
  readonly name: string | null;
}

/** The `makerIdentities` component: what the orders views ask. */
export interface MakerIdentities {
  /** The verified identity speaking for this order key now, if exactly one does; `peerId` is the maker's node. */
  ofOrderKey(orderKeyHex: string, peerId?: string): MakerIdentity | undefined;
}

declare module '../kernel/module.ts' {
  interface Components {
    makerIdentities: MakerIdentities;
  }
}

/** A stored attestation's payload: verified on ingest (both signatures), only decoded here. */
function payloadOf(rec: StoredRecord): OrderKeyPayload {
  return parseCompactJws(rec.content, MAX_RECORD_CHARS).payload as unknown as OrderKeyPayload;
}

/**
 * The identity whose live attestation names this key and whose profile is stored and active.
 * Several live ones (the key's owner moved its choice and an old one has not expired) show the
 * newest: all are counter-signed by the key, so all are the owner's.
 */
export function makerIdentityOf(
  repo: IdentityRepo,
  orderKeyHex: string,
  now: number,
): (MakerIdentity & { iat: number; exp: number }) | undefined {
  let best: { did: string; iat: number; exp: number } | undefined;
  for (const rec of repo.byOrderKey(orderKeyHex)) {
    if (rec.tombstone) continue;
    const p = payloadOf(rec);
    if (!isLive(p, now)) continue;
    const profile = repo.get(rec.did);
    if (!profile || profile.tombstone) continue;
    if (!best || p.iat > best.iat) best = { did: rec.did, iat: p.iat, exp: p.exp! };
  }
  if (!best) return undefined;
  const f = profileFields(repo.get(best.did)!.content);
  return { ...best, name: f.name ?? f.shortname ?? f.alias ?? null };
}

export interface OrderShowingDeps {
  readonly own: Own;
  readonly repo: IdentityRepo;
  readonly orderKey: () => Uint8Array;
  readonly signOrderKey: (digest32: Uint8Array) => Uint8Array;
  readonly log: Logger;
  readonly now: () => number;
}

export interface OrderShowing {
  /** Signs and publishes a fresh attestation of our order key by `did`. */
  attest(did: string, days: number): { attestation: string; orderKey: string; exp: number };
  /** Shows `did` on our orders from now on (null: none), withdrawing what no longer holds. */
  choose(did: string | null): void;
  /** Renews the chosen identity's attestation when it is missing or near its end. */
  renew(): void;
}

export function createOrderShowing(d: OrderShowingDeps): OrderShowing {
  const key = () => bytesToHex(d.orderKey());

  const attest = (did: string, days: number) => {
    d.own.mineRow(did);
    const profile = d.repo.get(did);
    if (!profile) fail('NOT_FOUND', `${did} has no published profile to show`);
    if (profile.tombstone) fail('DELETED_BEFORE', `${did} is deleted; recreate it first`);
    const orderKey = key();
    const slot = orderKeySlot(did, orderKey);
    const iat = nextIat(d.now(), d.repo.get(slot)?.iat);
    const { record } = d.own.write(did, buildOrderKeyPayload(did, orderKey, iat, days, d.signOrderKey));
    return { attestation: record.content, orderKey, exp: payloadOf(d.repo.get(slot)!).exp! };
  };

  const withdraw = (did: string) => {
    const slot = orderKeySlot(did, key());
    const stored = d.repo.get(slot);
    if (!stored || stored.tombstone) return;
    d.own.write(did, buildOrderKeyWithdrawal(did, key(), nextIat(d.now(), stored.iat)));
  };

  return {
    attest,
    choose(did) {
      if (did !== null) attest(did, ATTEST_DAYS);
      // Every other identity of ours stops speaking for the key (one chosen at most).
      for (const row of d.repo.mine.list()) if (row.did !== did) withdraw(row.did);
      d.repo.mine.setOnOrders(did);
    },
    renew() {
      const row = d.repo.mine.list().find((r) => r.onOrders);
      if (!row) return;
      const stored = d.repo.get(orderKeySlot(row.did, key()));
      const p = stored && !stored.tombstone ? payloadOf(stored) : undefined;
      if (p?.exp && p.exp - d.now() > RENEW_BEFORE_MS) return;
      try {
        attest(row.did, ATTEST_DAYS);
      } catch (err) {
        d.log.info('could not renew the identity shown on orders', { did: row.did, error: (err as Error).message });
      }
    },
  };
}
