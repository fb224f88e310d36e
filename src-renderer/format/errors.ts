// Turns any failure a call can produce into plain words for the screen: the node's message,
// plus a hint that says what the user can do about it, keyed by the stable error code.
import { ApiError, isApiErrorData } from '../../src-shared/api/errors.ts';
import { isCoded } from '../../src-shared/errors.ts';

const HINTS: Partial<Record<string, string>> = {
  UNAUTHORIZED: 'Open the app with the link the node printed when it started; it carries a fresh access token.',
  VAULT_LOCKED: 'Unlock the vault first.',
  VAULT_WRONG_PASSWORD: 'Check the password and try again. Caps Lock and keyboard layout are common causes.',
  VAULT_BAD_MNEMONIC:
    'Check each word against what you wrote down: they come from a fixed list of 2048 words, in order, separated by spaces.',
  VAULT_EXISTS: 'A vault already exists on this node. Unlock it instead, or use a different data directory.',
  VAULT_CORRUPT: 'The vault file could not be read. Restore it from your recovery phrase in a fresh data directory.',
  WALLET_UNREACHABLE:
    'Is the wallet daemon running? Check the host and RPC port (rpcport in its .conf) and that it accepts RPC (server=1).',
  WALLET_AUTH_FAILED:
    'Check rpcuser and rpcpassword in the daemon\u2019s .conf, or point to its .cookie file, which changes every time the daemon restarts.',
  WALLET_WRONG_NETWORK:
    'This daemon runs a different chain than this coin needs (for example mainnet instead of regtest). Pick the daemon for the right network.',
  WALLET_NOT_LOADED:
    'The daemon is running but that wallet is not loaded. Load it (loadwallet) or leave the wallet name empty to use the default wallet.',
  WALLET_NOT_CONFIGURED: 'Set up this wallet on the Wallets page first.',
  WALLET_TIMEOUT: 'The daemon is slow to answer; it may still be starting or syncing. Try again in a moment.',
  WALLET_RPC_ERROR: 'The daemon refused the request. Its debug.log usually says why.',
  INSUFFICIENT_FUNDS: 'The wallet does not have enough spendable coins for this.',
  PEER_UNREACHABLE:
    'Check the address (a multiaddr such as /ip4/1.2.3.4/tcp/4001/p2p/12D3…) and that the peer is online.',
  PEER_REFUSED: 'The peer turned the connection down.',
  INVALID_PARAMS: 'Some of the values entered are not valid; check the fields.',
  INTERNAL: 'Something went wrong inside the node. Its log has the details.',
};

export interface ErrorDescription {
  /** Stable error code from the node, or a renderer-side reason such as 'DISCONNECTED'. */
  code: string;
  message: string;
  hint: string | null;
}

export function hintForCode(code: string): string | null {
  return HINTS[code] ?? null;
}

export function describeError(err: unknown): ErrorDescription {
  if (isCoded(err, 'CONNECTION_LOST')) {
    return {
      code: 'DISCONNECTED',
      message: sentence(err.message),
      hint: 'The app reconnects by itself; try again once the banner is gone.',
    };
  }
  if (isCoded(err, 'NODE_UNREACHABLE')) {
    return { code: 'UNREACHABLE', message: sentence(err.message), hint: 'Check that the node is running.' };
  }
  if (err instanceof ApiError || isApiErrorData(err)) {
    return { code: err.code, message: sentence(err.message), hint: hintForCode(err.code) };
  }
  if (err instanceof Error) return { code: 'UNKNOWN', message: sentence(err.message), hint: null };
  return { code: 'UNKNOWN', message: 'Something went wrong.', hint: null };
}

/** The node writes messages in lower case without a full stop; the screen shows sentences. */
export function sentence(text: string): string {
  const t = text.trim();
  if (t.length === 0) return 'Something went wrong.';
  const first = t[0]?.toUpperCase() ?? '';
  const body = first + t.slice(1);
  return /[.!?]$/.test(body) ? body : `${body}.`;
}
