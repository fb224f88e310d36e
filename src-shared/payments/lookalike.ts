// Whether a merchant's name looks like the name of someone the user already pays under another
// identity: "PаyPal" with a Cyrillic а, "Acme lnc" with a lower-case L, "rnonzo" for "monzo".
// A small skeleton (after Unicode TR39, Latin/Cyrillic/Greek only) plus an edit distance.
// Limits are in docs/payments.md §4.1: it prompts a closer look, it is not a verdict.

/** Letters and symbols that render like a Latin letter or digit, mapped to what they imitate. */
const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic, lower case
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  һ: 'h',
  і: 'l',
  ї: 'l',
  ј: 'j',
  к: 'k',
  ӏ: 'l',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  ԛ: 'q',
  г: 'r',
  ѕ: 's',
  т: 't',
  у: 'y',
  ү: 'y',
  х: 'x',
  ԝ: 'w',
  ԁ: 'd',
  с: 'c',
  ь: 'b',
  ɡ: 'g',
  // Cyrillic, upper case
  А: 'a',
  В: 'b',
  Е: 'e',
  Ё: 'e',
  Һ: 'h',
  І: 'l',
  Ї: 'l',
  Ј: 'j',
  К: 'k',
  Ӏ: 'l',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  Ԛ: 'q',
  Ѕ: 's',
  Т: 't',
  У: 'y',
  Ү: 'y',
  Х: 'x',
  Ԝ: 'w',
  С: 'c',
  Ԁ: 'd',
  // Greek, lower case
  α: 'a',
  β: 'b',
  γ: 'y',
  ε: 'e',
  ι: 'l',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ϲ: 'c',
  ϳ: 'j',
  // Greek, upper case
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'l',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
  Ϲ: 'c',
  // Latin and symbols. Capital I and l are one glyph in many sans-serif fonts, and case is
  // folded, so every i-or-l shape becomes l (at the cost of "Bill" matching "Bili").
  I: 'l',
  i: 'l',
  ı: 'l',
  ȷ: 'j',
  ℓ: 'l',
  '|': 'l',
  '0': 'o',
  '1': 'l',
  ɑ: 'a',
  ǀ: 'l',
};

// Characters that show nothing: soft hyphen, fillers, zero-width, word joiner, bidi controls,
// BOM. (Invisible combining marks such as U+034F are already gone with \p{M}.)
const INVISIBLE = /[\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/gu;

// Every card compares the merchant's name with each contact's, so a contact's skeleton is asked
// for again and again: kept here (bounded; a name maps to one skeleton forever).
const SKELETONS = new Map<string, string>();
const MAX_SKELETONS = 20_000;

/** The form two names share when they look alike. */
export function skeleton(name: string): string {
  let known = SKELETONS.get(name);
  if (known === undefined) {
    if (SKELETONS.size >= MAX_SKELETONS) SKELETONS.clear();
    SKELETONS.set(name, (known = skeletonOf(name)));
  }
  return known;
}

function skeletonOf(name: string): string {
  const decomposed = name.normalize('NFKD').replace(/\p{M}/gu, '').replace(INVISIBLE, '');
  let out = '';
  for (const ch of decomposed) {
    const mapped = CONFUSABLES[ch] ?? CONFUSABLES[ch.toLowerCase()] ?? ch.toLowerCase();
    out += mapped;
  }
  return out
    .replace(/[^\p{L}\p{N}]/gu, '')
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w');
}

/** Optimal string alignment distance over code points (an adjacent swap costs 1). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const rows: number[][] = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[x.length]![y.length]!;
}

export type Closeness = { readonly close: false } | { readonly close: true; readonly distance: number };

/** Names longer than this are not compared (profile names are capped far below). */
const MAX_COMPARED = 256;

/**
 * Close: equal skeletons; or distance ≤ 1 when the shorter skeleton has ≥ 5 characters; or
 * distance ≤ 2 when it has ≥ 9. Short names only match by skeleton: "Bob" and "Rob" are not close.
 */
export function closeness(a: string, b: string): Closeness {
  const sa = skeleton(a.slice(0, MAX_COMPARED));
  const sb = skeleton(b.slice(0, MAX_COMPARED));
  if (sa === '' || sb === '') return { close: false };
  if (sa === sb) return { close: true, distance: 0 };
  const shorter = Math.min([...sa].length, [...sb].length);
  const allowed = shorter >= 9 ? 2 : shorter >= 5 ? 1 : 0;
  if (allowed === 0 || Math.abs([...sa].length - [...sb].length) > allowed) return { close: false };
  const distance = editDistance(sa, sb);
  return distance <= allowed ? { close: true, distance } : { close: false };
}

export interface Contact {
  readonly did: string;
  readonly name: string;
}

/** The first contact under another DID whose name is close to one of `names`. */
export function findLookalike(
  names: readonly (string | undefined)[],
  did: string | undefined,
  contacts: readonly Contact[],
): { readonly name: string; readonly contact: Contact } | undefined {
  for (const name of names) {
    if (name === undefined || name === '') continue;
    for (const contact of contacts) {
      if (contact.did === did) continue;
      if (closeness(name, contact.name).close) return { name, contact };
    }
  }
  return undefined;
}
