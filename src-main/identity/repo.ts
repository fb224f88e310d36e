// The identity registry's repository: one current record per slot, the DIDs' first sightings,
// the user's own identities, link checks and order-key attestations (migrations/0001_identity.ts).
// Only what ingest decided to store is written; nothing here judges a record.
import type { Database } from 'better-sqlite3';
import type { RecordKind } from '../../src-shared/identity/records.ts';
import type { LinkCheck } from '../../src-shared/identity/contract.ts';
import type { KeyScheme, SeenVia } from './component.ts';

export interface StoredRecord {
  readonly slot: string;
  readonly did: string;
  readonly kind: RecordKind;
  /** Links: the CAIP-10 account or origin. */
  readonly target: string | null;
  readonly iat: number;
  readonly tombstone: boolean;
  /** 64 hex. */
  readonly id: string;
  readonly publicKey: Uint8Array | undefined;
  readonly content: string;
  readonly via: SeenVia;
  readonly peerId: string | null;
  readonly storedAt: number;
}

export type NewRecord = Omit<StoredRecord, 'storedAt'> & { readonly search: string | null };

export interface MineRow {
  readonly did: string;
  readonly scheme: KeyScheme;
  readonly index: number;
  readonly label: string | null;
  /** The metadata key sealed by the vault (SecretBox), or null. */
  readonly metadataKey: string | null;
  readonly onOrders: boolean;
  readonly createdAt: number;
}

export interface AttestationRow {
  readonly orderKey: string;
  readonly did: string;
  readonly iat: number;
  readonly exp: number;
  /** The peer that announced the order it came with. */
  readonly peerId: string | null;
  readonly seenAt: number;
}

export interface IdentityRepo {
  get(slot: string): StoredRecord | undefined;
  getById(idHex: string): StoredRecord | undefined;
  /** Content and key of the stored records among these ids (64 hex), in one query: a fetch answer. */
  wireByIds(idsHex: readonly string[]): Array<{ content: string; publicKey: Uint8Array | undefined }>;
  byDid(did: string): StoredRecord[];
  /** Every DID's attestation record of this order key (live or not; the caller judges). */
  byOrderKey(orderKeyHex: string): StoredRecord[];
  /** Writes a record into its slot (replacing what was there) and notes the DID's first sighting. */
  put(record: NewRecord, storedAt: number): void;
  deleteSlots(slots: readonly string[]): void;
  /** The public key of any record of the DID's address (they all share the key). */
  publicKeyOf(did: string): Uint8Array | undefined;
  didInfo(did: string): { createdIat: number; firstSeenAt: number } | undefined;
  /** (iat, id) of every stored record: the reconciliation set. */
  reconcileItems(): Array<{ ts: number; id: Uint8Array }>;
  count(): number;
  /** Profiles ordered by DID after `cursor`, matching `query` in name, short name, alias or address. */
  listProfiles(opts: { query?: string; limit: number; after?: string }): StoredRecord[];
  transaction<T>(fn: () => T): T;
  mine: {
    list(): MineRow[];
    get(did: string): MineRow | undefined;
    add(row: Omit<MineRow, 'onOrders' | 'metadataKey'>): void;
    setLabel(did: string, label: string | null): void;
    setMetadataKey(did: string, sealed: string | null): void;
    /** Makes `did` the one identity our orders show, or none. */
    setOnOrders(did: string | null): void;
  };
  checks: {
    get(slot: string): (LinkCheck & { checkedAt: number }) | undefined;
    put(slot: string, check: LinkCheck & { checkedAt: number }): void;
  };
  attestations: {
    put(row: AttestationRow): void;
    byDid(did: string): AttestationRow[];
    /** Notes one of our swaps that ended in a refund, by its counterparty peer. */
    addRefund(swapId: string, peerId: string, at: number): void;
    /** Our refunded swaps with a peer that announced orders carrying this DID's attestation. */
    refunds(did: string): number;
  };
}

interface RecordRow {
  slot: string;
  did: string;
  kind: RecordKind;
  target: string | null;
  iat: number;
  tombstone: number;
  record_id: Buffer;
  public_key: Buffer | null;
  content: string;
  via: SeenVia;
  peer_id: string | null;
  stored_at: number;
}

const COLS = 'slot, did, kind, target, iat, tombstone, record_id, public_key, content, via, peer_id, stored_at';

function fromRow(r: RecordRow): StoredRecord {
  return {
    slot: r.slot,
    did: r.did,
    kind: r.kind,
    target: r.target,
    iat: r.iat,
    tombstone: r.tombstone === 1,
    id: r.record_id.toString('hex'),
    publicKey: r.public_key ? new Uint8Array(r.public_key) : undefined,
    content: r.content,
    via: r.via,
    peerId: r.peer_id,
    storedAt: r.stored_at,
  };
}

/** LIKE pattern for a substring, with %, _ and \ taken literally. */
function likeSubstring(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function createIdentityRepo(db: Database): IdentityRepo {
  const selectSlot = db.prepare<[string], RecordRow>(`SELECT ${COLS} FROM identity_records WHERE slot = ?`);
  const selectId = db.prepare<[Buffer], RecordRow>(`SELECT ${COLS} FROM identity_records WHERE record_id = ?`);
  // One query for a fetch's 1,024 ids; the record_id index is searched for each (not a scan).
  const selectWire = db.prepare<[string], { content: string; public_key: Buffer | null }>(
    'SELECT content, public_key FROM identity_records WHERE record_id IN (SELECT unhex(value) FROM json_each(?))',
  );
  // A DID's records through the slot index (no DID index, migration 0002): its slots run from
  // `did` to `did#…`, all before `did$`.
  const selectDid = db.prepare<[{ did: string }], RecordRow>(
    `SELECT ${COLS} FROM identity_records WHERE slot >= @did AND slot < @did || '$' AND did = @did ORDER BY slot`,
  );
  const selectOrderKey = db.prepare<[string], RecordRow>(
    `SELECT ${COLS} FROM identity_records WHERE kind = 'order-key' AND target = ? ORDER BY slot`,
  );
  const upsert = db.prepare(
    `INSERT INTO identity_records (slot, did, kind, target, iat, tombstone, record_id, public_key, content, search, via, peer_id, stored_at)
     VALUES (@slot, @did, @kind, @target, @iat, @tombstone, @id, @publicKey, @content, @search, @via, @peerId, @storedAt)
     ON CONFLICT (slot) DO UPDATE SET iat = excluded.iat, tombstone = excluded.tombstone, record_id = excluded.record_id,
       public_key = excluded.public_key, content = excluded.content, search = excluded.search, via = excluded.via,
       peer_id = excluded.peer_id, stored_at = excluded.stored_at`,
  );
  const insertDid = db.prepare<[string, number, number]>(
    'INSERT OR IGNORE INTO identity_dids (did, created_iat, first_seen_at) VALUES (?, ?, ?)',
  );
  const deleteSlot = db.prepare<[string]>('DELETE FROM identity_records WHERE slot = ?');
  const deleteCheck = db.prepare<[string]>('DELETE FROM identity_link_checks WHERE slot = ?');
  const selectKey = db.prepare<[{ did: string }], { public_key: Buffer }>(
    "SELECT public_key FROM identity_records WHERE slot >= @did AND slot < @did || '$' AND did = @did AND public_key IS NOT NULL LIMIT 1",
  );
  const selectDidInfo = db.prepare<[string], { created_iat: number; first_seen_at: number }>(
    'SELECT created_iat, first_seen_at FROM identity_dids WHERE did = ?',
  );
  const selectItems = db.prepare<[], { iat: number; record_id: Buffer }>('SELECT iat, record_id FROM identity_records');
  const selectCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM identity_records');
  const selectList = db.prepare<[{ q: string | null; after: string; limit: number }], RecordRow>(
    // A profile's slot is its DID: slot order is DID order.
    `SELECT ${COLS} FROM identity_records WHERE kind = 'profile' AND slot > @after
       AND (@q IS NULL OR search LIKE @q ESCAPE '\\') ORDER BY slot LIMIT @limit`,
  );

  const mineCols = 'did, scheme, key_index, label, metadata_key, on_orders, created_at';
  type MineDbRow = {
    did: string;
    scheme: KeyScheme;
    key_index: number;
    label: string | null;
    metadata_key: string | null;
    on_orders: number;
    created_at: number;
  };
  const mineFrom = (r: MineDbRow): MineRow => ({
    did: r.did,
    scheme: r.scheme,
    index: r.key_index,
    label: r.label,
    metadataKey: r.metadata_key,
    onOrders: r.on_orders === 1,
    createdAt: r.created_at,
  });
  const mineList = db.prepare<[], MineDbRow>(`SELECT ${mineCols} FROM identity_mine ORDER BY created_at, did`);
  const mineGet = db.prepare<[string], MineDbRow>(`SELECT ${mineCols} FROM identity_mine WHERE did = ?`);
  const mineAdd = db.prepare(
    'INSERT OR IGNORE INTO identity_mine (did, scheme, key_index, label, created_at) VALUES (@did, @scheme, @index, @label, @createdAt)',
  );
  const mineLabel = db.prepare<[string | null, string]>('UPDATE identity_mine SET label = ? WHERE did = ?');
  const mineMetaKey = db.prepare<[string | null, string]>('UPDATE identity_mine SET metadata_key = ? WHERE did = ?');
  const mineOrdersOff = db.prepare('UPDATE identity_mine SET on_orders = 0 WHERE on_orders = 1');
  const mineOrdersOn = db.prepare<[string]>('UPDATE identity_mine SET on_orders = 1 WHERE did = ?');

  const checkGet = db.prepare<
    [string],
    { state: LinkCheck['state']; detail: string | null; balances: string; checked_at: number }
  >('SELECT state, detail, balances, checked_at FROM identity_link_checks WHERE slot = ?');
  const checkPut = db.prepare(
    `INSERT INTO identity_link_checks (slot, state, detail, balances, checked_at) VALUES (@slot, @state, @detail, @balances, @checkedAt)
     ON CONFLICT (slot) DO UPDATE SET state = excluded.state, detail = excluded.detail, balances = excluded.balances, checked_at = excluded.checked_at`,
  );
  const attPut = db.prepare(
    `INSERT INTO identity_attestations (order_key, did, iat, exp, peer_id, seen_at) VALUES (@orderKey, @did, @iat, @exp, @peerId, @seenAt)
     ON CONFLICT (order_key, did) DO UPDATE SET iat = excluded.iat, exp = excluded.exp, peer_id = excluded.peer_id,
       seen_at = excluded.seen_at WHERE excluded.iat > identity_attestations.iat`,
  );
  const attByDid = db.prepare<
    [string],
    { order_key: string; did: string; iat: number; exp: number; peer_id: string | null; seen_at: number }
  >('SELECT order_key, did, iat, exp, peer_id, seen_at FROM identity_attestations WHERE did = ? ORDER BY order_key');
  const refundAdd = db.prepare<[string, string, number]>(
    'INSERT OR IGNORE INTO identity_refunds (swap_id, peer_id, at) VALUES (?, ?, ?)',
  );
  const refundCount = db.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM identity_refunds WHERE peer_id IN
       (SELECT peer_id FROM identity_attestations WHERE did = ? AND peer_id IS NOT NULL)`,
  );

  return {
    get: (slot) => {
      const r = selectSlot.get(slot);
      return r ? fromRow(r) : undefined;
    },
    getById: (idHex) => {
      const r = selectId.get(Buffer.from(idHex, 'hex'));
      return r ? fromRow(r) : undefined;
    },
    wireByIds: (ids) =>
      selectWire
        .all(JSON.stringify(ids))
        .map((r) => ({ content: r.content, publicKey: r.public_key ? new Uint8Array(r.public_key) : undefined })),
    byDid: (did) => selectDid.all({ did }).map(fromRow),
    byOrderKey: (key) => selectOrderKey.all(key).map(fromRow),
    put(rec, storedAt) {
      upsert.run({
        slot: rec.slot,
        did: rec.did,
        kind: rec.kind,
        target: rec.target,
        iat: rec.iat,
        tombstone: rec.tombstone ? 1 : 0,
        id: Buffer.from(rec.id, 'hex'),
        publicKey: rec.publicKey ? Buffer.from(rec.publicKey) : null,
        content: rec.content,
        search: rec.search,
        via: rec.via,
        peerId: rec.peerId,
        storedAt,
      });
      insertDid.run(rec.did, rec.iat, storedAt);
    },
    deleteSlots(slots) {
      for (const slot of slots) {
        deleteSlot.run(slot);
        deleteCheck.run(slot);
      }
    },
    publicKeyOf(did) {
      const r = selectKey.get({ did });
      return r ? new Uint8Array(r.public_key) : undefined;
    },
    didInfo(did) {
      const r = selectDidInfo.get(did);
      return r ? { createdIat: r.created_iat, firstSeenAt: r.first_seen_at } : undefined;
    },
    reconcileItems: () => selectItems.all().map((r) => ({ ts: r.iat, id: new Uint8Array(r.record_id) })),
    count: () => selectCount.get()!.n,
    listProfiles({ query, limit, after }) {
      const q = query && query.trim() !== '' ? likeSubstring(query.trim()) : null;
      return selectList.all({ q, after: after ?? '', limit }).map(fromRow);
    },
    transaction: (fn) => db.transaction(fn)(),
    mine: {
      list: () => mineList.all().map(mineFrom),
      get: (did) => {
        const r = mineGet.get(did);
        return r ? mineFrom(r) : undefined;
      },
      add: (row) => void mineAdd.run(row),
      setLabel: (did, label) => void mineLabel.run(label, did),
      setMetadataKey: (did, sealed) => void mineMetaKey.run(sealed, did),
      setOnOrders: (did) =>
        db.transaction(() => {
          mineOrdersOff.run();
          if (did !== null) mineOrdersOn.run(did);
        })(),
    },
    checks: {
      get(slot) {
        const r = checkGet.get(slot);
        if (!r) return undefined;
        return {
          state: r.state,
          detail: r.detail,
          checkedAt: r.checked_at,
          balances: JSON.parse(r.balances) as LinkCheck['balances'],
        };
      },
      put: (slot, c) =>
        void checkPut.run({
          slot,
          state: c.state,
          detail: c.detail,
          balances: JSON.stringify(c.balances),
          checkedAt: c.checkedAt,
        }),
    },
    attestations: {
      put: (row) => void attPut.run(row),
      byDid: (did) =>
        attByDid.all(did).map((r) => ({
          orderKey: r.order_key,
          did: r.did,
          iat: r.iat,
          exp: r.exp,
          peerId: r.peer_id,
          seenAt: r.seen_at,
        })),
      addRefund: (swapId, peerId, at) => void refundAdd.run(swapId, peerId, at),
      refunds: (did) => refundCount.get(did)!.n,
    },
  };
}
