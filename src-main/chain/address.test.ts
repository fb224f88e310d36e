// Addresses from a wallet must belong to the coin's network: BIP173/BIP350 vectors plus
// addresses that real Litecoin regtest daemons handed out.
import { describe, expect, it } from 'vitest';
import { getCoin } from '../../src-shared/coins/registry.ts';
import { isCoinSegwitAddress, probeAddress } from './address.ts';

const VALID: [ticker: string, address: string][] = [
  ['rLTC', 'rltc1qjm7j6a2vsjst2mhexf9v84u7fz57x06sgs5rgh'],
  ['rLTC', 'rltc1q2w42fvq75vsckh26pzx8yvpxp6ylu24z8wv33h'],
  ['BTC', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4'],
  ['tBTC', 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7'],
  ['BTC', 'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y'],
  ['tBTC', 'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c'],
];

const INVALID: [ticker: string, address: string, why: string][] = [
  ['LTC', 'rltc1qjm7j6a2vsjst2mhexf9v84u7fz57x06sgs5rgh', 'a regtest address offered for mainnet'],
  ['rLTC', 'bcrt1qjm7j6a2vsjst2mhexf9v84u7fz57x06sgs5rgh', "another coin's prefix"],
  ['rLTC', 'rltc1qjm7j6a2vsjst2mhexf9v84u7fz57x06sgs5rgj', 'a broken checksum'],
  ['rLTC', 'rltc1Qjm7j6a2vsjst2mhexf9v84u7fz57x06sgs5rgh', 'mixed case'],
  ['BTC', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', 'witness v0 with a bech32m checksum'],
  ['BTC', 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut', 'witness v1 with a bech32 checksum'],
  [
    'rLTC',
    'tmweb1qqvnpqt49fcd7wyde0areu6t9k95za7ut03vdz6fphw5kwazmlu437qhjc9kgakqdcdkmp3xcllk5zqmwmeklc5l376x6klj28j47vs5ykqz2tqg7',
    'an MWEB address',
  ],
  ['rLTC', 'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', 'a legacy base58 address'],
  ['rLTC', '', 'nothing'],
];

describe('isCoinSegwitAddress', () => {
  for (const [ticker, address] of VALID) {
    it(`accepts ${address.slice(0, 16)}… for ${ticker}`, () => {
      expect(isCoinSegwitAddress(getCoin(ticker), address)).toBe(true);
    });
  }
  for (const [ticker, address, why] of INVALID) {
    it(`rejects ${why}`, () => {
      expect(isCoinSegwitAddress(getCoin(ticker), address)).toBe(false);
    });
  }
});

describe('probeAddress', () => {
  it('is a valid address of its own coin and of no other prefix', () => {
    const probe = probeAddress(getCoin('rLTC'));
    expect(probe.startsWith('rltc1q')).toBe(true);
    expect(isCoinSegwitAddress(getCoin('rLTC'), probe)).toBe(true);
    expect(isCoinSegwitAddress(getCoin('LTC'), probe)).toBe(false);
  });
});
