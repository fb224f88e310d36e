// A record's slot starts with its DID (`did`, `did#metadata`, `did#link:…`, `did#order-key:…`),
// so the slot's primary-key index already finds a DID's records: a range from `did` to `did$`
// ('$' follows '#'). The DID index held the same key as the slot index for every profile and
// cost one more random-key B-tree on every insert (docs/identity.md §12, "The join, split").
import type { Migration } from '../../store/migrate.ts';

export const m0002NoDidIndex: Migration = {
  version: 2,
  name: 'identity-no-did-index',
  up(db) {
    db.exec('DROP INDEX identity_records_by_did;');
  },
};
