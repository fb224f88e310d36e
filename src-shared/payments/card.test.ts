import { describe, expect, it } from 'vitest';
import {
  decideMerchantCard,
  MERCHANT_STATES,
  type MerchantCardInput,
  type MerchantState,
  type ProfileState,
} from './card.ts';
import fixtures from './fixtures/cards.json' with { type: 'json' };
import type { BindingCheck } from './verify.ts';

type Did = keyof typeof fixtures.dids;
interface Case {
  name: string;
  binding: { status: string; did?: string; address?: string; amount?: string | null; expiresAt?: number };
  payTo?: { address?: string; amount?: string | null };
  label?: string | null;
  profile?: { state: string; name?: string };
  history?: { count: number; lastPaidAt?: number };
  expect: {
    state: MerchantState;
    colour?: string;
    blocked?: boolean;
    confirm?: boolean;
    verified?: boolean;
    name?: string | null;
    mismatch?: string;
    lookalikeOf?: string;
    detail?: string[];
  };
}

const did = (k: string) => fixtures.dids[k as Did];
const amount = (a: string | null | undefined) => (a === null || a === undefined ? undefined : BigInt(a));

function inputOf(c: Case): MerchantCardInput {
  const d = fixtures.defaults;
  const payTo = { ...d.payTo, ...c.payTo };
  const b = c.binding;
  const binding = (
    b.status === 'valid'
      ? {
          status: 'valid',
          did: did(b.did!),
          address: b.address ?? payTo.address,
          amount: b.amount === undefined ? amount(payTo.amount) : amount(b.amount),
          expiresAt: b.expiresAt!,
          nonce: new Uint8Array(16),
        }
      : b.did
        ? { status: b.status, did: did(b.did) }
        : { status: b.status }
  ) as BindingCheck;
  return {
    binding,
    payTo: { address: payTo.address, amount: amount(payTo.amount), ticker: payTo.ticker, decimals: payTo.decimals },
    label: (c.label === undefined ? d.label : c.label) ?? undefined,
    profile: (c.profile ?? d.profile) as ProfileState,
    now: d.now,
    history: c.history ?? d.history,
    contacts: d.contacts.map(([k, name]) => ({ did: did(k!), name: name! })),
  };
}

describe('merchant card (fixtures/cards.json)', () => {
  for (const c of fixtures.cases as Case[]) {
    it(c.name, () => {
      const card = decideMerchantCard(inputOf(c));
      const e = c.expect;
      expect(card.state).toBe(e.state);
      const style = MERCHANT_STATES[e.state];
      expect(card).toMatchObject({ ...style, className: `merchant-card--${style.colour}` });
      if (e.colour !== undefined) expect(card.colour).toBe(e.colour);
      if (e.blocked !== undefined) expect(card.blocked).toBe(e.blocked);
      if (e.confirm !== undefined) expect(card.confirm).toBe(e.confirm);
      if (e.verified !== undefined) expect(card.verified).toBe(e.verified);
      if (e.name !== undefined) expect(card.name ?? null).toBe(e.name);
      if (e.mismatch !== undefined) expect(card.mismatch).toBe(e.mismatch);
      if (e.lookalikeOf !== undefined) expect(card.lookalikeOf?.did).toBe(did(e.lookalikeOf));
      for (const phrase of e.detail ?? []) expect(card.detail).toContain(phrase);
    });
  }

  it('every state of the table is reached by some case', () => {
    const reached = new Set((fixtures.cases as Case[]).map((c) => decideMerchantCard(inputOf(c)).state));
    expect([...reached].sort()).toEqual(Object.keys(MERCHANT_STATES).sort());
  });

  it('only states whose binding holds may show a badge, and only blocking states are red without confirm', () => {
    for (const [state, style] of Object.entries(MERCHANT_STATES)) {
      expect(style.verified).toBe(['known', 'verified', 'new'].includes(state));
      if (style.blocked) expect(style.colour).toBe('red');
      if (style.colour === 'green') expect(style.verified).toBe(true);
    }
  });

  it('no card that is not verified carries a name', () => {
    for (const c of fixtures.cases as Case[]) {
      const card = decideMerchantCard(inputOf(c));
      if (!card.verified && card.state !== 'lookalike') expect(card.name).toBeUndefined();
    }
  });
});
