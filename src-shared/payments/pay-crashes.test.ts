import { describe, expect, it } from 'vitest';
import { confirm, KEY, World } from './pay-testkit.ts';

describe('crash cases', () => {
  it('crash between persist and send: nothing was sent, the user is asked again, one payment in the end', () => {
    const w = new World();
    w.event(confirm(w.now));
    expect(w.stored.phase).toBe('sending');
    w.drain('send');
    expect(w.sends()).toBe(0);
    w.restart();
    expect(w.stored).toMatchObject({ phase: 'ready', note: 'not-sent' });
    expect(w.sends()).toBe(0);
    w.event(confirm(w.now));
    w.drain();
    expect(w.stored.phase).toBe('sent');
    expect(w.sends()).toBe(1);
  });

  it('crash after send before record: found by its comment, recorded once, nothing resent', () => {
    const w = new World();
    w.event(confirm(w.now));
    w.drain('send-reply');
    expect(w.sends()).toBe(1);
    expect(w.book.size).toBe(0);
    w.restart();
    expect(w.stored).toMatchObject({ phase: 'sent', txid: 'tx1' });
    expect(w.book.get(KEY)).toBe('tx1');
    w.event(confirm(w.now));
    w.drain();
    expect(w.sends()).toBe(1);
  });

  it('crash after sent is stored but before it is recorded: the restart records it', () => {
    const w = new World();
    w.event(confirm(w.now));
    w.drain('record');
    expect(w.stored.phase).toBe('sent');
    expect(w.book.size).toBe(0);
    w.restart();
    expect(w.book.get(KEY)).toBe('tx1');
    expect(w.sends()).toBe(1);
  });

  it('wallet disconnected mid-payment: lookups back off and nothing is resent', () => {
    const w = new World();
    w.event(confirm(w.now));
    w.drain('send-reply'); // the wallet took the payment, then the connection died
    w.walletUp = false;
    w.event({
      type: 'send-failed',
      at: w.now + 30_000,
      definite: false,
      error: { code: 'WALLET_TIMEOUT', message: 'x' },
    });
    for (let i = 0; i < 4; i++) w.drain();
    // drain stops after each failed lookup; each run re-queues the next lookup
    expect(w.stored).toMatchObject({ phase: 'reconciling', failedLookups: 4 });
    w.event(confirm(w.now));
    expect(w.pending.filter((e) => e.type === 'send')).toHaveLength(0);
    w.walletUp = true;
    w.drain();
    expect(w.stored.phase).toBe('sent');
    expect(w.sends()).toBe(1);
  });

  it('wallet unreachable before the send: a definite failure, safe to retry', () => {
    const w = new World();
    w.walletUp = false;
    w.event(confirm(w.now));
    w.drain();
    expect(w.stored.phase).toBe('failed');
    w.walletUp = true;
    w.event(confirm(w.now));
    w.drain();
    expect(w.stored.phase).toBe('sent');
    expect(w.sends()).toBe(1);
  });

  it('any crash point, any number of restarts and clicks: at most one payment leaves the wallet', () => {
    const points = ['send', 'send-reply', 'record', 'watch', undefined] as const;
    for (const first of points) {
      for (const second of points) {
        const w = new World();
        w.event(confirm(w.now));
        w.event(confirm(w.now));
        w.drain(first);
        w.restart();
        w.event(confirm(w.now));
        w.drain(second);
        w.restart();
        expect(w.sends()).toBeLessThanOrEqual(1);
        expect(['sent', 'ready', 'sending']).toContain(w.stored.phase);
      }
    }
  });
});
