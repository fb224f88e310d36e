// Commands whose method has one required text field take it without its flag, as the issue writes
// `hashlock payments parse <uri>`; secrets never, and methods with several required fields keep flags.
import { describe, expect, it } from 'vitest';
import { positionalField } from './main.ts';

describe('positional CLI arguments', () => {
  it('a method with one required text field takes it positionally', () => {
    expect(positionalField('payments.parse')).toBe('uri');
    expect(positionalField('payments.request')).toBe('id');
    expect(positionalField('wallets.balance')).toBe('ticker');
  });
  it('none for several required fields, none required, or a secret', () => {
    expect(positionalField('payments.requestWait')).toBeUndefined();
    expect(positionalField('payments.book')).toBeUndefined();
    expect(positionalField('vault.unlock')).toBeUndefined();
  });
});
