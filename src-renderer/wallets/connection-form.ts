// The setup wizard's connection choice → the contract's WalletConnectionInput, with a plain
// message per field when something cannot be used. Checked against the contract's own schema.
import { WalletConnectionInput } from '../../src-shared/api/schemas.ts';
import { findCoin } from '../../src-shared/coins/registry.ts';

export interface ManualConnection {
  host: string;
  port: string;
  auth: 'password' | 'cookie';
  username: string;
  password: string;
  cookiePath: string;
  wallet: string;
}

export type ConnectionChoice = { kind: 'candidate'; candidateId: string } | { kind: 'manual' } | { kind: 'none' };

export type ManualField = 'host' | 'port' | 'username' | 'password' | 'cookiePath' | 'wallet';
export type FormErrors = Partial<Record<ManualField | 'choice', string>>;

export type BuildResult = { ok: true; input: WalletConnectionInput } | { ok: false; errors: FormErrors };

const FIELD_MESSAGES: Record<ManualField, string> = {
  host: 'Enter a host name or IP address, such as 127.0.0.1.',
  port: 'Enter the RPC port, a whole number from 1 to 65535 (rpcport in the daemon\u2019s .conf).',
  username: 'Enter the RPC user name (rpcuser).',
  password: 'Enter the RPC password (rpcpassword).',
  cookiePath: 'Enter the full path of the .cookie file in the daemon\u2019s data directory.',
  wallet: 'The wallet name is too long.',
};

export function defaultManualConnection(ticker: string): ManualConnection {
  const coin = findCoin(ticker);
  return {
    host: '127.0.0.1',
    port: coin ? String(coin.defaultRpcPort) : '',
    auth: 'password',
    username: '',
    password: '',
    cookiePath: '',
    wallet: '',
  };
}

export function buildConnectionInput(choice: ConnectionChoice, manual: ManualConnection): BuildResult {
  if (choice.kind === 'none')
    return { ok: false, errors: { choice: 'Choose a detected wallet, or enter the connection yourself.' } };
  if (choice.kind === 'candidate') return { ok: true, input: { kind: 'candidate', candidateId: choice.candidateId } };

  const port = /^[0-9]{1,5}$/.test(manual.port.trim()) ? Number(manual.port.trim()) : Number.NaN;
  const wallet = manual.wallet.trim();
  const base = { host: manual.host.trim(), port, ...(wallet ? { wallet } : {}) };
  const candidate =
    manual.auth === 'password'
      ? { kind: 'password' as const, ...base, username: manual.username, password: manual.password }
      : { kind: 'cookie' as const, ...base, cookiePath: manual.cookiePath.trim() };
  const checked = WalletConnectionInput.safeParse(candidate);
  if (checked.success) return { ok: true, input: checked.data };
  const errors: FormErrors = {};
  for (const issue of checked.error.issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && field in FIELD_MESSAGES)
      errors[field as ManualField] = FIELD_MESSAGES[field as ManualField];
  }
  if (Object.keys(errors).length === 0) errors.choice = 'These connection details cannot be used.';
  return { ok: false, errors };
}

/** Two inputs are the same connection (so a passed test still counts for Connect). */
export function sameConnection(a: WalletConnectionInput | null, b: WalletConnectionInput | null): boolean {
  return a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b);
}
