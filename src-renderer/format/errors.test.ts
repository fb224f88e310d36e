import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { connectionLost } from '../api/errors.ts';
import { describeError, hintForCode, sentence } from './errors.ts';

describe('error descriptions', () => {
  it.each([
    'WALLET_UNREACHABLE',
    'WALLET_AUTH_FAILED',
    'WALLET_WRONG_NETWORK',
    'WALLET_NOT_LOADED',
    'VAULT_WRONG_PASSWORD',
    'VAULT_BAD_MNEMONIC',
  ])('gives the user something to do for %s', (code) => {
    expect(hintForCode(code)).toMatch(/\w{4,}/);
  });

  it('gives each wallet failure its own hint, so the wizard does not say the same thing for every cause', () => {
    const hints = ['WALLET_UNREACHABLE', 'WALLET_AUTH_FAILED', 'WALLET_WRONG_NETWORK', 'WALLET_NOT_LOADED'].map(
      hintForCode,
    );
    expect(new Set(hints).size).toBe(4);
    expect(hintForCode('WALLET_AUTH_FAILED')).toMatch(/cookie/i);
    expect(hintForCode('WALLET_NOT_LOADED')).toMatch(/loadwallet/);
  });

  it('has no hint for a code it does not know', () => {
    expect(hintForCode('SOMETHING_NEW')).toBeNull();
  });

  it('describes an ApiError by its code with the message as a sentence', () => {
    const d = describeError(new ApiError('WALLET_AUTH_FAILED', 'the daemon refused the credentials'));
    expect(d).toEqual({
      code: 'WALLET_AUTH_FAILED',
      message: 'The daemon refused the credentials.',
      hint: hintForCode('WALLET_AUTH_FAILED'),
    });
  });

  it('describes error data that crossed the wire as plain objects', () => {
    expect(describeError({ code: 'WALLET_NOT_LOADED', message: 'wallet "x" is not loaded' }).code).toBe(
      'WALLET_NOT_LOADED',
    );
  });

  it('tells a lost connection apart from a refusal', () => {
    expect(describeError(connectionLost('the connection to the node closed')).code).toBe('DISCONNECTED');
    expect(describeError('weird').message).toBe('Something went wrong.');
  });

  it('keeps punctuation that is already there', () => {
    expect(sentence('Already done!')).toBe('Already done!');
    expect(sentence('  ')).toBe('Something went wrong.');
  });
});
