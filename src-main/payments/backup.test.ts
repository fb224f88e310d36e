// The payment book's backup between two nodes of the same seed: published as backup records under
// the user's identity, read back by a fresh node holding the same key, merged once, and opened by
// nobody else (docs/payments.md §10).
import { afterEach, describe, expect, it } from 'vitest';
import { getCoin } from '../../src-shared/coins/registry.ts';
import { createCoinTable } from '../../src-shared/coins/table.ts';
import { verifyRecord } from '../../src-shared/identity/records.ts';
import { newPayment, paymentKey } from '../../src-shared/payments/pay-machine.ts';
import { silentLogger } from '../kernel/log.ts';
import { createSettingsRepo } from '../settings/repo.ts';
import type { StoreDatabase } from '../store/index.ts';
import { createBookBackup } from './backup.ts';
import { createContactRepo, createPaymentRepo, createRequestRepo } from './repo.ts';
import { devnetAddress, FakeIdentities, paymentsStore, testIdentity } from './testkit.ts';

const coins = createCoinTable([getCoin('DEVA')]);
const me = testIdentity(5);
const dbs: StoreDatabase[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

/** A node: its own store, and the registry (shared, as replication makes it). */
function node(identities: FakeIdentities) {
  const db = paymentsStore();
  dbs.push(db);
  const payments = createPaymentRepo(db);
  const contacts = createContactRepo(db);
  const requests = createRequestRepo(db);
  const watched: string[] = [];
  const backup = createBookBackup({
    identities,
    payments,
    contacts,
    requests,
    store: createSettingsRepo(db),
    coins,
    confirmations: () => 2,
    now: () => 1_800_000_000_000,
    log: silentLogger,
    debounceMs: 0,
    watch: (k) => watched.push(k),
  });
  return { payments, contacts, requests, backup, watched };
}

function pay(n: ReturnType<typeof node>, i: number, phase: 'sent' | 'confirmed', did?: string) {
  const address = devnetAddress(i);
  const key = paymentKey({ ticker: 'DEVA', address, amount: 100_000_000n + BigInt(i) });
  const state = {
    ...newPayment({
      key,
      ticker: 'DEVA',
      address,
      amount: 100_000_000n + BigInt(i),
      expiresAt: undefined,
      requiredConfirmations: 2,
      at: i,
    }),
    phase,
    txid: i.toString(16).padStart(64, 'a'),
    attempts: 1,
  };
  n.payments.save(state, {
    did,
    createdAt: 1_000 + i,
    entry: {
      uri: `deva:${address}?amount=1`,
      cardState: did ? 'new' : 'anonymous',
      name: did ? 'Shop' : undefined,
      feeChoice: 'normal',
      feeRate: 10n,
      fee: 1_410n,
    },
  });
  return key;
}

function registry() {
  const identities = new FakeIdentities();
  identities.adopt(me);
  identities.publishProfile(me, { name: 'Me' });
  return identities;
}

describe('payment book backup', () => {
  it('is published as backup records under the user identity, and a node of the same seed restores it once', async () => {
    const identities = registry();
    const a = node(identities);
    const sent = pay(a, 1, 'sent', me.did);
    const done = pay(a, 2, 'confirmed');
    a.contacts.save({ did: testIdentity(6).did, name: 'Bob', savedAt: 5 });
    a.requests.insert({
      id: '1'.repeat(32),
      ticker: 'DEVA',
      address: devnetAddress(77),
      uri: `deva:${devnetAddress(77)}?amount=2&label=Table%204`,
      identity: undefined,
      terms: { amount: 200_000_000n, label: 'Table 4' },
      seen: [],
      canceled: false,
      createdAt: 9,
      expiresAt: undefined,
      updatedAt: 9,
    });
    await a.backup.publishNow();
    const content = identities.slot(`${me.did}#backup:payments`)!;
    expect(verifyRecord(content)).toMatchObject({ kind: 'backup', did: me.did, tombstone: false });
    expect(content).not.toContain('Table'); // sealed
    expect(a.backup.status()).toMatchObject({ state: 'ok', did: me.did, pages: 1, entries: 3 });

    // The seed restored on a new node: same identity key, empty book.
    const b = node(identities);
    expect(await b.backup.restore().then(() => b.payments.list({ limit: 10 }).length)).toBe(2);
    expect(b.payments.get(sent)).toMatchObject({
      did: me.did,
      state: { phase: 'sent' },
      entry: { name: 'Shop', fee: 1_410n },
    });
    expect(b.payments.get(done)?.state.phase).toBe('confirmed');
    expect(b.watched).toEqual([sent]);
    expect(b.contacts.list().map((c) => c.name)).toEqual(['Bob']);
    expect(b.requests.get('1'.repeat(32))?.terms).toEqual({ amount: 200_000_000n, label: 'Table 4' });
    // Merging again adds nothing.
    await b.backup.restore();
    expect(b.payments.list({ limit: 10 })).toHaveLength(2);
    expect(b.backup.status().restored).toBe(3);
  });

  it('an unchanged book is not published again', async () => {
    const identities = registry();
    const a = node(identities);
    pay(a, 1, 'confirmed');
    await a.backup.publishNow();
    const first = identities.slot(`${me.did}#backup:payments`);
    await a.backup.publishNow();
    expect(identities.slot(`${me.did}#backup:payments`)).toBe(first);
    pay(a, 2, 'confirmed');
    await a.backup.publishNow();
    expect(identities.slot(`${me.did}#backup:payments`)).not.toBe(first);
  });

  it('without a published identity there is nothing to keep it under', async () => {
    const identities = new FakeIdentities();
    const a = node(identities);
    pay(a, 1, 'confirmed');
    await a.backup.publishNow();
    expect(identities.slots.size).toBe(0);
    expect(a.backup.status()).toMatchObject({ state: 'no-identity' });
  });

  it('another seed cannot open it: a node holding another key restores nothing', async () => {
    const identities = registry();
    const a = node(identities);
    pay(a, 1, 'confirmed');
    await a.backup.publishNow();
    // Another user's node: its identity differs; it copies the record into its own slot name.
    const other = new FakeIdentities();
    const them = testIdentity(9);
    other.adopt(them);
    other.slots.set(`${them.did}#backup:payments`, identities.slot(`${me.did}#backup:payments`)!);
    const b = node(other);
    await b.backup.restore();
    expect(b.payments.list({ limit: 10 })).toEqual([]);
  });

  it('a request that ended without receiving anything is left out; one paid into is kept', async () => {
    const identities = registry();
    const a = node(identities);
    const now = 1_800_000_000_000;
    const req = (i: number, o: { expiresAt?: number; canceled?: boolean; paid?: boolean }) =>
      a.requests.insert({
        id: String(i).repeat(32),
        ticker: 'DEVA',
        address: devnetAddress(70 + i),
        uri: `deva:${devnetAddress(70 + i)}?amount=2`,
        identity: undefined,
        terms: { amount: 200_000_000n },
        seen: o.paid ? [{ txid: 'c'.repeat(64), vout: 0, amount: 200_000_000n, confirmations: 3, seenAt: 20 }] : [],
        canceled: o.canceled ?? false,
        createdAt: 10 + i,
        expiresAt: o.expiresAt,
        updatedAt: 10 + i,
      });
    req(1, { expiresAt: now - 1 }); // expired, nothing came
    req(2, { expiresAt: now - 1, paid: true }); // expired after being paid
    req(3, { canceled: true }); // canceled, nothing came
    req(4, { expiresAt: now + 60_000 }); // still open
    await a.backup.publishNow();
    expect(a.backup.status()).toMatchObject({ state: 'ok', entries: 2 });
    const b = node(identities);
    await b.backup.restore();
    expect(b.requests.list({ limit: 10 }).map((r) => r.id[0])).toEqual(['4', '2']);
  });
});
