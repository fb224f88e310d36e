import { describe, expect, it } from 'vitest';
import { requestStatus, type RequestStatusName, type RequestTerms, type SeenPayment } from './status.ts';

const T0 = 1_790_000_000_000;
const EXPIRES = T0 + 3_600_000;
// null: no expiry (undefined would take the default).
const terms = (amount: bigint | undefined, expiresAt: number | null = EXPIRES): RequestTerms => ({
  amount,
  expiresAt: expiresAt ?? undefined,
  ticker: 'BTC',
  decimals: 8,
});
let n = 0;
const pay = (amount: bigint, confirmations: number, seenAt = T0 + 60_000, txid = `tx${++n}`): SeenPayment => ({
  txid,
  vout: 0,
  amount,
  confirmations,
  seenAt,
});

interface Row {
  name: string;
  terms: RequestTerms;
  payments: SeenPayment[];
  now?: number;
  status: RequestStatusName;
  sums?: Partial<Record<'received' | 'confirmed' | 'late' | 'missing' | 'excess', bigint>>;
  settled?: boolean;
  words?: string;
}

const ROWS: Row[] = [
  { name: 'nothing received before expiry is waiting', terms: terms(100_000n), payments: [], status: 'waiting' },
  {
    name: 'nothing received after expiry is expired',
    terms: terms(100_000n),
    payments: [],
    now: EXPIRES,
    status: 'expired',
    words: 'Expired at 2026-09-21 15:13 UTC with nothing paid.',
  },
  {
    name: 'the exact amount unconfirmed is seen',
    terms: terms(100_000n),
    payments: [pay(100_000n, 0)],
    status: 'seen',
    sums: { received: 100_000n, confirmed: 0n },
    settled: false,
    words: 'Payment of 0.001 BTC seen, 0 of 3 confirmations.',
  },
  {
    name: 'the exact amount confirmed is confirmed',
    terms: terms(100_000n),
    payments: [pay(100_000n, 3)],
    status: 'confirmed',
    sums: { confirmed: 100_000n, missing: 0n, excess: 0n },
    settled: true,
  },
  {
    name: 'two payments adding up exactly are confirmed when both are deep enough',
    terms: terms(100_000n),
    payments: [pay(40_000n, 5), pay(60_000n, 3)],
    status: 'confirmed',
    sums: { received: 100_000n },
  },
  {
    name: 'two payments adding up, one shallow, are seen',
    terms: terms(100_000n),
    payments: [pay(40_000n, 5), pay(60_000n, 1)],
    status: 'seen',
    sums: { confirmed: 40_000n },
  },
  {
    name: 'one satoshi short is underpaid',
    terms: terms(100_000n),
    payments: [pay(99_999n, 6)],
    status: 'underpaid',
    sums: { missing: 1n },
    settled: false,
    words: 'Underpaid: 0.00099999 of 0.001 BTC received, 0.00000001 BTC missing.',
  },
  {
    name: 'underpaid and expired says both',
    terms: terms(100_000n),
    payments: [pay(50_000n, 6)],
    now: EXPIRES + 1,
    status: 'underpaid',
    words: 'Underpaid: 0.0005 of 0.001 BTC received, 0.0005 BTC missing. The request has expired.',
  },
  {
    name: 'one satoshi over is overpaid, and says whether it is confirmed',
    terms: terms(100_000n),
    payments: [pay(100_001n, 6)],
    status: 'overpaid',
    sums: { excess: 1n },
    settled: true,
    words: 'Overpaid by 0.00000001 BTC: 0.00100001 BTC received for 0.001 BTC. Confirmed.',
  },
  {
    name: 'a payment first seen at the expiry is late',
    terms: terms(100_000n),
    payments: [pay(100_000n, 6, EXPIRES)],
    now: EXPIRES + 600_000,
    status: 'paid-late',
    sums: { late: 100_000n },
    words: 'Paid after it expired: 0.001 BTC arrived after 2026-09-21 15:13 UTC. Confirmed.',
  },
  {
    name: 'completed only by a late payment is paid late',
    terms: terms(100_000n),
    payments: [pay(60_000n, 6, EXPIRES - 1), pay(40_000n, 0, EXPIRES + 1)],
    now: EXPIRES + 2,
    status: 'paid-late',
    sums: { late: 40_000n, received: 100_000n },
    settled: false,
  },
  {
    name: 'paid on time, then more after expiry, is overpaid (not late)',
    terms: terms(100_000n),
    payments: [pay(100_000n, 6, EXPIRES - 1), pay(5_000n, 0, EXPIRES + 1)],
    now: EXPIRES + 2,
    status: 'overpaid',
    sums: { late: 5_000n, excess: 5_000n },
  },
  {
    name: 'paid on time is confirmed even when looked at after expiry',
    terms: terms(100_000n),
    payments: [pay(100_000n, 6, EXPIRES - 1)],
    now: EXPIRES + 1,
    status: 'confirmed',
  },
  {
    name: 'no amount: any payment is seen, then confirmed, never under- or overpaid',
    terms: terms(undefined),
    payments: [pay(1n, 3)],
    status: 'confirmed',
    settled: true,
  },
  {
    name: 'no amount: all of it after expiry is paid late',
    terms: terms(undefined),
    payments: [pay(7n, 0, EXPIRES + 5)],
    now: EXPIRES + 10,
    status: 'paid-late',
  },
  {
    name: 'no expiry: never expired, never late',
    terms: terms(100_000n, null),
    payments: [pay(100_000n, 3, T0 + 10 ** 12)],
    now: T0 + 10 ** 13,
    status: 'confirmed',
    sums: { late: 0n },
  },
  {
    name: 'a conflicted payment counts nothing',
    terms: terms(100_000n),
    payments: [pay(100_000n, -1)],
    status: 'waiting',
    sums: { received: 0n },
  },
  {
    name: 'the same output reported twice counts once, at its deepest confirmation',
    terms: terms(100_000n),
    payments: [pay(100_000n, 0, T0, 'same'), pay(100_000n, 4, T0 + 5, 'same')],
    status: 'confirmed',
    sums: { received: 100_000n },
  },
  {
    name: 'sums stay exact beyond 2^53 base units',
    terms: { ...terms(8_400_000_000_000_000n), ticker: 'LTC' },
    payments: [pay(8_399_999_999_999_999n, 6), pay(1n, 6)],
    status: 'confirmed',
    sums: { received: 8_400_000_000_000_000n },
  },
];

describe('request status', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const s = requestStatus(row.terms, row.payments, row.now ?? T0 + 120_000, 3);
      expect(s.status).toBe(row.status);
      for (const [k, v] of Object.entries(row.sums ?? {})) expect(s[k as keyof typeof row.sums]).toBe(v);
      if (row.settled !== undefined) expect(s.settled).toBe(row.settled);
      if (row.words !== undefined) expect(s.words).toBe(row.words);
    });
  }

  it('received is always confirmed plus what is still shallow, and missing/excess never both', () => {
    for (const row of ROWS) {
      const s = requestStatus(row.terms, row.payments, row.now ?? T0, 3);
      expect(s.missing === 0n || s.excess === 0n).toBe(true);
      expect(s.confirmed <= s.received && s.late <= s.received).toBe(true);
    }
  });
});
