import { describe, expect, it } from 'vitest';
import { getCoin } from '../coins/registry.ts';
import { messageMagic, signMessageWithKey, verifySignedMessage } from './signed-message.ts';
import { testKey } from './testkit.ts';

const rltc = getCoin('rLTC');
const rbtc = getCoin('rBTC');
const utf8 = (s: string) => new TextEncoder().encode(s);
// Made by Litecoin Core 0.21.2.1 on regtest: `signmessage` (legacy address) and `signmessagewithprivkey` (bech32 key).
const MESSAGE = utf8('hashlock:sn.register:v1\n{"a":"1"}');
const LEGACY = {
  address: 'n1JXrT3XYyqTKsU3snDBde5p6esCp8scti',
  sig: 'ICRgYub2c4k4eXKNsf/O94IFIKMM1bd/Lhup6aMLXZWNENaLu1N6xn347JlbKjPNWRDJ5oJ2mdgRb5eKdscXAX8=',
};
const SEGWIT = {
  address: 'rltc1q0tg3cqx7e8ae248n2pt9sgmxs8g46acfwzrvgg',
  sig: 'IJZoaPXqv9LVcxyYQRftusJUUwXVxhyskP6dfPvx854rY8C8ayTpFAPue/WX8tyO6Rr/i6eWfYbalERK/1lumwU=',
};

describe('signed messages', () => {
  it("uses each family's magic", () => {
    expect(messageMagic('litecoin')).toBe('Litecoin Signed Message:\n');
    expect(messageMagic('bitcoin')).toBe('Bitcoin Signed Message:\n');
  });
  it("verifies litecoind's signmessage for a legacy address", () =>
    expect(verifySignedMessage(LEGACY.address, LEGACY.sig, MESSAGE, rltc)).toBe(true));
  it("verifies litecoind's signmessagewithprivkey for a P2WPKH address", () =>
    expect(verifySignedMessage(SEGWIT.address, SEGWIT.sig, MESSAGE, rltc)).toBe(true));
  it('round-trips a signature made with a key', () => {
    const k = testKey(5);
    const sig = signMessageWithKey(k.secretKey, MESSAGE, 'litecoin');
    expect(verifySignedMessage(k.address, sig, MESSAGE, rltc)).toBe(true);
  });

  const refused: Array<[string, () => boolean]> = [
    ['another address', () => verifySignedMessage(SEGWIT.address, LEGACY.sig, MESSAGE, rltc)],
    [
      'another message',
      () => verifySignedMessage(LEGACY.address, LEGACY.sig, utf8('hashlock:sn.register:v1\n{"a":"2"}'), rltc),
    ],
    [
      'the Bitcoin magic for a Litecoin signature',
      () => verifySignedMessage(LEGACY.address, LEGACY.sig, MESSAGE, { ...rltc, family: 'bitcoin' }),
    ],
    // The same key hash, spelled for Bitcoin regtest: the signature is right, the chain is not.
    [
      'the right key on another network',
      () => verifySignedMessage('bcrt1q0tg3cqx7e8ae248n2pt9sgmxs8g46acfs0e9lk', SEGWIT.sig, MESSAGE, rltc),
    ],
    [
      'the same key hash read as a Bitcoin address',
      () => verifySignedMessage('bcrt1q0tg3cqx7e8ae248n2pt9sgmxs8g46acfs0e9lk', SEGWIT.sig, MESSAGE, rbtc),
    ],
    ['a signature that is not base64', () => verifySignedMessage(LEGACY.address, '!'.repeat(88), MESSAGE, rltc)],
    ['a 64-byte signature', () => verifySignedMessage(LEGACY.address, LEGACY.sig.slice(0, 86), MESSAGE, rltc)],
    ['a header out of range', () => verifySignedMessage(LEGACY.address, `/${LEGACY.sig.slice(1)}`, MESSAGE, rltc)],
    [
      'a P2WSH address',
      () =>
        verifySignedMessage(
          'rltc1qqurswpc8qurswpc8qurswpc8qurswpc8qurswpc8qurswpc8qursgfcc0c',
          LEGACY.sig,
          MESSAGE,
          rltc,
        ),
    ],
  ];
  it.each(refused)('refuses %s', (_n, check) => expect(check()).toBe(false));
});
