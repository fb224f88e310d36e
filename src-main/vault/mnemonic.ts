// BIP39 recovery phrases (English list only): generation, normalisation and validation that
// explains in plain words what is wrong with a phrase the user typed.

import { generateMnemonic as scureGenerate, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { ApiError } from '../../src-shared/api/errors.ts';

export type MnemonicLength = 12 | 24;

const WORD_COUNTS = [12, 15, 18, 21, 24];
const WORDS = new Set(wordlist);

export function generateMnemonic(words: MnemonicLength): string {
  return scureGenerate(wordlist, words === 24 ? 256 : 128);
}

/** Pasted phrases come with capitals, newlines and double spaces; BIP39 wants single spaces. */
export function normalizeMnemonic(input: string): string {
  return input
    .normalize('NFKD')
    .toLowerCase()
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '')
    .join(' ');
}

/** Returns the normalised phrase, or throws ApiError VAULT_BAD_MNEMONIC saying what is wrong. */
export function checkMnemonic(input: string): string {
  const phrase = normalizeMnemonic(input);
  const words = phrase === '' ? [] : phrase.split(' ');
  if (!WORD_COUNTS.includes(words.length)) {
    throw new ApiError(
      'VAULT_BAD_MNEMONIC',
      `A recovery phrase has 12, 15, 18, 21 or 24 words; this one has ${words.length}.`,
      { reason: 'word-count', count: words.length },
    );
  }
  const position = words.findIndex((w) => !WORDS.has(w));
  if (position >= 0) {
    const word = words[position];
    throw new ApiError(
      'VAULT_BAD_MNEMONIC',
      `Word ${position + 1}, "${word}", is not in the BIP39 English word list.`,
      { reason: 'unknown-word', word, position: position + 1 },
    );
  }
  if (!validateMnemonic(phrase, wordlist)) {
    throw new ApiError(
      'VAULT_BAD_MNEMONIC',
      "Every word is in the list, but the phrase's checksum does not match: a word is probably wrong or out of order.",
      { reason: 'checksum' },
    );
  }
  return phrase;
}
