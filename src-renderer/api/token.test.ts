import { describe, expect, it } from 'vitest';
import { takeToken, tokenFromFragment, type TokenEnvironment } from './token.ts';

const TOKEN = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

describe('token from the URL fragment', () => {
  it.each([
    [`#token=${TOKEN}`, TOKEN, true, ''],
    [`token=${TOKEN}`, TOKEN, true, ''],
    [`#token=${TOKEN}&theme=light`, TOKEN, true, 'theme=light'],
    ['#/wallets', null, false, '/wallets'],
    ['', null, false, ''],
    ['#theme=light', null, false, 'theme=light'],
    // Present but unusable: too short, or characters a WebSocket subprotocol cannot carry.
    ['#token=abc', null, true, ''],
    ['#token=' + 'a'.repeat(20) + '%2Fx', null, true, ''],
  ])('reads %j', (hash, token, present, rest) => {
    expect(tokenFromFragment(hash)).toEqual({ token, present, rest });
  });
});

function environment(hash: string, stored: string | null) {
  const storage = new Map<string, string>();
  if (stored !== null) storage.set('hashlock.apiToken', stored);
  const urls: string[] = [];
  const env: TokenEnvironment = {
    location: { hash, pathname: '/', search: '' },
    history: {
      replaceState: (_d: unknown, _t: string, url?: string | URL | null) => {
        urls.push(String(url));
      },
    },
    storage: {
      getItem: (k) => storage.get(k) ?? null,
      setItem: (k, v) => {
        storage.set(k, v);
      },
    },
  };
  return { env, storage, urls };
}

describe('takeToken', () => {
  it('stores a token from the URL and removes it from the address bar', () => {
    const { env, storage, urls } = environment(`#token=${TOKEN}`, null);
    expect(takeToken(env)).toBe(TOKEN);
    expect(storage.get('hashlock.apiToken')).toBe(TOKEN);
    expect(urls).toEqual(['/']);
  });

  it('prefers a fresh token in the URL over the stored one, since the node may have a new one', () => {
    const { env, storage } = environment(`#token=${OTHER}`, TOKEN);
    expect(takeToken(env)).toBe(OTHER);
    expect(storage.get('hashlock.apiToken')).toBe(OTHER);
  });

  it('uses the stored token after a reload, without touching the URL', () => {
    const { env, urls } = environment('#/network', TOKEN);
    expect(takeToken(env)).toBe(TOKEN);
    expect(urls).toEqual([]);
  });

  it('scrubs a malformed token from the URL and falls back to none', () => {
    const { env, urls } = environment('#token=short', null);
    expect(takeToken(env)).toBeNull();
    expect(urls).toEqual(['/']);
  });

  it('has no token when neither the URL nor the tab has one', () => {
    expect(takeToken(environment('', null).env)).toBeNull();
  });
});
