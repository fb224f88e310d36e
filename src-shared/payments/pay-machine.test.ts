import { describe, expect, it } from 'vitest';
import {
  findSentPayment,
  lookupBackoff,
  paymentKey,
  payTransition,
  SEND_SETTLE_MS,
  type PayEffect,
  type PayEvent,
  type PayState,
  type WalletTx,
} from './pay-machine.ts';
import { ADDRESS, confirm, fresh, KEY, T0 } from './pay-testkit.ts';

/** Runs events in order; returns the last state and every effect asked for. */
function run(state: PayState, ...events: PayEvent[]): { state: PayState; effects: PayEffect[]; refused: string[] } {
  const effects: PayEffect[] = [];
  const refused: string[] = [];
  for (const e of events) {
    const step = payTransition(state, e);
    if (step.refused) {
      refused.push(step.refused.code);
      expect(step.state).toBe(state);
      expect(step.effects).toEqual([]);
    }
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects, refused };
}

const sending = () => run(fresh(), confirm()).state;
const reconciling = () => run(sending(), { type: 'restarted', at: T0 + 5_000 }).state;
const sentState = () => run(sending(), { type: 'send-ok', at: T0 + 2_000, txid: 'aa' }).state;

describe('pay machine transitions', () => {
  it('ready + confirm → sending, and the send carries the comment that finds it again', () => {
    const r = run(fresh(), confirm());
    expect(r.state).toMatchObject({ phase: 'sending', attempts: 1, sendingSince: T0 + 1_000 });
    expect(r.effects).toEqual([
      { type: 'send', key: KEY, ticker: 'BTC', address: ADDRESS, amount: 100_000n, comment: `hashlock:pay:${KEY}` },
    ]);
  });

  it('a blocked card refuses the payment', () => {
    expect(run(fresh(), confirm(T0, { state: 'deleted', blocked: true, confirm: false })).refused).toEqual([
      'CARD_BLOCKED',
    ]);
  });

  it('a card that needs confirmation refuses until the user acknowledges', () => {
    const card = { state: 'lookalike', blocked: false, confirm: true };
    expect(run(fresh(), confirm(T0, card, false)).refused).toEqual(['CONFIRMATION_NEEDED']);
    expect(run(fresh(), confirm(T0, card, true)).state.phase).toBe('sending');
  });

  it('confirm after expiry is refused', () => {
    expect(run(fresh(T0 + 10), confirm(T0 + 10)).refused).toEqual(['REQUEST_EXPIRED']);
    expect(run(fresh(T0 + 10), confirm(T0 + 9)).state.phase).toBe('sending');
    expect(run(fresh(null), confirm(T0 + 10 ** 12)).state.phase).toBe('sending');
  });

  it('a second confirm while sending sends nothing', () => {
    const r = run(fresh(), confirm(), confirm(T0 + 1_100));
    expect(r.refused).toEqual(['ALREADY_SENDING']);
    expect(r.effects.filter((e) => e.type === 'send')).toHaveLength(1);
  });

  it('sending + send-ok → sent, recorded and watched', () => {
    const r = run(sending(), { type: 'send-ok', at: T0 + 2_000, txid: 'aa' });
    expect(r.state).toMatchObject({ phase: 'sent', txid: 'aa', confirmations: 0 });
    expect(r.effects).toEqual([
      { type: 'record', key: KEY, txid: 'aa' },
      { type: 'watch', key: KEY, ticker: 'BTC', txid: 'aa' },
    ]);
  });

  it('a definite wallet error → failed, and retrying sends again', () => {
    const error = { code: 'INSUFFICIENT_FUNDS', message: 'not enough BTC' };
    const failed = run(sending(), { type: 'send-failed', at: T0 + 2_000, definite: true, error });
    expect(failed.state).toMatchObject({ phase: 'failed', lastError: error });
    expect(failed.effects).toEqual([]);
    const retry = run(failed.state, confirm(T0 + 3_000));
    expect(retry.state).toMatchObject({ phase: 'sending', attempts: 2, lastError: undefined });
    expect(retry.effects.map((e) => e.type)).toEqual(['send']);
  });

  it('a timeout → reconciling, looking the payment up only after the settle time', () => {
    const error = { code: 'WALLET_TIMEOUT', message: 'no answer' };
    const r = run(sending(), { type: 'send-failed', at: T0 + 31_000, definite: false, error });
    expect(r.state.phase).toBe('reconciling');
    expect(r.effects).toEqual([expect.objectContaining({ type: 'lookup', notBefore: T0 + 1_000 + SEND_SETTLE_MS })]);
  });

  it('restarted while sending → reconciling with a lookup', () => {
    const r = run(sending(), { type: 'restarted', at: T0 + 5_000 });
    expect(r.state.phase).toBe('reconciling');
    expect(r.effects).toEqual([
      expect.objectContaining({
        type: 'lookup',
        comment: `hashlock:pay:${KEY}`,
        notBefore: T0 + 1_000 + SEND_SETTLE_MS,
      }),
    ]);
  });

  it('reconciling + lookup-found → sent, recorded and watched', () => {
    const r = run(reconciling(), { type: 'lookup-found', at: T0 + SEND_SETTLE_MS + 2_000, txid: 'bb' });
    expect(r.state).toMatchObject({ phase: 'sent', txid: 'bb' });
    expect(r.effects.map((e) => e.type)).toEqual(['record', 'watch']);
  });

  it('a lookup before the settle time does not conclude', () => {
    const r = run(reconciling(), { type: 'lookup-not-found', at: T0 + 60_000 });
    expect(r.state.phase).toBe('reconciling');
    expect(r.effects).toEqual([expect.objectContaining({ type: 'lookup', notBefore: T0 + 1_000 + SEND_SETTLE_MS })]);
  });

  it('not found after the settle time → ready with "not sent", never resent by itself', () => {
    const r = run(reconciling(), { type: 'lookup-not-found', at: T0 + 1_000 + SEND_SETTLE_MS });
    expect(r.state).toMatchObject({ phase: 'ready', note: 'not-sent', attempts: 1 });
    expect(r.effects).toEqual([]);
  });

  it('a configured settle time is the one waited for (payments.sendSettleMs)', () => {
    const early = payTransition(reconciling(), { type: 'lookup-not-found', at: T0 + 5_000 }, 10_000);
    expect(early.state.phase).toBe('reconciling');
    expect(early.effects).toEqual([expect.objectContaining({ type: 'lookup', notBefore: T0 + 1_000 + 10_000 })]);
    const late = payTransition(reconciling(), { type: 'lookup-not-found', at: T0 + 1_000 + 10_000 }, 10_000);
    expect(late.state).toMatchObject({ phase: 'ready', note: 'not-sent' });
  });

  it('failed lookups back off from 5 seconds, doubling to 5 minutes', () => {
    expect([1, 2, 3, 4, 10, 20].map(lookupBackoff)).toEqual([5_000, 10_000, 20_000, 40_000, 300_000, 300_000]);
    const error = { code: 'WALLET_UNREACHABLE', message: 'connection refused' };
    const at = T0 + 1_000_000;
    const r = run(reconciling(), { type: 'lookup-failed', at, error }, { type: 'lookup-failed', at, error });
    expect(r.state.failedLookups).toBe(2);
    expect(r.effects.map((e) => (e.type === 'lookup' ? e.notBefore - at : -1))).toEqual([5_000, 10_000]);
  });

  it('reconciling + restarted looks again; confirm and cancel are refused', () => {
    const r = run(reconciling(), { type: 'restarted', at: T0 + 9_000 }, confirm(T0 + 9_001), {
      type: 'cancel',
      at: T0 + 9_002,
    });
    expect(r.effects.map((e) => e.type)).toEqual(['lookup']);
    expect(r.refused).toEqual(['ALREADY_SENDING', 'ALREADY_SENDING']);
  });

  it("the wallet's late answer while reconciling is believed", () => {
    expect(run(reconciling(), { type: 'send-ok', at: T0 + 40_000, txid: 'cc' }).state).toMatchObject({
      phase: 'sent',
      txid: 'cc',
    });
  });

  it('sent → confirmed at the required depth, counting below it', () => {
    const shallow = run(sentState(), { type: 'confirmations', at: T0 + 700_000, count: 2 });
    expect(shallow.state).toMatchObject({ phase: 'sent', confirmations: 2 });
    const deep = run(shallow.state, { type: 'confirmations', at: T0 + 900_000, count: 3 });
    expect(deep.state).toMatchObject({ phase: 'confirmed', confirmations: 3 });
  });

  it('sent + restarted re-runs record and watch (idempotent) without changing state', () => {
    const s = sentState();
    const r = run(s, { type: 'restarted', at: T0 + 50_000 });
    expect(r.state).toBe(s);
    expect(r.effects.map((e) => e.type)).toEqual(['record', 'watch']);
  });

  it('confirm on a sent or confirmed payment is refused', () => {
    const confirmed = run(sentState(), { type: 'confirmations', at: T0, count: 9 }).state;
    expect(run(sentState(), confirm()).refused).toEqual(['ALREADY_SENT']);
    expect(run(confirmed, confirm()).refused).toEqual(['ALREADY_SENT']);
  });

  it('a second txid for a sent payment is refused, not recorded', () => {
    expect(run(sentState(), { type: 'send-ok', at: T0, txid: 'zz' }).refused).toEqual(['NOT_ALLOWED']);
    expect(run(sentState(), { type: 'send-ok', at: T0, txid: 'aa' }).refused).toEqual([]);
  });

  it('ready and failed can be canceled; sent cannot; canceled stays canceled', () => {
    const canceled = run(fresh(), { type: 'cancel', at: T0 }).state;
    expect(canceled.phase).toBe('canceled');
    expect(run(canceled, confirm()).refused).toEqual(['NOT_ALLOWED']);
    expect(run(sentState(), { type: 'cancel', at: T0 }).refused).toEqual(['ALREADY_SENT']);
    const failed = run(sending(), {
      type: 'send-failed',
      at: T0,
      definite: true,
      error: { code: 'X', message: 'x' },
    }).state;
    expect(run(failed, { type: 'cancel', at: T0 }).state.phase).toBe('canceled');
  });

  it('events that do not apply to a phase change nothing', () => {
    const s = fresh();
    for (const e of [
      { type: 'lookup-found', at: T0, txid: 'x' },
      { type: 'lookup-not-found', at: T0 },
      { type: 'confirmations', at: T0, count: 5 },
      { type: 'send-failed', at: T0, definite: false, error: { code: 'X', message: 'x' } },
      { type: 'restarted', at: T0 },
    ] as PayEvent[]) {
      const r = run(s, e);
      expect(r.state).toBe(s);
      expect(r.effects).toEqual([]);
    }
  });
});

describe('payment key', () => {
  it('the same request gives the same key; another amount, nonce or repeat another', () => {
    const base = { ticker: 'BTC', address: ADDRESS, amount: 100_000n };
    expect(paymentKey(base)).toBe(KEY);
    expect(paymentKey({ ...base, again: 0 })).toBe(KEY);
    const others = [
      paymentKey({ ...base, amount: 100_001n }),
      paymentKey({ ...base, ticker: 'tBTC' }),
      paymentKey({ ...base, nonce: new Uint8Array(16) }),
      paymentKey({ ...base, again: 1 }),
    ];
    expect(new Set([KEY, ...others]).size).toBe(5);
    expect(KEY).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds a payment only by a send with its comment', () => {
    const txs: WalletTx[] = [
      { txid: 'r', category: 'receive', amount: 5n, comment: 'hashlock:pay:k' },
      { txid: 'o', category: 'send', amount: -5n, comment: 'hashlock:pay:other' },
      { txid: 's', category: 'send', amount: -5n, comment: 'hashlock:pay:k' },
    ];
    expect(findSentPayment(txs, 'hashlock:pay:k')).toBe('s');
    expect(findSentPayment(txs, 'hashlock:pay:none')).toBeUndefined();
  });
});
