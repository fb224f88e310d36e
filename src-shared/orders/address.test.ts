import { describe, expect, it } from 'vitest';
import { getCoin } from '../coins/registry.ts';
import { decodeAddress } from './address.ts';

const rltc = getCoin('rLTC');
const btc = getCoin('BTC');

describe('decodeAddress', () => {
  const valid: Array<[string, string, typeof rltc, string]> = [
    ['a regtest P2WPKH', 'rltc1q0tg3cqx7e8ae248n2pt9sgmxs8g46acfwzrvgg', rltc, 'p2wpkh'],
    ['a regtest P2WSH', 'rltc1qqurswpc8qurswpc8qurswpc8qurswpc8qurswpc8qurswpc8qursgfcc0c', rltc, 'p2wsh'],
    ['a regtest P2PKH', 'n1JXrT3XYyqTKsU3snDBde5p6esCp8scti', rltc, 'p2pkh'],
    ['a mainnet P2WPKH in upper case', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', btc, 'p2wpkh'],
    ['a mainnet P2WSH', 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3', btc, 'p2wsh'],
    ['a mainnet P2TR (bech32m)', 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', btc, 'p2tr'],
    ['a mainnet P2PKH', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', btc, 'p2pkh'],
    ['a mainnet P2SH', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', btc, 'p2sh'],
  ];
  it.each(valid)('reads %s', (_n, address, coin, kind) => expect(decodeAddress(address, coin)?.kind).toBe(kind));

  const refused: Array<[string, string, typeof rltc]> = [
    ["another chain's bech32", 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', rltc],
    ["another chain's base58", '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', rltc],
    ['a bad bech32 checksum', 'rltc1q0tg3cqx7e8ae248n2pt9sgmxs8g46acfwzrvgh', rltc],
    ['a bad base58 checksum', 'n1JXrT3XYyqTKsU3snDBde5p6esCp8sctj', rltc],
    ['mixed case', 'bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', btc],
    ['witness v1 spelled with bech32', 'bc1pqurswpc8qurswpc8qurswpc8qurswpc8qurswpc8qurswpc8qurs9s7tj7', btc],
    ['witness v0 spelled with bech32m', 'bc1qqurswpc8qurswpc8qurswpc8qurswpc8s4fapw', btc],
    ['a witness v0 program of 25 bytes', 'rltc1qqurswpc8qurswpc8qurswpc8qurswpc8qurswpc8hck703', rltc],
    ['empty text', '', rltc],
    ['a very long text', `rltc1${'q'.repeat(120)}`, rltc],
  ];
  it.each(refused)('refuses %s', (_n, address, coin) => expect(decodeAddress(address, coin)).toBeNull());
});
