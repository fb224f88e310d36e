// Payments events keep the book and the requests current without refetching, and keep the
// merchant the book looked up (an event does not carry it).
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { PushedEvent, Result } from '../../src-shared/api/contract.ts';
import { createEventDispatcher } from '../api/events.ts';
import { paymentsEvents } from './events.ts';
import { paymentKeys } from './queries.ts';

type Payment = Result<'payments.payment'>;
type Request = Result<'payments.request'>;

const payment: Payment = {
  key: 'a'.repeat(64),
  phase: 'sending',
  ticker: 'DEVA',
  address: 'rltc1qx',
  amount: '1.5',
  uri: 'deva:rltc1qx?amount=1.5',
  did: 'did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP',
  cardState: 'new',
  confirmations: 0,
  requiredConfirmations: 2,
  attempts: 1,
  createdAt: 1,
  updatedAt: 1,
  feeRate: '10',
  merchant: {
    did: 'did:is:PB7izpagndTJk9R4CAwbBCTn7kdX4SGjuP',
    profile: 'active',
    source: 'registry',
    name: 'Alice Shop',
    metadataState: 'none',
  },
};

const request: Request = {
  id: '1'.repeat(32),
  ticker: 'DEVA',
  address: 'rltc1qy',
  uri: 'deva:rltc1qy?amount=2',
  amount: '2',
  createdAt: 5,
  canceled: false,
  status: {
    status: 'waiting',
    received: '0',
    confirmed: '0',
    late: '0',
    missing: '0',
    excess: '0',
    settled: false,
    expired: false,
    words: 'Waiting for payment.',
    payments: [],
  },
};

const dispatch = (qc: QueryClient, e: PushedEvent) => createEventDispatcher(qc, [paymentsEvents]).dispatch(e);

describe('payments events', () => {
  it('a payment update replaces the book entry and keeps its looked-up merchant', () => {
    const qc = new QueryClient();
    qc.setQueryData(paymentKeys.book, [payment]);
    const { merchant: _m, ...sent } = { ...payment, phase: 'sent' as const, txid: 'b'.repeat(64) };
    dispatch(qc, { event: 'payments.paymentUpdated', data: sent });
    const book = qc.getQueryData<Payment[]>(paymentKeys.book)!;
    expect(book).toHaveLength(1);
    expect(book[0]).toMatchObject({ phase: 'sent', txid: 'b'.repeat(64), merchant: { name: 'Alice Shop' } });
  });

  it('a new payment goes first in the book', () => {
    const qc = new QueryClient();
    qc.setQueryData(paymentKeys.book, [payment]);
    dispatch(qc, { event: 'payments.paymentUpdated', data: { ...payment, key: 'c'.repeat(64) } });
    expect(qc.getQueryData<Payment[]>(paymentKeys.book)!.map((p) => p.key[0])).toEqual(['c', 'a']);
  });

  it('a request update is written to the list and to its own entry', () => {
    const qc = new QueryClient();
    qc.setQueryData(paymentKeys.requests, [request]);
    const seen = { ...request, status: { ...request.status, status: 'seen' as const, received: '2' } };
    dispatch(qc, { event: 'payments.requestUpdated', data: seen });
    expect(qc.getQueryData<Request[]>(paymentKeys.requests)![0]!.status.status).toBe('seen');
    expect(qc.getQueryData<Request>(paymentKeys.request(request.id))!.status.received).toBe('2');
  });

  it('locking the vault drops what it showed', () => {
    const qc = new QueryClient();
    qc.setQueryData(paymentKeys.book, [payment]);
    dispatch(qc, { event: 'vault.state', data: { state: 'locked' } });
    expect(qc.getQueryData(paymentKeys.book)).toBeUndefined();
  });
});
