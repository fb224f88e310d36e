import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.ts';
import { CodedError } from '../errors.ts';
import { isPaymentError, paymentError, paymentErrorData } from './errors.ts';

describe('payments refusals on the wire', () => {
  it('a request refusal is INVALID_PARAMS with the payments code and its details', () => {
    const e = paymentError('AMOUNT_TOO_PRECISE', 'too many places', { decimals: 8 });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.toData()).toEqual({
      code: 'INVALID_PARAMS',
      message: 'too many places',
      details: { code: 'AMOUNT_TOO_PRECISE', details: { decimals: 8 } },
    });
    expect(paymentError('CARD_BLOCKED', 'blocked').toData()).toEqual({
      code: 'INVALID_PARAMS',
      message: 'blocked',
      details: { code: 'CARD_BLOCKED' },
    });
  });

  it("a refusal that depends on the payment's state is CONFLICT", () => {
    expect(paymentError('ALREADY_SENT', 'sent').code).toBe('CONFLICT');
    expect(paymentError('CARD_BLOCKED', 'blocked').code).toBe('INVALID_PARAMS');
  });

  it('is told apart from other errors, and read back as the domain data', () => {
    const e = paymentError('AMOUNT_TOO_PRECISE', 'too many places', { decimals: 8 });
    expect(isPaymentError(e)).toBe(true);
    expect(isPaymentError(e, 'AMOUNT_TOO_PRECISE', 'AMOUNT_ZERO')).toBe(true);
    expect(isPaymentError(e, 'AMOUNT_ZERO')).toBe(false);
    expect(paymentErrorData(e)).toEqual({
      code: 'AMOUNT_TOO_PRECISE',
      message: 'too many places',
      details: { decimals: 8 },
    });
    // The money module's amount errors share some code names; they are not payments refusals.
    expect(isPaymentError(new CodedError('AMOUNT_TOO_PRECISE', 'x'))).toBe(false);
    expect(isPaymentError(new ApiError('WALLET_UNREACHABLE', 'down'))).toBe(false);
    expect(isPaymentError(new ApiError('CONFLICT', 'x', { code: 'AMOUNT_ZERO' }))).toBe(false);
  });
});
