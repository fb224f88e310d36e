// The merchant's side: requests to fresh wallet addresses, signed by one of the user's identities
// if asked, and the watch over those addresses that judges what arrived (requestStatus) and tells
// clients and scripts as it happens. docs/payments.md §5 and §9.5.
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { formatAmount } from '../../src-shared/money/index.ts';
import { parseUriAmount } from '../../src-shared/payments/amount.ts';
import { bindingDigest } from '../../src-shared/payments/binding.ts';
import { bindingFieldsFor, buildPaymentUri } from '../../src-shared/payments/build.ts';
import { paymentError } from '../../src-shared/payments/errors.ts';
import { requestStatusView } from '../../src-shared/payments/present.ts';
import { requestStatus, type RequestStatus, type RequestStatusName } from '../../src-shared/payments/status.ts';
import type { RequestView } from '../../src-shared/payments/views.ts';
import type { Identities } from '../identity/index.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import type { WalletService } from '../wallets/index.ts';
import type { RequestRepo, StoredRequest } from './repo.ts';
import type { PayWallet } from './wallet-ops.ts';

const DAY_MS = 86_400_000;
/** A signed request expires; a day unless asked otherwise. */
export const DEFAULT_SIGNED_EXPIRY_SEC = 86_400;
const WATCH_AFTER_EXPIRY_MS = 7 * DAY_MS;
const WATCH_WITHOUT_EXPIRY_MS = 30 * DAY_MS;
export const REQUEST_LABEL_PREFIX = 'hashlock:req:';

export interface RequestDeps {
  readonly repo: RequestRepo;
  readonly wallets: Pick<WalletService, 'newAddress' | 'isConfigured'>;
  readonly wallet: PayWallet;
  readonly identities: Identities;
  readonly coins: CoinTable;
  readonly confirmations: (ticker: string) => number;
  readonly now: () => number;
  readonly log: Logger;
  readonly pollMs: number;
  /** A request's view changed (made, paid into, confirmed, expired, canceled). */
  readonly onUpdated: (view: RequestView, before: RequestStatus | undefined, after: RequestStatus) => void;
}

export interface CreateRequest {
  readonly ticker: string;
  readonly amount?: string;
  readonly label?: string;
  readonly message?: string;
  readonly expiresInSec?: number;
  readonly identity?: string;
  readonly identityKey?: string;
}

export function createRequests(d: RequestDeps): Requests {
  return new Requests(d);
}

/** The requests this node made and the watch over their addresses (one method per step). */
export class Requests {
  readonly #d: RequestDeps;
  readonly #last = new Map<string, RequestStatus>();
  readonly #waiters = new Set<() => void>();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #stopped = false;

  constructor(d: RequestDeps) {
    this.#d = d;
  }

  #statusOf(r: StoredRequest): RequestStatus {
    const d = this.#d;
    const coin = d.coins.get(r.ticker);
    const terms = { amount: r.terms.amount, expiresAt: r.expiresAt, ticker: r.ticker, decimals: coin.decimals };
    return requestStatus(terms, r.seen, d.now(), d.confirmations(r.ticker));
  }

  #view(r: StoredRequest, status = this.#statusOf(r)): RequestView {
    const decimals = this.#d.coins.get(r.ticker).decimals;
    return {
      id: r.id,
      ticker: r.ticker,
      address: r.address,
      uri: r.uri,
      ...(r.terms.amount !== undefined ? { amount: formatAmount(r.terms.amount, decimals) } : {}),
      ...(r.terms.label !== undefined ? { label: r.terms.label } : {}),
      ...(r.terms.message !== undefined ? { message: r.terms.message } : {}),
      ...(r.identity !== undefined ? { identity: r.identity } : {}),
      createdAt: r.createdAt,
      ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}),
      canceled: r.canceled,
      status: requestStatusView(status, r.seen, decimals),
    };
  }

  #publish(r: StoredRequest): RequestView {
    const status = this.#statusOf(r);
    const v = this.#view(r, status);
    this.#d.onUpdated(v, this.#last.get(r.id), status);
    this.#last.set(r.id, status);
    for (const w of [...this.#waiters]) w();
    return v;
  }

  #stored(id: string): StoredRequest {
    const r = this.#d.repo.get(id);
    if (!r) throw new ApiError('NOT_FOUND', `there is no request ${id} on this node`, { id });
    return r;
  }

  /** The identity that signs, checked: one of ours, and an identity-key only with its identity. */
  #signer(p: CreateRequest) {
    const mine = p.identity === undefined ? undefined : this.#d.identities.mine().find((m) => m.did === p.identity);
    if (p.identity !== undefined && !mine) {
      throw paymentError('IDENTITY_INVALID', `${p.identity} is not one of your identities, so it cannot sign`);
    }
    if (p.identityKey !== undefined && !mine) {
      throw paymentError('IDENTITY_MISSING', 'an identity-key goes with the identity it opens; name the identity too');
    }
    return mine;
  }

  async create(p: CreateRequest): Promise<RequestView> {
    const d = this.#d;
    const coin = d.coins.get(p.ticker);
    const amount = p.amount === undefined ? undefined : parseUriAmount(p.amount, coin);
    const label = p.label === '' ? undefined : p.label;
    const message = p.message === '' ? undefined : p.message;
    const mine = this.#signer(p);
    const id = randomBytes(16).toString('hex');
    const { address } = await d.wallets.newAddress(coin.ticker, `${REQUEST_LABEL_PREFIX}${id}`);
    const now = d.now();
    const expiresInSec = mine ? (p.expiresInSec ?? DEFAULT_SIGNED_EXPIRY_SEC) : p.expiresInSec;
    const expires = expiresInSec === undefined ? undefined : Math.floor(now / 1000) + expiresInSec;
    const input = { coin, address, amount, label, message };
    const nonce = mine ? randomBytes(16) : undefined;
    const key = p.identityKey === undefined ? undefined : Buffer.from(p.identityKey, 'base64url');
    const identity = mine
      ? {
          did: mine.did,
          ...(key ? { key: new Uint8Array(key) } : {}),
          binding: this.#sign(input, mine.did, key, expires!, nonce!),
        }
      : undefined;
    const uri = buildPaymentUri({ ...input, ...(identity ? { identity } : {}) });
    const r: StoredRequest = {
      id,
      ticker: coin.ticker,
      address,
      uri,
      identity: mine?.did,
      terms: { amount, label, message, ...(nonce ? { nonce: nonce.toString('hex') } : {}) },
      seen: [],
      canceled: false,
      createdAt: now,
      expiresAt: expires === undefined ? undefined : expires * 1000,
      updatedAt: now,
    };
    d.repo.insert(r);
    return this.#publish(r);
  }

  #sign(
    input: { coin: CoinParams; address: string; amount?: bigint; label?: string; message?: string },
    did: string,
    key: Uint8Array | undefined,
    expires: number,
    nonce: Uint8Array,
  ) {
    const fields = bindingFieldsFor({ ...input, identity: { did, ...(key ? { key } : {}) } }, expires, nonce);
    return { expires, nonce: new Uint8Array(nonce), signature: this.#d.identities.sign(did, bindingDigest(fields)) };
  }

  /** Whether the address may still receive something worth showing. */
  #watchable(r: StoredRequest, s: RequestStatus | undefined, now: number): boolean {
    const until =
      r.expiresAt !== undefined ? r.expiresAt + WATCH_AFTER_EXPIRY_MS : r.createdAt + WATCH_WITHOUT_EXPIRY_MS;
    if (now > until) return false;
    if (!s?.settled) return true;
    const required = this.#d.confirmations(r.ticker);
    return r.seen.some((p) => p.confirmations < required);
  }

  async #pollOnce(): Promise<void> {
    const d = this.#d;
    const now = d.now();
    for (const r of d.repo.recent(now - WATCH_WITHOUT_EXPIRY_MS - WATCH_AFTER_EXPIRY_MS)) {
      if (this.#stopped) return;
      if (!this.#watchable(r, this.#last.get(r.id), now) || !d.wallets.isConfigured(r.ticker)) continue;
      try {
        const seen = await d.wallet.received(d.coins.get(r.ticker), `${REQUEST_LABEL_PREFIX}${r.id}`, r.address);
        const changed = JSON.stringify(seen, bigintText) !== JSON.stringify(r.seen, bigintText);
        const next = changed ? { ...r, seen, updatedAt: d.now() } : r;
        if (changed) d.repo.setSeen(r.id, seen, next.updatedAt);
        const before = this.#last.get(r.id);
        if (changed || before?.status !== this.#statusOf(next).status) this.#publish(next);
      } catch (err) {
        d.log.warn('reading a request address failed', { id: r.id, error: errorText(err) });
      }
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#polling = this.#pollOnce().finally(() => {
        this.#polling = undefined;
        this.#schedule();
      });
    }, this.#d.pollMs);
  }

  async wait(id: string, until: 'seen' | 'settled', timeoutMs: number) {
    const reached = () => {
      const s = this.#statusOf(this.#stored(id));
      return until === 'seen' ? s.received > 0n : s.settled;
    };
    if (!reached()) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.#waiters.delete(check);
          resolve();
        };
        const check = () => {
          if (this.#stopped || reached()) done();
        };
        const t = setTimeout(done, timeoutMs);
        this.#waiters.add(check);
      });
    }
    return { reached: reached(), request: this.#view(this.#stored(id)) };
  }

  get(id: string): RequestView {
    return this.#view(this.#stored(id));
  }

  list(o: { status?: RequestStatusName; ticker?: string; limit?: number }): RequestView[] {
    const all = this.#d.repo.list({
      ...(o.ticker ? { ticker: o.ticker } : {}),
      limit: o.status ? 1000 : (o.limit ?? 100),
    });
    const views = all.map((r) => this.#view(r));
    return (o.status ? views.filter((v) => v.status.status === o.status) : views).slice(0, o.limit ?? 100);
  }

  cancel(id: string): RequestView {
    const r = this.#stored(id);
    if (r.canceled) return this.#view(r);
    this.#d.repo.cancel(id, this.#d.now());
    return this.#publish(this.#stored(id));
  }

  start(): void {
    const d = this.#d;
    for (const r of d.repo.recent(d.now() - WATCH_WITHOUT_EXPIRY_MS - WATCH_AFTER_EXPIRY_MS))
      this.#last.set(r.id, this.#statusOf(r));
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const w of [...this.#waiters]) w();
    await this.#polling;
  }
}

const bigintText = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
