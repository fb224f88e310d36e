import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { openTestStore } from '../core/test-store.ts';
import type { StoreDatabase } from '../store/index.ts';
import { createTokenService, tokenHint } from './service.ts';

const FILE = 'f'.repeat(64);
let db: StoreDatabase;
afterEach(() => db.close());
const service = (now = () => 1000) => createTokenService({ db, fileToken: FILE, now });

describe('named API tokens', () => {
  it('know the file token as the admin token "default"', () => {
    db = openTestStore();
    expect(service().authenticate(FILE)).toEqual({ name: 'default', scope: 'admin' });
  });

  it('authenticate a created token with its scope, and keep only its hash in the store', () => {
    db = openTestStore();
    const s = service();
    const { token, view } = s.create('bot', 'read');
    expect(view).toMatchObject({ name: 'bot', scope: 'read', calls: 0 });
    expect(s.authenticate(token)).toEqual({ name: 'bot', scope: 'read' });
    const dump = JSON.stringify(db.prepare('SELECT * FROM api_tokens').all());
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(3, 20));
  });

  it('survive a restart (a new service over the same store)', () => {
    db = openTestStore();
    const { token } = service().create('bot', 'trade');
    expect(service().authenticate(token)).toEqual({ name: 'bot', scope: 'trade' });
  });

  it('refuse a revoked token at once and tell listeners', () => {
    db = openTestStore();
    const s = service();
    const { token } = s.create('bot', 'admin');
    const told: string[] = [];
    s.onRevoked((n) => told.push(n));
    expect(s.revoke('bot').revokedAt).toBe(1000);
    expect(s.authenticate(token)).toBeUndefined();
    expect(service().authenticate(token)).toBeUndefined(); // and after a restart
    expect(told).toEqual(['bot']);
  });

  it('refuse a second live token of the same name, but let a revoked name be reused with a new secret', () => {
    db = openTestStore();
    const s = service();
    const first = s.create('bot', 'read');
    expect(() => s.create('bot', 'admin')).toThrow(ApiError);
    s.revoke('bot');
    const second = s.create('bot', 'trade');
    expect(second.token).not.toBe(first.token);
    expect(s.authenticate(first.token)).toBeUndefined();
    expect(s.authenticate(second.token)?.scope).toBe('trade');
  });

  it('refuse unknown, empty and huge secrets, and revoking an unknown name', () => {
    db = openTestStore();
    const s = service();
    expect(s.authenticate('hl_nope')).toBeUndefined();
    expect(s.authenticate('')).toBeUndefined();
    expect(s.authenticate('x'.repeat(10_000))).toBeUndefined();
    expect(() => s.revoke('ghost')).toThrow(/No token is named "ghost"/);
  });

  it('count calls and the last use per token', () => {
    db = openTestStore();
    let t = 1000;
    const s = service(() => t);
    const { token } = s.create('bot', 'read');
    t = 5000;
    s.authenticate(token);
    s.authenticate(token);
    expect(s.list()).toEqual([{ name: 'bot', scope: 'read', createdAt: 1000, lastUsedAt: 5000, calls: 2 }]);
  });

  it('show at most six characters of a secret in a hint', () => {
    expect(tokenHint('hl_abcdefghijklmnop')).toBe('hl_abc…');
    expect(tokenHint('short')).toBe('…');
  });
});
