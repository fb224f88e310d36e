// Writes payment requests: the merchant's side of uri.ts. Values are percent-encoded as UTF-8,
// nothing is upper-cased (base58 and base64url values are case-sensitive), and every URI built
// is read back by the parser before it is returned, so Hashlock never hands out a request it
// would itself refuse.
import type { CoinParams } from '../coins/registry.ts';
import { belongsTo, checkPayable, decodeAnyAddress, networksOf, shorten } from './address.ts';
import { formatUriAmount } from './amount.ts';
import { checkDid, encodeBase64url, type BindingFields, type BindingParams } from './binding.ts';
import { paymentError } from './errors.ts';
import { percentEncode } from './query.ts';
import { schemeOf } from './schemes.ts';
import { parsePaymentUri, type PaymentRequest } from './uri.ts';

export interface RequestInput {
  readonly coin: CoinParams;
  readonly address: string;
  /** Base units; omitted lets the payer choose. */
  readonly amount?: bigint;
  readonly label?: string;
  readonly message?: string;
  readonly identity?: {
    readonly did: string;
    readonly key?: Uint8Array;
    readonly binding?: BindingParams;
  };
}

/** The canonical form of an address of `coin` (segwit lower case), or the reason it is not one. */
export function canonicalAddress(coin: CoinParams, address: string): string {
  const decoded = decodeAnyAddress(address);
  if (!belongsTo(decoded, coin)) {
    const networks = networksOf(decoded);
    throw paymentError(
      'ADDRESS_WRONG_NETWORK',
      `"${shorten(address)}" is ${networks.length > 0 ? `a ${networks.join(' or ')}` : 'not a'} address, not a ${coin.ticker} address`,
      { ticker: coin.ticker, networks },
    );
  }
  checkPayable(decoded);
  return decoded.text;
}

/** What the identity key signs for `input` (the node asks the vault to sign its digest). */
export function bindingFieldsFor(
  input: RequestInput & { readonly identity: { readonly did: string; readonly key?: Uint8Array } },
  expires: number,
  nonce: Uint8Array,
): BindingFields {
  return {
    scheme: schemeOf(input.coin),
    network: input.coin.network,
    did: input.identity.did,
    address: canonicalAddress(input.coin, input.address),
    amount: input.amount,
    label: input.label,
    message: input.message,
    expires,
    nonce,
    identityKey: input.identity.key,
  };
}

export function buildPaymentUri(input: RequestInput): string {
  const address = canonicalAddress(input.coin, input.address);
  const params: string[] = [];
  if (input.amount !== undefined) params.push(`amount=${formatUriAmount(input.amount, input.coin)}`);
  if (input.label !== undefined && input.label !== '') params.push(`label=${percentEncode(input.label)}`);
  if (input.message !== undefined && input.message !== '') params.push(`message=${percentEncode(input.message)}`);
  const id = input.identity;
  if (id) {
    // Written raw: a checked did:is identifier is letters, digits and colons, all query-safe.
    checkDid(id.did);
    params.push(`identity=${id.did}`);
    if (id.key) params.push(`identity-key=${encodeBase64url(id.key)}`);
    if (id.binding) {
      params.push(`identity-expires=${id.binding.expires}`);
      params.push(`identity-nonce=${encodeBase64url(id.binding.nonce)}`);
      params.push(`identity-sig=${encodeBase64url(id.binding.signature)}`);
    }
  }
  const uri = `${schemeOf(input.coin)}:${address}${params.length > 0 ? `?${params.join('&')}` : ''}`;
  // Read back with the parser: caps, control characters, a bad DID or key are refused here
  // with the same code a payer would see.
  parsePaymentUri(uri, { ticker: input.coin.ticker });
  return uri;
}

/** `buildPaymentUri` of a parsed request, e.g. to show a normalized form. */
export function requestInputOf(request: PaymentRequest): RequestInput | undefined {
  if (!request.coin || request.address === undefined) return undefined;
  return {
    coin: request.coin,
    address: request.address,
    amount: request.amount,
    label: request.label,
    message: request.message,
    identity: request.identity
      ? { did: request.identity.did, key: request.identity.key, binding: request.identity.binding }
      : undefined,
  };
}
