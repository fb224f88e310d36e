import { describe, expect, it } from 'vitest';
import { getCoin } from '../coins/registry.ts';
import { isPaymentError, paymentErrorData, type PaymentErrorData } from './errors.ts';
import fixtures from './fixtures/uris.json' with { type: 'json' };
import { MAX_URI_LENGTH } from './query.ts';
import { onchainTarget, parsePaymentUri, paymentTarget, type ParseOptions } from './uri.ts';

interface FixtureOptions {
  ticker?: string;
  coins?: string[];
}
interface Expect {
  ticker?: string | null;
  address?: string | null;
  addresses?: string[];
  amount?: string | null;
  label?: string | null;
  message?: string | null;
  pop?: string | null;
  identity?: string;
  otherMethods?: [string, string][];
  unknownParams?: [string, string][];
}

function expand(uri: string): string {
  return uri.replace(/\{\{repeat:(.+?):(\d+)\}\}/g, (_, text: string, n: string) => text.repeat(Number(n)));
}

function options(o: FixtureOptions | undefined): ParseOptions {
  return { ticker: o?.ticker, coins: o?.coins?.map(getCoin) };
}

function refusal(fn: () => unknown): PaymentErrorData {
  try {
    fn();
  } catch (err) {
    if (isPaymentError(err)) return paymentErrorData(err);
    throw err;
  }
  throw new Error('expected a refusal, got a parsed request');
}

describe('valid payment requests (fixtures/uris.json)', () => {
  for (const c of fixtures.valid as { name: string; uri: string; options?: FixtureOptions; expect: Expect }[]) {
    it(c.name, () => {
      const r = parsePaymentUri(expand(c.uri), options(c.options));
      const e = c.expect;
      if (e.ticker !== undefined) expect(r.coin?.ticker ?? null).toBe(e.ticker);
      if (e.address !== undefined) expect(r.address ?? null).toBe(e.address);
      if (e.addresses !== undefined) expect(r.addresses).toEqual(e.addresses);
      if (e.amount !== undefined) expect(r.amount === undefined ? null : r.amount.toString()).toBe(e.amount);
      if (e.label !== undefined) expect(r.label ?? null).toBe(e.label);
      if (e.message !== undefined) expect(r.message ?? null).toBe(e.message);
      if (e.pop !== undefined) expect(r.pop ?? null).toBe(e.pop);
      if (e.identity !== undefined) expect(r.identity?.did).toBe(e.identity);
      if (e.otherMethods !== undefined) expect(r.otherMethods.map((m) => [m.key, m.value])).toEqual(e.otherMethods);
      if (e.unknownParams !== undefined) expect(r.unknownParams.map((m) => [m.key, m.value])).toEqual(e.unknownParams);
    });
  }
});

describe('invalid payment requests (fixtures/uris.json)', () => {
  for (const c of fixtures.invalid as { name: string; uri: string; options?: FixtureOptions; code: string }[]) {
    it(`${c.name} → ${c.code}`, () => {
      const err = refusal(() => parsePaymentUri(expand(c.uri), options(c.options)));
      expect(err.code).toBe(c.code);
      expect(err.message.length).toBeGreaterThan(10);
    });
  }
});

describe('parser details', () => {
  const btc = '12ZEw5Hcv1hTb6YUQJ69y1V7uhcoDz92PH';

  it('the URI length cap is exact: 4096 characters pass, 4097 do not', () => {
    const head = `bitcoin:${btc}?x=`;
    // Split the padding over two keys so no single value passes its own cap.
    const fit = `${head}${'a'.repeat(2000)}&y=${'a'.repeat(MAX_URI_LENGTH - head.length - 2003)}`;
    expect(fit.length).toBe(MAX_URI_LENGTH);
    expect(parsePaymentUri(fit).unknownParams).toHaveLength(2);
    expect(refusal(() => parsePaymentUri(`${fit}a`)).code).toBe('URI_TOO_LONG');
  });

  it('a refused character is named with its position', () => {
    const err = refusal(() => parsePaymentUri(`bitcoin:${btc}?label=a b`));
    expect(err.details).toEqual({ position: 51, codePoint: 'U+0020' });
  });

  it('the wrong-network refusal names the network the address belongs to', () => {
    const err = refusal(() => parsePaymentUri(`litecoin:${btc}`));
    expect(err.message).toContain('Bitcoin mainnet');
    expect(err.details).toMatchObject({ networks: ['Bitcoin mainnet'] });
  });

  it('an ambiguous address names the coins it could be', () => {
    const err = refusal(() => parsePaymentUri('bitcoin:mh5CE8Nbj38iND267s4XnvhSmhDW7yWc6Q'));
    expect(err.details).toEqual({ tickers: ['tBTC', 'rBTC'] });
  });

  it('a lightning-only request parses but has no on-chain target', () => {
    const r = parsePaymentUri('bitcoin:?lightning=lnbc420bogusinvoice&lno=lno1x');
    const err = refusal(() => onchainTarget(r));
    expect(err.code).toBe('NO_ONCHAIN_ADDRESS');
    expect(err.message).toContain('Lightning (BOLT11) or Lightning (BOLT12 offer)');
  });

  it('a lightning-only request settles its coin when the node handles one network of the scheme', () => {
    const r = parsePaymentUri('bitcoin:?lightning=lnbc1x', { coins: [getCoin('BTC'), getCoin('LTC')] });
    expect(r.coin?.ticker).toBe('BTC');
  });

  it('an on-chain request gives its coin and address as the target', () => {
    const r = parsePaymentUri(`bitcoin:${btc}?lightning=lnbc1x`);
    const target = onchainTarget(r);
    expect(target.coin.ticker).toBe('BTC');
    expect(target.address).toBe(btc);
  });

  it('the decoded amount is exact far beyond float precision', () => {
    const r = parsePaymentUri('litecoin:LLnCCHbSzfwWquEdaS5TF2Yt7uz5Qb1SZ1?amount=83999999.99999999');
    expect(r.amount).toBe(8_399_999_999_999_999n);
  });

  it('identity parameters are read into bytes', () => {
    const r = parsePaymentUri(
      `bitcoin:${btc}?identity=did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP&identity-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8`,
    );
    expect(r.identity?.key).toEqual(Uint8Array.from({ length: 32 }, (_, i) => i));
    expect(r.identity?.binding).toBeUndefined();
  });

  it('refuses a non-string input instead of throwing a TypeError', () => {
    expect(refusal(() => parsePaymentUri(42 as unknown as string)).code).toBe('URI_NOT_PAYMENT');
  });

  it("a request's amount is paid as asked and cannot be changed", () => {
    const r = parsePaymentUri(`bitcoin:${btc}?amount=0.5`);
    expect(paymentTarget(r).amount).toBe(50_000_000n);
    expect(paymentTarget(r, 50_000_000n).amount).toBe(50_000_000n);
    expect(refusal(() => paymentTarget(r, 50_000_001n)).code).toBe('AMOUNT_FIXED');
  });

  it('a request without amount needs the payer to choose one within the rules', () => {
    const r = parsePaymentUri(`bitcoin:${btc}`);
    expect(refusal(() => paymentTarget(r)).code).toBe('AMOUNT_MISSING');
    expect(paymentTarget(r, 1n)).toMatchObject({ address: btc, amount: 1n });
    expect(refusal(() => paymentTarget(r, 0n)).code).toBe('AMOUNT_ZERO');
    expect(refusal(() => paymentTarget(r, -5n)).code).toBe('AMOUNT_ZERO');
    expect(refusal(() => paymentTarget(r, 2_100_000_000_000_001n)).code).toBe('AMOUNT_TOO_LARGE');
  });
});
