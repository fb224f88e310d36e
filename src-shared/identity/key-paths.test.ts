// The key-path fixture the vault's identity keys will be tested against is itself right: the facts
// mnemonic derives each listed address at its path (checked here with bip32, independent of the vault).
import * as ecc from '@bitcoinerlab/secp256k1';
import { mnemonicToSeedSync } from '@scure/bip39';
import { BIP32Factory } from 'bip32';
import { describe, expect, it } from 'vitest';
import { addressOfKey } from './compact.ts';
import fixture from './fixtures/key-paths.json' with { type: 'json' };

const root = BIP32Factory(ecc).fromSeed(mnemonicToSeedSync(fixture.mnemonic, fixture.passphrase));

describe('did:is key paths', () => {
  it.each(fixture.keys)('$path gives $address', (k) => {
    expect(addressOfKey(Uint8Array.from(root.derivePath(k.path).publicKey))).toBe(k.address);
  });

  it('a neighbouring account gives another address', () => {
    expect(addressOfKey(Uint8Array.from(root.derivePath("m/302'/616'/1'/0/0").publicKey))).not.toBe(
      fixture.keys[1]!.address,
    );
  });
});
