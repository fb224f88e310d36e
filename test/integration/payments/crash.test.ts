// The payer's node is SIGKILLed in the middle of a payment and started again: between storing
// `sending` and asking the wallet, and after the wallet sent before the node recorded it. Either
// way exactly one payment leaves the wallet (docs/payments.md §6, §9.2).
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { COIN, useDevNet, type DevNode } from '../../support/dev-node.ts';

const net = useDevNet();
// Longer than a node's restart on a loaded machine (the case checks the wait itself), far below 2 min.
const SETTLE_MS = 30_000;
// Each case starts two nodes and the payer twice more; a node gets up to 90 s to start on a loaded
// machine (test/support/node-proc.ts), so the budget counts four starts besides the work.
const STARTS = 4 * 90_000;

/** The wallet's sends carrying the payment's comment: the number of payments that really left. */
async function sendsOf(node: DevNode, key: string): Promise<string[]> {
  const txs = await node
    .wallet('DEVA')
    .callAs(
      z.array(z.object({ category: z.string(), comment: z.string().optional(), txid: z.string() }).loose()),
      'listtransactions',
      ['*', 1000, 0, true],
    );
  return [
    ...new Set(txs.filter((t) => t.category === 'send' && t.comment === `hashlock:pay:${key}`).map((t) => t.txid)),
  ];
}

async function crashingPay(payer: DevNode, uri: string, point: string): Promise<void> {
  await payer.restart({ crashAt: point });
  await expect(payer.call('payments.pay', { uri })).rejects.toThrow();
  await payer.exited();
  await payer.start();
}

describe('the payer dies mid-send', () => {
  it(
    'killed after storing sending, before the wallet call: nothing was sent, it waits for the user, then pays once',
    async () => {
      const merchant = await net.node('merchant-a', { config: { payments: { pollMs: 200 } } });
      // The settle wait is the user's safety margin, not what this case is about: 5 s instead of 2 min.
      const payer = await net.node('payer-a', {
        funds: { DEVA: 10n * COIN },
        config: { payments: { pollMs: 200, sendSettleMs: SETTLE_MS } },
      });
      const r = await merchant.call('payments.requestCreate', { ticker: 'DEVA', amount: '0.7' });
      await crashingPay(payer, r.uri, 'payments.before-send');
      const [stored] = await payer.call('payments.book', {});
      expect(stored).toMatchObject({ phase: 'reconciling', attempts: 1 });
      expect(await sendsOf(payer, stored!.key)).toEqual([]);
      // Asking again while the outcome is unknown sends nothing.
      expect((await payer.call('payments.pay', { uri: r.uri })).phase).toBe('reconciling');
      const back = await payer.until(
        () => payer.call('payments.payment', { key: stored!.key }),
        (p) => p.phase === 'ready',
        'the settle lookup to find nothing',
        SETTLE_MS + 60_000,
        { intervalMs: 1000 },
      );
      expect(back.note).toBe('not-sent');
      expect(await sendsOf(payer, stored!.key)).toEqual([]);
      const paid = await payer.call('payments.pay', { uri: r.uri });
      expect(paid).toMatchObject({ phase: 'sent', key: stored!.key, attempts: 2 });
      expect(await sendsOf(payer, stored!.key)).toEqual([paid.txid]);
      const got = await merchant.call('payments.requestWait', { id: r.id, until: 'seen', timeoutSec: 60 });
      expect(got.request.status.received).toBe('0.7');
      expect(got.request.status.payments).toHaveLength(1);
    },
    SETTLE_MS + STARTS + 120_000,
  );

  it(
    'killed after the wallet sent, before the node recorded it: found by its comment on restart, recorded once',
    async () => {
      const merchant = await net.node('merchant-b', { config: { payments: { pollMs: 200 } } });
      const payer = await net.node('payer-b', { funds: { DEVA: 10n * COIN }, config: { payments: { pollMs: 200 } } });
      const r = await merchant.call('payments.requestCreate', { ticker: 'DEVA', amount: '0.9' });
      await crashingPay(payer, r.uri, 'payments.after-send');
      const [stored] = await payer.call('payments.book', {});
      const sent = await payer.until(
        () => payer.call('payments.payment', { key: stored!.key }),
        (p) => p.phase === 'sent',
        'the restart to find the payment',
        30_000,
      );
      expect(sent.attempts).toBe(1);
      expect(await sendsOf(payer, sent.key)).toEqual([sent.txid]);
      expect((await payer.call('payments.pay', { uri: r.uri })).txid).toBe(sent.txid);
      expect(await sendsOf(payer, sent.key)).toEqual([sent.txid]);
      const got = await merchant.call('payments.requestWait', { id: r.id, until: 'seen', timeoutSec: 60 });
      expect(got.request.status.received).toBe('0.9');
      expect(got.request.status.payments).toHaveLength(1);
      expect(sent.fee).toMatch(/^0\.0000\d+$/);
    },
    STARTS + 120_000,
  );
});
