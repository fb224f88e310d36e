// The registry's ingest rule as one pure decision (docs/identity.md §3): given what a slot holds and a
// verified incoming record, store it or say why not. The order (iat, tombstone beats active, id) is
// total, so every node ends with the same record whatever order records arrive in.
import { identityError, type IdentityReason } from './errors.ts';
import type { RecordKind } from './records.ts';

/** What the decision needs to know of a record (a VerifiedRecord or a stored row). */
export interface RecordHead {
  readonly kind: RecordKind;
  readonly id: string;
  readonly iat: number;
  readonly tombstone: boolean;
}

export type IngestStatus = 'created' | 'updated' | 'deleted' | 'recreated';

export type IngestDecision =
  | { readonly store: true; readonly status: IngestStatus }
  | { readonly store: false; readonly reason: IdentityReason; readonly message: string };

/** Negative when `a` comes before `b` (loses to it), positive when after, 0 for the same record. */
export function compareRecords(a: RecordHead, b: RecordHead): number {
  if (a.iat !== b.iat) return a.iat < b.iat ? -1 : 1;
  if (a.tombstone !== b.tombstone) return a.tombstone ? 1 : -1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

function refuse(reason: IdentityReason, message: string): IngestDecision {
  return { store: false, reason, message };
}

/**
 * Whether `incoming` replaces `stored` in its slot. `profileTombstoneIat` is the iat of the DID's
 * stored profile tombstone, if any: metadata and links issued at or before a delete stay retired.
 */
export function decideIngest(
  stored: RecordHead | undefined,
  incoming: RecordHead,
  profileTombstoneIat?: number,
): IngestDecision {
  if (incoming.kind !== 'profile' && profileTombstoneIat !== undefined && incoming.iat <= profileTombstoneIat) {
    return refuse(
      'DELETED_BEFORE',
      `the identity was deleted at iat ${profileTombstoneIat}; this ${incoming.kind} record is older`,
    );
  }
  const status: IngestStatus = incoming.tombstone
    ? 'deleted'
    : stored === undefined
      ? 'created'
      : stored.tombstone
        ? 'recreated'
        : 'updated';
  if (stored === undefined) return { store: true, status };
  if (stored.id === incoming.id) return refuse('DUPLICATE', 'this record is already stored');
  if (stored.tombstone && !incoming.tombstone && incoming.iat <= stored.iat) {
    return refuse('REPLAY_AFTER_DELETE', `deleted at iat ${stored.iat}; an active record needs a higher iat`);
  }
  const order = compareRecords(incoming, stored);
  if (order > 0) return { store: true, status };
  if (incoming.iat < stored.iat)
    return refuse('IAT_NOT_NEWER', `iat ${incoming.iat} is lower than the stored ${stored.iat}`);
  return refuse('TIE_LOST', `the stored record has the same iat ${stored.iat} and wins the tie (higher id)`);
}

/** decideIngest for callers that want an exception: the API's PUT and publish. */
export function ingestOrThrow(stored: RecordHead | undefined, incoming: RecordHead, profileTombstoneIat?: number) {
  const decision = decideIngest(stored, incoming, profileTombstoneIat);
  if (!decision.store) throw identityError(decision.reason, decision.message);
  return decision.status;
}

/** The records a newly stored profile tombstone retires: metadata and links of that DID issued at or before it. */
export function retiredByTombstone<T extends RecordHead>(tombstoneIat: number, records: readonly T[]): T[] {
  return records.filter((r) => r.kind !== 'profile' && r.iat <= tombstoneIat);
}
