// Named API tokens with scopes. The secret is shown once; the store keeps its SHA-256, so a copy
// of the database drives nothing. The token in <dataDir>/api-token stays the admin token named
// "default". Revocation takes effect on the next request, and open WebSockets are told to close.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../../src-shared/api/errors.ts';
import type { Scope } from '../../src-shared/api/scopes.ts';
import { FILE_TOKEN_NAME, type TokenView } from '../../src-shared/tokens/contract.ts';
import type { Migration, StoreDatabase } from '../store/index.ts';

export interface Principal {
  readonly name: string;
  readonly scope: Scope;
}

export interface TokenAuthority {
  /** Who holds this secret, or undefined (unknown or revoked). Counts the use. */
  authenticate(secret: string): Principal | undefined;
  /** Called with a token's name when it is revoked. */
  onRevoked(listener: (name: string) => void): () => void;
}

export interface TokenService extends TokenAuthority {
  create(name: string, scope: Scope): { token: string; view: TokenView };
  revoke(name: string): TokenView;
  list(): TokenView[];
}

export const m0001ApiTokens: Migration = {
  version: 1,
  name: 'api_tokens',
  up(db) {
    db.exec(`
      CREATE TABLE api_tokens (
        name TEXT PRIMARY KEY NOT NULL,
        scope TEXT NOT NULL CHECK (scope IN ('read', 'trade', 'admin')),
        hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      ) STRICT;
    `);
  },
};

/** What a log line may show of a secret: enough to tell two apart, never enough to use one. */
export function tokenHint(secret: string): string {
  return secret.length <= 8 ? '…' : `${secret.slice(0, 6)}…`;
}

const hashOf = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');
/** A last-use time is written at most this often per token (a request is not a write). */
const LAST_USED_WRITE_MS = 60_000;

interface Row {
  name: string;
  scope: Scope;
  hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** Only the file token, for nodes and tests that run without the tokens module. */
export function fileTokenAuthority(fileToken: string): TokenAuthority {
  const expected = Buffer.from(fileToken, 'utf8');
  return {
    authenticate(secret) {
      const given = Buffer.from(secret, 'utf8');
      const ok = given.length === expected.length && timingSafeEqual(given, expected);
      return ok ? { name: FILE_TOKEN_NAME, scope: 'admin' } : undefined;
    },
    onRevoked: () => () => undefined,
  };
}

export function createTokenService(deps: { db: StoreDatabase; fileToken: string; now: () => number }): TokenService {
  const { db, now } = deps;
  const file = fileTokenAuthority(deps.fileToken);
  const active = new Map<string, Principal>();
  const calls = new Map<string, number>();
  const lastUsed = new Map<string, { at: number; written: number }>();
  const listeners = new Set<(name: string) => void>();
  const all = () => db.prepare('SELECT * FROM api_tokens ORDER BY created_at, name').all() as Row[];
  const one = (name: string) => db.prepare('SELECT * FROM api_tokens WHERE name = ?').get(name) as Row | undefined;
  const writeUsed = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE name = ?');
  for (const r of all()) if (r.revoked_at === null) active.set(r.hash, { name: r.name, scope: r.scope });

  const view = (r: Row): TokenView => {
    const used = lastUsed.get(r.name)?.at ?? r.last_used_at;
    return {
      name: r.name,
      scope: r.scope,
      createdAt: r.created_at,
      ...(used !== null ? { lastUsedAt: used } : {}),
      ...(r.revoked_at !== null ? { revokedAt: r.revoked_at } : {}),
      calls: calls.get(r.name) ?? 0,
    };
  };

  function touch(name: string): void {
    calls.set(name, (calls.get(name) ?? 0) + 1);
    const t = now();
    const prev = lastUsed.get(name);
    if (prev && t - prev.written < LAST_USED_WRITE_MS) {
      prev.at = t;
      return;
    }
    lastUsed.set(name, { at: t, written: t });
    if (name !== FILE_TOKEN_NAME) writeUsed.run(t, name);
  }

  return {
    authenticate(secret) {
      if (secret.length === 0 || secret.length > 200) return undefined;
      const who = file.authenticate(secret) ?? active.get(hashOf(secret));
      if (who) touch(who.name);
      return who;
    },
    onRevoked(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    create(name, scope) {
      const existing = one(name);
      if (existing && existing.revoked_at === null)
        throw new ApiError('CONFLICT', `A token named "${name}" exists; revoke it first or pick another name.`);
      const token = `hl_${randomBytes(32).toString('base64url')}`;
      const hash = hashOf(token);
      db.transaction(() => {
        db.prepare('DELETE FROM api_tokens WHERE name = ?').run(name);
        db.prepare('INSERT INTO api_tokens (name, scope, hash, created_at) VALUES (?, ?, ?, ?)').run(
          name,
          scope,
          hash,
          now(),
        );
      })();
      calls.delete(name);
      lastUsed.delete(name);
      active.set(hash, { name, scope });
      return { token, view: view(one(name)!) };
    },
    revoke(name) {
      const r = one(name);
      if (!r) throw new ApiError('NOT_FOUND', `No token is named "${name}".`);
      if (r.revoked_at === null) {
        db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE name = ?').run(now(), name);
        active.delete(r.hash);
        for (const l of [...listeners]) l(name);
      }
      return view(one(name)!);
    },
    list: () => all().map(view),
  };
}
