// The merchant's side with a wallet and identities the test controls: a signed request a payer's
// parser verifies, refusals, and the watch judging what arrives (docs/payments.md §5, §9.5).
import { afterEach, describe, expect, it } from 'vitest';
import { getCoin } from '../../src-shared/coins/registry.ts';
import { createCoinTable } from '../../src-shared/coins/table.ts';
import { parsePaymentUri } from '../../src-shared/payments/uri.ts';
import { checkBinding } from '../../src-shared/payments/verify.ts';
import type { RequestView } from '../../src-shared/payments/views.ts';
import { silentLogger } from '../kernel/log.ts';
import { waitFor } from '../kernel/time.ts';
import type { StoreDatabase } from '../store/index.ts';
import { createRequestRepo } from './repo.ts';
import { createRequests, type Requests } from './requests.ts';
import { devnetAddress, FakeIdentities, FakeWallet, paymentsStore, testIdentity } from './testkit.ts';

const T0 = 1_800_000_000_000;
const alice = testIdentity(1);
let db: StoreDatabase | undefined;
let requests: Requests | undefined;
afterEach(async () => {
  await requests?.stop();
  db?.close();
  db = undefined;
});

function setup() {
  db = paymentsStore();
  const identities = new FakeIdentities();
  identities.adopt(alice);
  const wallet = new FakeWallet();
  let clock = T0;
  let n = 0;
  const labels: string[] = [];
  const updates: RequestView[] = [];
  requests = createRequests({
    repo: createRequestRepo(db),
    wallets: {
      newAddress: async (_t: string, label?: string) => {
        labels.push(label ?? '');
        return { address: devnetAddress(++n) };
      },
      isConfigured: () => true,
    },
    wallet,
    identities,
    coins: createCoinTable([getCoin('DEVA')]),
    confirmations: () => 2,
    now: () => clock,
    log: silentLogger,
    pollMs: 20,
    onUpdated: (v) => updates.push(v),
  });
  requests.start();
  return { requests, wallet, identities, labels, updates, tick: (ms: number) => (clock += ms) };
}

describe('payment requests', () => {
  it('a signed request carries a binding the payer verifies, on a fresh labelled address', async () => {
    const { requests, labels } = setup();
    const r = await requests.create({ ticker: 'DEVA', amount: '1.5', label: 'Table 4', identity: alice.did });
    expect(labels).toEqual([`hashlock:req:${r.id}`]);
    expect(r.expiresAt).toBe(T0 + 86_400_000);
    const parsed = parsePaymentUri(r.uri);
    expect(parsed).toMatchObject({ address: r.address, amount: 150_000_000n, label: 'Table 4' });
    expect(checkBinding(parsed)).toMatchObject({ status: 'valid', did: alice.did });
    expect(r.uri).not.toMatch(/[A-Z]{20}/); // base58 and base64url keep their case
    expect(r.status.status).toBe('waiting');
  });

  it('the identity-key given goes into the signed request', async () => {
    const { requests } = setup();
    const key = Buffer.alloc(32, 9).toString('base64url');
    const r = await requests.create({ ticker: 'DEVA', identity: alice.did, identityKey: key, expiresInSec: 600 });
    const parsed = parsePaymentUri(r.uri);
    expect(Buffer.from(parsed.identity!.key!).toString('base64url')).toBe(key);
    expect(checkBinding(parsed).status).toBe('valid');
  });

  it('an identity that is not ours cannot sign', async () => {
    const { requests, labels } = setup();
    await expect(requests.create({ ticker: 'DEVA', identity: testIdentity(9).did })).rejects.toMatchObject({
      details: { code: 'IDENTITY_INVALID' },
    });
    expect(labels).toEqual([]);
  });

  it('bad amounts are refused with their codes', async () => {
    const { requests } = setup();
    await expect(requests.create({ ticker: 'DEVA', amount: '0' })).rejects.toMatchObject({
      details: { code: 'AMOUNT_ZERO' },
    });
    await expect(requests.create({ ticker: 'DEVA', amount: '0.123456789' })).rejects.toMatchObject({
      details: { code: 'AMOUNT_TOO_PRECISE' },
    });
    await expect(requests.create({ ticker: 'DEVA', amount: '90000000' })).rejects.toMatchObject({
      details: { code: 'AMOUNT_TOO_LARGE' },
    });
  });

  it('seen, then confirmed, as the wallet reports the payment; a waiter is answered', async () => {
    const { requests, wallet, updates } = setup();
    const r = await requests.create({ ticker: 'DEVA', amount: '1.5' });
    const waiting = requests.wait(r.id, 'settled', 5_000);
    const out = { txid: 'ab'.repeat(32), vout: 0, amount: 150_000_000n, confirmations: 0, seenAt: T0 + 1 };
    wallet.receivedBy.set(r.address, [out]);
    await waitFor(() => updates.find((u) => u.status.status === 'seen'), { timeoutMs: 3_000, what: 'seen' });
    wallet.receivedBy.set(r.address, [{ ...out, confirmations: 2 }]);
    const done = await waiting;
    expect(done.reached).toBe(true);
    expect(done.request.status).toMatchObject({ status: 'confirmed', received: '1.5', settled: true });
  });

  it('underpaid and overpaid are told in words with exact amounts', async () => {
    const { requests, wallet } = setup();
    const r = await requests.create({ ticker: 'DEVA', amount: '1.5' });
    wallet.receivedBy.set(r.address, [
      { txid: 'cd'.repeat(32), vout: 1, amount: 100_000_000n, confirmations: 3, seenAt: T0 },
    ]);
    const under = await requests.wait(r.id, 'seen', 3_000);
    expect(under.request.status).toMatchObject({ status: 'underpaid', missing: '0.5' });
    wallet.receivedBy.set(r.address, [
      { txid: 'cd'.repeat(32), vout: 1, amount: 100_000_000n, confirmations: 3, seenAt: T0 },
      { txid: 'ef'.repeat(32), vout: 0, amount: 60_000_000n, confirmations: 3, seenAt: T0 },
    ]);
    await waitFor(() => (requests!.get(r.id).status.status === 'overpaid' ? true : undefined), {
      timeoutMs: 3_000,
      what: 'overpaid',
    });
    expect(requests!.get(r.id).status).toMatchObject({ excess: '0.1', settled: true });
  });

  it('a wait without payment ends at its timeout, not reached', async () => {
    const { requests } = setup();
    const r = await requests.create({ ticker: 'DEVA', amount: '1' });
    const started = Date.now();
    const w = await requests.wait(r.id, 'seen', 150);
    expect(w.reached).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('an expired request with nothing paid says so, and a canceled one stays canceled', async () => {
    const { requests, tick } = setup();
    const r = await requests.create({ ticker: 'DEVA', amount: '1', expiresInSec: 60 });
    tick(61_000);
    expect(requests.get(r.id).status.status).toBe('expired');
    expect(requests.cancel(r.id).canceled).toBe(true);
    expect(requests.list({ status: 'expired' }).map((x) => x.id)).toEqual([r.id]);
  });
});
