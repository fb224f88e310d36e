// The did:is registry's tables (docs/identity.md §3): one current record per slot (a DID's
// profile, its metadata, each of its links and order-key attestations), when each DID was first seen, the user's own
// identities (vault key path, local label, sealed metadata key, whether orders show it), what
// this node found when it checked links, the order-key attestations it saw on orders (with the
// peer that announced them) and this node's swaps that ended in a refund, by counterparty peer.
import type { Migration } from '../../store/migrate.ts';

export const m0001Identity: Migration = {
  version: 1,
  name: 'identity',
  up(db) {
    db.exec(`
      CREATE TABLE identity_records (
        slot TEXT PRIMARY KEY NOT NULL,
        did TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('profile', 'metadata', 'link', 'order-key', 'backup')),
        target TEXT,
        iat INTEGER NOT NULL CHECK (iat >= 0),
        tombstone INTEGER NOT NULL CHECK (tombstone IN (0, 1)),
        record_id BLOB NOT NULL UNIQUE CHECK (length(record_id) = 32),
        public_key BLOB CHECK (public_key IS NULL OR length(public_key) = 33),
        content TEXT NOT NULL CHECK (length(content) <= 32768),
        search TEXT,
        via TEXT NOT NULL CHECK (via IN ('self', 'api', 'http', 'gossip', 'sync')),
        peer_id TEXT,
        stored_at INTEGER NOT NULL,
        CHECK ((kind IN ('link', 'order-key')) = (target IS NOT NULL))
      ) STRICT;
      CREATE INDEX identity_records_by_did ON identity_records (did);
      CREATE INDEX identity_records_by_order_key ON identity_records (target) WHERE kind = 'order-key';

      CREATE TABLE identity_dids (
        did TEXT PRIMARY KEY NOT NULL,
        created_iat INTEGER NOT NULL,
        first_seen_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE identity_mine (
        did TEXT PRIMARY KEY NOT NULL,
        scheme TEXT NOT NULL CHECK (scheme IN ('wallet', 'purpose')),
        key_index INTEGER NOT NULL CHECK (key_index >= 0 AND key_index < 2147483648),
        label TEXT CHECK (label IS NULL OR length(label) <= 64),
        metadata_key TEXT,
        on_orders INTEGER NOT NULL DEFAULT 0 CHECK (on_orders IN (0, 1)),
        created_at INTEGER NOT NULL,
        UNIQUE (scheme, key_index)
      ) STRICT;
      CREATE UNIQUE INDEX identity_mine_one_on_orders ON identity_mine (on_orders) WHERE on_orders = 1;

      CREATE TABLE identity_link_checks (
        slot TEXT PRIMARY KEY NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('verified', 'failed', 'not-checked')),
        detail TEXT,
        balances TEXT NOT NULL CHECK (json_valid(balances)),
        checked_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE identity_attestations (
        order_key TEXT NOT NULL,
        did TEXT NOT NULL,
        iat INTEGER NOT NULL,
        exp INTEGER NOT NULL,
        peer_id TEXT,
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (order_key, did)
      ) STRICT;
      CREATE INDEX identity_attestations_by_did ON identity_attestations (did);

      CREATE TABLE identity_refunds (
        swap_id TEXT PRIMARY KEY NOT NULL,
        peer_id TEXT NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX identity_refunds_by_peer ON identity_refunds (peer_id);
    `);
  },
};
