// Errors cross every boundary (IPC, WebSocket, JSON-RPC, CLI) as data with a stable code.
// Codes are part of the public API: never rename one, only add.
import { CodedError } from '../errors.ts';

export const ERROR_CODES = [
  'UNAUTHORIZED',
  'BAD_REQUEST',
  'METHOD_NOT_FOUND',
  'INVALID_PARAMS',
  'NOT_FOUND',
  'CONFLICT',
  'VAULT_NOT_CREATED',
  'VAULT_EXISTS',
  'VAULT_LOCKED',
  'VAULT_WRONG_PASSWORD',
  'VAULT_CORRUPT',
  'VAULT_BAD_MNEMONIC',
  'WALLET_NOT_CONFIGURED',
  'WALLET_UNREACHABLE',
  'WALLET_AUTH_FAILED',
  'WALLET_WRONG_NETWORK',
  'WALLET_NOT_LOADED',
  'WALLET_RPC_ERROR',
  'WALLET_TIMEOUT',
  'INSUFFICIENT_FUNDS',
  'P2P_ERROR',
  'PEER_UNREACHABLE',
  'PEER_REFUSED',
  'SWAP_REFUSED',
  'CONFIG_INVALID',
  'INTERNAL',
  /** The caller's token is valid but its scope does not cover the method. */
  'FORBIDDEN',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorData {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** A CodedError whose code is on the public list: what services throw when the caller should see it. */
export class ApiError extends CodedError<ErrorCode> {
  override name = 'ApiError';
  constructor(code: ErrorCode, message: string, details?: unknown, options?: ErrorOptions) {
    super(code, message, details, options);
  }
  toData(): ApiErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isApiErrorData(x: unknown): x is ApiErrorData {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as ApiErrorData).code === 'string' &&
    typeof (x as ApiErrorData).message === 'string'
  );
}

/** JSON-RPC 2.0 error numbers for the transport-level codes; app codes use -32000. */
export function jsonRpcErrorNumber(code: ErrorCode): number {
  switch (code) {
    case 'BAD_REQUEST':
      return -32600;
    case 'METHOD_NOT_FOUND':
      return -32601;
    case 'INVALID_PARAMS':
      return -32602;
    case 'INTERNAL':
      return -32603;
    default:
      return -32000;
  }
}
