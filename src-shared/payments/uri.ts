// Reads a BIP321 payment request (bitcoin:, litecoin:, and the devnet assets' deva:, devb:) into
// what the Pay page shows and the wallet pays: one coin, the on-chain address, an exact amount,
// the texts, the identity extension, and every other instruction kept for the record.
// docs/payments.md §2 is the grammar; every refusal is a paymentError with a stable code.
import { COINS, findCoin, type CoinParams } from '../coins/registry.ts';
import { formatAmount } from '../money/amount.ts';
import { belongsTo, checkPayable, decodeAnyAddress, networksOf, shorten, type DecodedAddress } from './address.ts';
import { parseUriAmount } from './amount.ts';
import { IDENTITY_PARAMS, parseIdentityParams, type IdentityParamKey, type IdentityParams } from './binding.ts';
import { paymentError } from './errors.ts';
import { checkDisplayText, splitUri, type QueryParam } from './query.ts';
import { coinsOfScheme, isPaymentScheme, PAYMENT_SCHEMES, schemeOf, type PaymentScheme } from './schemes.ts';

export interface ParseOptions {
  /** The coins this node handles: settles which test network a base58 address means. Default: all. */
  readonly coins?: readonly CoinParams[];
  /** The coin the caller expects (e.g. the wallet chosen on the Pay page). */
  readonly ticker?: string;
}

export interface PaymentRequest {
  readonly scheme: PaymentScheme;
  /** The coin paid; undefined only without an on-chain address when the scheme's network is open. */
  readonly coin: CoinParams | undefined;
  /** The address Hashlock pays (the body's, else the first prefix-keyed one), canonical form. */
  readonly address: string | undefined;
  /** Every on-chain instruction, body first, canonical form. */
  readonly addresses: readonly string[];
  /** Base units. */
  readonly amount: bigint | undefined;
  readonly label: string | undefined;
  readonly message: string | undefined;
  /** Proof-of-payment callback prefix: kept, never opened. */
  readonly pop: string | undefined;
  readonly identity: IdentityParams | undefined;
  /** Lightning, BOLT12, silent payments …: kept in order, not payable by Hashlock. */
  readonly otherMethods: readonly QueryParam[];
  /** Keys nobody defined: kept in order, ignored. */
  readonly unknownParams: readonly QueryParam[];
}

/** Payment instructions BIP321 names that a Bitcoin-Core-family wallet cannot pay. */
export const OTHER_METHOD_KEYS: Readonly<Record<string, string>> = {
  lightning: 'Lightning (BOLT11)',
  lno: 'Lightning (BOLT12 offer)',
  sp: 'Silent Payments (BIP352)',
  pay: 'Private Payments (BIP351)',
};

/** Keys that may appear once; `req-pop` counts as `pop`. */
const SINGLE_KEYS = new Set<string>(['amount', 'label', 'message', 'pop', ...IDENTITY_PARAMS]);

interface Collected {
  readonly single: Map<string, string>;
  readonly onchain: { key: string; value: string }[];
  readonly otherMethods: QueryParam[];
  readonly unknownParams: QueryParam[];
}

export function parsePaymentUri(uri: string, options: ParseOptions = {}): PaymentRequest {
  const raw = splitUri(uri);
  if (!isPaymentScheme(raw.scheme)) {
    throw paymentError(
      'SCHEME_UNKNOWN',
      `"${shorten(raw.scheme)}:" is not a payment scheme Hashlock reads (it reads ${PAYMENT_SCHEMES.map((s) => `${s}:`).join(', ')})`,
    );
  }
  const scheme = raw.scheme;
  const schemeCoins = coinsOfScheme(scheme);
  const expected = expectedCoin(scheme, options.ticker);
  const params = collect(raw.params, schemeCoins);

  const onchain: { key: string | undefined; value: string }[] = [];
  if (raw.body !== '') onchain.push({ key: undefined, value: raw.body });
  onchain.push(...params.onchain);
  if (onchain.length === 0 && params.otherMethods.length === 0) {
    throw paymentError('ADDRESS_MISSING', 'the request has no address and no other way to pay');
  }
  const decoded = onchain.map((o) => decodeInstruction(scheme, o.key, o.value, schemeCoins));
  const coin =
    decoded.length > 0 ? resolveCoin(decoded, expected, options.coins) : (expected ?? soleCoin(schemeCoins, options));

  const amountText = params.single.get('amount');
  // Every coin of one scheme is one family, so the amount reads the same on each network.
  const amount = amountText === undefined ? undefined : parseUriAmount(amountText, coin ?? schemeCoins[0]!);
  const label = displayText(params.single, 'label');
  const message = displayText(params.single, 'message');
  const identity = parseIdentityParams(identityValues(params.single));
  if (identity?.binding && decoded.length !== 1) {
    throw paymentError(
      'BINDING_ADDRESS',
      `a signed identity binds exactly one on-chain address; this request has ${decoded.length}`,
    );
  }
  const addresses = decoded.map((d) => d.address.text);
  return {
    scheme,
    coin,
    address: addresses[0],
    addresses,
    amount,
    label,
    message,
    pop: params.single.get('pop'),
    identity,
    otherMethods: params.otherMethods,
    unknownParams: params.unknownParams,
  };
}

/** The address to pay, or NO_ONCHAIN_ADDRESS naming the methods the request offers instead. */
export function onchainTarget(request: PaymentRequest): { coin: CoinParams; address: string } {
  if (request.address !== undefined && request.coin !== undefined) {
    return { coin: request.coin, address: request.address };
  }
  const offered = [...new Set(request.otherMethods.map((m) => OTHER_METHOD_KEYS[m.key] ?? m.key))];
  throw paymentError(
    'NO_ONCHAIN_ADDRESS',
    `this request can only be paid with ${offered.join(' or ')}; Hashlock pays on-chain from your own wallet`,
    { methods: offered },
  );
}

/**
 * What the wallet will send: the on-chain target and the amount, which is the request's own or,
 * for a request without one, the payer's choice. A request's amount is never overridden.
 */
export function paymentTarget(
  request: PaymentRequest,
  chosen?: bigint,
): { coin: CoinParams; address: string; amount: bigint } {
  const { coin, address } = onchainTarget(request);
  if (request.amount !== undefined) {
    if (chosen !== undefined && chosen !== request.amount) {
      throw paymentError(
        'AMOUNT_FIXED',
        `this request asks for exactly ${formatAmount(request.amount, coin.decimals)} ${coin.ticker}; the amount cannot be changed`,
      );
    }
    return { coin, address, amount: request.amount };
  }
  if (chosen === undefined) {
    throw paymentError('AMOUNT_MISSING', 'this request lets you choose the amount: enter how much to send');
  }
  // The same rules as a written amount: more than zero, at most the coin's supply.
  return { coin, address, amount: parseUriAmount(formatAmount(chosen < 0n ? 0n : chosen, coin.decimals), coin) };
}

function expectedCoin(scheme: PaymentScheme, ticker: string | undefined): CoinParams | undefined {
  if (ticker === undefined) return undefined;
  const coin = findCoin(ticker);
  if (!coin || schemeOf(coin) !== scheme) {
    throw paymentError('SCHEME_MISMATCH', `this is a ${scheme}: request, not one for ${ticker}`, {
      scheme,
      ticker,
    });
  }
  return coin;
}

function collect(params: readonly QueryParam[], schemeCoins: readonly CoinParams[]): Collected {
  const hrps = new Set(schemeCoins.map((c) => c.bech32));
  const seen = new Set<string>();
  for (const p of params) {
    const key = p.key === 'req-pop' ? 'pop' : p.key;
    if (!SINGLE_KEYS.has(key)) continue;
    if (seen.has(key)) {
      throw paymentError('DUPLICATE_PARAM', `"${key}" appears more than once; a request may give it only once`, {
        key,
      });
    }
    seen.add(key);
  }
  const out: Collected = { single: new Map(), onchain: [], otherMethods: [], unknownParams: [] };
  for (const p of params) {
    if (p.key === 'req-pop') {
      throw paymentError(
        'REQUIRED_PARAM_UNSUPPORTED',
        'the request requires a proof-of-payment callback ("req-pop"), which Hashlock never opens, so it cannot pay it',
      );
    }
    if (p.key.startsWith('req-')) {
      throw paymentError(
        'REQUIRED_PARAM_UNKNOWN',
        `the request requires "${p.key}", which Hashlock does not understand, so it cannot be paid safely`,
        { key: p.key },
      );
    }
    if (SINGLE_KEYS.has(p.key)) out.single.set(p.key, p.value);
    else if (hrps.has(p.key)) out.onchain.push(p);
    else if (p.key in OTHER_METHOD_KEYS) out.otherMethods.push(p);
    else out.unknownParams.push(p);
  }
  return out;
}

interface Instruction {
  readonly address: DecodedAddress;
  /** The coins of the scheme this address fits. */
  readonly fits: readonly CoinParams[];
}

function decodeInstruction(
  scheme: PaymentScheme,
  key: string | undefined,
  value: string,
  schemeCoins: readonly CoinParams[],
): Instruction {
  const address = decodeAnyAddress(value);
  if (key !== undefined && (address.encoding === 'base58' || address.hrp !== key)) {
    throw paymentError(
      'ADDRESS_WRONG_NETWORK',
      `"${shorten(value)}" is given as "${key}=", which must hold a ${key}1… address`,
      { key, address: shorten(value, 100) },
    );
  }
  const fits = schemeCoins.filter((c) => belongsTo(address, c));
  if (fits.length === 0) {
    const networks = networksOf(address);
    const what = networks.length > 0 ? `a ${networks.join(' or ')} address` : 'an address of no network Hashlock knows';
    throw paymentError('ADDRESS_WRONG_NETWORK', `"${shorten(value)}" is ${what}, not one for a ${scheme}: request`, {
      scheme,
      address: shorten(value, 100),
      networks,
    });
  }
  checkPayable(address);
  return { address, fits };
}

function resolveCoin(
  instructions: readonly Instruction[],
  expected: CoinParams | undefined,
  handled: readonly CoinParams[] = COINS,
): CoinParams {
  let candidates = instructions[0]!.fits;
  for (const ins of instructions.slice(1)) {
    candidates = candidates.filter((c) => ins.fits.includes(c));
  }
  if (candidates.length === 0) {
    throw paymentError(
      'MIXED_NETWORKS',
      `the request's addresses belong to different networks (${instructions.map((i) => shorten(i.address.text, 16)).join(', ')})`,
    );
  }
  if (expected) {
    if (candidates.includes(expected)) return expected;
    const networks = networksOf(instructions[0]!.address);
    throw paymentError(
      'ADDRESS_WRONG_NETWORK',
      `"${shorten(instructions[0]!.address.text)}" is a ${networks.join(' or ')} address, not a ${expected.ticker} address`,
      { ticker: expected.ticker, networks },
    );
  }
  const handledTickers = new Set(handled.map((c) => c.ticker));
  const narrowed = candidates.filter((c) => handledTickers.has(c.ticker));
  const pick = narrowed.length > 0 ? narrowed : candidates;
  if (pick.length === 1) return pick[0]!;
  throw paymentError(
    'ADDRESS_AMBIGUOUS_NETWORK',
    `"${shorten(instructions[0]!.address.text)}" is an address on ${pick.map((c) => c.ticker).join(' and ')} alike; choose the coin to pay`,
    { tickers: pick.map((c) => c.ticker) },
  );
}

function soleCoin(schemeCoins: readonly CoinParams[], options: ParseOptions): CoinParams | undefined {
  const handled = new Set((options.coins ?? COINS).map((c) => c.ticker));
  const mine = schemeCoins.filter((c) => handled.has(c.ticker));
  return mine.length === 1 ? mine[0] : undefined;
}

function displayText(single: ReadonlyMap<string, string>, key: 'label' | 'message'): string | undefined {
  const value = single.get(key);
  if (value !== undefined) checkDisplayText(key, value);
  return value;
}

function identityValues(single: ReadonlyMap<string, string>): Map<IdentityParamKey, string> {
  const out = new Map<IdentityParamKey, string>();
  for (const key of IDENTITY_PARAMS) {
    const value = single.get(key);
    if (value !== undefined) out.set(key, value);
  }
  return out;
}
