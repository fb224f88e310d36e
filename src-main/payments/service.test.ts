// The payments API over real parts (store, pure core, merchant lookup, runner) with a wallet and an
// identity registry the test controls: reading requests and their cards, and the refusals that
// must store and send nothing (docs/payments.md §9.2, the brief's bad inputs).
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { createCoinTable } from '../../src-shared/coins/table.ts';
import { getCoin } from '../../src-shared/coins/registry.ts';
import { bindingDigest } from '../../src-shared/payments/binding.ts';
import { bindingFieldsFor, buildPaymentUri } from '../../src-shared/payments/build.ts';
import { isPaymentError } from '../../src-shared/payments/errors.ts';
import { silentLogger } from '../kernel/log.ts';
import { createSettingsRepo } from '../settings/repo.ts';
import { createSettingsService } from '../settings/service.ts';
import type { StoreDatabase } from '../store/index.ts';
import { createMerchants } from './merchant.ts';
import { createPayRunner, type PayRunner } from './pay-runner.ts';
import { createContactRepo, createPaymentRepo } from './repo.ts';
import { createPaymentsService, createPaymentsSettings } from './service.ts';
import {
  devnetAddress,
  FakeIdentities,
  FakeWallet,
  paymentsStore,
  profileRecord,
  testIdentity,
  type TestIdentity,
} from './testkit.ts';

const DEVA = getCoin('DEVA');
const NOW = 1_800_000_000_000;
const alice = testIdentity(1);
const mallory = testIdentity(2);

let db: StoreDatabase | undefined;
let runner: PayRunner | undefined;
afterEach(async () => {
  await runner?.stop();
  db?.close();
  db = undefined;
});

function setup() {
  db = paymentsStore();
  const identities = new FakeIdentities();
  const wallet = new FakeWallet();
  const coins = createCoinTable([DEVA, getCoin('DEVB')], 'devnet');
  const payments = createPaymentRepo(db);
  const contacts = createContactRepo(db);
  const settingsRepo = createSettingsRepo(db);
  const paymentsSettings = createPaymentsSettings(settingsRepo);
  const now = () => NOW;
  runner = createPayRunner({
    repo: payments,
    wallet,
    coin: (t) => coins.get(t),
    log: silentLogger,
    now,
    pollMs: 50,
    onChanged: () => undefined,
  });
  const merchants = createMerchants({
    identities,
    payments,
    contacts,
    askPeers: () => paymentsSettings.get().askPeers,
    now,
    log: silentLogger,
  });
  const service = createPaymentsService({
    coins,
    payments,
    contacts,
    runner,
    merchants,
    wallet,
    settings: createSettingsService({ repo: settingsRepo, coins: coins.all }),
    paymentsSettings,
    now,
  });
  return { service, identities, wallet, payments, asked: identities.asked };
}

/** A request signed by `by` for `did` (an attacker signs with its own key for its own DID). */
function signed(
  by: TestIdentity,
  o: { address?: string; amount?: bigint; label?: string; expires?: number; key?: Uint8Array } = {},
) {
  const identities = new FakeIdentities();
  identities.adopt(by);
  const input = {
    coin: DEVA,
    address: o.address ?? devnetAddress(1),
    amount: o.amount ?? 150_000_000n,
    label: o.label ?? 'Alice Shop',
  };
  const expires = o.expires ?? NOW / 1000 + 3600;
  const nonce = new Uint8Array(16).fill(7);
  const identity = { did: by.did, ...(o.key ? { key: o.key } : {}) };
  const sig = identities.sign(by.did, bindingDigest(bindingFieldsFor({ ...input, identity }, expires, nonce)));
  return buildPaymentUri({ ...input, identity: { ...identity, binding: { expires, nonce, signature: sig } } });
}

describe('payments.parse: the card and the merchant', () => {
  it('a signed request from a published identity is a new identity, with its name and inline logo', async () => {
    const { service, identities } = setup();
    const logo = 'data:image/png;base64,iVBORw0KGgo=';
    identities.publishProfile(alice, { name: 'Alice Shop', image: logo });
    const r = await service.parse({ uri: signed(alice) });
    expect(r.card).toMatchObject({ state: 'new', verified: true, name: 'Alice Shop', colour: 'blue' });
    expect(r.merchant).toMatchObject({ did: alice.did, profile: 'active', source: 'registry', image: logo });
  });

  it('the same URI with the address swapped is a blocked mismatch and names nobody', async () => {
    const { service, identities } = setup();
    identities.publishProfile(alice, { name: 'Alice Shop' });
    const uri = signed(alice).replace(devnetAddress(1), devnetAddress(99));
    const r = await service.parse({ uri });
    expect(r.card).toMatchObject({ state: 'mismatch', blocked: true });
    expect(r.card.name).toBeUndefined();
    expect(r.merchant).toBeUndefined();
  });

  it('an unsigned identity is a warning, and its profile name is never looked up or shown', async () => {
    const { service, identities } = setup();
    identities.publishProfile(alice, { name: 'Alice Shop' });
    const r = await service.parse({ uri: `deva:${devnetAddress(1)}?amount=1.5&identity=${alice.did}` });
    expect(r.card).toMatchObject({ state: 'unbound', confirm: true, blocked: false });
    expect(r.card.name).toBeUndefined();
    expect(r.merchant).toBeUndefined();
  });

  it('an expired request is blocked', async () => {
    const { service, identities } = setup();
    identities.publishProfile(alice, { name: 'Alice Shop' });
    const r = await service.parse({ uri: signed(alice, { expires: NOW / 1000 - 1 }) });
    expect(r.card).toMatchObject({ state: 'expired', blocked: true });
  });

  it('an identity that resolves to a deleted profile is blocked', async () => {
    const { service, identities } = setup();
    identities.publishProfile(alice, 'deleted');
    const r = await service.parse({ uri: signed(alice) });
    expect(r.card).toMatchObject({ state: 'deleted', blocked: true });
    expect(r.merchant?.profile).toBe('deleted');
  });

  it('a lookalike name of a saved contact warns, and a saved contact is verified', async () => {
    const { service, identities } = setup();
    identities.publishProfile(alice, { name: 'Alice Shop' });
    identities.publishProfile(mallory, { name: 'A1ice Shop' });
    service.contactSave({ did: alice.did, name: 'Alice Shop' });
    expect((await service.parse({ uri: signed(alice) })).card.state).toBe('verified');
    const fake = await service.parse({ uri: signed(mallory, { label: 'A1ice Shop' }) });
    expect(fake.card).toMatchObject({ state: 'lookalike', confirm: true, lookalikeOf: { did: alice.did } });
  });

  it('private metadata opens with the request key and is gone once withdrawn', async () => {
    const { service, identities } = setup();
    identities.publishProfile(alice, { name: 'Alice Shop' });
    const key = await identities.setMetadata(alice, { invoice: 'INV-7', phone: '+1 555' });
    const uri = signed(alice, { key: new Uint8Array(Buffer.from(key, 'base64url')) });
    expect((await service.parse({ uri })).merchant).toMatchObject({
      metadataState: 'opened',
      metadata: { invoice: 'INV-7', phone: '+1 555' },
    });
    identities.withdrawMetadata(alice);
    expect((await service.parse({ uri })).merchant).toMatchObject({ metadataState: 'withdrawn' });
    expect((await service.parse({ uri })).merchant?.metadata).toBeUndefined();
  });

  it('peers are asked only when the user allows it, and only for what the registry lacks', async () => {
    const { service, asked } = setup();
    const r1 = await service.parse({ uri: signed(alice) });
    expect(asked).toEqual([]);
    expect(r1.merchant).toMatchObject({ profile: 'unknown', source: 'none' });
    service.settingsSet({ askPeers: true });
    await service.parse({ uri: signed(alice) });
    expect(asked).toEqual([alice.did]);
  });

  it('a profile peers hold is shown when asking them is allowed, and marked as from peers', async () => {
    const { service, identities } = setup();
    identities.atPeers.set(alice.did, profileRecord(alice, 5, { name: 'Alice Shop' }));
    expect((await service.parse({ uri: signed(alice) })).card.name).toBeUndefined();
    service.settingsSet({ askPeers: true });
    const r = await service.parse({ uri: signed(alice) });
    expect(r.merchant).toMatchObject({ source: 'peers', name: 'Alice Shop' });
    expect(r.card.name).toBe('Alice Shop');
  });

  it('a malformed URI is refused with its payments code in details', async () => {
    const { service } = setup();
    const err = await service.parse({ uri: `deva:${devnetAddress(1)}?amount=1e-3` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'INVALID_PARAMS', details: { code: 'AMOUNT_EXPONENT' } });
  });

  it('a QR that holds something else is not a payment request', async () => {
    const { service } = setup();
    await expect(service.parse({ uri: 'https://example.com/pay' })).rejects.toMatchObject({
      details: { code: 'URI_MALFORMED' },
    });
    await expect(service.parse({ uri: 'WIFI:S:home;T:WPA;P:secret;;' })).rejects.toMatchObject({
      details: { code: 'SCHEME_UNKNOWN' },
    });
    await expect(service.parse({ uri: 'hello there' })).rejects.toMatchObject({
      details: { code: 'URI_INVALID_CHARACTER' },
    });
  });
});

describe('payments.pay: refusals store and send nothing', () => {
  it('pays a signed request once, and a repeated call returns the same payment', async () => {
    const { service, identities, wallet, payments } = setup();
    identities.publishProfile(alice, { name: 'Alice Shop' });
    const uri = signed(alice);
    const first = await service.pay({ uri });
    expect(first).toMatchObject({
      phase: 'sent',
      amount: '1.5',
      did: alice.did,
      name: 'Alice Shop',
      fee: '0.00001692',
    });
    expect((await service.pay({ uri })).key).toBe(first.key);
    expect(wallet.sent).toHaveLength(1);
    expect(payments.paidTo(alice.did).count).toBe(1);
    const book = await service.book({});
    expect(book[0]).toMatchObject({ key: first.key, merchant: { name: 'Alice Shop' } });
  });

  it('a blocked card is refused before the wallet is asked', async () => {
    const { service, identities, wallet, payments } = setup();
    identities.publishProfile(alice, { name: 'Alice Shop' });
    wallet.down = true;
    const uri = signed(alice).replace(devnetAddress(1), devnetAddress(99));
    await expect(service.pay({ uri })).rejects.toMatchObject({ details: { code: 'CARD_BLOCKED' } });
    expect(payments.list({ limit: 10 })).toEqual([]);
  });

  it('an expired request is refused', async () => {
    const { service, identities, payments } = setup();
    identities.publishProfile(alice, { name: 'Alice Shop' });
    await expect(service.pay({ uri: signed(alice, { expires: NOW / 1000 - 5 }) })).rejects.toSatisfy(isPaymentError);
    expect(payments.list({ limit: 10 })).toEqual([]);
  });

  it('a wallet without funds is refused in words, nothing stored', async () => {
    const { service, wallet, payments } = setup();
    wallet.balance = 150_000_000n; // the amount, but not the fee
    const err = await service.pay({ uri: `deva:${devnetAddress(1)}?amount=1.5` }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    expect((err as Error).message).toMatch(/needs 1\.50001692 DEVA .* can spend 1\.5 DEVA\. Nothing was sent/);
    expect(payments.list({ limit: 10 })).toEqual([]);
    expect(wallet.sent).toHaveLength(0);
  });

  it('a disconnected wallet is refused before anything is stored', async () => {
    const { service, wallet, payments } = setup();
    wallet.down = true;
    await expect(service.pay({ uri: `deva:${devnetAddress(1)}?amount=1.5` })).rejects.toThrow(/wallet down/);
    expect(payments.list({ limit: 10 })).toEqual([]);
  });

  it("a request's amount cannot be changed; one without needs the payer's", async () => {
    const { service } = setup();
    await expect(service.pay({ uri: `deva:${devnetAddress(1)}?amount=1.5`, amount: '2' })).rejects.toMatchObject({
      details: { code: 'AMOUNT_FIXED' },
    });
    await expect(service.pay({ uri: `deva:${devnetAddress(1)}` })).rejects.toMatchObject({
      details: { code: 'AMOUNT_MISSING' },
    });
    expect((await service.pay({ uri: `deva:${devnetAddress(1)}`, amount: '0.25' })).amount).toBe('0.25');
  });

  it('an unsigned identity needs the acknowledgement, and the book never names it', async () => {
    const { service, identities } = setup();
    identities.publishProfile(alice, { name: 'Alice Shop' });
    const uri = `deva:${devnetAddress(1)}?amount=1.5&identity=${alice.did}`;
    await expect(service.pay({ uri })).rejects.toMatchObject({ details: { code: 'CONFIRMATION_NEEDED' } });
    const paid = await service.pay({ uri, acknowledged: true });
    expect(paid).toMatchObject({ phase: 'sent', cardState: 'unbound' });
    expect(paid.did).toBeUndefined();
    expect(paid.name).toBeUndefined();
    expect(paid.merchant).toBeUndefined();
  });

  it('quote shows the fee, the total and whether the balance covers it', async () => {
    const { service, wallet } = setup();
    wallet.balance = 150_001_000n;
    expect(await service.quote({ uri: `deva:${devnetAddress(1)}?amount=1.5`, fee: 'priority' })).toMatchObject({
      amount: '1.5',
      fee: '0.00001692',
      total: '1.50001692',
      spendable: '1.50001',
      enough: false,
      feeChoice: 'priority',
    });
  });
});
