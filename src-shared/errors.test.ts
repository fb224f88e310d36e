import { describe, expect, it } from 'vitest';
import { CodedError, isCoded } from './errors.ts';

describe('CodedError', () => {
  it('carries its code, message, details and cause', () => {
    const cause = new Error('under');
    const e = new CodedError('AMOUNT_INVALID', 'bad amount', { text: 'x' }, { cause });
    expect(e).toBeInstanceOf(Error);
    expect([e.code, e.message, e.details, e.cause]).toEqual(['AMOUNT_INVALID', 'bad amount', { text: 'x' }, cause]);
  });

  it('isCoded matches any coded error, or only the codes named', () => {
    const e = new CodedError('BOOK_FULL', 'full');
    expect(isCoded(e)).toBe(true);
    expect(isCoded(e, 'BOOK_FULL', 'OTHER')).toBe(true);
    expect(isCoded(e, 'OTHER')).toBe(false);
    expect(isCoded(new Error('plain'))).toBe(false);
    expect(isCoded({ code: 'BOOK_FULL', message: 'looks alike' })).toBe(false);
  });
});
