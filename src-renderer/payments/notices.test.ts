import { describe, expect, it } from 'vitest';
import type { Result } from '../../src-shared/api/contract.ts';
import { RequestNoticeTracker } from './notices.ts';

type Request = Result<'payments.request'>;
const status = (o: Partial<Request['status']>): Request['status'] => ({
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
  ...o,
});
const req = (s: Partial<Request['status']>): Request => ({
  id: '1'.repeat(32),
  ticker: 'DEVA',
  address: 'rltc1qy',
  uri: 'deva:rltc1qy',
  label: 'Table 4',
  createdAt: 1,
  canceled: false,
  status: status(s),
});

describe('payment received notices', () => {
  it('money arriving is told once, then the settlement once', () => {
    const t = new RequestNoticeTracker();
    t.seed(req({}));
    const seen = t.update(
      req({ status: 'seen', received: '2', words: 'Payment of 2 DEVA seen, 0 of 2 confirmations.' }),
    );
    expect(seen).toMatchObject({ title: 'Payment received', key: `request:${'1'.repeat(32)}:seen` });
    expect(seen!.body).toContain('2 DEVA for "Table 4"');
    expect(t.update(req({ status: 'seen', received: '2' }))).toBeNull();
    const done = t.update(req({ status: 'confirmed', received: '2', confirmed: '2', settled: true }));
    expect(done?.title).toBe('Payment received and confirmed');
    expect(t.update(req({ status: 'confirmed', received: '2', settled: true }))).toBeNull();
  });

  it('a request that was already paid when the list loaded is not news', () => {
    const t = new RequestNoticeTracker();
    t.seed(req({ status: 'confirmed', received: '2', settled: true }));
    expect(t.update(req({ status: 'confirmed', received: '2', settled: true }))).toBeNull();
  });

  it('a request never seen before that arrives paid is told', () => {
    expect(new RequestNoticeTracker().update(req({ status: 'seen', received: '1' }))?.title).toBe('Payment received');
  });
});
