// Runs the pure pay machine (src-shared/payments/pay-machine.ts) against the wallet so a payment
// leaves it at most once: one serial queue per payment key, every new state written to SQLite
// before its effects run, effects idempotent, unfinished payments taken up again on start.
// docs/payments.md §6 (runner contract) and §9.2.
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { isPaymentError, paymentError } from '../../src-shared/payments/errors.ts';
import {
  payTransition,
  type CardVerdict,
  type PayEffect,
  type PayEvent,
  type PayState,
} from '../../src-shared/payments/pay-machine.ts';
import { errorText, type Logger } from '../kernel/log.ts';
import { createSerialQueue, type SerialQueue } from '../kernel/serial.ts';
import type { PaymentEntry, PaymentRepo, StoredPayment } from './repo.ts';
import { isDefiniteFailure, sendErrorWords, type PayWallet } from './wallet-ops.ts';

export interface PayRunnerDeps {
  readonly repo: PaymentRepo;
  readonly wallet: PayWallet;
  readonly coin: (ticker: string) => CoinParams;
  readonly log: Logger;
  readonly now: () => number;
  /** How often sent payments' confirmations are read. */
  readonly pollMs: number;
  /** How long a send of unknown outcome is given to show in the wallet (`payments.sendSettleMs`). */
  readonly settleMs?: number;
  /** Test hook: `payments.before-send`, `payments.after-send` (a real SIGKILL in crash tests). */
  readonly crashAt?: (point: string) => void;
  /** After every stored change (client events, reservations). */
  readonly onChanged: (p: StoredPayment) => void;
}

export interface ConfirmInput {
  /** The payment as new (ready) when it was never stored. */
  readonly fresh: PayState;
  readonly did: string | undefined;
  readonly entry: PaymentEntry;
  readonly card: CardVerdict;
  readonly acknowledged: boolean;
}

export interface PayRunner {
  /** Confirms (or retries) a payment; resolves after the wallet answered the send. */
  confirm(input: ConfirmInput): Promise<StoredPayment>;
  cancel(key: string): Promise<StoredPayment>;
  /** Takes up every unfinished payment (restarted). */
  resume(): Promise<void>;
  stop(): Promise<void>;
  /** Amount held by payments in sending or reconciling on this coin. */
  inFlight(ticker: string): bigint;
  /** Reads a sent payment's confirmations again (one restored from the backup). */
  watch(key: string): void;
}

type Trigger = PayEvent['type'];

export function createPayRunner(d: PayRunnerDeps): PayRunner {
  return new Runner(d);
}

// A class rather than one closure: each step is a method of its own size, the state is its fields.
class Runner implements PayRunner {
  readonly #d: PayRunnerDeps;
  readonly #queues = new Map<string, SerialQueue>();
  readonly #lookups = new Map<string, NodeJS.Timeout>();
  readonly #watched = new Set<string>();
  readonly #holding = new Map<string, { ticker: string; amount: bigint }>();
  #stopped = false;
  #pollTimer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;

  constructor(d: PayRunnerDeps) {
    this.#d = d;
  }

  #queue(key: string): SerialQueue {
    let q = this.#queues.get(key);
    if (!q) this.#queues.set(key, (q = createSerialQueue()));
    return q;
  }

  #noteHolding(s: PayState): void {
    if (s.phase === 'sending' || s.phase === 'reconciling')
      this.#holding.set(s.key, { ticker: s.ticker, amount: s.amount });
    else this.#holding.delete(s.key);
  }

  /** Persists the step, then runs its effects; inside the key's queue. */
  async #apply(stored: StoredPayment, event: PayEvent): Promise<StoredPayment> {
    const step = payTransition(stored.state, event, this.#d.settleMs);
    if (step.refused) throw paymentError(step.refused.code, step.refused.message, step.refused.details);
    let current = stored;
    if (step.state !== stored.state) {
      this.#d.repo.save(step.state);
      current = { ...stored, state: step.state, updatedAt: step.state.updatedAt };
      this.#noteHolding(step.state);
      this.#d.onChanged(current);
    }
    for (const effect of step.effects) current = await this.#run(current, effect, event.type);
    return current;
  }

  async #run(stored: StoredPayment, effect: PayEffect, trigger: Trigger): Promise<StoredPayment> {
    if (this.#stopped) return stored;
    switch (effect.type) {
      case 'send':
        return this.#send(stored, effect);
      case 'record':
        return this.#record(stored, effect.txid);
      case 'watch':
        this.#watched.add(effect.key);
        return stored;
      case 'lookup':
        this.#scheduleLookup(effect, trigger === 'restarted' || trigger === 'send-failed');
        return stored;
    }
  }

  async #send(stored: StoredPayment, e: Extract<PayEffect, { type: 'send' }>): Promise<StoredPayment> {
    const d = this.#d;
    d.crashAt?.('payments.before-send');
    let txid: string;
    try {
      txid = await d.wallet.send(d.coin(e.ticker), e.address, e.amount, e.comment, stored.entry.feeRate);
    } catch (err) {
      const definite = isDefiniteFailure(err);
      d.log.warn('payment send failed', { key: e.key, definite, error: errorText(err) });
      return this.#apply(stored, { type: 'send-failed', at: d.now(), definite, error: sendErrorWords(err) });
    }
    d.crashAt?.('payments.after-send');
    return this.#apply(stored, { type: 'send-ok', at: d.now(), txid });
  }

  /** The book entry gets the fee the wallet paid; the row itself is the entry (upserted). */
  async #record(stored: StoredPayment, txid: string): Promise<StoredPayment> {
    const d = this.#d;
    if (stored.entry.fee !== undefined) return stored;
    try {
      const tx = await d.wallet.transaction(d.coin(stored.state.ticker), txid);
      if (tx.fee === undefined) return stored;
      const entry = { ...stored.entry, fee: tx.fee };
      d.repo.setEntry(stored.state.key, entry);
      const next = { ...stored, entry };
      d.onChanged(next);
      return next;
    } catch (err) {
      // The watch reads the transaction again and fills the fee in then.
      d.log.warn('reading a sent payment failed', { key: stored.state.key, error: errorText(err) });
      return stored;
    }
  }

  #event(key: string, make: () => PayEvent): Promise<StoredPayment | undefined> {
    return this.#queue(key).run(async () => {
      const stored = this.#d.repo.get(key);
      if (!stored || this.#stopped) return stored;
      try {
        return await this.#apply(stored, make());
      } catch (err) {
        if (!isPaymentError(err)) throw err;
        this.#d.log.warn('a late wallet answer was refused', { key, code: err.details.code, message: err.message });
        return stored;
      }
    });
  }

  /**
   * A lookup after a crash or an unclear send looks at once (a payment the wallet has is believed
   * whenever it is found), then at `notBefore`, when "not found" is believed (§9.2).
   */
  #scheduleLookup(e: Extract<PayEffect, { type: 'lookup' }>, early: boolean): void {
    const d = this.#d;
    clearTimeout(this.#lookups.get(e.key));
    const coin = d.coin(e.ticker);
    const definitive = () => {
      this.#lookups.delete(e.key);
      void this.#look(coin, e.comment).then(
        (txid) =>
          this.#event(e.key, () =>
            txid ? { type: 'lookup-found', at: d.now(), txid } : { type: 'lookup-not-found', at: d.now() },
          ),
        (err: unknown) =>
          this.#event(e.key, () => ({ type: 'lookup-failed', at: d.now(), error: sendErrorWords(err) })),
      );
    };
    const later = () => {
      if (this.#stopped) return;
      this.#lookups.set(e.key, setTimeout(definitive, Math.max(0, e.notBefore - d.now())));
    };
    if (!early) return later();
    later();
    void this.#look(coin, e.comment).then(
      (txid) => {
        if (!txid) return;
        clearTimeout(this.#lookups.get(e.key));
        this.#lookups.delete(e.key);
        void this.#event(e.key, () => ({ type: 'lookup-found', at: d.now(), txid }));
      },
      () => undefined, // the definitive lookup at notBefore reports the failure
    );
  }

  #look(coin: CoinParams, comment: string): Promise<string | undefined> {
    return this.#d.wallet.findSent(coin, comment);
  }

  async #pollConfirmations(): Promise<void> {
    const d = this.#d;
    for (const key of [...this.#watched]) {
      if (this.#stopped) return;
      const stored = d.repo.get(key);
      if (!stored?.state.txid || (stored.state.phase !== 'sent' && stored.state.phase !== 'confirmed')) {
        this.#watched.delete(key);
        continue;
      }
      try {
        const tx = await d.wallet.transaction(d.coin(stored.state.ticker), stored.state.txid);
        if (stored.entry.fee === undefined && tx.fee !== undefined) {
          const fee = tx.fee;
          await this.#queue(key).run(() => this.#fillFee(key, fee));
        }
        if (tx.confirmations !== stored.state.confirmations) {
          await this.#event(key, () => ({ type: 'confirmations', at: d.now(), count: tx.confirmations }));
        }
        if (tx.confirmations >= stored.state.requiredConfirmations) this.#watched.delete(key);
      } catch (err) {
        d.log.warn('reading confirmations failed', { key, error: errorText(err) });
      }
    }
  }

  #fillFee(key: string, fee: bigint): void {
    const stored = this.#d.repo.get(key);
    if (!stored || stored.entry.fee !== undefined) return;
    const entry = { ...stored.entry, fee };
    this.#d.repo.setEntry(key, entry);
    this.#d.onChanged({ ...stored, entry });
  }

  #schedulePoll(): void {
    if (this.#stopped) return;
    this.#pollTimer = setTimeout(() => {
      this.#polling = this.#pollConfirmations().finally(() => {
        this.#polling = undefined;
        this.#schedulePoll();
      });
    }, this.#d.pollMs);
  }

  confirm(input: ConfirmInput): Promise<StoredPayment> {
    const d = this.#d;
    const key = input.fresh.key;
    return this.#queue(key).run(async () => {
      const existing = d.repo.get(key);
      const base: StoredPayment = existing
        ? { ...existing, entry: { ...existing.entry, feeChoice: input.entry.feeChoice, feeRate: input.entry.feeRate } }
        : { state: input.fresh, did: input.did, entry: input.entry, createdAt: d.now(), updatedAt: d.now() };
      const step = payTransition(base.state, {
        type: 'confirm',
        at: d.now(),
        card: input.card,
        acknowledged: input.acknowledged,
      });
      if (step.refused) {
        // A second click or window while it is on its way, or after: the same payment again.
        if (existing && (step.refused.code === 'ALREADY_SENDING' || step.refused.code === 'ALREADY_SENT')) {
          return existing;
        }
        throw paymentError(step.refused.code, step.refused.message, step.refused.details);
      }
      // Stored before the wallet hears of it: the persisted `sending` is the promise to look first.
      if (existing) {
        d.repo.setEntry(key, base.entry);
        d.repo.save(step.state);
      } else {
        d.repo.save(step.state, { did: input.did, entry: input.entry, createdAt: base.createdAt });
      }
      let current: StoredPayment = { ...base, state: step.state, updatedAt: step.state.updatedAt };
      this.#noteHolding(step.state);
      d.onChanged(current);
      for (const effect of step.effects) current = await this.#run(current, effect, 'confirm');
      return current;
    });
  }

  async cancel(key: string): Promise<StoredPayment> {
    const done = await this.#queue(key).run(async () => {
      const stored = this.#d.repo.get(key);
      if (!stored) return undefined;
      return this.#apply(stored, { type: 'cancel', at: this.#d.now() });
    });
    if (!done) throw paymentError('NOT_ALLOWED', 'there is no such payment');
    return done;
  }

  async resume(): Promise<void> {
    for (const stored of this.#d.repo.unfinished()) {
      this.#noteHolding(stored.state);
      await this.#event(stored.state.key, () => ({ type: 'restarted', at: this.#d.now() }));
    }
    this.#schedulePoll();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#pollTimer);
    for (const t of this.#lookups.values()) clearTimeout(t);
    this.#lookups.clear();
    await this.#polling;
    await Promise.all([...this.#queues.values()].map((q) => q.idle()));
  }

  watch(key: string): void {
    this.#watched.add(key);
  }

  inFlight(ticker: string): bigint {
    let sum = 0n;
    for (const h of this.#holding.values()) if (h.ticker === ticker) sum += h.amount;
    return sum;
  }
}
