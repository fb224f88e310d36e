// The browser UI's bearer token: the node prints a URL with `#token=…`; the fragment never
// reaches a server. We keep it for this tab in sessionStorage and wipe it from the address bar.

const TOKEN_STORAGE_KEY = 'hashlock.apiToken';
// Must be usable inside a WebSocket subprotocol name (an HTTP token), so no separators.
const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,512}$/;

export interface FragmentToken {
  /** The token if the fragment carried a well-formed one. */
  token: string | null;
  /** Whether the fragment mentioned a token at all (even a malformed one), so it should be scrubbed. */
  present: boolean;
  /** The fragment with the token parameter removed ('' when nothing else was there). */
  rest: string;
}

/** Read `token=` out of a URL fragment like "#token=abc" or "#token=abc&x=1". */
export function tokenFromFragment(hash: string): FragmentToken {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (body.startsWith('/') || body.length === 0)
    return { token: null, present: false, rest: hash.startsWith('#') ? body : hash };
  const params = new URLSearchParams(body);
  const raw = params.get('token');
  if (raw === null) return { token: null, present: false, rest: body };
  params.delete('token');
  const token = TOKEN_PATTERN.test(raw.trim()) ? raw.trim() : null;
  return { token, present: true, rest: params.toString() };
}

export interface TokenEnvironment {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * The token to use for this tab: a fresh one from the URL wins over a stored one (the node
 * may have restarted with a new token). The fragment is scrubbed so it is not left on screen.
 */
export function takeToken(env: TokenEnvironment): string | null {
  const fromUrl = tokenFromFragment(env.location.hash);
  if (fromUrl.present) {
    const kept = fromUrl.rest.length > 0 ? `#${fromUrl.rest}` : '';
    env.history.replaceState(null, '', `${env.location.pathname}${env.location.search}${kept}`);
  }
  if (fromUrl.token !== null) {
    env.storage.setItem(TOKEN_STORAGE_KEY, fromUrl.token);
    return fromUrl.token;
  }
  const stored = env.storage.getItem(TOKEN_STORAGE_KEY);
  return stored !== null && TOKEN_PATTERN.test(stored) ? stored : null;
}
