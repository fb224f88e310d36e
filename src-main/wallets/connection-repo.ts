// Wallet daemon connections (coins/connection-store.ts WalletConnectionRepo). Optional fields are
// NULL in SQL and absent on the returned objects.

import type { Database } from 'better-sqlite3';
import type { StoredWalletConnection, WalletConnectionRepo } from './connection-store.ts';

interface Row {
  ticker: string;
  kind: 'password' | 'cookie';
  host: string;
  port: number;
  username: string | null;
  password_sealed: string | null;
  cookie_path: string | null;
  wallet: string | null;
}

export function createWalletConnectionRepo(db: Database, deps: { now?: () => number } = {}): WalletConnectionRepo {
  const now = deps.now ?? Date.now;
  const columns = 'ticker, kind, host, port, username, password_sealed, cookie_path, wallet';
  const select = db.prepare<[string], Row>(`SELECT ${columns} FROM wallet_connections WHERE ticker = ?`);
  const selectAll = db.prepare<[], Row>(`SELECT ${columns} FROM wallet_connections ORDER BY ticker`);
  const upsert = db.prepare<[Row & { updated_at: number }]>(`
    INSERT INTO wallet_connections (${columns}, updated_at)
    VALUES (@ticker, @kind, @host, @port, @username, @password_sealed, @cookie_path, @wallet, @updated_at)
    ON CONFLICT (ticker) DO UPDATE SET
      kind = excluded.kind, host = excluded.host, port = excluded.port, username = excluded.username,
      password_sealed = excluded.password_sealed, cookie_path = excluded.cookie_path, wallet = excluded.wallet,
      updated_at = excluded.updated_at`);
  const remove = db.prepare<[string]>('DELETE FROM wallet_connections WHERE ticker = ?');

  return {
    get(ticker) {
      const row = select.get(ticker);
      return row ? fromRow(row) : undefined;
    },
    put(c) {
      upsert.run({
        ticker: c.ticker,
        kind: c.kind,
        host: c.host,
        port: c.port,
        username: c.username ?? null,
        password_sealed: c.passwordSealed ?? null,
        cookie_path: c.cookiePath ?? null,
        wallet: c.wallet ?? null,
        updated_at: now(),
      });
    },
    delete(ticker) {
      remove.run(ticker);
    },
    list() {
      return selectAll.all().map(fromRow);
    },
  };
}

function fromRow(r: Row): StoredWalletConnection {
  const c: StoredWalletConnection = { ticker: r.ticker, kind: r.kind, host: r.host, port: r.port };
  if (r.username !== null) c.username = r.username;
  if (r.password_sealed !== null) c.passwordSealed = r.password_sealed;
  if (r.cookie_path !== null) c.cookiePath = r.cookie_path;
  if (r.wallet !== null) c.wallet = r.wallet;
  return c;
}
