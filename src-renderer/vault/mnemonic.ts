// Helpers for showing a new recovery phrase and checking that it was written down: the
// user types back a few words at random positions before the app moves on.

export function splitMnemonic(mnemonic: string): string[] {
  return mnemonic
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/** Tidy a typed or pasted phrase: lower case, single spaces, no numbering like "1." or "1)". */
export function normalizeMnemonic(text: string): string {
  return text
    .toLowerCase()
    .replace(/\b\d+[.)]/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .join(' ');
}

export const VALID_WORD_COUNTS = [12, 15, 18, 21, 24];

/**
 * `count` distinct 1-based word positions in ascending order, chosen with `random`
 * (which returns integers in [0, bound)).
 */
export function pickCheckPositions(wordCount: number, count: number, random: (bound: number) => number): number[] {
  const all = Array.from({ length: wordCount }, (_, i) => i + 1);
  const picked: number[] = [];
  for (let i = 0; i < Math.min(count, wordCount); i++) {
    const j = random(all.length);
    const [p] = all.splice(j, 1);
    if (p !== undefined) picked.push(p);
  }
  return picked.sort((a, b) => a - b);
}

/** A uniform integer in [0, bound) from the platform's CSPRNG. */
export function cryptoRandomBelow(bound: number): number {
  const limit = Math.floor(0x1_0000_0000 / bound) * bound;
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    const v = buf[0] ?? 0;
    if (v < limit) return v % bound;
  }
}

export function wordMatches(expected: string, typed: string): boolean {
  return expected.toLowerCase() === typed.trim().toLowerCase();
}
