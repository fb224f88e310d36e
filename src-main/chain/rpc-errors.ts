// Turns every way a daemon RPC call can fail (nothing listening, bad credentials, a wallet not
// loaded, a garbage reply) into an ApiError with a stable code and words a user can act on.
// Pure: the RPC client classifies the failure, this module decides what it means.
import { ApiError } from '../../src-shared/api/errors.ts';

/** Bitcoin Core RPC error numbers this app gives a meaning to (src/rpc/protocol.h). */
export const RPC_CODE = {
  MISC_ERROR: -1,
  TYPE_ERROR: -3,
  WALLET_ERROR: -4,
  INVALID_ADDRESS_OR_KEY: -5,
  WALLET_INSUFFICIENT_FUNDS: -6,
  WALLET_UNLOCK_NEEDED: -13,
  WALLET_NOT_FOUND: -18,
  WALLET_NOT_SPECIFIED: -19,
  IN_WARMUP: -28,
  WALLET_ALREADY_LOADED: -35,
  METHOD_NOT_FOUND: -32601,
} as const;

/** What went wrong, as the client saw it, before deciding what it means to the user. */
export type RpcFailure =
  | { kind: 'unreachable'; cause: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'cookie-missing'; cookiePath: string }
  | { kind: 'cookie-unreadable'; cookiePath: string; cause: string }
  | { kind: 'http'; status: number }
  | { kind: 'rpc'; code: number; message: string }
  | { kind: 'garbage'; reason: string; httpStatus?: number };

export interface RpcFailureContext {
  method: string;
  host: string;
  port: number;
  family: 'bitcoin' | 'litecoin' | undefined;
  auth: 'password' | 'cookie';
  cookiePath?: string;
  wallet?: string;
}

const FAMILY_WORDS = {
  bitcoin: { coin: 'Bitcoin', daemon: 'bitcoind', cli: 'bitcoin-cli', conf: 'bitcoin.conf' },
  litecoin: { coin: 'Litecoin', daemon: 'litecoind', cli: 'litecoin-cli', conf: 'litecoin.conf' },
} as const;
const GENERIC_WORDS = {
  coin: 'coin',
  daemon: 'the daemon',
  cli: "the daemon's command-line tool",
  conf: "the daemon's conf file",
} as const;

export function familyWords(family: RpcFailureContext['family']): {
  coin: string;
  daemon: string;
  cli: string;
  conf: string;
} {
  return family ? FAMILY_WORDS[family] : GENERIC_WORDS;
}

/** Failures worth another try for a read-only call: the daemon may be (re)starting or busy. */
export function isTransient(f: RpcFailure): boolean {
  switch (f.kind) {
    case 'unreachable':
    case 'timeout':
    case 'cookie-missing':
      return true;
    case 'http':
      return f.status === 503;
    case 'rpc':
      return f.code === RPC_CODE.IN_WARMUP;
    default:
      return false;
  }
}

export function mapRpcFailure(f: RpcFailure, ctx: RpcFailureContext): ApiError {
  const w = familyWords(ctx.family);
  const at = `${ctx.host}:${ctx.port}`;
  const daemonAt = `The ${w.coin} daemon at ${at}`;
  switch (f.kind) {
    case 'unreachable':
      if (f.cause === 'ENOTFOUND' || f.cause === 'EAI_AGAIN') {
        return new ApiError(
          'WALLET_UNREACHABLE',
          `The host name "${ctx.host}" could not be found. Check the RPC host setting.`,
          { host: ctx.host, port: ctx.port, cause: f.cause },
        );
      }
      if (f.cause === 'ECONNREFUSED') {
        return new ApiError(
          'WALLET_UNREACHABLE',
          `No ${w.coin === 'coin' ? '' : `${w.coin} `}daemon answers at ${at}. Is ${w.daemon} running, with server=1?`,
          { host: ctx.host, port: ctx.port, cause: f.cause },
        );
      }
      return new ApiError(
        'WALLET_UNREACHABLE',
        `${daemonAt} dropped the connection before answering (${f.cause}). It may be stopping or restarting; try again in a moment.`,
        { host: ctx.host, port: ctx.port, cause: f.cause },
      );
    case 'timeout':
      return new ApiError(
        'WALLET_TIMEOUT',
        `${daemonAt} did not answer ${ctx.method} within ${Math.round(f.timeoutMs / 100) / 10} seconds. It may be busy starting, rescanning or syncing; try again in a moment.`,
        { host: ctx.host, port: ctx.port, method: ctx.method, timeoutMs: f.timeoutMs },
      );
    case 'cookie-missing':
      return new ApiError(
        'WALLET_UNREACHABLE',
        `There is no cookie file at ${f.cookiePath}. ${cap(w.daemon)} writes it when it starts and deletes it when it stops: is ${w.daemon} running?`,
        { host: ctx.host, port: ctx.port, cookiePath: f.cookiePath },
      );
    case 'cookie-unreadable':
      return new ApiError(
        'WALLET_AUTH_FAILED',
        `Hashlock cannot read the cookie file ${f.cookiePath} (${f.cause}). Run Hashlock as the same user as ${w.daemon}, or set rpcuser and rpcpassword in ${w.conf}.`,
        { cookiePath: f.cookiePath, cause: f.cause },
      );
    case 'http':
      return mapHttpStatus(f.status, ctx, w, daemonAt);
    case 'rpc':
      return mapRpcError(f.code, f.message, ctx, w, daemonAt);
    case 'garbage':
      return new ApiError(
        'WALLET_RPC_ERROR',
        `The reply from ${at} to ${ctx.method} is not a valid JSON-RPC answer (${f.reason}). Is this the RPC port of ${w.daemon}?`,
        { method: ctx.method, reason: f.reason, httpStatus: f.httpStatus },
      );
  }
}

function mapHttpStatus(
  status: number,
  ctx: RpcFailureContext,
  w: ReturnType<typeof familyWords>,
  daemonAt: string,
): ApiError {
  if (status === 401) {
    return ctx.auth === 'cookie'
      ? new ApiError(
          'WALLET_AUTH_FAILED',
          `${daemonAt} refused the cookie from ${ctx.cookiePath ?? 'the cookie file'}. The cookie changes every time the daemon starts: make sure the file belongs to the daemon listening on this port.`,
          { httpStatus: status, cookiePath: ctx.cookiePath },
        )
      : new ApiError(
          'WALLET_AUTH_FAILED',
          `${daemonAt} refused the RPC user name or password. Check rpcuser and rpcpassword in ${w.conf}.`,
          { httpStatus: status },
        );
  }
  if (status === 403) {
    return new ApiError(
      'WALLET_AUTH_FAILED',
      `${daemonAt} does not accept RPC connections from this computer (HTTP 403). Allow it with rpcallowip in ${w.conf}.`,
      { httpStatus: status },
    );
  }
  if (status === 503) {
    return new ApiError(
      'WALLET_UNREACHABLE',
      `${daemonAt} is too busy to answer (HTTP 503, its work queue is full). Try again in a moment.`,
      { httpStatus: status },
    );
  }
  return new ApiError(
    'WALLET_RPC_ERROR',
    `${daemonAt} answered ${ctx.method} with HTTP ${status} and no JSON-RPC reply. Is this the RPC port of ${w.daemon}?`,
    { httpStatus: status, method: ctx.method },
  );
}

function mapRpcError(
  code: number,
  message: string,
  ctx: RpcFailureContext,
  w: ReturnType<typeof familyWords>,
  daemonAt: string,
): ApiError {
  const details = { rpcCode: code, rpcMessage: message, method: ctx.method };
  switch (code) {
    case RPC_CODE.IN_WARMUP:
      return new ApiError(
        'WALLET_UNREACHABLE',
        `${daemonAt} is still starting (${message}). Try again in a moment.`,
        details,
      );
    case RPC_CODE.WALLET_NOT_FOUND:
      return ctx.wallet !== undefined
        ? new ApiError(
            'WALLET_NOT_LOADED',
            `The wallet "${ctx.wallet}" is not loaded in the daemon at ${ctx.host}:${ctx.port}. Load it with \`${w.cli} loadwallet "${ctx.wallet}"\`, or create it with \`${w.cli} createwallet "${ctx.wallet}"\`.`,
            details,
          )
        : new ApiError(
            'WALLET_NOT_LOADED',
            `No wallet is loaded in the daemon at ${ctx.host}:${ctx.port}. Create one with \`${w.cli} createwallet "hashlock"\` or load an existing one with \`${w.cli} loadwallet "<name>"\`.`,
            details,
          );
    case RPC_CODE.WALLET_NOT_SPECIFIED:
      return new ApiError(
        'WALLET_NOT_LOADED',
        `The daemon at ${ctx.host}:${ctx.port} has several wallets loaded. Choose which one Hashlock should use.`,
        details,
      );
    case RPC_CODE.WALLET_INSUFFICIENT_FUNDS:
      return new ApiError(
        'INSUFFICIENT_FUNDS',
        `The wallet does not have enough spendable coins for this (${message}).`,
        details,
      );
    case RPC_CODE.WALLET_UNLOCK_NEEDED:
      return new ApiError(
        'WALLET_RPC_ERROR',
        `The wallet is encrypted and locked. Unlock it with \`${w.cli} walletpassphrase\` and try again.`,
        details,
      );
    default:
      return new ApiError('WALLET_RPC_ERROR', `${daemonAt} refused ${ctx.method}: ${message}`, details);
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
