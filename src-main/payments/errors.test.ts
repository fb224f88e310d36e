import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { PaymentError } from '../../src-shared/payments/errors.ts';
import { asApi, paymentApiError } from './errors.ts';

describe('payments refusals on the wire', () => {
  it('a request refusal is INVALID_PARAMS with the payments code and its details', () => {
    const e = paymentApiError(new PaymentError('AMOUNT_TOO_PRECISE', 'too many places', { decimals: 8 }).toData());
    expect(e.toData()).toEqual({
      code: 'INVALID_PARAMS',
      message: 'too many places',
      details: { code: 'AMOUNT_TOO_PRECISE', details: { decimals: 8 } },
    });
  });

  it("a refusal that depends on the payment's state is CONFLICT", () => {
    expect(paymentApiError({ code: 'ALREADY_SENT', message: 'sent' }).code).toBe('CONFLICT');
    expect(paymentApiError({ code: 'CARD_BLOCKED', message: 'blocked' }).code).toBe('INVALID_PARAMS');
  });

  it('other errors pass through unchanged', async () => {
    const other = new ApiError('WALLET_UNREACHABLE', 'down');
    await expect(asApi(() => Promise.reject(other))).rejects.toBe(other);
  });
});
