import { describe, expect, it } from 'vitest';
import { price } from '../money/price.ts';
import {
  checkOrderTerms,
  computeOrderId,
  createOrder,
  fillQuote,
  isValidFill,
  largestFillUpTo,
  makerReceivesTicker,
  makerSellsTicker,
  nonceFromBytes,
  orderTermsBody,
  verifyMakerSig,
  verifyServiceNodeSig,
  withinCap,
} from './order.ts';
import {
  MAKER,
  NOW,
  SERVICE_NODE,
  STRANGER,
  TXID_A,
  TXID_B,
  makerOrder,
  orderTerms,
  signedOrder,
  testKey,
} from './testkit.ts';
import type { OrderTerms, PartialTerms } from './types.ts';

describe('order id and signatures', () => {
  it('the id is the digest of the maker-signed terms and does not depend on field order', () => {
    const t = orderTerms();
    const shuffled = Object.fromEntries(Object.entries(t).reverse()) as unknown as OrderTerms;
    expect(computeOrderId(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(computeOrderId(shuffled)).toBe(computeOrderId(t));
  });
  it('the reference order of docs/protocol.md keeps its id (the canonical form is part of the protocol)', () => {
    expect(makerOrder().id).toBe('5ca459b965c44734c3ee0663f5259fe3461bf72a0ca0a9eeeea92156bedbe1b3');
  });
  it('carries the price derived from the amounts, reduced', () => {
    expect(makerOrder().price).toEqual({ num: 1n, den: 4n });
    expect(orderTermsBody(orderTerms()).price).toEqual({ num: '1', den: '4' });
  });
  it.each<[string, Partial<OrderTerms>]>([
    ['base amount', { baseAmount: 100_000_001n }],
    ['nonce', { nonce: '1f'.repeat(16) }],
    ['expiry', { expiresAt: NOW + 3_600_001 }],
    ['outpoints', { makerUtxos: [`${TXID_B}:0`] }],
    [
      'side',
      {
        side: 'buy',
        maker: { ...orderTerms().maker, addresses: { payout: testKey(11).address, refund: MAKER.address } },
      },
    ],
  ])('a different %s gives a different id', (_n, over) =>
    expect(computeOrderId(orderTerms(over))).not.toBe(computeOrderId(orderTerms())),
  );

  it('maker and service-node signatures verify', () => {
    const o = signedOrder();
    expect(verifyMakerSig(o)).toBe(true);
    expect(verifyServiceNodeSig(o)).toBe(true);
    expect(o.serviceNode.pubkey).toBe(SERVICE_NODE.pubkey);
  });
  it('a changed amount breaks the maker signature', () => {
    expect(verifyMakerSig({ ...makerOrder(), quoteAmount: 30_000_000n })).toBe(false);
  });
  it('an id recomputed for changed terms is not covered by the maker signature', () => {
    const changed = orderTerms({ quoteAmount: 30_000_000n });
    expect(verifyMakerSig({ ...makerOrder(), ...changed, id: computeOrderId(changed) })).toBe(false);
  });
  it('a service-node signature moved to another order does not verify', () => {
    const a = signedOrder();
    const b = signedOrder({ nonce: '2e'.repeat(16) });
    expect(verifyServiceNodeSig({ ...b, serviceNode: a.serviceNode })).toBe(false);
    expect(
      verifyServiceNodeSig({ ...a, serviceNode: { ...a.serviceNode, signedAt: a.serviceNode.signedAt + 1 } }),
    ).toBe(false);
  });
  it('refuses to sign with a key that is not the named maker key', () => {
    expect(() => createOrder(orderTerms(), STRANGER.signer)).toThrow(/not the maker key/);
  });
});

describe('order terms', () => {
  const base = orderTerms();
  const refused: Array<[string, Partial<OrderTerms>, string]> = [
    ['an unknown coin', { market: { base: 'DEVA', quote: 'NOPE' } }, 'unknown-market'],
    ['a market of one coin', { market: { base: 'DEVA', quote: 'DEVA' } }, 'unknown-market'],
    ['a zero quote amount', { quoteAmount: 0n }, 'price-inconsistent'],
    ['a minimum above the amount', { partial: { allowed: true, minBase: 100_000_001n } }, 'price-inconsistent'],
    ['a zero minimum', { partial: { allowed: true, minBase: 0n } }, 'price-inconsistent'],
    [
      'an exact order with a smaller minimum',
      { partial: { allowed: false, minBase: 10_000_000n } },
      'price-inconsistent',
    ],
    ['an expiry before creation', { expiresAt: NOW }, 'expired'],
    ['a lifetime over 24 hours', { expiresAt: NOW + 86_400_001 }, 'malformed'],
    ['no outpoints', { makerUtxos: [] }, 'malformed'],
    ['51 outpoints', { makerUtxos: Array.from({ length: 51 }, (_, i) => `${TXID_A}:${i}`) }, 'malformed'],
    ['an outpoint named twice', { makerUtxos: [`${TXID_A}:0`, `${TXID_A}:0`] }, 'malformed'],
    [
      'a refund address of another chain',
      {
        maker: {
          ...base.maker,
          addresses: { ...base.maker.addresses, refund: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' },
        },
      },
      'malformed',
    ],
    [
      'a payout address that is not an address',
      { maker: { ...base.maker, addresses: { ...base.maker.addresses, payout: 'rltc1qnotreallyanaddress0000' } } },
      'malformed',
    ],
    ['a minimum fill below base dust', { partial: { allowed: true, minBase: 3299n } }, 'dust'],
    // Above the P2WSH dust (3300) but below what the swap engine locks (2940 + 155 × 10 = 4490).
    ['a minimum fill above dust but below the swap minimum', { partial: { allowed: true, minBase: 4489n } }, 'dust'],
    ['a minimum fill paying quote dust', { partial: { allowed: true, minBase: 13_199n } }, 'dust'],
    [
      'a minimum fill paying less than the quote swap minimum',
      { partial: { allowed: true, minBase: 17_959n } },
      'dust',
    ],
    [
      'a whole order below quote dust',
      { baseAmount: 10_000n, quoteAmount: 3_000n, partial: { allowed: false, minBase: 10_000n } },
      'dust',
    ],
  ];
  it.each(refused)('refuses %s', (_n, over, reason) => {
    expect(checkOrderTerms(orderTerms(over))?.reason).toBe(reason);
    expect(() => createOrder(orderTerms(over), MAKER.signer)).toThrow(expect.objectContaining({ code: 'ORDER_TERMS' }));
  });
  it('accepts the smallest fill exactly at both swap minimums', () => {
    expect(checkOrderTerms(orderTerms({ partial: { allowed: true, minBase: 17_960n } }))).toBeNull();
  });
  it('the sold coin is base for a seller and quote for a buyer', () => {
    expect([makerSellsTicker(base), makerReceivesTicker(base)]).toEqual(['DEVA', 'DEVB']);
    const buy = { ...base, side: 'buy' as const };
    expect([makerSellsTicker(buy), makerReceivesTicker(buy)]).toEqual(['DEVB', 'DEVA']);
  });
});

describe('fill rules', () => {
  const partial: PartialTerms = { allowed: true, minBase: 10n };
  const exact: PartialTerms = { allowed: false, minBase: 100n };
  const fills: Array<[string, PartialTerms, bigint, bigint, boolean]> = [
    ['the whole remainder', partial, 100n, 100n, true],
    ['the whole remainder of an exact order', exact, 100n, 100n, true],
    ['part of an exact order', exact, 100n, 50n, false],
    ['the minimum', partial, 100n, 10n, true],
    ['below the minimum', partial, 100n, 9n, false],
    ['leaving exactly the minimum', partial, 100n, 90n, true],
    ['leaving less than the minimum', partial, 100n, 91n, false],
    ['more than remains', partial, 100n, 101n, false],
    ['nothing', partial, 100n, 0n, false],
    ['a remainder below the minimum, whole', partial, 5n, 5n, true],
  ];
  it.each(fills)('%s', (_n, p, remaining, fill, ok) => expect(isValidFill(p, remaining, fill)).toBe(ok));

  const largest: Array<[string, PartialTerms, bigint, bigint, bigint]> = [
    ['wanting more than remains takes the remainder', partial, 100n, 500n, 100n],
    ['wanting a valid part takes it', partial, 100n, 40n, 40n],
    ['wanting almost all leaves the minimum', partial, 100n, 95n, 90n],
    ['wanting less than the minimum takes nothing', partial, 100n, 9n, 0n],
    ['an exact order is all or nothing', exact, 100n, 99n, 0n],
    ['a remainder under twice the minimum cannot be split', partial, 15n, 12n, 0n],
  ];
  it.each(largest)('%s', (_n, p, remaining, want, got) => {
    expect(largestFillUpTo(p, remaining, want)).toBe(got);
    if (got > 0n) expect(isValidFill(p, remaining, got)).toBe(true);
  });

  it("rounds the quote in the maker's favour", () => {
    const p = price(1n, 3n);
    expect(fillQuote(p, 10n, 'sell')).toBe(4n); // the taker pays the selling maker
    expect(fillQuote(p, 10n, 'buy')).toBe(3n); // the buying maker pays the taker
    expect(fillQuote(price(1n, 4n), 100_000_000n, 'sell')).toBe(25_000_000n);
  });
  it('a cap admits asks at or below it and bids at or above it', () => {
    const cap = price(1n, 4n);
    expect(withinCap(price(1n, 4n), 'sell', cap)).toBe(true);
    expect(withinCap(price(1n, 3n), 'sell', cap)).toBe(false);
    expect(withinCap(price(1n, 5n), 'buy', cap)).toBe(false);
    expect(withinCap(price(1n, 3n), 'buy', cap)).toBe(true);
  });
  it('a nonce is 16 bytes', () => {
    expect(nonceFromBytes(new Uint8Array(16).fill(255))).toBe('ff'.repeat(16));
    expect(() => nonceFromBytes(new Uint8Array(8))).toThrow(expect.objectContaining({ code: 'ORDER_TERMS' }));
  });
});
