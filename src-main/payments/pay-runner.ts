// Runs the pure pay machine (src-shared/payments/pay-machine.ts) against the wallet so a payment
// leaves it at most once: one serial queue per payment key, every new state written to SQLite
// before its effects run, effects idempotent, unfinished payments taken up again on start.
// docs/payments.md §6 (runner contract) and §9.2.
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import { PaymentError } from '../../src-shared/payments/errors.ts';
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
  const queues = new Map<string, SerialQueue>();
  const lookups = new Map<string, NodeJS.Timeout>();
  const watched = new Set<string>();
  const holding = new Map<string, { ticker: string; amount: bigint }>();
  let stopped = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;

  const queue = (key: string): SerialQueue => {
    let q = queues.get(key);
    if (!q) queues.set(key, (q = createSerialQueue()));
    return q;
  };

  function noteHolding(s: PayState): void {
    if (s.phase === 'sending' || s.phase === 'reconciling') holding.set(s.key, { ticker: s.ticker, amount: s.amount });
    else holding.delete(s.key);
  }

  /** Persists the step, then runs its effects; inside the key's queue. */
  async function apply(stored: StoredPayment, event: PayEvent): Promise<StoredPayment> {
    const step = payTransition(stored.state, event);
    if (step.refused) throw new PaymentError(step.refused.code, step.refused.message, step.refused.details);
    let current = stored;
    if (step.state !== stored.state) {
      d.repo.save(step.state);
      current = { ...stored, state: step.state, updatedAt: step.state.updatedAt };
      noteHolding(step.state);
      d.onChanged(current);
    }
    for (const effect of step.effects) current = await run(current, effect, event.type);
    return current;
  }

  async function run(stored: StoredPayment, effect: PayEffect, trigger: Trigger): Promise<StoredPayment> {
    if (stopped) return stored;
    switch (effect.type) {
      case 'send':
        return send(stored, effect);
      case 'record':
        return record(stored, effect.txid);
      case 'watch':
        watched.add(effect.key);
        return stored;
      case 'lookup':
        scheduleLookup(effect, trigger === 'restarted' || trigger === 'send-failed');
        return stored;
    }
  }

  async function send(stored: StoredPayment, e: Extract<PayEffect, { type: 'send' }>): Promise<StoredPayment> {
    d.crashAt?.('payments.before-send');
    let txid: string;
    try {
      txid = await d.wallet.send(d.coin(e.ticker), e.address, e.amount, e.comment, stored.entry.feeRate);
    } catch (err) {
      const definite = isDefiniteFailure(err);
      d.log.warn('payment send failed', { key: e.key, definite, error: errorText(err) });
      return apply(stored, { type: 'send-failed', at: d.now(), definite, error: sendErrorWords(err) });
    }
    d.crashAt?.('payments.after-send');
    return apply(stored, { type: 'send-ok', at: d.now(), txid });
  }

  /** The book entry gets the fee the wallet paid; the row itself is the entry (upserted). */
  async function record(stored: StoredPayment, txid: string): Promise<StoredPayment> {
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

  function event(key: string, make: () => PayEvent): Promise<StoredPayment | undefined> {
    return queue(key).run(async () => {
      const stored = d.repo.get(key);
      if (!stored || stopped) return stored;
      try {
        return await apply(stored, make());
      } catch (err) {
        if (!(err instanceof PaymentError)) throw err;
        d.log.warn('a late wallet answer was refused', { key, code: err.code, message: err.message });
        return stored;
      }
    });
  }

  /**
   * A lookup after a crash or an unclear send looks at once (a payment the wallet has is believed
   * whenever it is found), then at `notBefore`, when "not found" is believed (§9.2).
   */
  function scheduleLookup(e: Extract<PayEffect, { type: 'lookup' }>, early: boolean): void {
    clearTimeout(lookups.get(e.key));
    const coin = d.coin(e.ticker);
    const definitive = () => {
      lookups.delete(e.key);
      void look(coin, e.comment).then(
        (txid) =>
          event(e.key, () =>
            txid ? { type: 'lookup-found', at: d.now(), txid } : { type: 'lookup-not-found', at: d.now() },
          ),
        (err: unknown) => event(e.key, () => ({ type: 'lookup-failed', at: d.now(), error: sendErrorWords(err) })),
      );
    };
    const later = () => {
      if (stopped) return;
      lookups.set(e.key, setTimeout(definitive, Math.max(0, e.notBefore - d.now())));
    };
    if (!early) return later();
    later();
    void look(coin, e.comment).then(
      (txid) => {
        if (!txid) return;
        clearTimeout(lookups.get(e.key));
        lookups.delete(e.key);
        void event(e.key, () => ({ type: 'lookup-found', at: d.now(), txid }));
      },
      () => undefined, // the definitive lookup at notBefore reports the failure
    );
  }

  const look = (coin: CoinParams, comment: string) => d.wallet.findSent(coin, comment);

  async function pollConfirmations(): Promise<void> {
    for (const key of [...watched]) {
      if (stopped) return;
      const stored = d.repo.get(key);
      if (!stored?.state.txid || (stored.state.phase !== 'sent' && stored.state.phase !== 'confirmed')) {
        watched.delete(key);
        continue;
      }
      try {
        const tx = await d.wallet.transaction(d.coin(stored.state.ticker), stored.state.txid);
        if (stored.entry.fee === undefined && tx.fee !== undefined) await queue(key).run(() => fillFee(key, tx.fee!));
        if (tx.confirmations !== stored.state.confirmations) {
          await event(key, () => ({ type: 'confirmations', at: d.now(), count: tx.confirmations }));
        }
        if (tx.confirmations >= stored.state.requiredConfirmations) watched.delete(key);
      } catch (err) {
        d.log.warn('reading confirmations failed', { key, error: errorText(err) });
      }
    }
  }

  function fillFee(key: string, fee: bigint): void {
    const stored = d.repo.get(key);
    if (!stored || stored.entry.fee !== undefined) return;
    const entry = { ...stored.entry, fee };
    d.repo.setEntry(key, entry);
    d.onChanged({ ...stored, entry });
  }

  function schedulePoll(): void {
    if (stopped) return;
    pollTimer = setTimeout(() => {
      polling = pollConfirmations().finally(() => {
        polling = undefined;
        schedulePoll();
      });
    }, d.pollMs);
  }

  return {
    confirm(input) {
      const key = input.fresh.key;
      return queue(key).run(async () => {
        const existing = d.repo.get(key);
        const base: StoredPayment = existing
          ? {
              ...existing,
              entry: { ...existing.entry, feeChoice: input.entry.feeChoice, feeRate: input.entry.feeRate },
            }
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
          throw new PaymentError(step.refused.code, step.refused.message, step.refused.details);
        }
        // Stored before the wallet hears of it: the persisted `sending` is the promise to look first.
        if (existing) {
          d.repo.setEntry(key, base.entry);
          d.repo.save(step.state);
        } else {
          d.repo.save(step.state, { did: input.did, entry: input.entry, createdAt: base.createdAt });
        }
        let current: StoredPayment = { ...base, state: step.state, updatedAt: step.state.updatedAt };
        noteHolding(step.state);
        d.onChanged(current);
        for (const effect of step.effects) current = await run(current, effect, 'confirm');
        return current;
      });
    },
    async cancel(key) {
      const done = await queue(key).run(async () => {
        const stored = d.repo.get(key);
        if (!stored) return undefined;
        return apply(stored, { type: 'cancel', at: d.now() });
      });
      if (!done) throw new PaymentError('NOT_ALLOWED', 'there is no such payment');
      return done;
    },
    async resume() {
      for (const stored of d.repo.unfinished()) {
        noteHolding(stored.state);
        await event(stored.state.key, () => ({ type: 'restarted', at: d.now() }));
      }
      schedulePoll();
    },
    async stop() {
      stopped = true;
      clearTimeout(pollTimer);
      for (const t of lookups.values()) clearTimeout(t);
      lookups.clear();
      await polling;
      await Promise.all([...queues.values()].map((q) => q.idle()));
    },
    watch: (key) => void watched.add(key),
    inFlight(ticker) {
      let sum = 0n;
      for (const h of holding.values()) if (h.ticker === ticker) sum += h.amount;
      return sum;
    },
  };
}
