import { describe, expect, it } from 'vitest';
import { getCoin } from '../coins/registry.ts';
import { decideMerchantCard } from './card.ts';
import { events, methods, paymentsContract } from './contract.ts';
import bindings from './fixtures/bindings.json' with { type: 'json' };
import uris from './fixtures/uris.json' with { type: 'json' };
import { parsedRequestView, requestStatusView } from './present.ts';
import { requestStatus } from './status.ts';
import { parsePaymentUri } from './uri.ts';
import { checkBinding } from './verify.ts';
import { MerchantCardView, ParsedRequestView, RequestStatusView } from './views.ts';

describe('payments contract slice', () => {
  it('method names follow payments.<noun>, <noun>s, <noun><Verb>, or a bare verb', () => {
    for (const name of Object.keys(methods)) {
      expect(name).toMatch(
        /^payments\.(parse|pay|quote|book|backup|settings|signers|request|requests|payment|contacts|(request|payment|contact|settings)[A-Z][a-z]+)$/,
      );
    }
    for (const name of Object.keys(events)) expect(name).toMatch(/^payments\.[a-z]+Updated$/);
    expect(paymentsContract.methods).toBe(methods);
    expect(paymentsContract.events).toBe(events);
  });

  it('every method has a doc sentence and strict params', () => {
    for (const [name, spec] of Object.entries(methods)) {
      expect(spec.doc.length, name).toBeGreaterThan(20);
      expect(spec.params.safeParse({ surprise: 1 }).success, name).toBe(false);
    }
  });

  it('every valid fixture URI presents as a ParsedRequestView', () => {
    for (const c of uris.valid) {
      const uri = c.uri.replace(/\{\{repeat:(.+?):(\d+)\}\}/g, (_, t: string, n: string) => t.repeat(Number(n)));
      const coins = (c as { options?: { coins?: string[] } }).options?.coins;
      const ticker = (c as { options?: { ticker?: string } }).options?.ticker;
      const view = parsedRequestView(parsePaymentUri(uri, { ticker, coins: coins?.map(getCoin) }));
      expect(ParsedRequestView.safeParse(view).success, c.name).toBe(true);
    }
  });

  it('a lightning-only request presents as not payable, with the reason', () => {
    const view = parsedRequestView(parsePaymentUri('bitcoin:?lightning=lnbc1x'));
    expect(view).toMatchObject({ payable: false, otherMethods: [{ key: 'lightning', name: 'Lightning (BOLT11)' }] });
    expect(view.unpayable).toContain('Lightning (BOLT11)');
  });

  it('a signed request presents its identity and a card that fits MerchantCardView', () => {
    const v = bindings.vectors[0]!;
    const request = parsePaymentUri(v.uri);
    const view = parsedRequestView(request);
    expect(view.identity).toEqual({
      did: v.fields.did,
      hasKey: false,
      signed: true,
      expiresAt: v.fields.expires * 1000,
    });
    expect(view.amount).toBe('0.001');
    const card = decideMerchantCard({
      binding: checkBinding(request),
      payTo: { address: request.address!, amount: request.amount, ticker: 'BTC', decimals: 8 },
      label: request.label,
      profile: { state: 'active', name: 'Acme Coffee' },
      now: 1_700_000_000_000,
      history: { count: 0 },
      contacts: [],
    });
    expect(card.state).toBe('new');
    expect(MerchantCardView.parse(card)).toMatchObject({ state: 'new', did: v.fields.did });
  });

  it('a request status presents with decimal strings', () => {
    const payments = [{ txid: 'a', vout: 1, amount: 150_000_000n, confirmations: 1, seenAt: 5 }];
    const status = requestStatus(
      { amount: 100_000_000n, expiresAt: undefined, ticker: 'LTC', decimals: 8 },
      payments,
      10,
      6,
    );
    const view = RequestStatusView.parse(requestStatusView(status, payments, 8));
    expect(view).toMatchObject({ status: 'overpaid', received: '1.5', excess: '0.5', confirmed: '0' });
    expect(view.payments[0]!.amount).toBe('1.5');
  });
});
