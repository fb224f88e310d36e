// The attacks of docs/payments.md §7 against two real nodes on the devnet's regtest chains: alice
// (a shop, and a lookalike and a deleted identity on the same node) makes signed requests, bob
// reads tampered copies. Each blocked request is refused by payments.pay, each warned one needs
// the acknowledgement; bob's wallet sends nothing and his balance is unchanged to the satoshi
// until he pays the genuine request, which goes through.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { COIN, connectAll, useDevNet, type DevNode } from '../../support/dev-node.ts';

const net = useDevNet();
const TIMEOUT = 300_000;

async function publish(owner: DevNode, reader: DevNode, name: string): Promise<string> {
  const me = await owner.call('identity.create', { profile: { name } });
  await reader.until(
    () => reader.call('identity.get', { did: me.did }).catch(() => undefined),
    (v) => v?.profile.name === name,
    `the registry to hold ${name}`,
  );
  return me.did;
}

/** The wallet's sends made by the pay runner (its comment): what really left bob's wallet. */
async function paySends(node: DevNode): Promise<string[]> {
  const txs = await node
    .wallet('DEVA')
    .callAs(
      z.array(z.object({ category: z.string(), comment: z.string().optional(), txid: z.string() }).loose()),
      'listtransactions',
      ['*', 1000, 0, true],
    );
  return txs.filter((t) => t.category === 'send' && t.comment?.startsWith('hashlock:pay:')).map((t) => t.txid);
}

/** A query value of a URI (its raw, still encoded text). */
function param(uri: string, key: string): string {
  const m = new RegExp(`[?&]${key}=([^&]*)`).exec(uri);
  if (!m) throw new Error(`${key} is not in ${uri}`);
  return m[1]!;
}

describe('attacks on a signed request, between real nodes', () => {
  it(
    'address swap, amount swap, forged binding, deleted and expired identities are blocked; unsigned and lookalike need the acknowledgement; nothing leaves the wallet',
    async () => {
      const alice = await net.node('alice', { config: { payments: { pollMs: 200 } } });
      const bob = await net.node('bob', { funds: { DEVA: 10n * COIN }, config: { payments: { pollMs: 200 } } });
      await connectAll([alice, bob]);
      const shop = await publish(alice, bob, 'Alice Shop');
      const fake = await publish(alice, bob, 'A1ice Shop');
      const gone = await publish(alice, bob, 'Old Shop');

      // Made first: the expired one needs its minute to pass while the rest run.
      const expiring = await alice.call('payments.requestCreate', {
        ticker: 'DEVA',
        amount: '0.1',
        identity: shop,
        expiresInSec: 60,
      });
      const genuine = await alice.call('payments.requestCreate', {
        ticker: 'DEVA',
        amount: '1.5',
        label: 'Alice Shop',
        message: 'Order 42',
        identity: shop,
      });
      const fromFake = await alice.call('payments.requestCreate', {
        ticker: 'DEVA',
        amount: '1.5',
        label: 'Alice Shop',
        identity: fake,
      });
      const fromGone = await alice.call('payments.requestCreate', { ticker: 'DEVA', amount: '0.5', identity: gone });
      await alice.call('identity.delete', { did: gone });
      await bob.until(
        () => bob.call('identity.get', { did: gone }).catch(() => undefined),
        (v) => v?.deleted === true,
        'the registry to hold Old Shop deleted',
      );
      await bob.call('payments.contactSave', { did: shop, name: 'Alice Shop' });
      expect((await bob.call('payments.parse', { uri: genuine.uri })).card).toMatchObject({
        state: 'verified',
        name: 'Alice Shop',
      });

      const bobBefore = await bob.balance('DEVA');
      const thief = await bob.wallet('DEVA').callAs(z.string(), 'getnewaddress', ['', 'bech32']);
      const blocked: Array<{ name: string; uri: string; state: string; mismatch?: string }> = [
        {
          name: 'address swapped',
          uri: genuine.uri.replace(genuine.address, thief),
          state: 'mismatch',
          mismatch: 'signature',
        },
        {
          name: 'amount swapped',
          uri: genuine.uri.replace('amount=1.5', 'amount=0.15'),
          state: 'mismatch',
          mismatch: 'signature',
        },
        {
          // The lookalike's own valid signature presented under the shop's DID.
          name: 'forged binding',
          uri: fromFake.uri.replace(`identity=${fake}`, `identity=${shop}`),
          state: 'mismatch',
          mismatch: 'signature',
        },
        {
          name: 'expiry extended',
          uri: genuine.uri.replace(
            `identity-expires=${param(genuine.uri, 'identity-expires')}`,
            `identity-expires=${Number(param(genuine.uri, 'identity-expires')) + 86_400}`,
          ),
          state: 'mismatch',
          mismatch: 'signature',
        },
        { name: 'deleted identity', uri: fromGone.uri, state: 'deleted' },
      ];
      for (const b of blocked) {
        const { card, merchant } = await bob.call('payments.parse', { uri: b.uri });
        expect(card, b.name).toMatchObject({ state: b.state, blocked: true, verified: false });
        if (b.mismatch) expect(card.mismatch, b.name).toBe(b.mismatch);
        if (b.state === 'mismatch') {
          expect(card.name, b.name).toBeUndefined();
          expect(merchant, b.name).toBeUndefined();
        }
        await expect(bob.call('payments.pay', { uri: b.uri, acknowledged: true }), b.name).rejects.toMatchObject({
          details: { code: 'CARD_BLOCKED' },
        });
      }

      // Warned: paying needs the user's "I checked"; without it nothing is stored or sent. An
      // unsigned copy that keeps the shop's name in its label is the graver lookalike warning.
      const unsignedNamed = genuine.uri.split('&identity-')[0]!;
      expect(unsignedNamed).toContain(`identity=${shop}`);
      const warned = [
        {
          name: 'unsigned identity',
          uri: `${genuine.uri.split('?')[0]}?amount=1.5&identity=${shop}`,
          state: 'unbound',
        },
        { name: "unsigned identity under the contact's name", uri: unsignedNamed, state: 'lookalike' },
        // Signed by the lookalike: its own name is shown, never the contact's.
        { name: 'lookalike', uri: fromFake.uri, state: 'lookalike', shows: 'A1ice Shop' },
      ];
      for (const w of warned) {
        const { card } = await bob.call('payments.parse', { uri: w.uri });
        expect(card, w.name).toMatchObject({ state: w.state, blocked: false, confirm: true });
        expect(card.name, w.name).toBe(w.shows);
        await expect(bob.call('payments.pay', { uri: w.uri }), w.name).rejects.toMatchObject({
          details: { code: 'CONFIRMATION_NEEDED' },
        });
      }
      const { card: look } = await bob.call('payments.parse', { uri: fromFake.uri });
      expect(look.lookalikeOf).toEqual({ did: shop, name: 'Alice Shop' });

      // The expired request, once its minute is over.
      await bob.until(
        () => bob.call('payments.parse', { uri: expiring.uri }),
        (r) => r.card.state === 'expired',
        'the request to expire',
        90_000,
        { intervalMs: 2000 },
      );
      await expect(bob.call('payments.pay', { uri: expiring.uri })).rejects.toMatchObject({
        details: { code: 'CARD_BLOCKED' },
      });

      // Nothing left bob's wallet, nothing is in his book, his balance is the same to the satoshi.
      expect(await paySends(bob)).toEqual([]);
      expect(await bob.call('payments.book', {})).toEqual([]);
      expect(await bob.balance('DEVA')).toBe(bobBefore);

      // The genuine request still pays: the refusals were the card's, not a broken set-up.
      const paid = await bob.call('payments.pay', { uri: genuine.uri });
      expect(paid).toMatchObject({ phase: 'sent', did: shop, cardState: 'verified' });
      expect(await paySends(bob)).toEqual([paid.txid]);
    },
    TIMEOUT,
  );
});
