// Whether a parsed request's identity binding holds. The canonical bytes are rebuilt from the
// request about to be paid, never taken from anyone, so any change to what the merchant signed
// (address, amount, texts, expiry, nonce, key, network) makes the signature fail.
import { bindingHolds, type BindingFields } from './binding.ts';
import type { PaymentRequest } from './uri.ts';

export type BindingCheck =
  /** The request names no identity. */
  | { readonly status: 'absent' }
  /** It names one but carries no signature: anyone could have written it. */
  | { readonly status: 'unbound'; readonly did: string }
  /** The signature does not recover the named identity's key for these bytes. */
  | { readonly status: 'invalid'; readonly did: string }
  | {
      readonly status: 'valid';
      readonly did: string;
      readonly address: string;
      readonly amount: bigint | undefined;
      /** Unix milliseconds. */
      readonly expiresAt: number;
      readonly nonce: Uint8Array;
    };

/** The fields the identity signed for this request, when it carries a signature. */
export function bindingFieldsOf(request: PaymentRequest): BindingFields | undefined {
  const identity = request.identity;
  if (!identity?.binding || request.address === undefined || request.coin === undefined) return undefined;
  return {
    scheme: request.scheme,
    network: request.coin.network,
    did: identity.did,
    address: request.address,
    amount: request.amount,
    label: request.label,
    message: request.message,
    expires: identity.binding.expires,
    nonce: identity.binding.nonce,
    identityKey: identity.key,
  };
}

export function checkBinding(request: PaymentRequest): BindingCheck {
  const identity = request.identity;
  if (!identity) return { status: 'absent' };
  if (!identity.binding) return { status: 'unbound', did: identity.did };
  const fields = bindingFieldsOf(request);
  if (!fields || !bindingHolds(fields, identity.binding.signature)) return { status: 'invalid', did: identity.did };
  return {
    status: 'valid',
    did: identity.did,
    address: fields.address,
    amount: fields.amount,
    expiresAt: fields.expires * 1000,
    nonce: fields.nonce,
  };
}
