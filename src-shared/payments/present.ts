// Pure conversions from the domain's values to their API views (views.ts): bigints become
// decimal strings, bytes become flags. The node's handlers use these so every transport
// shows the same thing.
import { formatAmount } from '../money/amount.ts';
import type { RequestStatus, SeenPayment } from './status.ts';
import { onchainTarget, OTHER_METHOD_KEYS, type PaymentRequest } from './uri.ts';
import type { ParsedRequestView, RequestStatusView } from './views.ts';
import { isPaymentError } from './errors.ts';

export function parsedRequestView(r: PaymentRequest): ParsedRequestView {
  let unpayable: string | undefined;
  try {
    onchainTarget(r);
  } catch (err) {
    if (!isPaymentError(err)) throw err;
    unpayable = err.message;
  }
  const decimals = r.coin?.decimals ?? 8;
  return {
    scheme: r.scheme,
    ...(r.coin ? { ticker: r.coin.ticker, network: r.coin.network } : {}),
    ...(r.address !== undefined ? { address: r.address } : {}),
    addresses: [...r.addresses],
    ...(r.amount !== undefined ? { amount: formatAmount(r.amount, decimals) } : {}),
    ...(r.label !== undefined ? { label: r.label } : {}),
    ...(r.message !== undefined ? { message: r.message } : {}),
    ...(r.pop !== undefined ? { pop: r.pop } : {}),
    ...(r.identity
      ? {
          identity: {
            did: r.identity.did,
            hasKey: r.identity.key !== undefined,
            signed: r.identity.binding !== undefined,
            ...(r.identity.binding ? { expiresAt: r.identity.binding.expires * 1000 } : {}),
          },
        }
      : {}),
    otherMethods: r.otherMethods.map((m) => ({ key: m.key, value: m.value, name: OTHER_METHOD_KEYS[m.key] ?? m.key })),
    unknownParams: r.unknownParams.map((m) => ({ key: m.key, value: m.value })),
    payable: unpayable === undefined,
    ...(unpayable !== undefined ? { unpayable } : {}),
  };
}

export function requestStatusView(
  s: RequestStatus,
  payments: readonly SeenPayment[],
  decimals: number,
): RequestStatusView {
  const fmt = (units: bigint) => formatAmount(units, decimals);
  return {
    status: s.status,
    received: fmt(s.received),
    confirmed: fmt(s.confirmed),
    late: fmt(s.late),
    missing: fmt(s.missing),
    excess: fmt(s.excess),
    settled: s.settled,
    expired: s.expired,
    words: s.words,
    payments: payments.map((p) => ({ ...p, amount: fmt(p.amount) })),
  };
}
