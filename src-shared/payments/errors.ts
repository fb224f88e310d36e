// Every refusal in the payments domain has a stable code (part of the public API: never rename,
// only add) and a message in plain words that names what is wrong. docs/payments.md §2–3, §6.
import { ApiError, type ErrorCode } from '../api/errors.ts';
import { isCoded } from '../errors.ts';

export const PAYMENT_ERROR_CODES = [
  // The URI as a whole
  'URI_TOO_LONG',
  'URI_INVALID_CHARACTER',
  'URI_NOT_PAYMENT',
  'URI_MALFORMED',
  'SCHEME_UNKNOWN',
  'SCHEME_MISMATCH',
  // Parameters
  'PERCENT_ENCODING_INVALID',
  'NOT_UTF8',
  'TOO_MANY_PARAMS',
  'PARAM_TOO_LONG',
  'DUPLICATE_PARAM',
  'REQUIRED_PARAM_UNKNOWN',
  'REQUIRED_PARAM_UNSUPPORTED',
  'TEXT_CONTROL_CHARACTER',
  // Addresses
  'ADDRESS_MISSING',
  'ADDRESS_INVALID',
  'ADDRESS_WRONG_NETWORK',
  'ADDRESS_AMBIGUOUS_NETWORK',
  'ADDRESS_UNSUPPORTED',
  'MIXED_NETWORKS',
  'NO_ONCHAIN_ADDRESS',
  // Amounts
  'AMOUNT_INVALID',
  'AMOUNT_NEGATIVE',
  'AMOUNT_EXPONENT',
  'AMOUNT_SEPARATOR',
  'AMOUNT_TOO_PRECISE',
  'AMOUNT_TOO_LARGE',
  'AMOUNT_ZERO',
  'AMOUNT_MISSING',
  'AMOUNT_FIXED',
  // The identity extension
  'IDENTITY_INVALID',
  'IDENTITY_KEY_INVALID',
  'IDENTITY_MISSING',
  'BINDING_INCOMPLETE',
  'BINDING_INVALID',
  'BINDING_ADDRESS',
  // The pay flow
  'CARD_BLOCKED',
  'CONFIRMATION_NEEDED',
  'REQUEST_EXPIRED',
  'ALREADY_SENDING',
  'ALREADY_SENT',
  'NOT_ALLOWED',
] as const;

export type PaymentErrorCode = (typeof PAYMENT_ERROR_CODES)[number];

export interface PaymentErrorData {
  readonly code: PaymentErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Refusals that depend on a payment's state: asking again later can give another answer. */
const STATE_CODES: ReadonlySet<PaymentErrorCode> = new Set(['ALREADY_SENDING', 'ALREADY_SENT', 'NOT_ALLOWED']);

const apiCode = (code: PaymentErrorCode): ErrorCode => (STATE_CODES.has(code) ? 'CONFLICT' : 'INVALID_PARAMS');

/**
 * A payments refusal as it crosses the API (docs/payments.md §9.6): an ApiError, INVALID_PARAMS or
 * (for the state codes) CONFLICT, whose details carry the payments code and the refusal's own
 * details, so every client can tell "amount too precise" from "already sent" without reading words.
 */
export type PaymentError = ApiError & {
  readonly details: { readonly code: PaymentErrorCode; readonly details?: Readonly<Record<string, unknown>> };
};

export function paymentError(code: PaymentErrorCode, message: string, details?: Record<string, unknown>): PaymentError {
  return new ApiError(apiCode(code), message, details === undefined ? { code } : { code, details }) as PaymentError;
}

/** True when `err` is a payments refusal (with one of `codes`, when given). */
export function isPaymentError(err: unknown, ...codes: PaymentErrorCode[]): err is PaymentError {
  if (!isCoded(err, 'INVALID_PARAMS', 'CONFLICT') || !(err instanceof ApiError)) return false;
  const code = (err.details as { code?: unknown } | undefined)?.code;
  if (!isPaymentErrorCode(code) || apiCode(code) !== err.code) return false;
  return codes.length === 0 || codes.includes(code);
}

/** The refusal as the domain's data: its payments code, message and own details. */
export function paymentErrorData(err: PaymentError): PaymentErrorData {
  const { code, details } = err.details;
  return details === undefined ? { code, message: err.message } : { code, message: err.message, details };
}

export function isPaymentErrorCode(x: unknown): x is PaymentErrorCode {
  return typeof x === 'string' && (PAYMENT_ERROR_CODES as readonly string[]).includes(x);
}
