// Communities on this node (docs/communities.md §19): the communities and DMs it is in, their
// sealed MLS states and snapshots, decrypted messages (sealed), the ciphertext log it can serve to
// other members, read positions, join requests, key events; and, as a storage node, the
// ciphertext it keeps for topics that granted it.

import type { Migration } from '../../store/migrate.ts';

export const m0001Communities: Migration = {
  version: 1,
  name: 'communities',
  up(db) {
    db.exec(`
      CREATE TABLE community (
        id TEXT PRIMARY KEY NOT NULL,
        topic TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('community', 'dm')),
        me TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('joined', 'requested', 'removed')),
        removed_reason TEXT CHECK (removed_reason IN ('removed', 'banned', 'left')),
        swap_id TEXT,
        peer TEXT,
        data TEXT NOT NULL CHECK (json_valid(data)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_message_at INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX community_swap ON community (swap_id) WHERE swap_id IS NOT NULL;

      CREATE TABLE community_secret (
        community TEXT NOT NULL,
        name TEXT NOT NULL,
        sealed TEXT NOT NULL,
        PRIMARY KEY (community, name)
      ) STRICT;

      CREATE TABLE community_epoch (
        community TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        tag TEXT NOT NULL,
        storage_key TEXT NOT NULL,
        storage_secret TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (community, epoch, tag)
      ) STRICT;

      CREATE TABLE community_message (
        community TEXT NOT NULL,
        id TEXT NOT NULL,
        did TEXT NOT NULL,
        device TEXT NOT NULL,
        seq INTEGER NOT NULL,
        epoch INTEGER NOT NULL,
        kind TEXT NOT NULL,
        ch TEXT,
        at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        sealed TEXT NOT NULL,
        PRIMARY KEY (community, id)
      ) STRICT;
      CREATE INDEX community_message_slot ON community_message (community, device, seq);

      CREATE TABLE community_envelope (
        rowid INTEGER PRIMARY KEY,
        community TEXT NOT NULL,
        hash TEXT NOT NULL,
        kind TEXT NOT NULL,
        epoch INTEGER,
        branch TEXT,
        device TEXT,
        seq INTEGER,
        status TEXT NOT NULL CHECK (status IN ('pending', 'held', 'done', 'refused')),
        received_at INTEGER NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (community, hash)
      ) STRICT;
      CREATE INDEX community_envelope_todo ON community_envelope (community, status) WHERE status IN ('pending', 'held');
      CREATE INDEX community_envelope_slot ON community_envelope (community, device, seq) WHERE device IS NOT NULL;
      CREATE INDEX community_envelope_time ON community_envelope (community, received_at);

      CREATE TABLE community_read (
        community TEXT NOT NULL,
        channel TEXT NOT NULL,
        message TEXT,
        at INTEGER,
        PRIMARY KEY (community, channel)
      ) STRICT;

      CREATE TABLE community_request (
        community TEXT NOT NULL,
        id TEXT NOT NULL,
        did TEXT NOT NULL,
        invite_id TEXT,
        at INTEGER NOT NULL,
        peer TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'admitted', 'rejected')),
        request TEXT NOT NULL CHECK (json_valid(request)),
        PRIMARY KEY (community, id)
      ) STRICT;

      CREATE TABLE community_notice (
        community TEXT NOT NULL,
        id TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        at INTEGER NOT NULL,
        data TEXT NOT NULL CHECK (json_valid(data)),
        PRIMARY KEY (community, id)
      ) STRICT;

      CREATE TABLE storage_topic (
        topic TEXT PRIMARY KEY NOT NULL,
        grant_json TEXT NOT NULL CHECK (json_valid(grant_json)),
        epoch_keys TEXT NOT NULL CHECK (json_valid(epoch_keys)),
        newest_epoch INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        knocks INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE storage_item (
        topic TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        size INTEGER NOT NULL,
        at INTEGER NOT NULL,
        hash TEXT NOT NULL,
        welcome_to TEXT,
        envelope TEXT NOT NULL,
        PRIMARY KEY (topic, seq),
        UNIQUE (topic, hash)
      ) STRICT;
      CREATE INDEX storage_item_age ON storage_item (topic, at);
      CREATE INDEX storage_item_welcome ON storage_item (topic, welcome_to) WHERE welcome_to IS NOT NULL;
    `);
  },
};
