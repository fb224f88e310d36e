import * as ecc from '@bitcoinerlab/secp256k1';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import * as bitcoin from 'bitcoinjs-lib';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { COINS, getCoin, type CoinParams } from '../coins/registry.ts';
import { addressKind, belongsTo, checkPayable, decodeAnyAddress, outputScript } from './address.ts';
import { isPaymentError } from './errors.ts';
import fixtures from './fixtures/addresses.json' with { type: 'json' };
import { parsePaymentUri } from './uri.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isPaymentError(err)) return err.details.code;
    throw err;
  }
  return 'accepted';
}

bitcoin.initEccLib(ecc);

// bitcoinjs-lib is an independent encoder: every address it writes for a registry coin must
// decode here to the script it would pay.
function network(c: CoinParams): bitcoin.Network {
  return {
    messagePrefix: '',
    bech32: c.bech32,
    bip32: c.bip32,
    pubKeyHash: c.pubKeyHash,
    scriptHash: c.scriptHash,
    wif: c.wif,
  };
}

describe('BIP350 vectors', () => {
  for (const [address, script] of fixtures.bip350Valid as [string, string][]) {
    it(`decodes ${address} to ${script}`, () => {
      expect(bytesToHex(outputScript(decodeAnyAddress(address), getCoin('BTC')))).toBe(script);
    });
  }
  for (const [address, code, why] of fixtures.bip350Invalid as [string, string, string][]) {
    it(`refuses ${address} (${why}) with ${code}`, () => {
      expect(codeOf(() => parsePaymentUri(`bitcoin:${address}`))).toBe(code);
    });
  }
});

describe('addresses of every registry coin', () => {
  for (const [address, kind, tickers] of fixtures.perCoin as [string, string, string[]][]) {
    it(`${address} is a ${kind} address of ${tickers.join(', ')} only`, () => {
      const decoded = decodeAnyAddress(address);
      expect(COINS.filter((c) => belongsTo(decoded, c)).map((c) => c.ticker)).toEqual(tickers);
      const coin = getCoin(tickers[0]!);
      expect(addressKind(decoded, coin)).toBe(kind);
      expect(bytesToHex(outputScript(decoded, coin))).toBe(
        bytesToHex(bitcoin.address.toOutputScript(address, network(coin))),
      );
    });
  }

  it('random hashes encoded by bitcoinjs-lib decode to the same script on every coin', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff;
    const bytes = (n: number) => Uint8Array.from({ length: n }, next);
    const secretKey = (b: Uint8Array) => (b.every((x) => x === 0) ? Uint8Array.of(...b.slice(1), 1) : b);
    for (let round = 0; round < 25; round++) {
      for (const coin of COINS) {
        const written = [
          bitcoin.address.toBase58Check(bytes(20), coin.pubKeyHash),
          bitcoin.address.toBase58Check(bytes(20), coin.scriptHash),
          bitcoin.address.toBech32(bytes(20), 0, coin.bech32),
          bitcoin.address.toBech32(bytes(32), 0, coin.bech32),
          // bitcoinjs-lib checks a taproot key is on the curve (the decoder here need not).
          bitcoin.address.toBech32(secp256k1.getPublicKey(secretKey(bytes(32))).slice(1), 1, coin.bech32),
        ];
        for (const address of written) {
          const decoded = decodeAnyAddress(address);
          expect(belongsTo(decoded, coin)).toBe(true);
          expect(bytesToHex(outputScript(decoded, coin))).toBe(
            bytesToHex(bitcoin.address.toOutputScript(address, network(coin))),
          );
        }
      }
    }
  });
});

describe('what is payable', () => {
  it('witness v2 is decoded but not payable', () => {
    const decoded = decodeAnyAddress('bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs');
    expect(addressKind(decoded)).toBe('witness-unknown');
    expect(codeOf(() => checkPayable(decoded))).toBe('ADDRESS_UNSUPPORTED');
  });

  it('taproot and both segwit v0 kinds are payable', () => {
    for (const a of [
      'bc1qxvenxvenxvenxvenxvenxvenxvenxven2ymjt8',
      'bc1qg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zqd8sxw4',
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    ]) {
      expect(codeOf(() => checkPayable(decodeAnyAddress(a)))).toBe('accepted');
    }
  });

  it('an upper-case segwit address decodes to its lower-case canonical form', () => {
    expect(decodeAnyAddress('BC1QXVENXVENXVENXVENXVENXVENXVENXVEN2YMJT8').text).toBe(
      'bc1qxvenxvenxvenxvenxvenxvenxvenxven2ymjt8',
    );
  });

  it('refuses text longer than any address without decoding it', () => {
    expect(codeOf(() => decodeAnyAddress('1'.repeat(91)))).toBe('ADDRESS_INVALID');
  });
});
