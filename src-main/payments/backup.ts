// Keeps the payment book (payments sent, requests made, contacts) encrypted on the network under
// the user's own identity, and takes it back after the seed is restored: pages sealed with a key
// only that identity's seed re-derives, each page a did:is-signed backup record the identity
// registry stores and replicates (docs/payments.md §10).
import { buildBackupPayload, backupSlot } from '../../src-shared/identity/backup.ts';
import { verifyRecord } from '../../src-shared/identity/records.ts';
import { didIsHeaderJson, signDidIsJws } from '../../src-shared/identity/verify.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { formatAmount, parseAmount } from '../../src-shared/money/index.ts';
import {
  backupKey,
  backupKeyDigest,
  openPage,
  pageHash,
  pageName,
  layoutBook,
  sealPage,
  type BackupPage,
  type BackupPayment,
  type BookSnapshot,
} from '../../src-shared/payments/backup.ts';
import { newPayment } from '../../src-shared/payments/pay-machine.ts';
import { parsePaymentUri } from '../../src-shared/payments/uri.ts';
import type { BackupStatusView } from '../../src-shared/payments/views.ts';
import type { Identities, MyIdentity } from '../identity/index.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { SettingsRepo } from '../settings/index.ts';
import type { ContactRepo, PaymentRepo, RequestRepo, StoredPayment } from './repo.ts';

const STATE_KEY = 'payments-backup';
const ALL = 100_000;

export interface BackupDeps {
  readonly identities: Identities;
  readonly payments: PaymentRepo;
  readonly contacts: ContactRepo;
  readonly requests: RequestRepo;
  readonly store: SettingsRepo;
  readonly coins: CoinTable;
  readonly confirmations: (ticker: string) => number;
  readonly now: () => number;
  readonly log: Logger;
  /** Changes are gathered this long before a backup is published. */
  readonly debounceMs: number;
  /** Restored payments that are sent but not confirmed yet are watched again. */
  readonly watch: (key: string) => void;
}

interface Published {
  did: string;
  pages: Array<{ hash: string; iat: number }>;
  entries: number;
  /** Entries created before this were left out of the backup (it holds a bounded book). */
  since?: number;
  omitted?: number;
  publishedAt?: number;
  restored?: number;
  restoredAt?: number;
  error?: string;
}

/** The identity a backup is kept under: the user's first published one (wallet path first, lowest index). */
export function backupIdentity(mine: readonly MyIdentity[]): MyIdentity | undefined {
  return [...mine]
    .filter((m) => m.current !== undefined && !m.current.deleted)
    .sort((a, b) => (a.scheme === b.scheme ? a.index - b.index : a.scheme === 'wallet' ? -1 : 1))[0];
}

export function createBookBackup(d: BackupDeps): BookBackup {
  return new BookBackup(d);
}

/** Publishes the book's pages under the user's identity and merges them back (one method per step). */
export class BookBackup {
  readonly #d: BackupDeps;
  readonly #keys = new Map<string, Uint8Array>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(d: BackupDeps) {
    this.#d = d;
  }

  #read(): Published | undefined {
    return this.#d.store.get<Published>(STATE_KEY);
  }

  #write(p: Published): void {
    this.#d.store.set(STATE_KEY, p);
  }

  #keyOf(did: string): Uint8Array {
    let k = this.#keys.get(did);
    if (!k) this.#keys.set(did, (k = backupKey(this.#d.identities.sign(did, backupKeyDigest(did)), did)));
    return k;
  }

  #snapshot(): BookSnapshot {
    const d = this.#d;
    const payments = d.payments
      .list({ limit: ALL })
      .filter((p) => (p.state.phase === 'sent' || p.state.phase === 'confirmed') && p.state.txid)
      .reverse()
      .map((p) => backupPayment(d.coins, p));
    const now = d.now();
    const requests = d.requests
      .list({ limit: ALL })
      // A request that ended without receiving anything has nothing to restore.
      .filter((r) => r.seen.length > 0 || (!r.canceled && (r.expiresAt === undefined || r.expiresAt > now)))
      .reverse()
      .map((r) => ({
        id: r.id,
        ticker: r.ticker,
        address: r.address,
        uri: r.uri,
        createdAt: r.createdAt,
        ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}),
        canceled: r.canceled,
      }));
    const contacts = d.contacts.list().map((c) => ({ did: c.did, name: c.name, savedAt: c.savedAt }));
    return { payments, requests, contacts };
  }

  async #publish(me: MyIdentity, pages: readonly BackupPage[], prev: Published | undefined) {
    const d = this.#d;
    const did = me.did;
    const signer = { publicKey: me.current!.publicKey, signDigest: (x: Uint8Array) => d.identities.sign(did, x) };
    const header = didIsHeaderJson(me.address);
    const old = prev?.did === did ? prev.pages : [];
    const out: Published['pages'] = [];
    const count = Math.max(pages.length, old.length);
    for (let i = 0; i < count; i++) {
      const page = pages[i];
      const hash = page ? pageHash(page) : '';
      if (old[i]?.hash === hash) {
        if (page) out.push(old[i]!);
        continue;
      }
      const iat = Math.max(d.now(), (old[i]?.iat ?? 0) + 1);
      // A page no longer needed is withdrawn (a tombstone), so a restore never reads a stale one.
      const jwe = page ? await sealPage(page, this.#keyOf(did), did) : null;
      await d.identities.publish(signDidIsJws(header, buildBackupPayload(did, iat, pageName(i), jwe), signer));
      if (page) out.push({ hash, iat });
    }
    return out;
  }

  async #publishNow(): Promise<void> {
    const d = this.#d;
    const me = backupIdentity(d.identities.mine());
    const prev = this.#read();
    if (!me) return;
    try {
      const book = this.#snapshot();
      const layout = layoutBook(book, prev?.did === me.did ? (prev.since ?? 0) : 0);
      const pages = await this.#publish(me, layout.pages, prev);
      const changed = pages.some((p, i) => prev?.did !== me.did || prev.pages[i]?.hash !== p.hash);
      this.#write({
        ...prev,
        did: me.did,
        pages,
        entries: book.payments.length + book.requests.length - layout.omitted,
        since: layout.since,
        omitted: layout.omitted,
        ...(changed || !prev?.publishedAt ? { publishedAt: d.now() } : {}),
        error: undefined,
      } as Published);
    } catch (err) {
      d.log.warn('the payment book backup failed', { error: errorText(err) });
      this.#write({ ...(prev ?? { did: me.did, pages: [], entries: 0 }), error: errorText(err) });
    }
  }

  async #restore(): Promise<number> {
    const d = this.#d;
    let added = 0;
    for (const me of d.identities.mine()) {
      try {
        const pages = await this.#readPages(me.did);
        for (const page of pages) added += this.#merge(page);
      } catch (err) {
        d.log.warn('a payment book backup could not be read', { did: me.did, error: errorText(err) });
        const prev = this.#read();
        if (prev) this.#write({ ...prev, error: `restore: ${errorText(err)}` });
      }
    }
    if (added > 0) {
      const prev = this.#read();
      this.#write({ ...(prev ?? { did: '', pages: [], entries: 0 }), restored: added, restoredAt: d.now() });
      d.log.info('payment book restored from its backup', { entries: added });
    }
    return added;
  }

  async #readPages(did: string): Promise<BackupPage[]> {
    const d = this.#d;
    const open = async (i: number): Promise<BackupPage | undefined> => {
      const content = d.identities.slot(backupSlot(did, pageName(i)));
      if (!content) return undefined;
      const rec = verifyRecord(content);
      if (rec.kind !== 'backup' || rec.did !== did || rec.tombstone || rec.backup.jwe === null) return undefined;
      return openPage(rec.backup.jwe, this.#keyOf(did), did);
    };
    const first = await open(0);
    if (!first) return [];
    const rest: BackupPage[] = [];
    for (let i = 1; i < (first.pages ?? 1); i++) {
      const page = await open(i);
      // A page not replicated yet: what has arrived is merged now, the rest when it comes.
      if (page) rest.push(page);
    }
    return [first, ...rest];
  }

  #merge(page: BackupPage): number {
    const d = this.#d;
    let added = 0;
    for (const p of page.payments) {
      if (d.payments.get(p.key)) continue;
      d.payments.save(restoredState(p, d.coins.get(p.ticker).decimals, d.confirmations(p.ticker)), {
        did: p.did,
        createdAt: p.createdAt,
        entry: {
          uri: p.uri,
          cardState: p.cardState,
          ...(p.name !== undefined ? { name: p.name } : {}),
          ...(p.identityKey !== undefined ? { identityKey: p.identityKey } : {}),
          feeChoice: 'normal',
          feeRate: BigInt(p.feeRate),
          ...(p.fee !== undefined ? { fee: parseAmount(p.fee, d.coins.get(p.ticker).decimals) } : {}),
        },
      });
      if (p.phase === 'sent') d.watch(p.key);
      added++;
    }
    for (const r of page.requests) {
      if (d.requests.get(r.id)) continue;
      try {
        // The terms come back from the request itself, read as any payer would.
        const q = parsePaymentUri(r.uri, { ticker: r.ticker });
        const nonce = q.identity?.binding?.nonce;
        d.requests.insert({
          ...r,
          identity: q.identity?.binding ? q.identity.did : undefined,
          terms: {
            ...(q.amount !== undefined ? { amount: q.amount } : {}),
            ...(q.label !== undefined ? { label: q.label } : {}),
            ...(q.message !== undefined ? { message: q.message } : {}),
            ...(nonce ? { nonce: Buffer.from(nonce).toString('hex') } : {}),
          },
          seen: [],
          updatedAt: r.createdAt,
          expiresAt: r.expiresAt,
        });
        added++;
      } catch (err) {
        d.log.warn('a backed-up request was not restored', { id: r.id, error: errorText(err) });
      }
    }
    const known = new Set(d.contacts.list().map((c) => c.did));
    for (const c of page.contacts ?? []) if (!known.has(c.did)) d.contacts.save(c);
    return added;
  }

  #chain(task: () => Promise<unknown>): Promise<void> {
    this.#running = this.#running.then(task).then(
      () => undefined,
      (err: unknown) => this.#d.log.warn('payment book backup task failed', { error: errorText(err) }),
    );
    return this.#running;
  }

  /** A change to the book: published after the debounce. */
  schedule(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#chain(() => this.#publishNow()), this.#d.debounceMs);
  }

  publishNow(): Promise<void> {
    return this.#chain(() => this.#publishNow());
  }

  /** Reads every backup of the user's identities and adds what this node's book lacks. */
  restore(): Promise<void> {
    return this.#chain(() => this.#restore());
  }

  status(): BackupStatusView {
    const d = this.#d;
    const p = this.#read();
    const me = backupIdentity(d.identities.mine());
    if (!me) return { state: 'no-identity', pages: 0, entries: 0 };
    return {
      state: p?.error ? 'error' : p?.did === me.did ? 'ok' : 'pending',
      did: me.did,
      pages: p?.did === me.did ? p.pages.length : 0,
      entries: p?.did === me.did ? p.entries : 0,
      ...(p?.did === me.did && p.omitted ? { omitted: p.omitted } : {}),
      ...(p?.publishedAt !== undefined ? { publishedAt: p.publishedAt } : {}),
      ...(p?.restored !== undefined ? { restored: p.restored } : {}),
      ...(p?.restoredAt !== undefined ? { restoredAt: p.restoredAt } : {}),
      ...(p?.error ? { error: p.error } : {}),
    };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}

function backupPayment(coins: CoinTable, p: StoredPayment): BackupPayment {
  const decimals = coins.get(p.state.ticker).decimals;
  const e = p.entry;
  return {
    key: p.state.key,
    ticker: p.state.ticker,
    address: p.state.address,
    amount: formatAmount(p.state.amount, decimals),
    uri: e.uri,
    txid: p.state.txid!,
    ...(e.fee !== undefined ? { fee: formatAmount(e.fee, decimals) } : {}),
    phase: p.state.phase === 'confirmed' ? 'confirmed' : 'sent',
    cardState: e.cardState,
    feeRate: e.feeRate.toString(),
    ...(p.did !== undefined ? { did: p.did } : {}),
    ...(e.name !== undefined ? { name: e.name } : {}),
    ...(e.identityKey !== undefined ? { identityKey: e.identityKey } : {}),
    createdAt: p.createdAt,
  };
}

/** A backed-up payment as the pay machine's state: it left the wallet, so it is sent (or confirmed). */
function restoredState(p: BackupPayment, decimals: number, required: number) {
  const base = newPayment({
    key: p.key,
    ticker: p.ticker,
    address: p.address,
    amount: parseAmount(p.amount, decimals),
    expiresAt: undefined,
    requiredConfirmations: required,
    at: p.createdAt,
  });
  return {
    ...base,
    phase: p.phase,
    txid: p.txid,
    attempts: 1,
    confirmations: p.phase === 'confirmed' ? required : 0,
  };
}
