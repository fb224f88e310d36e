// The content registry on the devnet, as two people see it: alice publishes a file from her
// node (it serves the bytes over the network), bob sees the record settle on his own node as
// other nodes witness it, co-signs it, and mirrors Spanish content with a bucket rule after a dry
// run; alice's record page then shows bob's co-signature and his node's mirror URI. Screenshots
// of each screen are saved.
import { expect, test } from '@playwright/test';
import { openTrader, shot, type Trader } from './trader.ts';

let alice: Trader;
let bob: Trader;

test.beforeAll(async ({ browser }) => {
  alice = await openTrader(browser, 'alice');
  bob = await openTrader(browser, 'bob');
});

test.afterAll(async () => {
  await alice?.context.close();
  await bob?.context.close();
});

async function identityOf(t: Trader, name: string): Promise<string> {
  const mine = await t.rpc.call('identity.list', { mine: true });
  const live = mine.items.find((i) => !i.deleted);
  if (live) return live.did;
  return (await t.rpc.call('identity.create', { profile: { name } })).did;
}

test('alice publishes a file; bob sees it settle, co-signs it and mirrors it by rule', async () => {
  await identityOf(alice, 'Alice Registry');
  await identityOf(bob, 'Bob Registry');
  const name = `Cuento ${Date.now()}`;
  const body = Buffer.from(`Había una vez un registro firmado (${name}).\n`);

  const a = alice.page;
  await a.getByTestId('nav-registry').click();
  await expect(a.getByTestId('registry-page')).toBeVisible();
  await a.getByTestId('registry-tab-publish').click();
  await a.getByTestId('registry-file').setInputFiles({ name: 'cuento.txt', mimeType: 'text/plain', buffer: body });
  await expect(a.getByTestId('registry-content-hash')).toContainText('served by this node');
  await a.getByTestId('registry-name').fill(name);
  await a.getByTestId('registry-language').fill('es_MX');
  await expect(a.getByTestId('registry-sign')).toBeDisabled();
  await a.getByTestId('registry-language').fill('es-MX');
  await a.getByTestId('registry-licence').fill('CC-BY-4.0');
  await a.getByTestId('registry-format').fill('text/plain');
  await shot(a, 'registry-01-publish');
  await a.getByTestId('registry-sign').click();
  await expect(a.getByTestId('registry-record')).toBeVisible();
  await expect(a.getByTestId('registry-record-name')).toHaveText(name);
  await expect(a.getByTestId('registry-uris')).toContainText('hashlock://');
  await shot(a, 'registry-02-record');

  // Bob's node hears of it, fetches the bytes from alice's node over the overlay and witnesses it;
  // so do the other devnet nodes, until it is settled.
  const b = bob.page;
  await b.getByTestId('nav-registry').click();
  await b.getByTestId('registry-q').fill(name);
  await b.getByTestId('registry-search').click();
  const row = b.getByTestId('registry-row').filter({ hasText: name });
  await expect(async () => {
    await b.getByTestId('registry-search').click();
    await expect(row).toHaveAttribute('data-settled', 'true', { timeout: 2000 });
  }).toPass({ timeout: 90_000 });
  await shot(b, 'registry-03-bob-browse');
  await row.getByRole('link', { name }).click();
  await expect(b.getByTestId('registry-record')).toHaveAttribute('data-settled', 'true');
  await expect(b.getByTestId('registry-settlement')).toContainText(/Settled: witnessed by [3-9] nodes/);
  await b.getByTestId('registry-cosign').click();
  await expect(b.getByTestId('registry-cosigners')).toContainText('Bob Registry');
  await shot(b, 'registry-04-bob-cosigned');

  // Bob mirrors Spanish content: a dry run first, then the rule.
  await b.getByTestId('registry-tab-bucket').click();
  await b.getByTestId('registry-rule-language').fill('es');
  await b.getByTestId('registry-quota').fill('64');
  await b.getByTestId('registry-dry-run').click();
  await expect(b.getByTestId('registry-dry-result')).toHaveAttribute('data-fits', 'true');
  await expect(b.getByTestId('registry-dry-result')).toContainText(name);
  await shot(b, 'registry-05-dry-run');
  await b.getByTestId('registry-bucket-save').click();
  await expect(b.getByTestId('registry-bucket-status')).not.toHaveAttribute('data-mirrored', '0', { timeout: 60_000 });
  await shot(b, 'registry-06-mirroring');

  // Alice's page shows bob's co-signature and his node's mirror.
  const bobPeer = (await bob.rpc.call('registry.info', {})).peerId;
  await expect(async () => {
    await a.reload();
    await expect(a.getByTestId('registry-uris')).toContainText(`hashlock://${bobPeer}`, { timeout: 2000 });
  }).toPass({ timeout: 60_000 });
  await expect(a.getByTestId('registry-cosigners')).toContainText('Bob Registry');
  await shot(a, 'registry-07-alice-mirrored');

  expect(alice.errors).toEqual([]);
  expect(bob.errors).toEqual([]);
});
