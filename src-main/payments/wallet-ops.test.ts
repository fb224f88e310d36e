// Which failed sends prove that nothing left the wallet (docs/payments.md §9.2), over the errors the
// RPC client really produces for each way a daemon fails.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { mapRpcFailure, type RpcFailure } from '../chain/rpc-errors.ts';
import { isDefiniteFailure, sendErrorWords } from './wallet-ops.ts';

const ctx = {
  method: 'sendtoaddress',
  host: '127.0.0.1',
  port: 19501,
  family: 'litecoin' as const,
  auth: 'password' as const,
};

const CASES: Array<{ name: string; failure: RpcFailure; definite: boolean }> = [
  { name: 'nothing listens', failure: { kind: 'unreachable', cause: 'ECONNREFUSED' }, definite: true },
  { name: 'unknown host', failure: { kind: 'unreachable', cause: 'ENOTFOUND' }, definite: true },
  {
    name: 'connection dropped after the request left',
    failure: { kind: 'unreachable', cause: 'ECONNRESET' },
    definite: false,
  },
  { name: 'no answer in time', failure: { kind: 'timeout', timeoutMs: 30_000 }, definite: false },
  { name: 'wrong password', failure: { kind: 'http', status: 401 }, definite: true },
  { name: 'work queue full', failure: { kind: 'http', status: 503 }, definite: true },
  { name: 'insufficient funds', failure: { kind: 'rpc', code: -6, message: 'Insufficient funds' }, definite: true },
  {
    name: 'fee rate too low',
    failure: { kind: 'rpc', code: -4, message: 'Fee rate is below minimum' },
    definite: true,
  },
  { name: 'still warming up', failure: { kind: 'rpc', code: -28, message: 'Loading wallet' }, definite: true },
  {
    name: 'a reply that is not JSON-RPC',
    failure: { kind: 'garbage', reason: 'the body is not JSON', httpStatus: 200 },
    definite: false,
  },
  { name: 'cookie gone', failure: { kind: 'cookie-missing', cookiePath: '/x/.cookie' }, definite: true },
];

describe('a failed send is definite only when the wallet certainly sent nothing', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.definite ? 'definite' : 'must be looked up'}`, () => {
      expect(isDefiniteFailure(mapRpcFailure(c.failure, ctx))).toBe(c.definite);
    });
  }

  it('no wallet configured or a locked vault never reached a wallet', () => {
    expect(isDefiniteFailure(new ApiError('WALLET_NOT_CONFIGURED', 'no wallet'))).toBe(true);
    expect(isDefiniteFailure(new ApiError('VAULT_LOCKED', 'locked'))).toBe(true);
  });

  it('an error that is not an API error proves nothing', () => {
    expect(isDefiniteFailure(new Error('socket hang up'))).toBe(false);
  });

  it('insufficient funds are named as such', () => {
    const words = sendErrorWords(mapRpcFailure({ kind: 'rpc', code: -6, message: 'Insufficient funds' }, ctx));
    expect(words.code).toBe('INSUFFICIENT_FUNDS');
  });
});
