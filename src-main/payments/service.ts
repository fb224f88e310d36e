// The payments API over its parts: reading a request and its card, quoting and paying it once,
// the payment book with each merchant looked up again, contacts and settings. Handlers in
// module.ts call these; every refusal is an ApiError with details.code (paymentError, §9.6).
import { ApiError } from '../../src-shared/api/errors.ts';
import type { CoinParams } from '../../src-shared/coins/registry.ts';
import type { CoinTable } from '../../src-shared/coins/table.ts';
import { formatAmount } from '../../src-shared/money/index.ts';
import { parseUriAmount } from '../../src-shared/payments/amount.ts';
import { encodeBase64url } from '../../src-shared/payments/binding.ts';
import { paymentError } from '../../src-shared/payments/errors.ts';
import { newPayment, paymentKey, payTransition } from '../../src-shared/payments/pay-machine.ts';
import { parsedRequestView } from '../../src-shared/payments/present.ts';
import { onchainTarget, parsePaymentUri, paymentTarget, type PaymentRequest } from '../../src-shared/payments/uri.ts';
import { checkBinding } from '../../src-shared/payments/verify.ts';
import {
  PaymentsSettings,
  type ContactView,
  type FeeChoice,
  type PaymentView,
  type QuoteView,
} from '../../src-shared/payments/views.ts';
import type { SettingsRepo } from '../settings/index.ts';
import type { SettingsService } from '../settings/index.ts';
import type { Merchants } from './merchant.ts';
import type { PayRunner } from './pay-runner.ts';
import type { ContactRepo, PaymentRepo, StoredPayment } from './repo.ts';
import type { PayWallet } from './wallet-ops.ts';

export interface ServiceDeps {
  readonly coins: CoinTable;
  readonly payments: PaymentRepo;
  readonly contacts: ContactRepo;
  readonly runner: PayRunner;
  readonly merchants: Merchants;
  readonly wallet: PayWallet;
  readonly settings: SettingsService;
  readonly paymentsSettings: PaymentsSettingsStore;
  readonly now: () => number;
}

/** The payments settings, kept in the settings table under one key. */
export function createPaymentsSettings(repo: SettingsRepo) {
  const get = (): PaymentsSettings => {
    const s = PaymentsSettings.partial().safeParse(repo.get(SETTINGS_KEY) ?? {});
    return { askPeers: false, ...(s.success ? s.data : {}) };
  };
  return {
    get,
    set(patch: Partial<PaymentsSettings>): PaymentsSettings {
      const next = { ...get(), ...patch };
      repo.set(SETTINGS_KEY, next);
      return next;
    },
  };
}
export type PaymentsSettingsStore = ReturnType<typeof createPaymentsSettings>;

export interface PayParams {
  readonly uri: string;
  readonly ticker?: string;
  readonly amount?: string;
  readonly fee?: FeeChoice;
  readonly acknowledged?: boolean;
  readonly again?: number;
}

const SETTINGS_KEY = 'payments';

export function createPaymentsService(d: ServiceDeps) {
  return {
    parse: (p: { uri: string; ticker?: string }) => parse(d, p),
    quote: (p: PayParams) => quote(d, p),
    pay: (p: PayParams) => pay(d, p),
    view: (s: StoredPayment, withMerchant = true) => view(d, s, withMerchant),
    payment: (key: string) => view(d, stored(d, key)),
    cancel: async (key: string) => view(d, await d.runner.cancel(stored(d, key).state.key)),
    book: async (o: { did?: string; ticker?: string; limit?: number }) =>
      Promise.all(d.payments.list({ ...o, limit: o.limit ?? 200 }).map((s) => view(d, s))),
    contacts: () => d.merchants.contacts(),
    contactSave(p: { did: string; name: string }): ContactView {
      const savedAt = d.now();
      d.contacts.save({ did: p.did, name: p.name, savedAt });
      return { did: p.did, name: p.name, source: 'saved', savedAt };
    },
    contactRemove(did: string) {
      if (!d.contacts.remove(did)) throw new ApiError('NOT_FOUND', `${did} is not a saved contact`, { did });
      return { ok: true as const };
    },
    settings: () => d.paymentsSettings.get(),
    settingsSet: (patch: Partial<PaymentsSettings>) => d.paymentsSettings.set(patch),
  };
}

function read(d: ServiceDeps, uri: string, ticker?: string): PaymentRequest {
  return parsePaymentUri(uri, { coins: d.coins.all, ...(ticker ? { ticker } : {}) });
}

/** The coin, address and amount to pay: the request's own amount, or the payer's for one without. */
function target(request: PaymentRequest, amount: string | undefined) {
  const { coin } = onchainTarget(request);
  return paymentTarget(request, amount === undefined ? undefined : parseUriAmount(amount, coin));
}

async function parse(d: ServiceDeps, p: { uri: string; ticker?: string }) {
  const request = read(d, p.uri, p.ticker);
  const coin = request.coin;
  const { card, merchant } = await d.merchants.judge(request, {
    address: request.address ?? '',
    amount: request.amount,
    ticker: coin?.ticker ?? request.scheme.toUpperCase(),
    decimals: coin?.decimals ?? 8,
  });
  return { request: parsedRequestView(request), card, ...(merchant ? { merchant } : {}) };
}

async function priced(
  d: ServiceDeps,
  coin: CoinParams,
  address: string,
  amount: bigint,
  choice: FeeChoice | undefined,
) {
  const feeChoice = choice ?? d.settings.get().feePreference;
  const feeRate = await d.wallet.feeRate(coin, feeChoice);
  // The wallet must answer before anything is stored: this is also the check that it is there.
  const spendable = await d.wallet.spendable(coin);
  const fee = await d.wallet.quote(coin, address, amount, feeRate);
  return { feeChoice, feeRate, spendable, fee };
}

async function quote(d: ServiceDeps, p: PayParams): Promise<QuoteView> {
  const t = target(read(d, p.uri, p.ticker), p.amount);
  const q = await priced(d, t.coin, t.address, t.amount, p.fee);
  const fmt = (units: bigint) => formatAmount(units, t.coin.decimals);
  return {
    ticker: t.coin.ticker,
    address: t.address,
    amount: fmt(t.amount),
    fee: fmt(q.fee),
    feeRate: q.feeRate.toString(),
    feeChoice: q.feeChoice,
    total: fmt(t.amount + q.fee),
    spendable: fmt(q.spendable),
    enough: q.spendable >= t.amount + q.fee,
  };
}

async function pay(d: ServiceDeps, p: PayParams): Promise<PaymentView> {
  const request = read(d, p.uri, p.ticker);
  const t = target(request, p.amount);
  const binding = request.identity?.binding;
  const key = paymentKey({
    ticker: t.coin.ticker,
    address: t.address,
    amount: t.amount,
    ...(binding ? { nonce: binding.nonce } : {}),
    ...(p.again !== undefined ? { again: p.again } : {}),
  });
  const existing = d.payments.get(key);
  if (existing && ['sending', 'reconciling', 'sent', 'confirmed'].includes(existing.state.phase))
    return view(d, existing);
  const { card } = await d.merchants.judge(request, { ...t, ticker: t.coin.ticker, decimals: t.coin.decimals });
  const fresh = newPayment({
    key,
    ticker: t.coin.ticker,
    address: t.address,
    amount: t.amount,
    expiresAt: binding ? binding.expires * 1000 : undefined,
    requiredConfirmations: d.settings.confirmations(t.coin.ticker),
    at: d.now(),
  });
  const verdict = { state: card.state, blocked: card.blocked, confirm: card.confirm };
  const acknowledged = p.acknowledged === true;
  // Refusals the machine would give (blocked card, no confirmation, expired) come before the wallet is asked.
  const probe = payTransition(existing?.state ?? fresh, {
    type: 'confirm',
    at: d.now(),
    card: verdict,
    acknowledged,
  });
  if (probe.refused) throw paymentError(probe.refused.code, probe.refused.message, probe.refused.details);
  const q = await priced(d, t.coin, t.address, t.amount, p.fee);
  if (q.spendable < t.amount + q.fee) throw tooLittle(t.coin, t.amount, q.fee, q.spendable);
  const identityKey = request.identity?.key ? encodeBase64url(request.identity.key) : undefined;
  const stored = await d.runner.confirm({
    fresh,
    did: checkBinding(request).status === 'valid' ? request.identity!.did : undefined,
    entry: {
      uri: p.uri.trim(),
      cardState: card.state,
      ...(card.name !== undefined ? { name: card.name } : {}),
      ...(identityKey ? { identityKey } : {}),
      ...(request.label !== undefined ? { label: request.label } : {}),
      ...(request.message !== undefined ? { message: request.message } : {}),
      feeChoice: q.feeChoice,
      feeRate: q.feeRate,
    },
    card: verdict,
    acknowledged,
  });
  return view(d, stored);
}

async function view(d: ServiceDeps, s: StoredPayment, withMerchant = true): Promise<PaymentView> {
  return paymentView(
    d.coins,
    s,
    withMerchant && s.did ? await d.merchants.merchant(s.did, s.entry.identityKey) : undefined,
  );
}

function stored(d: ServiceDeps, key: string): StoredPayment {
  const s = d.payments.get(key);
  if (!s) throw new ApiError('NOT_FOUND', `there is no payment ${key} on this node`, { key });
  return s;
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;

function tooLittle(coin: CoinParams, amount: bigint, fee: bigint, spendable: bigint): ApiError {
  const fmt = (u: bigint) => `${formatAmount(u, coin.decimals)} ${coin.ticker}`;
  return new ApiError(
    'INSUFFICIENT_FUNDS',
    `This payment needs ${fmt(amount + fee)} (${fmt(amount)} and a network fee of ${fmt(fee)}); the wallet can spend ${fmt(spendable)}. Nothing was sent.`,
    {
      ticker: coin.ticker,
      needed: formatAmount(amount + fee, coin.decimals),
      spendable: formatAmount(spendable, coin.decimals),
    },
  );
}

export function paymentView(coins: CoinTable, s: StoredPayment, merchant?: PaymentView['merchant']): PaymentView {
  const st = s.state;
  const decimals = coins.get(st.ticker).decimals;
  const fmt = (u: bigint) => formatAmount(u, decimals);
  const e = s.entry;
  return {
    key: st.key,
    phase: st.phase,
    ticker: st.ticker,
    address: st.address,
    amount: fmt(st.amount),
    uri: e.uri,
    ...(s.did !== undefined ? { did: s.did } : {}),
    ...(e.name !== undefined ? { name: e.name } : {}),
    cardState: e.cardState,
    ...(st.txid !== undefined ? { txid: st.txid } : {}),
    confirmations: st.confirmations,
    requiredConfirmations: st.requiredConfirmations,
    attempts: st.attempts,
    ...(st.note !== undefined ? { note: st.note } : {}),
    ...(st.lastError !== undefined ? { error: st.lastError } : {}),
    createdAt: s.createdAt,
    updatedAt: st.updatedAt,
    ...(st.expiresAt !== undefined ? { expiresAt: st.expiresAt } : {}),
    ...(e.label !== undefined ? { label: e.label } : {}),
    ...(e.message !== undefined ? { message: e.message } : {}),
    ...(e.fee !== undefined ? { fee: fmt(e.fee) } : {}),
    feeRate: e.feeRate.toString(),
    ...(merchant ? { merchant } : {}),
  };
}
