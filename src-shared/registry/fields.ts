// The registry's field rules, pure: SHA-512 hex, BCP 47 language tags (RFC 5646 well-formedness)
// and ranges with RFC 4647 basic filtering, SPDX licence expressions, media types, content URIs
// and display names. Everything a record says is checked here before it is stored or matched.
import { registryFail } from './errors.ts';

export const SHA512_HEX = /^[0-9a-f]{128}$/;
export const MAX_TAG_CHARS = 64;

export function isSha512Hex(x: unknown): x is string {
  return typeof x === 'string' && SHA512_HEX.test(x);
}

const LANGTAG = new RegExp(
  '^(?:' +
    '(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})' + // language, extlangs
    '(?:-[a-z]{4})?' + // script
    '(?:-(?:[a-z]{2}|[0-9]{3}))?' + // region
    '((?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)' + // variants (group 1)
    '((?:-[a-wyz0-9](?:-[a-z0-9]{2,8})+)*)' + // extensions (group 2)
    '(?:-x(?:-[a-z0-9]{1,8})+)?' + // private use
    '|x(?:-[a-z0-9]{1,8})+' +
    ')$',
);

/** RFC 5646 irregular grandfathered tags (the regular ones fit the grammar). */
const GRANDFATHERED = new Set([
  'en-gb-oed',
  'i-ami',
  'i-bnn',
  'i-default',
  'i-enochian',
  'i-hak',
  'i-klingon',
  'i-lux',
  'i-mingo',
  'i-navajo',
  'i-pwn',
  'i-tao',
  'i-tay',
  'i-tsu',
  'sgn-be-fr',
  'sgn-be-nl',
  'sgn-ch-de',
]);

/** Why `tag` is not a well-formed BCP 47 tag, or undefined when it is. */
export function languageTagProblem(tag: unknown): string | undefined {
  if (typeof tag !== 'string' || tag.length === 0) return 'a language tag is a non-empty string';
  if (tag.length > MAX_TAG_CHARS) return `a language tag has at most ${MAX_TAG_CHARS} characters`;
  const lower = tag.toLowerCase();
  if (GRANDFATHERED.has(lower)) return undefined;
  const m = LANGTAG.exec(lower);
  if (!m) return `"${tag}" is not a well-formed BCP 47 language tag`;
  const variants = (m[1] ?? '').split('-').filter(Boolean);
  if (new Set(variants).size !== variants.length) return `"${tag}" repeats a variant`;
  const singletons = (m[2] ?? '')
    .split('-')
    .filter((s) => s.length === 1)
    .map((s) => s);
  if (new Set(singletons).size !== singletons.length) return `"${tag}" repeats an extension singleton`;
  return undefined;
}

export function checkLanguageTag(tag: unknown): string {
  const problem = languageTagProblem(tag);
  if (problem) registryFail('LANGUAGE_INVALID', problem);
  return tag as string;
}

/** A language range: a well-formed tag or `*` (RFC 4647 basic ranges). */
export function languageRangeProblem(range: unknown): string | undefined {
  return range === '*' ? undefined : languageTagProblem(range);
}

/** RFC 4647 basic filtering: `es` covers `es` and `es-MX`; `*` covers everything; case-insensitive. */
export function rangeMatches(range: string, tag: string): boolean {
  if (range === '*') return true;
  const r = range.toLowerCase();
  const t = tag.toLowerCase();
  return t === r || t.startsWith(`${r}-`);
}

export function anyRangeMatches(ranges: readonly string[], tag: string): boolean {
  return ranges.some((r) => rangeMatches(r, tag));
}

const SPDX_ID = /^(?:DocumentRef-[A-Za-z0-9.-]+:)?(?:LicenseRef-)?[A-Za-z0-9.-]+\+?$/;
const SPDX_TOKEN = /\(|\)|[^\s()]+/g;

/**
 * The licence ids of an SPDX expression (`MIT`, `GPL-2.0-or-later WITH Classpath-exception-2.0`,
 * `(MIT OR Apache-2.0)`), or a problem. Exception ids after WITH are not licences and not listed.
 * Ids are checked by syntax, not against the SPDX list, so a new licence needs no upgrade.
 */
export function spdxLicences(expr: string): { ids: string[] } | { problem: string } {
  if (expr.length === 0 || expr.length > 200) return { problem: 'an SPDX expression has 1–200 characters' };
  const tokens = expr.match(SPDX_TOKEN) ?? [];
  const ids: string[] = [];
  let i = 0;
  const isOp = (t: string | undefined) => t === 'AND' || t === 'OR' || t === 'WITH';
  function term(depth: number): string | undefined {
    if (depth > 8) return 'parentheses nest too deep';
    const t = tokens[i++];
    if (t === '(') {
      const inner = expression(depth + 1);
      if (inner) return inner;
      if (tokens[i++] !== ')') return 'a parenthesis is not closed';
      return undefined;
    }
    if (t === undefined || t === ')' || isOp(t) || !SPDX_ID.test(t)) return `"${t ?? ''}" is not an SPDX licence id`;
    ids.push(t);
    if (tokens[i] === 'WITH') {
      i++;
      const exception = tokens[i++];
      if (exception === undefined || isOp(exception) || !SPDX_ID.test(exception)) return 'WITH needs an exception id';
    }
    return undefined;
  }
  function expression(depth: number): string | undefined {
    const first = term(depth);
    if (first) return first;
    while (tokens[i] === 'AND' || tokens[i] === 'OR') {
      i++;
      const next = term(depth);
      if (next) return next;
    }
    return undefined;
  }
  const problem = expression(0);
  if (problem) return { problem };
  if (i !== tokens.length) return { problem: `unexpected "${tokens[i]}" in the SPDX expression` };
  return { ids };
}

const MEDIA_NAME = '[a-z0-9][a-z0-9!#$&^_.+-]{0,126}';
const MEDIA_TYPE = new RegExp(`^${MEDIA_NAME}/${MEDIA_NAME}$`);

export function isMediaType(x: unknown): x is string {
  return typeof x === 'string' && x.length <= 127 && MEDIA_TYPE.test(x);
}

/** `video/*` covers `video/webm`; otherwise exact. */
export function formatMatches(pattern: string, format: string): boolean {
  return pattern.endsWith('/*') ? format.startsWith(pattern.slice(0, -1)) : pattern === format;
}

export const MAX_URI_CHARS = 2000;
/** `hashlock://<peer id>/<sha512 hex>`: content a node serves over the overlay. */
const OVERLAY_URI = /^hashlock:\/\/([1-9A-HJ-NP-Za-km-z]{40,64})\/([0-9a-f]{128})$/;

export type ContentUri =
  | { readonly scheme: 'http' | 'https'; readonly url: string }
  | { readonly scheme: 'hashlock'; readonly peerId: string; readonly hash: string };

/**
 * A content URI, or a problem. http(s) URIs must be written as the WHATWG URL parser writes them
 * (one spelling per URI, so duplicates are found) and carry no credentials.
 */
export function parseContentUri(uri: unknown): ContentUri | { problem: string } {
  if (typeof uri !== 'string' || uri.length === 0 || uri.length > MAX_URI_CHARS) {
    return { problem: `a URI is a string of 1–${MAX_URI_CHARS} characters` };
  }
  const overlay = OVERLAY_URI.exec(uri);
  if (overlay) return { scheme: 'hashlock', peerId: overlay[1]!, hash: overlay[2]! };
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { problem: `"${uri.slice(0, 80)}" is not a URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { problem: `only https, http and hashlock URIs are accepted, not ${url.protocol.slice(0, 20)}` };
  }
  if (url.username || url.password) return { problem: 'a URI carries no user name or password' };
  if (url.href !== uri) return { problem: `write the URI as "${url.href.slice(0, 200)}" (its normal form)` };
  return { scheme: url.protocol === 'https:' ? 'https' : 'http', url: url.href };
}

export function overlayUri(peerId: string, hash: string): string {
  return `hashlock://${peerId}/${hash}`;
}

// C0/C1 controls and bidi overrides render differently from what the text says.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export function textProblem(text: unknown, max: number, what: string): string | undefined {
  if (typeof text !== 'string' || text.trim().length === 0) return `${what} is a non-empty string`;
  if (text.length > max) return `${what} has at most ${max} characters`;
  if (!text.isWellFormed() || UNSAFE_TEXT.test(text)) return `${what} holds control or bidi-override characters`;
  return undefined;
}
