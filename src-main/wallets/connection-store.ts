// Seams between the wallet service and its persistence: the store implements the repository,
// the vault implements the secret box (RPC passwords are never written in plaintext).

export interface StoredWalletConnection {
  ticker: string;
  kind: 'password' | 'cookie';
  host: string;
  port: number;
  username?: string;
  /** RPC password sealed by the vault's SecretBox (opaque string). */
  passwordSealed?: string;
  cookiePath?: string;
  /** Named wallet inside the daemon (multi-wallet), if any. */
  wallet?: string;
}

export interface WalletConnectionRepo {
  get(ticker: string): StoredWalletConnection | undefined;
  put(connection: StoredWalletConnection): void;
  delete(ticker: string): void;
  list(): StoredWalletConnection[];
}

/** Authenticated encryption with a key held by the unlocked vault. Throws ApiError VAULT_LOCKED when locked. */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}
