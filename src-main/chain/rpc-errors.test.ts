// Every way an RPC call fails maps to one stable code and a message that says what to do.
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src-shared/api/errors.ts';
import { isTransient, mapRpcFailure, type RpcFailure, type RpcFailureContext } from './rpc-errors.ts';

const CTX: RpcFailureContext = {
  method: 'getbalances',
  host: '127.0.0.1',
  port: 19443,
  family: 'litecoin',
  auth: 'password',
};

const CASES: {
  name: string;
  failure: RpcFailure;
  ctx?: Partial<RpcFailureContext>;
  code: ErrorCode;
  message: RegExp;
  transient: boolean;
}[] = [
  {
    name: 'nothing listening',
    failure: { kind: 'unreachable', cause: 'ECONNREFUSED' },
    code: 'WALLET_UNREACHABLE',
    message: /^No Litecoin daemon answers at 127\.0\.0\.1:19443\. Is litecoind running, with server=1\?$/,
    transient: true,
  },
  {
    name: 'nothing listening, Bitcoin',
    failure: { kind: 'unreachable', cause: 'ECONNREFUSED' },
    ctx: { family: 'bitcoin', port: 8332 },
    code: 'WALLET_UNREACHABLE',
    message: /No Bitcoin daemon answers at 127\.0\.0\.1:8332\. Is bitcoind running/,
    transient: true,
  },
  {
    name: 'unknown host name',
    failure: { kind: 'unreachable', cause: 'ENOTFOUND' },
    ctx: { host: 'nosuch.invalid' },
    code: 'WALLET_UNREACHABLE',
    message: /host name "nosuch\.invalid" could not be found/,
    transient: true,
  },
  {
    name: 'connection dropped',
    failure: { kind: 'unreachable', cause: 'ECONNRESET' },
    code: 'WALLET_UNREACHABLE',
    message: /dropped the connection .*restarting/,
    transient: true,
  },
  {
    name: 'no answer in time',
    failure: { kind: 'timeout', timeoutMs: 2500 },
    code: 'WALLET_TIMEOUT',
    message: /did not answer getbalances within 2\.5 seconds/,
    transient: true,
  },
  {
    name: 'cookie file gone (daemon stopped)',
    failure: { kind: 'cookie-missing', cookiePath: '/h/.litecoin/.cookie' },
    code: 'WALLET_UNREACHABLE',
    message: /no cookie file at \/h\/\.litecoin\/\.cookie\. Litecoind writes it when it starts/,
    transient: true,
  },
  {
    name: 'cookie file not readable',
    failure: { kind: 'cookie-unreadable', cookiePath: '/c', cause: 'EACCES' },
    code: 'WALLET_AUTH_FAILED',
    message: /cannot read the cookie file \/c \(EACCES\)/,
    transient: false,
  },
  {
    name: 'wrong password',
    failure: { kind: 'http', status: 401 },
    code: 'WALLET_AUTH_FAILED',
    message: /refused the RPC user name or password\. Check rpcuser and rpcpassword in litecoin\.conf/,
    transient: false,
  },
  {
    name: 'stale cookie',
    failure: { kind: 'http', status: 401 },
    ctx: { auth: 'cookie', cookiePath: '/d/regtest/.cookie' },
    code: 'WALLET_AUTH_FAILED',
    message: /refused the cookie from \/d\/regtest\/\.cookie\. The cookie changes every time the daemon starts/,
    transient: false,
  },
  {
    name: 'IP not allowed',
    failure: { kind: 'http', status: 403 },
    code: 'WALLET_AUTH_FAILED',
    message: /rpcallowip/,
    transient: false,
  },
  {
    name: 'work queue full',
    failure: { kind: 'http', status: 503 },
    code: 'WALLET_UNREACHABLE',
    message: /too busy/,
    transient: true,
  },
  {
    name: 'some other web server',
    failure: { kind: 'http', status: 404 },
    code: 'WALLET_RPC_ERROR',
    message: /HTTP 404 .*RPC port of litecoind/,
    transient: false,
  },
  {
    name: 'warming up',
    failure: { kind: 'rpc', code: -28, message: 'Loading wallet...' },
    code: 'WALLET_UNREACHABLE',
    message: /still starting \(Loading wallet\.\.\.\)/,
    transient: true,
  },
  {
    name: 'named wallet not loaded',
    failure: { kind: 'rpc', code: -18, message: 'Requested wallet does not exist or is not loaded' },
    ctx: { wallet: 'alice' },
    code: 'WALLET_NOT_LOADED',
    message: /wallet "alice" is not loaded .*`litecoin-cli loadwallet "alice"`.*`litecoin-cli createwallet "alice"`/,
    transient: false,
  },
  {
    name: 'no wallet loaded at all',
    failure: { kind: 'rpc', code: -18, message: 'No wallet is loaded.' },
    code: 'WALLET_NOT_LOADED',
    message: /No wallet is loaded .*createwallet.*loadwallet/,
    transient: false,
  },
  {
    name: 'several wallets, none named',
    failure: { kind: 'rpc', code: -19, message: 'Wallet file not specified' },
    code: 'WALLET_NOT_LOADED',
    message: /several wallets loaded\. Choose which one/,
    transient: false,
  },
  {
    name: 'insufficient funds',
    failure: { kind: 'rpc', code: -6, message: 'Insufficient funds' },
    ctx: { method: 'sendtoaddress' },
    code: 'INSUFFICIENT_FUNDS',
    message: /not have enough spendable coins/,
    transient: false,
  },
  {
    name: 'encrypted wallet locked',
    failure: { kind: 'rpc', code: -13, message: 'Please enter the wallet passphrase' },
    code: 'WALLET_RPC_ERROR',
    message: /encrypted and locked.*walletpassphrase/,
    transient: false,
  },
  {
    name: 'any other RPC error',
    failure: { kind: 'rpc', code: -8, message: 'Invalid parameter' },
    ctx: { method: 'getblockhash' },
    code: 'WALLET_RPC_ERROR',
    message: /refused getblockhash: Invalid parameter/,
    transient: false,
  },
  {
    name: 'garbage reply',
    failure: { kind: 'garbage', reason: 'the body is not JSON', httpStatus: 200 },
    code: 'WALLET_RPC_ERROR',
    message: /not a valid JSON-RPC answer \(the body is not JSON\)/,
    transient: false,
  },
];

describe('mapRpcFailure', () => {
  for (const c of CASES) {
    it(`${c.name} → ${c.code}`, () => {
      const err = mapRpcFailure(c.failure, { ...CTX, ...c.ctx });
      expect(err.code).toBe(c.code);
      expect(err.message).toMatch(c.message);
      expect(isTransient(c.failure)).toBe(c.transient);
    });
  }

  it("keeps the daemon's code, message and method as details of an RPC error", () => {
    const err = mapRpcFailure(
      { kind: 'rpc', code: -5, message: 'Invalid address' },
      { ...CTX, method: 'sendtoaddress' },
    );
    expect(err.details).toEqual({ rpcCode: -5, rpcMessage: 'Invalid address', method: 'sendtoaddress' });
  });
});
