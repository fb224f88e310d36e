// How a payments refusal crosses the API: an ApiError whose details carry the stable payments
// code (docs/payments.md §9.6), so every client can tell "amount too precise" from "already sent"
// without reading words.
import { ApiError } from '../../src-shared/api/errors.ts';
import { PaymentError, type PaymentErrorCode, type PaymentErrorData } from '../../src-shared/payments/errors.ts';

/** Refusals that depend on a payment's state: asking again later can give another answer. */
const STATE_CODES: ReadonlySet<PaymentErrorCode> = new Set(['ALREADY_SENDING', 'ALREADY_SENT', 'NOT_ALLOWED']);

export function paymentApiError(e: PaymentErrorData): ApiError {
  return new ApiError(STATE_CODES.has(e.code) ? 'CONFLICT' : 'INVALID_PARAMS', e.message, {
    code: e.code,
    ...(e.details !== undefined ? { details: e.details } : {}),
  });
}

/** Runs `fn`, turning a PaymentError into its ApiError; anything else passes through. */
export async function asApi<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof PaymentError) throw paymentApiError(err.toData());
    throw err;
  }
}
