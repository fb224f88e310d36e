// Paying a signed request between two real nodes on the devnet's regtest chains: alice publishes
// her identity and asks to be paid, bob reads the request (API and CLI), sees alice's signed card,
// pays once; both see it confirmed and the balances move by exactly the amount and the fee.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../../src-shared/money/index.ts';
import { COIN, connectAll, useDevNet, type DevNode } from '../../support/dev-node.ts';

const net = useDevNet();
const TIMEOUT = 240_000;

async function publishedIdentity(owner: DevNode, reader: DevNode, name: string): Promise<string> {
  const me = await owner.call('identity.create', { profile: { name } });
  await reader.until(
    () => reader.call('identity.get', { did: me.did }).catch(() => undefined),
    (v) => v?.profile.name === name,
    `the registry to hold ${name}`,
  );
  return me.did;
}

describe('pay a signed request', () => {
  it(
    'request → pay → seen → confirmed, balances exact to the satoshi including the network fee',
    async () => {
      const alice = await net.node('alice', { config: { payments: { pollMs: 200 } } });
      const bob = await net.node('bob', { funds: { DEVA: 10n * COIN }, config: { payments: { pollMs: 200 } } });
      await connectAll([alice, bob]);
      const did = await publishedIdentity(alice, bob, 'Alice Shop');

      const request = await alice.call('payments.requestCreate', {
        ticker: 'DEVA',
        amount: '1.5',
        label: 'Alice Shop',
        message: 'Order 42',
        identity: did,
      });
      expect(request.uri).toContain(`identity=${did}`);

      // The CLI reads the request as the issue writes it: hashlock payments parse <uri>.
      const parsed = (await bob.cli(['payments', 'parse', request.uri])) as {
        card: { state: string; name?: string; verified: boolean };
      };
      expect(parsed.card).toMatchObject({ state: 'new', name: 'Alice Shop', verified: true });

      const bobBefore = await bob.balance('DEVA');
      const aliceBefore = await alice.balance('DEVA');
      const quote = await bob.call('payments.quote', { uri: request.uri });
      const paid = await bob.call('payments.pay', { uri: request.uri });
      expect(paid).toMatchObject({ phase: 'sent', amount: '1.5', did, name: 'Alice Shop', cardState: 'new' });
      expect(paid.txid).toMatch(/^[0-9a-f]{64}$/);
      // A second click is the same payment.
      expect((await bob.call('payments.pay', { uri: request.uri })).key).toBe(paid.key);

      const seen = await alice.call('payments.requestWait', { id: request.id, until: 'seen', timeoutSec: 60 });
      expect(seen).toMatchObject({ reached: true, request: { status: { status: 'seen', received: '1.5' } } });

      await net.dev.DEVA.mine(6);
      const settled = await alice.call('payments.requestWait', { id: request.id, until: 'settled', timeoutSec: 60 });
      expect(settled.request.status).toMatchObject({ status: 'confirmed', settled: true, confirmed: '1.5' });
      const done = await bob.until(
        () => bob.call('payments.payment', { key: paid.key }),
        (p) => p.phase === 'confirmed',
        'the payment confirmed',
      );

      // Exact to the satoshi: bob lost the amount and the fee the wallet reports, alice gained the amount.
      const tx = await bob
        .wallet('DEVA')
        .callAs(z.object({ fee: z.union([z.string(), z.number()]).transform(String) }).loose(), 'gettransaction', [
          paid.txid,
        ]);
      const fee = parseAmount(tx.fee.replace('-', ''), 8);
      expect(parseAmount(done.fee!, 8)).toBe(fee);
      expect(done.fee).toBe(quote.fee);
      expect(await bob.balance('DEVA')).toBe(bobBefore - 150_000_000n - fee);
      expect(await alice.balance('DEVA')).toBe(aliceBefore + 150_000_000n);
      console.log(`paid 1.5 DEVA, network fee ${done.fee} DEVA (${done.feeRate} sat/vB)`);

      // The book names alice, looked up now; her request lists the payment once.
      const book = await bob.call('payments.book', {});
      expect(book).toHaveLength(1);
      expect(book[0]).toMatchObject({ key: paid.key, txid: paid.txid, merchant: { name: 'Alice Shop' } });
      expect(settled.request.status.payments).toHaveLength(1);
    },
    TIMEOUT,
  );
});
