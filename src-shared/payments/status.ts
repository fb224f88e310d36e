// The merchant's view of one request: what its address received, judged against the amount
// and expiry asked for. Exact bigint sums; docs/payments.md §5 is the table, first match wins.
import { formatAmount } from '../money/amount.ts';
import { utcWords } from './card.ts';

export interface RequestTerms {
  /** Base units; undefined lets the payer choose. */
  readonly amount: bigint | undefined;
  /** Unix milliseconds. */
  readonly expiresAt: number | undefined;
  readonly ticker: string;
  readonly decimals: number;
}

/** One output paying the request's address, as the wallet reports it. */
export interface SeenPayment {
  readonly txid: string;
  readonly vout: number;
  readonly amount: bigint;
  /** Negative: the transaction conflicts with one in the chain (replaced, double-spent). */
  readonly confirmations: number;
  /** When the wallet first saw it, unix milliseconds. */
  readonly seenAt: number;
}

export const REQUEST_STATUS_NAMES = [
  'waiting',
  'seen',
  'confirmed',
  'underpaid',
  'overpaid',
  'expired',
  'paid-late',
] as const;
export type RequestStatusName = (typeof REQUEST_STATUS_NAMES)[number];

export interface RequestStatus {
  readonly status: RequestStatusName;
  readonly received: bigint;
  /** Received with at least the required confirmations. */
  readonly confirmed: bigint;
  /** Received in outputs first seen at or after the expiry. */
  readonly late: bigint;
  readonly missing: bigint;
  readonly excess: bigint;
  /** The confirmed sum reaches the amount (any positive sum without an amount). */
  readonly settled: boolean;
  readonly expired: boolean;
  /** Outputs counted after removing repeats and conflicts. */
  readonly outputs: number;
  readonly words: string;
}

/** Each output once (the highest confirmation count reported, the earliest sighting), conflicts dropped. */
function countable(payments: readonly SeenPayment[]): SeenPayment[] {
  const byOutput = new Map<string, SeenPayment>();
  for (const p of payments) {
    const key = `${p.txid}:${p.vout}`;
    const prev = byOutput.get(key);
    byOutput.set(
      key,
      prev
        ? {
            ...prev,
            confirmations: Math.max(prev.confirmations, p.confirmations),
            seenAt: Math.min(prev.seenAt, p.seenAt),
          }
        : p,
    );
  }
  return [...byOutput.values()].filter((p) => p.confirmations >= 0 && p.amount > 0n);
}

export function requestStatus(
  terms: RequestTerms,
  payments: readonly SeenPayment[],
  now: number,
  requiredConfirmations: number,
): RequestStatus {
  const outputs = countable(payments);
  const sum = (ps: SeenPayment[]) => ps.reduce((n, p) => n + p.amount, 0n);
  const received = sum(outputs);
  const confirmed = sum(outputs.filter((p) => p.confirmations >= requiredConfirmations));
  const isLate = (p: SeenPayment) => terms.expiresAt !== undefined && p.seenAt >= terms.expiresAt;
  const late = sum(outputs.filter(isLate));
  const onTime = received - late;
  const want = terms.amount;
  const missing = want !== undefined && received < want ? want - received : 0n;
  const excess = want !== undefined && received > want ? received - want : 0n;
  const settled = want !== undefined ? confirmed >= want : confirmed > 0n;
  const expired = terms.expiresAt !== undefined && now >= terms.expiresAt;
  const fmt = (units: bigint) => `${formatAmount(units, terms.decimals)} ${terms.ticker}`;
  const base = { received, confirmed, late, missing, excess, settled, expired, outputs: outputs.length };
  const confirmedWords = settled ? ' Confirmed.' : ' Waiting for confirmations.';

  if (received === 0n) {
    return expired
      ? { ...base, status: 'expired', words: `Expired at ${utcWords(terms.expiresAt!)} with nothing paid.` }
      : { ...base, status: 'waiting', words: 'Waiting for payment.' };
  }
  if (want !== undefined && received < want) {
    const tail = expired ? ' The request has expired.' : '';
    return {
      ...base,
      status: 'underpaid',
      words: `Underpaid: ${formatAmount(received, terms.decimals)} of ${fmt(want)} received, ${fmt(missing)} missing.${tail}`,
    };
  }
  if (want !== undefined ? onTime < want : onTime === 0n) {
    return {
      ...base,
      status: 'paid-late',
      words: `Paid after it expired: ${fmt(late)} arrived after ${utcWords(terms.expiresAt!)}.${confirmedWords}`,
    };
  }
  if (excess > 0n) {
    return {
      ...base,
      status: 'overpaid',
      words: `Overpaid by ${fmt(excess)}: ${fmt(received)} received for ${fmt(want!)}.${confirmedWords}`,
    };
  }
  if (settled) return { ...base, status: 'confirmed', words: `Paid and confirmed: ${fmt(received)}.` };
  const least = Math.min(...outputs.map((p) => p.confirmations));
  return {
    ...base,
    status: 'seen',
    words: `Payment of ${fmt(received)} seen, ${least} of ${requiredConfirmations} confirmations.`,
  };
}
