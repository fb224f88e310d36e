// Shared by the pay machine's tests: a payment to pay, and a simulated node whose process can die
// between any two steps while its wallet keeps what it was sent.
import {
  findSentPayment,
  newPayment,
  paymentKey,
  payTransition,
  type CardVerdict,
  type PayEffect,
  type PayEvent,
  type PayState,
  type WalletTx,
} from './pay-machine.ts';

export const T0 = 1_790_000_000_000;
export const OK_CARD: CardVerdict = { state: 'known', blocked: false, confirm: false };
export const ADDRESS = 'bc1qxvenxvenxvenxvenxvenxvenxvenxven2ymjt8';
export const KEY = paymentKey({ ticker: 'BTC', address: ADDRESS, amount: 100_000n });

/** null: the request does not expire (undefined would take the default). */
export function fresh(expiresAt: number | null = T0 + 3_600_000): PayState {
  return newPayment({
    key: KEY,
    ticker: 'BTC',
    address: ADDRESS,
    amount: 100_000n,
    expiresAt: expiresAt ?? undefined,
    requiredConfirmations: 3,
    at: T0,
  });
}

export const confirm = (at = T0 + 1_000, card = OK_CARD, acknowledged = false): PayEvent => ({
  type: 'confirm',
  at,
  card,
  acknowledged,
});

/** A node and its wallet: every state is persisted before effects run, and the process can die anywhere. */
export class World {
  now = T0;
  stored: PayState = fresh();
  pending: PayEffect[] = [];
  wallet: WalletTx[] = [];
  book = new Map<string, string>();
  walletUp = true;
  private n = 0;

  event(e: PayEvent): void {
    const step = payTransition(this.stored, e);
    this.stored = step.state; // persisted
    this.pending.push(...step.effects);
  }
  /** Runs pending effects; `crashBefore` names an effect type at which the process dies. */
  drain(crashBefore?: PayEffect['type'] | 'send-reply'): void {
    while (this.pending.length > 0) {
      const eff = this.pending.shift()!;
      if (eff.type === crashBefore) return this.crash();
      if (eff.type === 'send') {
        if (!this.walletUp) {
          this.event({
            type: 'send-failed',
            at: this.now,
            definite: true,
            error: { code: 'WALLET_UNREACHABLE', message: 'down' },
          });
          continue;
        }
        const txid = `tx${++this.n}`;
        this.wallet.push({ txid, category: 'send', address: eff.address, amount: -eff.amount, comment: eff.comment });
        if (crashBefore === 'send-reply') return this.crash();
        this.event({ type: 'send-ok', at: this.now, txid });
      } else if (eff.type === 'lookup') {
        this.now = Math.max(this.now, eff.notBefore);
        if (!this.walletUp) {
          this.event({ type: 'lookup-failed', at: this.now, error: { code: 'WALLET_UNREACHABLE', message: 'down' } });
          return; // the runner waits for the back-off; the test moves on
        }
        const txid = findSentPayment(this.wallet, eff.comment);
        this.event(txid ? { type: 'lookup-found', at: this.now, txid } : { type: 'lookup-not-found', at: this.now });
      } else if (eff.type === 'record') {
        this.book.set(eff.key, eff.txid);
      }
    }
  }
  crash(): void {
    this.pending = [];
  }
  restart(): void {
    this.now += 1_000;
    this.event({ type: 'restarted', at: this.now });
    this.drain();
  }
  sends(): number {
    return this.wallet.filter((t) => t.comment === this.stored.comment).length;
  }
}
