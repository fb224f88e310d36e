// A rough, honest strength hint for the vault password. It only encourages length and
// variety; the node enforces the real minimum.

export const MIN_PASSWORD_LENGTH = 8;

export type Strength = 'too-short' | 'weak' | 'fair' | 'strong';

export const STRENGTH_TEXT: Record<Strength, string> = {
  'too-short': `Use at least ${MIN_PASSWORD_LENGTH} characters.`,
  weak: 'Weak: easy to guess. Add length, or mix words, digits and symbols.',
  fair: 'Fair. Longer is stronger: a few unrelated words work well.',
  strong: 'Strong.',
};

export function passwordStrength(password: string): Strength {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too-short';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const distinct = new Set(password).size;
  if (distinct <= 3) return 'weak';
  const length = [...password].length;
  if (length >= 16 && classes >= 2) return 'strong';
  if (length >= 12 && classes >= 3) return 'strong';
  if (length >= 10 || classes >= 3) return 'fair';
  return 'weak';
}
