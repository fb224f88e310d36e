// The shapes payments take on the API: parsed requests with their merchant card, the merchant's
// own requests with their status, and the payment book. Amounts are decimal strings, times unix
// milliseconds; the pure types they come from live next door (uri, card, status, pay-machine).
import { z } from 'zod';
import { DecimalAmount, Ticker } from '../api/schemas.ts';
import { COLOURS, MERCHANT_STATE_NAMES, SEVERITIES } from './card.ts';
import { PAYMENT_ERROR_CODES } from './errors.ts';
import { PAY_PHASES } from './pay-machine.ts';
import { MAX_URI_LENGTH, VALUE_CAPS } from './query.ts';
import { PAYMENT_SCHEMES } from './schemes.ts';
import { REQUEST_STATUS_NAMES } from './status.ts';

const Time = z.number().int().nonnegative();

/** A payment request as text; the parser trims and applies the exact caps. */
export const PaymentUri = z
  .string()
  .min(1)
  .max(MAX_URI_LENGTH * 2);
export const Did = z.string().regex(/^did:is:[1-9A-HJ-NP-Za-km-z]{25,35}$/, 'not a did:is identifier');
export const PaymentKey = z.string().regex(/^[0-9a-f]{64}$/, 'not a payment key (64 hex characters)');
export const RequestId = z.string().regex(/^[0-9a-f]{32}$/, 'not a request id (32 hex characters)');
export const PaymentErrorCodeSchema = z.enum(PAYMENT_ERROR_CODES);
export const Label = z.string().max(VALUE_CAPS.label!);
export const Message = z.string().max(VALUE_CAPS.message!);

const KeyValue = z.object({ key: z.string(), value: z.string() });

export const ParsedRequestView = z.object({
  scheme: z.enum(PAYMENT_SCHEMES),
  /** Undefined only for a request without an on-chain address whose network is open. */
  ticker: Ticker.optional(),
  network: z.enum(['mainnet', 'testnet', 'regtest']).optional(),
  address: z.string().optional(),
  addresses: z.array(z.string()),
  amount: DecimalAmount.optional(),
  label: z.string().optional(),
  message: z.string().optional(),
  /** Proof-of-payment callback: shown, never opened. */
  pop: z.string().optional(),
  identity: z
    .object({
      did: Did,
      hasKey: z.boolean(),
      signed: z.boolean(),
      expiresAt: Time.optional(),
    })
    .optional(),
  /** Lightning, BOLT12, silent payments …: `name` in words ("Lightning (BOLT11)"). */
  otherMethods: z.array(KeyValue.extend({ name: z.string() })),
  unknownParams: z.array(KeyValue),
  /** Whether Hashlock can pay it on-chain; `unpayable` says why not. */
  payable: z.boolean(),
  unpayable: z.string().optional(),
});
export type ParsedRequestView = z.infer<typeof ParsedRequestView>;

export const MerchantCardView = z.object({
  state: z.enum(MERCHANT_STATE_NAMES),
  severity: z.enum(SEVERITIES),
  colour: z.enum(COLOURS),
  className: z.string(),
  title: z.string(),
  detail: z.string(),
  blocked: z.boolean(),
  confirm: z.boolean(),
  verified: z.boolean(),
  did: Did.optional(),
  name: z.string().optional(),
  lookalikeOf: z.object({ did: Did, name: z.string() }).optional(),
  mismatch: z.enum(['signature', 'address', 'amount']).optional(),
  history: z.object({ count: z.number().int().nonnegative(), lastPaidAt: Time.optional() }).optional(),
});
export type MerchantCardView = z.infer<typeof MerchantCardView>;

export const SeenPaymentView = z.object({
  txid: z.string(),
  vout: z.number().int().nonnegative(),
  amount: DecimalAmount,
  confirmations: z.number().int(),
  seenAt: Time,
});

export const RequestStatusView = z.object({
  status: z.enum(REQUEST_STATUS_NAMES),
  received: DecimalAmount,
  confirmed: DecimalAmount,
  late: DecimalAmount,
  missing: DecimalAmount,
  excess: DecimalAmount,
  settled: z.boolean(),
  expired: z.boolean(),
  words: z.string(),
  payments: z.array(SeenPaymentView),
});
export type RequestStatusView = z.infer<typeof RequestStatusView>;

/** A request this node made (the merchant's side). */
export const RequestView = z.object({
  id: RequestId,
  ticker: Ticker,
  address: z.string(),
  uri: z.string(),
  amount: DecimalAmount.optional(),
  label: z.string().optional(),
  message: z.string().optional(),
  /** The identity that signed it. */
  identity: Did.optional(),
  createdAt: Time,
  expiresAt: Time.optional(),
  canceled: z.boolean(),
  status: RequestStatusView,
});
export type RequestView = z.infer<typeof RequestView>;

/**
 * Who a request's identity is, as this node knows it now: the profile from the local registry
 * (or from peers, when the user allows asking them) and the private metadata opened with the
 * request's identity-key. Shown next to the card; never decides it alone.
 */
export const MerchantView = z.object({
  did: Did,
  profile: z.enum(['active', 'deleted', 'unknown']),
  /** Where the profile came from: this node's registry, peers (shown, not stored), or nowhere. */
  source: z.enum(['registry', 'peers', 'none']),
  name: z.string().optional(),
  /** An inline image (data URI), shown as the logo. */
  image: z.string().optional(),
  /** An https logo the profile names; not fetched (no remote content). */
  imageUrl: z.string().optional(),
  url: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  /** none: the request has no key; opened; withdrawn (or never published); wrong-key; unavailable (lookup failed). */
  metadataState: z.enum(['none', 'opened', 'withdrawn', 'wrong-key', 'unavailable']),
});
export type MerchantView = z.infer<typeof MerchantView>;

/** A payment this node makes (the payer's side): one entry of the payment book. */
export const PaymentView = z.object({
  key: PaymentKey,
  phase: z.enum(PAY_PHASES),
  ticker: Ticker,
  address: z.string(),
  amount: DecimalAmount,
  uri: z.string(),
  did: Did.optional(),
  /** The merchant's name as the card showed it when the user paid. */
  name: z.string().optional(),
  cardState: z.enum(MERCHANT_STATE_NAMES),
  txid: z.string().optional(),
  confirmations: z.number().int(),
  requiredConfirmations: z.number().int().positive(),
  attempts: z.number().int().nonnegative(),
  /** 'not-sent': a send was interrupted and the wallet shows nothing; pay again or cancel. */
  note: z.enum(['not-sent']).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  createdAt: Time,
  updatedAt: Time,
  expiresAt: Time.optional(),
  label: z.string().optional(),
  message: z.string().optional(),
  /** The network fee the wallet paid (known once sent). */
  fee: DecimalAmount.optional(),
  /** The fee rate chosen, whole base units per vbyte. */
  feeRate: z
    .string()
    .regex(/^[0-9]{1,7}$/)
    .optional(),
  /** The merchant as the registry shows it now (looked up again at every showing). */
  merchant: MerchantView.optional(),
});
export type PaymentView = z.infer<typeof PaymentView>;

export const FEE_CHOICES = ['economy', 'normal', 'priority'] as const;
export const FeeChoice = z.enum(FEE_CHOICES);
export type FeeChoice = z.infer<typeof FeeChoice>;

export const ContactView = z.object({
  did: Did,
  name: z.string(),
  /** saved: by the user; paid: an identity paid before under this name. */
  source: z.enum(['saved', 'paid']),
  savedAt: Time.optional(),
});
export type ContactView = z.infer<typeof ContactView>;

export const PaymentsSettings = z.object({
  /** Ask connected peers for a profile the local registry lacks (tells them whom you pay). */
  askPeers: z.boolean(),
});
export type PaymentsSettings = z.infer<typeof PaymentsSettings>;

export const QuoteView = z.object({
  ticker: Ticker,
  address: z.string(),
  amount: DecimalAmount,
  fee: DecimalAmount,
  feeRate: z.string(),
  feeChoice: FeeChoice,
  /** amount + fee */
  total: DecimalAmount,
  /** The wallet's spendable balance after every reservation. */
  spendable: DecimalAmount,
  enough: z.boolean(),
});
export type QuoteView = z.infer<typeof QuoteView>;

export const BackupStatusView = z.object({
  /** no-identity: the user has no published identity to keep it under; ok; error: the last try failed. */
  state: z.enum(['no-identity', 'ok', 'error', 'pending']),
  did: Did.optional(),
  pages: z.number().int().nonnegative(),
  /** Payments and requests in the last backup. */
  entries: z.number().int().nonnegative(),
  /** The oldest entries left out: the backup holds a bounded book (docs/payments.md §10). */
  omitted: z.number().int().nonnegative().optional(),
  publishedAt: Time.optional(),
  /** What the last restore added to this node's book. */
  restored: z.number().int().nonnegative().optional(),
  restoredAt: Time.optional(),
  error: z.string().optional(),
});
export type BackupStatusView = z.infer<typeof BackupStatusView>;
