// The content registry's tables (docs/registry.md): every accepted statement as signed, the
// records' searchable fields and local state, URIs with their last check, the blobs this node
// holds, and the bucket's rule. Uniqueness constraints are the acceptance rules' last line.
import type { Migration } from '../../store/migrate.ts';

export const m0001Registry: Migration = {
  version: 1,
  name: 'registry',
  up(db) {
    db.exec(`
      CREATE TABLE registry_statements (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 64),
        kind TEXT NOT NULL CHECK (kind IN ('record', 'cosign', 'uri', 'witness', 'trust')),
        signer TEXT NOT NULL,
        iat INTEGER NOT NULL CHECK (iat >= 0),
        hash TEXT CHECK (hash IS NULL OR length(hash) = 128),
        record TEXT,
        subject TEXT,
        uri TEXT,
        level TEXT,
        content TEXT NOT NULL CHECK (length(content) <= 16384),
        public_key BLOB CHECK (public_key IS NULL OR length(public_key) = 33),
        via TEXT NOT NULL CHECK (via IN ('self', 'api', 'gossip', 'sync')),
        peer_id TEXT,
        received_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX registry_statements_by_hash ON registry_statements (hash, kind);
      CREATE INDEX registry_statements_by_record ON registry_statements (record, kind);
      CREATE INDEX registry_statements_by_signer ON registry_statements (signer, kind);
      CREATE UNIQUE INDEX registry_one_per_signer_record ON registry_statements (kind, signer, record)
        WHERE kind IN ('cosign', 'witness');
      CREATE UNIQUE INDEX registry_one_uri ON registry_statements (hash, uri) WHERE kind = 'uri';
      CREATE UNIQUE INDEX registry_trust_slot ON registry_statements (signer, subject) WHERE kind = 'trust';

      CREATE TABLE registry_records (
        id TEXT PRIMARY KEY NOT NULL REFERENCES registry_statements (id),
        hash TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size >= 0),
        name TEXT NOT NULL,
        name_lower TEXT NOT NULL,
        language TEXT NOT NULL,
        language_lower TEXT NOT NULL,
        licence TEXT NOT NULL CHECK (json_valid(licence)),
        licence_ids TEXT,
        format TEXT NOT NULL,
        signer TEXT NOT NULL,
        iat INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('verified', 'unverified', 'mismatch')),
        received_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX registry_records_by_hash ON registry_records (hash);
      CREATE INDEX registry_records_recent ON registry_records (received_at DESC, id DESC);

      CREATE TABLE registry_relations (
        record TEXT NOT NULL REFERENCES registry_records (id),
        type TEXT NOT NULL,
        target TEXT NOT NULL,
        PRIMARY KEY (record, type, target)
      ) STRICT;
      CREATE INDEX registry_relations_by_target ON registry_relations (target);

      CREATE TABLE registry_uris (
        hash TEXT NOT NULL,
        uri TEXT NOT NULL,
        added_by TEXT,
        state TEXT NOT NULL CHECK (state IN ('unchecked', 'ok', 'bad', 'unreachable', 'refused')),
        checked_at INTEGER,
        detail TEXT,
        PRIMARY KEY (hash, uri)
      ) STRICT;

      CREATE TABLE registry_blobs (
        hash TEXT PRIMARY KEY NOT NULL CHECK (length(hash) = 128),
        size INTEGER NOT NULL CHECK (size >= 0),
        source TEXT NOT NULL CHECK (source IN ('upload', 'mirror')),
        stored_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE registry_bucket (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        rule TEXT NOT NULL CHECK (json_valid(rule)),
        max_bytes INTEGER NOT NULL CHECK (max_bytes >= 0),
        identity TEXT,
        last_error TEXT
      ) STRICT;

      CREATE TABLE registry_mirror_failures (
        hash TEXT PRIMARY KEY NOT NULL,
        failed_at INTEGER NOT NULL,
        detail TEXT NOT NULL
      ) STRICT;
    `);
  },
};
