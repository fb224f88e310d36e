// The lexical layer of a payment URI: characters, scheme, body, and the query split into
// percent-decoded key/value pairs with their caps. What the keys mean is uri.ts's business.
// Strict on purpose: two wallets that split or decode a URI differently could read two
// different payments from one QR code (docs/payments.md §2).
import { paymentError } from './errors.ts';

export const MAX_URI_LENGTH = 4096;
export const MAX_PARAMS = 32;
export const MAX_KEY_LENGTH = 64;

/** Caps on decoded values, in code points, by key; any other key gets DEFAULT_VALUE_CAP. */
export const VALUE_CAPS: Readonly<Record<string, number>> = {
  label: 256,
  message: 1024,
  pop: 512,
  identity: 64,
  'identity-key': 64,
  'identity-expires': 16,
  'identity-nonce': 64,
  'identity-sig': 128,
};
export const DEFAULT_VALUE_CAP = 2048;

export interface RawUri {
  /** Lower-cased scheme, without the colon. */
  readonly scheme: string;
  /** Everything between the colon and the first "?", undecoded. */
  readonly body: string;
  readonly params: readonly QueryParam[];
}

export interface QueryParam {
  /** Percent-decoded, A–Z folded to a–z. */
  readonly key: string;
  /** Percent-decoded UTF-8; "" when the parameter had no "=". */
  readonly value: string;
}

// RFC 3986 query characters: unreserved, sub-delims, ":", "@", "/", "?", and "%" for escapes.
const QUERY_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;
const TRIM = /^[ \t\r\n\f\v]+|[ \t\r\n\f\v]+$/g;

/** Splits a URI into scheme, body and decoded parameters, refusing what §2 refuses. */
export function splitUri(input: string): RawUri {
  if (typeof input !== 'string') throw paymentError('URI_NOT_PAYMENT', 'a payment request is text');
  // Cap before trimming too, so a huge run of whitespace is not scanned twice.
  if (input.length > MAX_URI_LENGTH * 2) tooLong(input.length);
  const text = input.replace(TRIM, '');
  if (text.length > MAX_URI_LENGTH) tooLong(text.length);
  checkCharacters(text);
  const colon = text.indexOf(':');
  if (colon <= 0 || !SCHEME.test(text.slice(0, colon))) {
    throw paymentError(
      'URI_NOT_PAYMENT',
      'this is not a payment request: it should start with bitcoin:, litecoin:, deva: or devb:',
    );
  }
  const scheme = asciiLower(text.slice(0, colon));
  const rest = text.slice(colon + 1);
  if (rest.startsWith('//')) {
    throw paymentError(
      'URI_MALFORMED',
      `"${scheme}://" is not a payment request form: the address follows the colon directly (${scheme}:<address>)`,
    );
  }
  const q = rest.indexOf('?');
  const body = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? '' : rest.slice(q + 1);
  return { scheme, body, params: splitQuery(query) };
}

function tooLong(length: number): never {
  throw paymentError(
    'URI_TOO_LONG',
    `the payment request is ${length} characters long; at most ${MAX_URI_LENGTH} are accepted`,
    { length, max: MAX_URI_LENGTH },
  );
}

function checkCharacters(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (QUERY_CHAR.test(ch)) continue;
    const cp = text.codePointAt(i)!;
    const name = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    const what = ch === '#' ? 'a "#" fragment has no meaning in a payment request' : `character ${name}`;
    throw paymentError(
      'URI_INVALID_CHARACTER',
      `the payment request has ${what} at position ${i + 1}; characters outside a URI must be percent-encoded`,
      { position: i + 1, codePoint: name },
    );
  }
}

function splitQuery(query: string): QueryParam[] {
  if (query === '') return [];
  const parts = query.split('&').filter((p) => p !== '');
  if (parts.length > MAX_PARAMS) {
    throw paymentError(
      'TOO_MANY_PARAMS',
      `the payment request has ${parts.length} parameters; at most ${MAX_PARAMS} are accepted`,
      { count: parts.length, max: MAX_PARAMS },
    );
  }
  return parts.map((part) => {
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    if (rawKey === '') throw paymentError('URI_MALFORMED', `the parameter "${part}" has no name`);
    const key = asciiLower(percentDecode(rawKey, 'a parameter name'));
    if ([...key].length > MAX_KEY_LENGTH) {
      throw paymentError('PARAM_TOO_LONG', `a parameter name is longer than ${MAX_KEY_LENGTH} characters`, {
        key: key.slice(0, MAX_KEY_LENGTH),
        max: MAX_KEY_LENGTH,
      });
    }
    const value = eq < 0 ? '' : percentDecode(part.slice(eq + 1), `"${key}"`);
    const cap = VALUE_CAPS[capKey(key)] ?? DEFAULT_VALUE_CAP;
    const length = [...value].length;
    if (length > cap) {
      throw paymentError('PARAM_TOO_LONG', `"${key}" is ${length} characters long; at most ${cap} are accepted`, {
        key,
        length,
        max: cap,
      });
    }
    return { key, value };
  });
}

const capKey = (key: string): string => (key === 'req-pop' ? 'pop' : key);

/** Only A–Z fold: Unicode case mapping could turn another letter (K, KELVIN SIGN) into ASCII. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

const HEX2 = /^[0-9A-Fa-f]{2}$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** RFC 3986 percent-decoding to UTF-8; `+` stays a plus sign. */
export function percentDecode(raw: string, what: string): string {
  if (!raw.includes('%')) return raw;
  const bytes = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length;) {
    if (raw[i] === '%') {
      const hex = raw.slice(i + 1, i + 3);
      if (!HEX2.test(hex)) {
        throw paymentError(
          'PERCENT_ENCODING_INVALID',
          `${what} has "%${hex}", which is not a percent escape ("%" must be followed by two hex digits)`,
          { at: raw.slice(i, i + 3) },
        );
      }
      bytes[n++] = parseInt(hex, 16);
      i += 3;
    } else {
      // checkCharacters left only ASCII here.
      bytes[n++] = raw.charCodeAt(i);
      i += 1;
    }
  }
  try {
    return UTF8.decode(bytes.subarray(0, n));
  } catch {
    throw paymentError('NOT_UTF8', `${what} is not valid UTF-8 text once its percent escapes are decoded`);
  }
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent-encodes everything but RFC 3986 unreserved characters, as UTF-8. */
export function percentEncode(text: string): string {
  let out = '';
  for (const ch of text) {
    if (UNRESERVED.test(ch)) {
      out += ch;
      continue;
    }
    for (const b of new TextEncoder().encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// C0, DEL, C1, and bidirectional marks, embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** Refuses text that could hide or reorder what the confirm dialog shows. */
export function checkDisplayText(key: string, value: string): void {
  const m = CONTROL.exec(value);
  if (!m) return;
  const name = `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  throw paymentError(
    'TEXT_CONTROL_CHARACTER',
    `"${key}" contains the control character ${name}, which could hide or reorder the text shown to you`,
    { key, codePoint: name },
  );
}
