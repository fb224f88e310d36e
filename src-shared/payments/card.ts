// The merchant card on the Pay page: who asks for this payment, how sure we are, and whether
// Hashlock will pay it. A pure decision over the binding check, the identity's profile, the
// user's history and contacts; docs/payments.md §4 is the table, first match wins.
import { formatAmount } from '../money/amount.ts';
import { shorten } from './address.ts';
import { findLookalike, type Contact } from './lookalike.ts';
import type { BindingCheck } from './verify.ts';

export const MERCHANT_STATE_NAMES = [
  'known',
  'verified',
  'new',
  'anonymous',
  'unbound',
  'lookalike',
  'mismatch',
  'expired',
  'deleted',
] as const;
export type MerchantState = (typeof MERCHANT_STATE_NAMES)[number];
export const SEVERITIES = ['ok', 'info', 'neutral', 'warning', 'danger'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const COLOURS = ['green', 'blue', 'grey', 'amber', 'red'] as const;
export type Colour = (typeof COLOURS)[number];

export interface StateStyle {
  readonly title: string;
  readonly severity: Severity;
  readonly colour: Colour;
  /** Hashlock refuses to pay. */
  readonly blocked: boolean;
  /** The user must tick "I checked" before paying. */
  readonly confirm: boolean;
  /** The identity's binding holds: the only states that may show a badge. */
  readonly verified: boolean;
}

export const MERCHANT_STATES: Readonly<Record<MerchantState, StateStyle>> = {
  known: { title: 'Paid before', severity: 'ok', colour: 'green', blocked: false, confirm: false, verified: true },
  verified: {
    title: 'Verified contact',
    severity: 'ok',
    colour: 'green',
    blocked: false,
    confirm: false,
    verified: true,
  },
  new: { title: 'New identity', severity: 'info', colour: 'blue', blocked: false, confirm: false, verified: true },
  anonymous: {
    title: 'No identity',
    severity: 'neutral',
    colour: 'grey',
    blocked: false,
    confirm: false,
    verified: false,
  },
  unbound: {
    title: 'Identity not signed',
    severity: 'warning',
    colour: 'amber',
    blocked: false,
    confirm: true,
    verified: false,
  },
  lookalike: {
    title: 'Looks like a contact',
    severity: 'danger',
    colour: 'red',
    blocked: false,
    confirm: true,
    verified: false,
  },
  mismatch: {
    title: 'Request was changed',
    severity: 'danger',
    colour: 'red',
    blocked: true,
    confirm: false,
    verified: false,
  },
  expired: {
    title: 'Request expired',
    severity: 'danger',
    colour: 'red',
    blocked: true,
    confirm: false,
    verified: false,
  },
  deleted: {
    title: 'Identity deleted',
    severity: 'danger',
    colour: 'red',
    blocked: true,
    confirm: false,
    verified: false,
  },
};

export type ProfileState =
  | { readonly state: 'active'; readonly name?: string }
  | { readonly state: 'deleted' }
  /** Could not be fetched (offline, not replicated yet). */
  | { readonly state: 'unknown' };

export interface MerchantCardInput {
  readonly binding: BindingCheck;
  /** What the user is about to pay. */
  readonly payTo: {
    readonly address: string;
    readonly amount: bigint | undefined;
    readonly ticker: string;
    readonly decimals: number;
  };
  /** The request's label (signed only when the binding holds). */
  readonly label: string | undefined;
  readonly profile: ProfileState;
  /** Unix milliseconds. */
  readonly now: number;
  /** Payments the user made to this DID. */
  readonly history: { readonly count: number; readonly lastPaidAt?: number };
  readonly contacts: readonly Contact[];
}

export interface MerchantCard extends StateStyle {
  readonly state: MerchantState;
  /** `merchant-card--<colour>` */
  readonly className: string;
  readonly detail: string;
  readonly did?: string;
  /** The name to show as the merchant's; never set for an unsigned or failed identity. */
  readonly name?: string;
  readonly lookalikeOf?: Contact;
  readonly mismatch?: 'signature' | 'address' | 'amount';
  readonly history?: { readonly count: number; readonly lastPaidAt?: number };
}

function card(state: MerchantState, detail: string, extra: Partial<MerchantCard> = {}): MerchantCard {
  const style = MERCHANT_STATES[state];
  return { ...style, state, className: `merchant-card--${style.colour}`, detail, ...extra };
}

/** "2026-05-02 14:30 UTC": the renderer may reformat from the numbers it also gets. */
export function utcWords(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const quoted = (name: string) => `"${shorten(name, 64)}"`;

export function decideMerchantCard(input: MerchantCardInput): MerchantCard {
  const { binding, contacts } = input;
  if (binding.status === 'absent' || binding.status === 'unbound') {
    // The DID of an unsigned request proves nothing, so even a contact's own DID is no excuse.
    const look = findLookalike([input.label], undefined, contacts);
    if (look) {
      return card(
        'lookalike',
        `The label ${quoted(look.name)} looks like your contact ${quoted(look.contact.name)} (${look.contact.did}), ` +
          'but this request is not signed by that identity.',
        { lookalikeOf: look.contact, ...(binding.status === 'unbound' ? { did: binding.did } : {}) },
      );
    }
    if (binding.status === 'absent') {
      return card('anonymous', 'A plain payment request. Check the address with the recipient.');
    }
    return card(
      'unbound',
      `This request names ${binding.did} but is not signed by it. Anyone could have put this name here: do not rely on it.`,
      { did: binding.did },
    );
  }
  if (binding.status === 'invalid') {
    return card(
      'mismatch',
      "The identity's signature does not match this request: its address, amount, label, message or expiry " +
        'changed after signing. Do not pay; ask the merchant for a new request.',
      { did: binding.did, mismatch: 'signature' },
    );
  }
  return decideBound(input, binding);
}

function decideBound(input: MerchantCardInput, binding: Extract<BindingCheck, { status: 'valid' }>): MerchantCard {
  const { payTo, profile } = input;
  const did = binding.did;
  const what = (units: bigint) => `${formatAmount(units, payTo.decimals)} ${payTo.ticker}`;
  if (payTo.address !== binding.address) {
    return card(
      'mismatch',
      `You are about to pay ${payTo.address}, but the identity signed ${binding.address}. Do not pay.`,
      { did, mismatch: 'address' },
    );
  }
  if (binding.amount !== undefined && payTo.amount !== binding.amount) {
    const paying = payTo.amount === undefined ? 'no set amount' : what(payTo.amount);
    return card('mismatch', `You are about to pay ${paying}, but the identity signed ${what(binding.amount)}.`, {
      did,
      mismatch: 'amount',
    });
  }
  if (profile.state === 'deleted') {
    return card(
      'deleted',
      `${did} was deleted by its owner. A request signed by a deleted identity may come from a lost or ` +
        'stolen key, so Hashlock will not pay it.',
      { did },
    );
  }
  if (input.now >= binding.expiresAt) {
    return card('expired', `This request expired at ${utcWords(binding.expiresAt)}. Ask the merchant for a new one.`, {
      did,
    });
  }
  const profileName = profile.state === 'active' && profile.name ? profile.name : undefined;
  const look = findLookalike([profileName, input.label], did, input.contacts);
  if (look) {
    return card(
      'lookalike',
      `${quoted(look.name)} looks like your contact ${quoted(look.contact.name)} (${look.contact.did}), ` +
        `but this is another identity (${did}).`,
      { did, lookalikeOf: look.contact, ...(profileName ? { name: profileName } : {}) },
    );
  }
  return decideTrusted(input, did, profileName);
}

function decideTrusted(input: MerchantCardInput, did: string, profileName: string | undefined): MerchantCard {
  const contact = input.contacts.find((c) => c.did === did);
  const name = profileName ?? contact?.name;
  const who = name ? quoted(name) : did;
  const missing =
    input.profile.state === 'unknown' ? ' Its profile could not be fetched, so no profile name is shown.' : '';
  const extra = { did, ...(name ? { name } : {}) };
  const { count, lastPaidAt } = input.history;
  if (count > 0) {
    const times = count === 1 ? 'once' : `${count} times`;
    const last = lastPaidAt === undefined ? '' : `, last on ${utcWords(lastPaidAt).slice(0, 10)}`;
    return card('known', `You have paid ${who} ${times}${last}.${missing}`, { ...extra, history: input.history });
  }
  if (contact) return card('verified', `Signed by ${who}, one of your contacts.${missing}`, extra);
  return card(
    'new',
    `Signed by ${who}${name ? ` (${did})` : ''}, an identity you have never paid. The signature proves the ` +
      `request comes from this identity, not who is behind it.${missing}`,
    extra,
  );
}
