import { mnemonicToEntropy, mnemonicToSeed } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { BIP32Factory } from 'bip32';
import * as ecc from '@bitcoinerlab/secp256k1';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api/errors.ts';
import { checkMnemonic, generateMnemonic, normalizeMnemonic } from './mnemonic.ts';
import vectors from './fixtures/bip39-vectors.json' with { type: 'json' };

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('BIP39 reference vectors', () => {
  for (const v of vectors.valid) {
    it(`accepts "${v.mnemonic.slice(0, 30)}…" and yields the reference entropy, seed and root key`, async () => {
      const phrase = checkMnemonic(v.mnemonic);
      expect(hex(mnemonicToEntropy(phrase, wordlist))).toBe(v.entropy);
      const seed = await mnemonicToSeed(phrase, v.passphrase);
      expect(hex(seed)).toBe(v.seed);
      if (v.root) expect(BIP32Factory(ecc).fromSeed(seed).toBase58()).toBe(v.root);
    });
  }
});

describe('bad recovery phrases', () => {
  for (const v of vectors.invalid) {
    it(`rejects ${v.name} with VAULT_BAD_MNEMONIC (${v.reason})`, () => {
      let error: unknown;
      try {
        checkMnemonic(v.mnemonic);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiError);
      const apiError = error as ApiError;
      expect(apiError.code).toBe('VAULT_BAD_MNEMONIC');
      expect((apiError.details as { reason: string }).reason).toBe(v.reason);
      expect(apiError.message).toContain(v.message);
    });
  }
});

describe('normalisation', () => {
  it('accepts a pasted phrase with capitals, newlines and extra spaces', () => {
    const pasted =
      '  Abandon abandon\n abandon  abandon abandon abandon\tabandon abandon abandon abandon ABANDON about \n';
    expect(checkMnemonic(pasted)).toBe(vectors.valid[0]?.mnemonic);
    expect(normalizeMnemonic(pasted).split(' ')).toHaveLength(12);
  });
});

describe('generation', () => {
  it.each([12, 24] as const)('makes valid %i-word phrases that differ each time', (words) => {
    const a = generateMnemonic(words);
    const b = generateMnemonic(words);
    expect(a.split(' ')).toHaveLength(words);
    expect(checkMnemonic(a)).toBe(a);
    expect(a).not.toBe(b);
  });
});
