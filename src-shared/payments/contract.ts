// The payments slice of the API contract. Naming: `payments.<noun>` reads one, `payments.<noun>s`
// lists, `payments.<noun><Verb>` changes a stored noun, a bare verb acts on no stored noun
// (`parse`, `pay`); `payments.book` is the payment book. Events: `payments.<noun>Updated`.
// URI refusals reach clients as INVALID_PARAMS with details.code = a PaymentErrorCode.
import { z } from 'zod';
import { method } from '../api/method.ts';
import { DecimalAmount, Ticker } from '../api/schemas.ts';
import {
  BackupStatusView,
  ContactView,
  Did,
  FeeChoice,
  Label,
  Message,
  MerchantCardView,
  MerchantView,
  ParsedRequestView,
  PaymentKey,
  PaymentsSettings,
  PaymentUri,
  PaymentView,
  QuoteView,
  RequestId,
  RequestView,
} from './views.ts';
import { REQUEST_STATUS_NAMES } from './status.ts';

const Limit = z.number().int().min(1).max(1000);
/** base64url of 32 bytes, as identity.metadata.set returns it. */
const IdentityKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not an identity-key (43 base64url characters)');
/** What the payer pays: the request, the payer's amount when it has none, the fee choice. */
const PayInput = {
  uri: PaymentUri,
  ticker: Ticker.optional(),
  /** Only for a request without an amount. */
  amount: DecimalAmount.optional(),
  /** Default: the user's fee preference. */
  fee: FeeChoice.optional(),
};
/** One minute to one year and a day. */
const ExpiresIn = z
  .number()
  .int()
  .min(60)
  .max(366 * 86_400);

export const methods = {
  'payments.parse': method(
    z.object({ uri: PaymentUri, ticker: Ticker.optional() }).strict(),
    z.object({ request: ParsedRequestView, card: MerchantCardView, merchant: MerchantView.optional() }),
    'Read a payment request (bitcoin:, litecoin:, deva:, devb:) and decide its merchant card. ' +
      'ticker pins the coin when a test-network address could mean several. Changes nothing.',
  ),
  'payments.quote': method(
    z.object(PayInput).strict(),
    QuoteView,
    'The network fee the wallet would pay for a request at the chosen fee level, and whether the spendable balance covers it. Sends nothing.',
  ),
  'payments.requestCreate': method(
    z
      .object({
        ticker: Ticker,
        amount: DecimalAmount.optional(),
        label: Label.optional(),
        message: Message.optional(),
        expiresInSec: ExpiresIn.optional(),
        /** One of this node's identities: it signs the binding (then expiresInSec defaults to a day). */
        identity: Did.optional(),
        /** The identity-key that opens the identity's private metadata (identity.metadata.set gives it). */
        identityKey: IdentityKey.optional(),
      })
      .strict(),
    RequestView,
    "Make a payment request to a fresh address of this node's wallet, signed by one of its identities if asked.",
  ),
  'payments.requests': method(
    z
      .object({
        status: z.enum(REQUEST_STATUS_NAMES).optional(),
        ticker: Ticker.optional(),
        limit: Limit.optional(),
      })
      .strict(),
    z.array(RequestView),
    "This node's requests with what each has received, newest first.",
  ),
  'payments.request': method(
    z.object({ id: RequestId }).strict(),
    RequestView,
    "One of this node's requests with its payments and status.",
  ),
  'payments.requestWait': method(
    z
      .object({
        id: RequestId,
        /** seen: money arrived (any confirmations); settled: the amount is confirmed. */
        until: z.enum(['seen', 'settled']),
        timeoutSec: z.number().int().min(1).max(300).optional(),
      })
      .strict(),
    z.object({ reached: z.boolean(), request: RequestView }),
    'Wait until a request has been paid into (seen) or settled, or the timeout passes (default 60 s): a point-of-sale script needs no loop.',
  ),
  'payments.requestCancel': method(
    z.object({ id: RequestId }).strict(),
    RequestView,
    'Stop offering a request. Payments that still arrive are shown; the address is not reused.',
  ),
  'payments.pay': method(
    z
      .object({
        ...PayInput,
        /** The user ticked "I checked" on a card that asks for it. */
        acknowledged: z.boolean().optional(),
        /** Pay the same request again on purpose (1, 2, …); otherwise a repeat returns the first payment. */
        again: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    PaymentView,
    'Pay a request on-chain from the wallet, at most once: the same request sent twice returns the same payment. ' +
      'Refused when its card blocks it or asks for a confirmation not given.',
  ),
  'payments.payment': method(z.object({ key: PaymentKey }).strict(), PaymentView, 'One payment of the payment book.'),
  'payments.paymentCancel': method(
    z.object({ key: PaymentKey }).strict(),
    PaymentView,
    'Drop a payment that was not sent (ready, failed, or interrupted and not found in the wallet).',
  ),
  'payments.book': method(
    z.object({ did: Did.optional(), ticker: Ticker.optional(), limit: Limit.optional() }).strict(),
    z.array(PaymentView),
    "This node's payments, newest first; with did, those to one identity.",
  ),
  'payments.contacts': method(
    z.object({}).strict(),
    z.array(ContactView),
    'Saved contacts and the identities paid before: the names lookalike warnings compare with.',
  ),
  'payments.contactSave': method(
    z.object({ did: Did, name: z.string().trim().min(1).max(64) }).strict(),
    ContactView,
    'Save an identity as a contact under a name: its signed requests show as a verified contact.',
  ),
  'payments.contactRemove': method(
    z.object({ did: Did }).strict(),
    z.object({ ok: z.literal(true) }),
    'Forget a saved contact (identities paid before stay known by their payments).',
  ),
  'payments.backup': method(
    z.object({}).strict(),
    BackupStatusView,
    "The payment book's encrypted backup under the user's identity: when it was last published and what a restore found.",
  ),
  'payments.signers': method(
    z.object({}).strict(),
    z.array(z.object({ did: Did, name: z.string().optional() })),
    "The user's identities that can sign a request (the identity's published name, if any).",
  ),
  'payments.settings': method(z.object({}).strict(), PaymentsSettings, 'The payments settings.'),
  'payments.settingsSet': method(
    PaymentsSettings.partial().strict(),
    PaymentsSettings,
    'Change the payments settings; askPeers lets the node ask peers for a profile it lacks (it tells them whom you pay).',
  ),
} as const;

export const events = {
  'payments.requestUpdated': RequestView,
  'payments.paymentUpdated': PaymentView,
} as const;

export const paymentsContract = { methods, events } as const;
