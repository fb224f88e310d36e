// Every refusal in the payments domain has a stable code (part of the public API: never rename,
// only add) and a message in plain words that names what is wrong. docs/payments.md §2–3, §6.

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

/** A refusal with a stable code; the node maps it to INVALID_PARAMS with `details.code`. */
export class PaymentError extends Error {
  override name = 'PaymentError';
  readonly code: PaymentErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(code: PaymentErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
  toData(): PaymentErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isPaymentErrorCode(x: unknown): x is PaymentErrorCode {
  return typeof x === 'string' && (PAYMENT_ERROR_CODES as readonly string[]).includes(x);
}
