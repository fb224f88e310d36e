// The registry's ingest: every record from anywhere (our writes, PUT, the API, gossip, catch-up)
// is verified by the pure core, judged by decideIngest against what its slot holds, and only then
// written, in one transaction with what a profile tombstone retires. docs/identity.md §3.
import {
  identityError,
  isIdentityError,
  type IdentityError,
  type IdentityReason,
} from '../../src-shared/identity/errors.ts';
import type { ChainLookup } from '../../src-shared/identity/links.ts';
import { recordIdOf, verifyRecord, type VerifiedRecord } from '../../src-shared/identity/records.ts';
import { decideIngest, retiredByTombstone, type IngestStatus } from '../../src-shared/identity/registry.ts';
import { DID_IS_PREFIX, type KeyCache, type Sha256Verifier } from '../../src-shared/identity/verify.ts';
import type { SeenVia } from './component.ts';
import type { IdentityRepo, NewRecord } from './repo.ts';

export interface IngestSource {
  readonly via: SeenVia;
  readonly peerId?: string;
  /** The signer's key as the sender claims it (replication); checked, never trusted. */
  readonly keyHint?: Uint8Array;
}

export type IngestOutcome =
  | { readonly stored: true; readonly status: IngestStatus; readonly record: VerifiedRecord }
  | {
      readonly stored: false;
      readonly reason: IdentityReason;
      readonly message: string;
      /** What the refused record is, when that is known (it verified, or it is a stored duplicate). */
      readonly about?: { readonly did: string; readonly kind: VerifiedRecord['kind'] };
    };

export interface RecordChange {
  readonly did: string;
  readonly kind: VerifiedRecord['kind'];
  readonly status: IngestStatus;
  readonly via: SeenVia;
  readonly content: string;
  readonly publicKey?: Uint8Array;
}

export interface Registry {
  /** Verifies and stores if the slot's rule says so; never throws for a refusal (see `outcome.reason`). */
  ingest(content: unknown, source: IngestSource): IngestOutcome;
  /** Stores records another thread verified (the verify pool); one transaction for the batch. */
  ingestVerified(batch: ReadonlyArray<{ record: VerifiedRecord; source: IngestSource }>): IngestOutcome[];
  verify(content: unknown, keyHint?: Uint8Array): VerifiedRecord;
  onChange(listener: (change: RecordChange) => void): () => void;
}

export interface RegistryDeps {
  readonly repo: IdentityRepo;
  readonly verifier: Sha256Verifier;
  readonly keys: KeyCache;
  readonly chains: ChainLookup;
  readonly now: () => number;
}

/** Lower-cased text a profile is found by: names and the address. */
function searchText(r: VerifiedRecord): string | null {
  if (r.kind !== 'profile') return null;
  const p = r.profile;
  return [p.name, p.shortname, p.alias, r.address]
    .filter((x) => x !== null)
    .join('\n')
    .toLowerCase();
}

function toNew(r: VerifiedRecord, source: IngestSource): NewRecord {
  const target =
    r.kind === 'link'
      ? r.slot.slice(r.slot.indexOf('#link:') + 6)
      : r.kind === 'order-key'
        ? r.attestation.orderKey
        : null;
  return {
    slot: r.slot,
    did: r.did,
    kind: r.kind,
    target,
    iat: r.iat,
    tombstone: r.tombstone,
    id: r.id,
    publicKey: r.publicKey,
    content: r.content,
    search: searchText(r),
    via: source.via,
    peerId: source.peerId ?? null,
  };
}

export function createRegistry(d: RegistryDeps): Registry {
  const listeners = new Set<(change: RecordChange) => void>();
  const verify = (content: unknown, keyHint?: Uint8Array) =>
    verifyRecord(content, { verifier: d.verifier, keys: d.keys, keyHint, chains: d.chains });

  /** Inside a transaction: decide and write one verified record. */
  function apply(record: VerifiedRecord, source: IngestSource): IngestOutcome {
    const stored = d.repo.get(record.slot);
    const profile = record.kind === 'profile' ? undefined : d.repo.get(record.did);
    const tombstoneIat = profile?.tombstone ? profile.iat : undefined;
    const decision = decideIngest(stored, record, tombstoneIat);
    if (!decision.store) {
      return { stored: false, reason: decision.reason, message: decision.message, about: record };
    }
    d.repo.put(toNew(record, source), d.now());
    if (record.kind === 'profile' && record.tombstone) {
      const retired = retiredByTombstone(record.iat, d.repo.byDid(record.did));
      d.repo.deleteSlots(retired.map((r) => r.slot));
    }
    return { stored: true, status: decision.status, record };
  }

  function announce(outcomes: IngestOutcome[], sources: readonly IngestSource[]): void {
    outcomes.forEach((o, i) => {
      if (!o.stored) return;
      const change: RecordChange = {
        did: o.record.did,
        kind: o.record.kind,
        status: o.status,
        via: sources[i]!.via,
        content: o.record.content,
        publicKey: o.record.publicKey,
      };
      for (const l of [...listeners]) l(change);
    });
  }

  return {
    verify,
    ingest(content, source) {
      // The same bytes again (gossip arrives by several paths): known without checking the signature.
      const id = typeof content === 'string' ? recordIdOf(content) : undefined;
      const same = id === undefined ? undefined : d.repo.getById(id);
      if (same && same.content === content) {
        return { stored: false, reason: 'DUPLICATE', message: 'this record is already stored', about: same };
      }
      let record: VerifiedRecord;
      try {
        record = verify(content, source.keyHint);
      } catch (err) {
        if (isIdentityError(err)) return { stored: false, reason: err.details.reason, message: err.message };
        throw err;
      }
      const outcome = d.repo.transaction(() => apply(record, source));
      announce([outcome], [source]);
      return outcome;
    },
    ingestVerified(batch) {
      for (const { record } of batch) {
        if (record.publicKey) d.keys.set(record.address, record.publicKey);
      }
      const outcomes = d.repo.transaction(() => batch.map(({ record, source }) => apply(record, source)));
      announce(
        outcomes,
        batch.map((b) => b.source),
      );
      return outcomes;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The DID of a did:is address. */
export const didOfAddress = (address: string): string => `${DID_IS_PREFIX}${address}`;

/** A refusal as the IdentityError the API and HTTP answer with. */
export function refusal(outcome: Extract<IngestOutcome, { stored: false }>): IdentityError {
  return identityError(outcome.reason, outcome.message);
}
