import { describe, expect, it } from 'vitest';
import {
  buildConnectionInput,
  defaultManualConnection,
  sameConnection,
  type ManualConnection,
} from './connection-form.ts';

const manual = (over: Partial<ManualConnection>): ManualConnection => ({ ...defaultManualConnection('DEVA'), ...over });

describe('wallet setup form', () => {
  it("starts manual entry at the coin's default RPC port on this computer", () => {
    expect(defaultManualConnection('DEVA')).toMatchObject({ host: '127.0.0.1', port: '19501', auth: 'password' });
    expect(defaultManualConnection('NOPE').port).toBe('');
  });

  it('asks for a choice before anything else', () => {
    expect(buildConnectionInput({ kind: 'none' }, manual({}))).toEqual({
      ok: false,
      errors: { choice: expect.any(String) },
    });
  });

  it('passes a detected candidate through by id', () => {
    expect(buildConnectionInput({ kind: 'candidate', candidateId: 'devnet:DEVA' }, manual({}))).toEqual({
      ok: true,
      input: { kind: 'candidate', candidateId: 'devnet:DEVA' },
    });
  });

  it('builds a password connection, leaving out an empty wallet name', () => {
    expect(buildConnectionInput({ kind: 'manual' }, manual({ username: 'u', password: 'p', port: ' 19501 ' }))).toEqual(
      { ok: true, input: { kind: 'password', host: '127.0.0.1', port: 19501, username: 'u', password: 'p' } },
    );
  });

  it('builds a cookie connection with a wallet name', () => {
    expect(
      buildConnectionInput(
        { kind: 'manual' },
        manual({ auth: 'cookie', cookiePath: '/d/regtest/.cookie', wallet: 'swaps' }),
      ),
    ).toEqual({
      ok: true,
      input: { kind: 'cookie', host: '127.0.0.1', port: 19501, cookiePath: '/d/regtest/.cookie', wallet: 'swaps' },
    });
  });

  it.each([
    [{ port: '0' }, 'port'],
    [{ port: '65536' }, 'port'],
    [{ port: '19.5' }, 'port'],
    [{ port: '' }, 'port'],
    [{ host: '' }, 'host'],
    [{ host: 'evil host' }, 'host'],
  ] as const)('names the field that is wrong: %o → %s', (over, field) => {
    const r = buildConnectionInput({ kind: 'manual' }, manual({ username: 'u', password: 'p', ...over }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors)).toContain(field);
  });

  it('asks for the credentials of the chosen kind only', () => {
    const pw = buildConnectionInput({ kind: 'manual' }, manual({ auth: 'password' }));
    expect(!pw.ok && Object.keys(pw.errors).sort()).toEqual(['password', 'username']);
    const cookie = buildConnectionInput({ kind: 'manual' }, manual({ auth: 'cookie' }));
    expect(!cookie.ok && Object.keys(cookie.errors)).toEqual(['cookiePath']);
  });

  it('treats a changed field as a different connection that needs a new test', () => {
    const a = buildConnectionInput({ kind: 'manual' }, manual({ username: 'u', password: 'p' }));
    const b = buildConnectionInput({ kind: 'manual' }, manual({ username: 'u', password: 'q' }));
    const a2 = buildConnectionInput({ kind: 'manual' }, manual({ username: 'u', password: 'p' }));
    expect(a.ok && b.ok && sameConnection(a.input, b.input)).toBe(false);
    expect(a.ok && a2.ok && sameConnection(a.input, a2.input)).toBe(true);
    expect(sameConnection(null, null)).toBe(false);
  });
});
