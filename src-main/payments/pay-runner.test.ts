// The pay runner against a SQLite store and a wallet the test controls: each test is a failure case
// of docs/payments.md §6/§9.2 (double click, crash before and after the send, a lost wallet).
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { getCoin } from '../../src-shared/coins/registry.ts';
import { isPaymentError } from '../../src-shared/payments/errors.ts';
import { newPayment, paymentKey, SEND_SETTLE_MS } from '../../src-shared/payments/pay-machine.ts';
import { silentLogger } from '../kernel/log.ts';
import { waitFor } from '../kernel/time.ts';
import type { StoreDatabase } from '../store/index.ts';
import { createPayRunner, type PayRunner } from './pay-runner.ts';
import { createPaymentRepo, type PaymentEntry, type StoredPayment } from './repo.ts';
import { FakeWallet, paymentsStore } from './testkit.ts';

const coin = getCoin('DEVA');
const ADDRESS = 'rltc1qzhs95aetxvd70vva5waek4zzc9n2e303wa5qvn';
const T0 = 1_800_000_000_000;
const OK = { state: 'known', blocked: false, confirm: false };
const ENTRY: PaymentEntry = {
  uri: `deva:${ADDRESS}?amount=1.5`,
  cardState: 'anonymous',
  feeChoice: 'normal',
  feeRate: 10n,
};

let db: StoreDatabase | undefined;
let runners: PayRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.map((r) => r.stop()));
  runners = [];
  db?.close();
  db = undefined;
});

function setup(opts: { wallet?: FakeWallet; crashAt?: (p: string) => void; now?: () => number } = {}) {
  db ??= paymentsStore();
  const repo = createPaymentRepo(db);
  const wallet = opts.wallet ?? new FakeWallet();
  const changes: StoredPayment[] = [];
  let clock = T0;
  const runner = createPayRunner({
    repo,
    wallet,
    coin: () => coin,
    log: silentLogger,
    now: opts.now ?? (() => clock),
    pollMs: 20,
    ...(opts.crashAt ? { crashAt: opts.crashAt } : {}),
    onChanged: (p) => changes.push(p),
  });
  runners.push(runner);
  const key = paymentKey({ ticker: 'DEVA', address: ADDRESS, amount: 150_000_000n });
  const fresh = newPayment({
    key,
    ticker: 'DEVA',
    address: ADDRESS,
    amount: 150_000_000n,
    expiresAt: undefined,
    requiredConfirmations: 2,
    at: T0,
  });
  const confirm = (card = OK, acknowledged = false) =>
    runner.confirm({ fresh, did: undefined, entry: ENTRY, card, acknowledged });
  return { repo, wallet, runner, key, confirm, changes, advance: (ms: number) => (clock += ms) };
}

class Crash extends Error {}

describe('pay runner', () => {
  it('a second click while sending sends nothing and returns the same payment', async () => {
    const { wallet, confirm, key } = setup();
    const [a, b] = await Promise.all([confirm(), confirm()]);
    expect(a.state.txid).toBeDefined();
    expect(b.state.txid).toBe(a.state.txid);
    expect(wallet.sendsWith(`hashlock:pay:${key}`)).toBe(1);
  });

  it('stores sending before the wallet is asked, and holds the amount while it is on its way', async () => {
    const { wallet, confirm, repo, key, runner } = setup();
    let seen: string | undefined;
    let held = 0n;
    wallet.onSend = () => {
      seen = repo.get(key)?.state.phase;
      held = runner.inFlight('DEVA');
    };
    const done = await confirm();
    expect(seen).toBe('sending');
    expect(held).toBe(150_000_000n);
    expect(done.state.phase).toBe('sent');
    expect(runner.inFlight('DEVA')).toBe(0n);
    expect(repo.get(key)?.entry.fee).toBe(1_692n);
  });

  it('a blocked card is refused and nothing is stored or sent', async () => {
    const { wallet, confirm, repo, key } = setup();
    await expect(confirm({ state: 'mismatch', blocked: true, confirm: false })).rejects.toMatchObject({
      details: { code: 'CARD_BLOCKED' },
    });
    expect(repo.get(key)).toBeUndefined();
    expect(wallet.sent).toHaveLength(0);
  });

  it('a card asking for a check is refused without the acknowledgement', async () => {
    const { confirm, repo, key } = setup();
    const card = { state: 'unbound', blocked: false, confirm: true };
    await expect(confirm(card)).rejects.toSatisfy(isPaymentError);
    expect(repo.get(key)).toBeUndefined();
    expect((await confirm(card, true)).state.phase).toBe('sent');
  });

  it('a wallet that refuses the send leaves a failed payment, holds nothing, and a retry sends once', async () => {
    const { wallet, confirm, runner, key } = setup();
    wallet.nextSend = {
      kind: 'throw',
      error: new ApiError('INSUFFICIENT_FUNDS', 'too little', { rpcCode: -6, rpcMessage: 'Insufficient funds' }),
    };
    const failed = await confirm();
    expect(failed.state.phase).toBe('failed');
    expect(failed.state.lastError?.code).toBe('INSUFFICIENT_FUNDS');
    expect(runner.inFlight('DEVA')).toBe(0n);
    const retried = await confirm();
    expect(retried.state.phase).toBe('sent');
    expect(wallet.sendsWith(`hashlock:pay:${key}`)).toBe(1);
  });

  it('a send that times out after the wallet sent is found by its comment and recorded once', async () => {
    const { wallet, confirm, repo, key } = setup();
    wallet.nextSend = {
      kind: 'sends-then-throws',
      error: new ApiError('WALLET_TIMEOUT', 'no answer', { method: 'sendtoaddress', timeoutMs: 30_000 }),
    };
    const unclear = await confirm();
    expect(unclear.state.phase).toBe('reconciling');
    await waitFor(() => repo.get(key)?.state.phase === 'sent' || undefined, { timeoutMs: 5_000, what: 'the lookup' });
    expect(wallet.sendsWith(`hashlock:pay:${key}`)).toBe(1);
    // A confirm now is the same payment, not a second send.
    expect((await confirm()).state.txid).toBe(wallet.sent[0]!.txid);
    expect(wallet.sent).toHaveLength(1);
  });

  it('crash between persist and send: after the restart nothing is found, it returns to ready as not sent', async () => {
    const first = setup({
      crashAt: (p) => {
        if (p === 'payments.before-send') throw new Crash('SIGKILL');
      },
    });
    await expect(first.confirm()).rejects.toBeInstanceOf(Crash);
    expect(first.repo.get(first.key)?.state.phase).toBe('sending');
    expect(first.wallet.sent).toHaveLength(0);
    // A new process over the same database, the clock past the settle time.
    const second = setup({ wallet: first.wallet, now: () => T0 + SEND_SETTLE_MS + 1 });
    await second.runner.resume();
    expect(second.runner.inFlight('DEVA')).toBe(150_000_000n);
    await waitFor(() => second.repo.get(second.key)?.state.phase === 'ready' || undefined, {
      timeoutMs: 5_000,
      what: 'the settle lookup',
    });
    expect(second.repo.get(second.key)?.state.note).toBe('not-sent');
    expect(second.wallet.sent).toHaveLength(0);
    expect(second.runner.inFlight('DEVA')).toBe(0n);
  });

  it('crash after send before record: the restart finds the transaction at once and sends nothing', async () => {
    const first = setup({
      crashAt: (p) => {
        if (p === 'payments.after-send') throw new Crash('SIGKILL');
      },
    });
    await expect(first.confirm()).rejects.toBeInstanceOf(Crash);
    expect(first.repo.get(first.key)?.state.phase).toBe('sending');
    expect(first.wallet.sent).toHaveLength(1);
    const second = setup({ wallet: first.wallet });
    await second.runner.resume();
    await waitFor(() => second.repo.get(second.key)?.state.phase === 'sent' || undefined, {
      timeoutMs: 5_000,
      what: 'the early lookup',
    });
    expect(second.repo.get(second.key)?.state.txid).toBe(first.wallet.sent[0]!.txid);
    expect(second.repo.get(second.key)?.entry.fee).toBe(1_692n);
    expect(second.wallet.sendsWith(`hashlock:pay:${second.key}`)).toBe(1);
  });

  it('wallet lost mid-payment: lookups fail and wait, nothing is resent, and it is found when the wallet is back', async () => {
    const { wallet, confirm, repo, key, runner } = setup();
    wallet.nextSend = {
      kind: 'sends-then-throws',
      error: new ApiError('WALLET_UNREACHABLE', 'dropped', { cause: 'ECONNRESET' }),
    };
    wallet.down = true;
    expect((await confirm()).state.phase).toBe('reconciling');
    // Positive control: the runner has looked (and failed, the wallet being down) before the
    // absence of a resend is judged; a sleep would also pass on a runner that never looked.
    await waitFor(() => wallet.lookups >= 1 || undefined, { timeoutMs: 5_000, intervalMs: 5, what: 'the lookup' });
    expect(repo.get(key)?.state.phase).toBe('reconciling');
    expect(await confirm().then((p) => p.state.phase)).toBe('reconciling');
    expect(wallet.sent).toHaveLength(1);
    wallet.down = false;
    await runner.resume();
    await waitFor(() => repo.get(key)?.state.phase === 'sent' || undefined, { timeoutMs: 5_000, what: 'found' });
    expect(repo.get(key)?.state.txid).toBe(wallet.sent[0]!.txid);
    expect(wallet.sent).toHaveLength(1);
  });

  it('confirmations are read until the payment is confirmed', async () => {
    const { wallet, confirm, repo, key, runner } = setup();
    await confirm();
    await runner.resume();
    wallet.sent[0]!.confirmations = 2;
    await waitFor(() => repo.get(key)?.state.phase === 'confirmed' || undefined, {
      timeoutMs: 5_000,
      what: 'confirmed',
    });
    expect(repo.get(key)?.state.confirmations).toBe(2);
  });

  it('a sent payment cannot be canceled; a failed one can', async () => {
    const { wallet, confirm, runner, key } = setup();
    wallet.nextSend = { kind: 'throw', error: new ApiError('WALLET_RPC_ERROR', 'no', { rpcCode: -26 }) };
    await confirm();
    expect((await runner.cancel(key)).state.phase).toBe('canceled');
    await expect(confirm()).rejects.toMatchObject({ details: { code: 'NOT_ALLOWED' } });
    expect(wallet.sent).toHaveLength(0);
  });
});
