// The payments tables (docs/payments.md §9.1): each payment's machine state and book entry in one
// row (upserted by key, so a repeated `record` changes nothing), the requests this node made with
// what their addresses received, and the saved contacts. Prepared, parameterised SQL only.
import type { Database } from 'better-sqlite3';
import type { MerchantState } from '../../src-shared/payments/card.ts';
import type { PayState } from '../../src-shared/payments/pay-machine.ts';
import type { SeenPayment } from '../../src-shared/payments/status.ts';
import type { FeeChoice } from '../../src-shared/payments/views.ts';
import { fromJson, toJson } from '../store/json.ts';

/** What the book keeps next to the machine state. */
export interface PaymentEntry {
  readonly uri: string;
  readonly cardState: MerchantState;
  /** The merchant's name as the card showed it when the user paid. */
  readonly name?: string;
  /** Opens the merchant's private metadata at every showing. */
  readonly identityKey?: string;
  readonly label?: string;
  readonly message?: string;
  readonly feeChoice: FeeChoice;
  /** Whole base units per vbyte. */
  readonly feeRate: bigint;
  /** What the wallet paid in fees, once sent. */
  readonly fee?: bigint;
}

export interface StoredPayment {
  readonly state: PayState;
  readonly did: string | undefined;
  readonly entry: PaymentEntry;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface PaymentRepo {
  get(key: string): StoredPayment | undefined;
  /** Writes the state (insert with its entry, or update the state only). */
  save(state: PayState, insert?: { did: string | undefined; entry: PaymentEntry; createdAt: number }): void;
  setEntry(key: string, entry: PaymentEntry): void;
  /** sending, reconciling and sent: what a restart takes up again. */
  unfinished(): StoredPayment[];
  list(opts: { did?: string; ticker?: string; limit: number }): StoredPayment[];
  /** Payments that left the wallet to `did`: how many, and when the last one was made. */
  paidTo(did: string): { count: number; lastPaidAt?: number };
  /** Every identity paid before, with the name the card showed the last time. */
  paidIdentities(): Array<{ did: string; name: string }>;
}

interface PaymentRow {
  key: string;
  did: string | null;
  state: string;
  entry: string;
  created_at: number;
  updated_at: number;
}

const PAID = "('sent', 'confirmed')";

export function createPaymentRepo(db: Database): PaymentRepo {
  const columns = 'key, did, state, entry, created_at, updated_at';
  const select = db.prepare<[string], PaymentRow>(`SELECT ${columns} FROM payments WHERE key = ?`);
  const insert = db.prepare<[string, string, string, string | null, string, string, number, number]>(
    'INSERT INTO payments (key, phase, ticker, did, state, entry, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare<[string, string, number, string]>(
    'UPDATE payments SET phase = ?, state = ?, updated_at = ? WHERE key = ?',
  );
  const updateEntry = db.prepare<[string, string]>('UPDATE payments SET entry = ? WHERE key = ?');
  const unfinished = db.prepare<[], PaymentRow>(
    `SELECT ${columns} FROM payments WHERE phase IN ('sending', 'reconciling', 'sent') ORDER BY created_at`,
  );
  const list = db.prepare<[string | null, string | null, string | null, string | null, number], PaymentRow>(
    `SELECT ${columns} FROM payments WHERE (? IS NULL OR did = ?) AND (? IS NULL OR ticker = ?)
     ORDER BY created_at DESC, key LIMIT ?`,
  );
  const paidTo = db.prepare<[string], { n: number; last: number | null }>(
    `SELECT COUNT(*) AS n, MAX(created_at) AS last FROM payments WHERE did = ? AND phase IN ${PAID}`,
  );
  const paidIdentities = db.prepare<[], { did: string; entry: string }>(
    `SELECT did, entry FROM payments p WHERE did IS NOT NULL AND phase IN ${PAID}
     AND created_at = (SELECT MAX(created_at) FROM payments q WHERE q.did = p.did AND q.phase IN ${PAID})`,
  );
  const read = (r: PaymentRow): StoredPayment => ({
    state: fromJson<PayState>(r.state),
    did: r.did ?? undefined,
    entry: fromJson<PaymentEntry>(r.entry),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  return {
    get: (key) => {
      const row = select.get(key);
      return row ? read(row) : undefined;
    },
    save(state, first) {
      if (first) {
        insert.run(
          state.key,
          state.phase,
          state.ticker,
          first.did ?? null,
          toJson(state),
          toJson(first.entry),
          first.createdAt,
          state.updatedAt,
        );
      } else if (update.run(state.phase, toJson(state), state.updatedAt, state.key).changes !== 1) {
        throw new Error(`payments: no stored payment ${state.key}`);
      }
    },
    setEntry: (key, entry) => void updateEntry.run(toJson(entry), key),
    unfinished: () => unfinished.all().map(read),
    list: (o) => list.all(o.did ?? null, o.did ?? null, o.ticker ?? null, o.ticker ?? null, o.limit).map(read),
    paidTo(did) {
      const r = paidTo.get(did);
      return r && r.n > 0 ? { count: r.n, ...(r.last !== null ? { lastPaidAt: r.last } : {}) } : { count: 0 };
    },
    paidIdentities: () =>
      paidIdentities.all().flatMap((r) => {
        const name = fromJson<PaymentEntry>(r.entry).name;
        return name ? [{ did: r.did, name }] : [];
      }),
  };
}

/** What a request asked for, as this node made it. */
export interface RequestTerms {
  readonly amount?: bigint;
  readonly label?: string;
  readonly message?: string;
  /** The binding's nonce, hex; absent for an unsigned request. */
  readonly nonce?: string;
}

export interface StoredRequest {
  readonly id: string;
  readonly ticker: string;
  readonly address: string;
  readonly uri: string;
  readonly identity: string | undefined;
  readonly terms: RequestTerms;
  readonly seen: readonly SeenPayment[];
  readonly canceled: boolean;
  readonly createdAt: number;
  readonly expiresAt: number | undefined;
  readonly updatedAt: number;
}

export interface RequestRepo {
  insert(r: StoredRequest): void;
  get(id: string): StoredRequest | undefined;
  list(opts: { ticker?: string; limit: number }): StoredRequest[];
  /** Requests whose address may still receive something worth showing (created after `since`). */
  recent(since: number): StoredRequest[];
  setSeen(id: string, seen: readonly SeenPayment[], at: number): void;
  cancel(id: string, at: number): void;
}

interface RequestRow {
  id: string;
  ticker: string;
  address: string;
  uri: string;
  identity: string | null;
  terms: string;
  seen: string;
  canceled: number;
  created_at: number;
  expires_at: number | null;
  updated_at: number;
}

export function createRequestRepo(db: Database): RequestRepo {
  const columns = 'id, ticker, address, uri, identity, terms, seen, canceled, created_at, expires_at, updated_at';
  const insert = db.prepare<
    [string, string, string, string, string | null, string, string, number, number, number | null, number]
  >(`INSERT INTO payment_requests (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const select = db.prepare<[string], RequestRow>(`SELECT ${columns} FROM payment_requests WHERE id = ?`);
  const list = db.prepare<[string | null, string | null, number], RequestRow>(
    `SELECT ${columns} FROM payment_requests WHERE (? IS NULL OR ticker = ?) ORDER BY created_at DESC, id LIMIT ?`,
  );
  const recent = db.prepare<[number], RequestRow>(
    `SELECT ${columns} FROM payment_requests WHERE created_at >= ? ORDER BY created_at`,
  );
  const setSeen = db.prepare<[string, number, string]>(
    'UPDATE payment_requests SET seen = ?, updated_at = ? WHERE id = ?',
  );
  const cancel = db.prepare<[number, string]>('UPDATE payment_requests SET canceled = 1, updated_at = ? WHERE id = ?');
  const read = (r: RequestRow): StoredRequest => ({
    id: r.id,
    ticker: r.ticker,
    address: r.address,
    uri: r.uri,
    identity: r.identity ?? undefined,
    terms: fromJson<RequestTerms>(r.terms),
    seen: fromJson<SeenPayment[]>(r.seen),
    canceled: r.canceled === 1,
    createdAt: r.created_at,
    expiresAt: r.expires_at ?? undefined,
    updatedAt: r.updated_at,
  });
  return {
    insert(r) {
      insert.run(
        r.id,
        r.ticker,
        r.address,
        r.uri,
        r.identity ?? null,
        toJson(r.terms),
        toJson(r.seen),
        r.canceled ? 1 : 0,
        r.createdAt,
        r.expiresAt ?? null,
        r.updatedAt,
      );
    },
    get: (id) => {
      const row = select.get(id);
      return row ? read(row) : undefined;
    },
    list: (o) => list.all(o.ticker ?? null, o.ticker ?? null, o.limit).map(read),
    recent: (since) => recent.all(since).map(read),
    setSeen: (id, seen, at) => void setSeen.run(toJson(seen), at, id),
    cancel: (id, at) => void cancel.run(at, id),
  };
}

export interface StoredContact {
  readonly did: string;
  readonly name: string;
  readonly savedAt: number;
}

export interface ContactRepo {
  list(): StoredContact[];
  save(c: StoredContact): void;
  remove(did: string): boolean;
}

export function createContactRepo(db: Database): ContactRepo {
  const list = db.prepare<[], { did: string; name: string; saved_at: number }>(
    'SELECT did, name, saved_at FROM payment_contacts ORDER BY name, did',
  );
  const save = db.prepare<[string, string, number]>(
    `INSERT INTO payment_contacts (did, name, saved_at) VALUES (?, ?, ?)
     ON CONFLICT (did) DO UPDATE SET name = excluded.name, saved_at = excluded.saved_at`,
  );
  const remove = db.prepare<[string]>('DELETE FROM payment_contacts WHERE did = ?');
  return {
    list: () => list.all().map((r) => ({ did: r.did, name: r.name, savedAt: r.saved_at })),
    save: (c) => void save.run(c.did, c.name, c.savedAt),
    remove: (did) => remove.run(did).changes > 0,
  };
}
