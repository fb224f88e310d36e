// Payments in the UI between two traders: alice asks bob to be paid with her published identity,
// bob opens the QR code as a PNG picture, sees alice's signed card, pays; both follow it to
// confirmed and the balances reconcile to the satoshi. Then the attacks, each a card state: the
// address swapped (blocked), an unsigned identity (warned), an expired request (blocked), a
// lookalike name (warned), a deleted identity (blocked). Screenshots of every card state and of
// the counter view go to test-results/screenshots/pay-*.png.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { stateFile } from './devnet.ts';
import { EXPIRES_IN_SEC, expiringRequest } from './expiring-request.ts';
import { nodeRpc, openTrader, shot, units, walletTotals, type Trader } from './trader.ts';

const AMOUNT = '1.25';
// A 32×32 logo (a white "A" on teal), inline as a profile image must be (at most 1,468 bytes).
const LOGO =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAAeUlEQVR42u2Wyw3AIAxDvUD37gDdNz31gKhSHBMJ1ES5gIKe+Roc15maKEAB2rQnUgDWxm4Ae4sUALsTYOX3za0AgfMKVr7TqQJilw4B+dQkoLwNKsCYWA8wuMSfZQsARJOAIn+kGFOciwMEXMUZginG64yqf9EPADeoE8F8sjrhigAAAABJRU5ErkJggg==';

type Rpc = ReturnType<typeof nodeRpc>;

async function publish(rpc: Rpc, name: string, image?: string): Promise<string> {
  const mine = await rpc.call('identity.list', { mine: true });
  const existing = mine.items.find((i) => i.profile.name === name && !i.deleted);
  if (existing) return existing.did;
  return (await rpc.call('identity.create', { profile: { name, ...(image ? { image } : {}) } })).did;
}

async function registryHas(reader: Rpc, did: string, deleted = false): Promise<void> {
  await expect
    .poll(async () => (await reader.call('identity.get', { did }).catch(() => undefined))?.deleted, {
      timeout: 60_000,
      message: `the registry to hold ${did}${deleted ? ' deleted' : ''}`,
    })
    .toBe(deleted);
}

/** Pastes a request on bob's Pay tab and waits for its card. */
async function readRequest(page: Page, uri: string): Promise<void> {
  await page.getByTestId('nav-pay').click();
  await page.getByTestId('pay-tab-pay').click();
  await page.getByTestId('pay-uri').fill(uri);
  await page.getByTestId('pay-read').click();
  await expect(page.getByTestId('merchant-card')).toBeVisible();
}

async function card(page: Page, state: string, screenshot: string) {
  const c = page.getByTestId('merchant-card');
  await expect(c).toHaveAttribute('data-state', state);
  await shot(page, screenshot);
  return c;
}

test('alice asks bob to be paid with her identity; bob pays from the QR picture; the attacks are blocked or warned', async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const alice = await openTrader(browser, 'alice');
  const bob = await openTrader(browser, 'bob');
  const maker = nodeRpc('maker');
  const did = await publish(alice.rpc, 'Alice Shop', LOGO);
  await registryHas(bob.rpc, did);
  const before = { alice: await walletTotals(alice.page), bob: await walletTotals(bob.page) };

  // alice asks to be paid: identity, coin, amount, label, message, expiry.
  const request = await askToBePaid(alice, did);
  await alice.page.getByTestId('request-counter-open').click();
  await expect(alice.page.getByTestId('counter-view')).toHaveAttribute('data-status', 'waiting');
  await expect(alice.page.getByTestId('counter-name')).toHaveText('Alice Shop');
  await expect(alice.page.getByTestId('counter-logo')).toBeVisible();
  await shot(alice.page, 'pay-counter-waiting');

  // The QR code as a PNG file, chosen through bob's file input.
  const png = path.join('test-results', 'pay-request-qr.png');
  mkdirSync(path.dirname(png), { recursive: true });
  await alice.page.getByTestId('counter-qr').screenshot({ path: png });
  await bob.page.getByTestId('nav-pay').click();
  await expect(alice.page.getByTestId('counter-qr')).toHaveAttribute('data-text', request.uri);
  await bob.page.getByTestId('pay-qr-file').setInputFiles(png);
  await expect(bob.page.getByTestId('pay-tab-pay')).toHaveAttribute('aria-current', 'page');
  // Read, or the reason it could not be read (shown to the user, and here in the failure).
  await expect
    .poll(async () => {
      const error = bob.page.getByTestId('pay-image-error');
      if (await error.isVisible()) return `image error: ${await error.textContent()}`;
      return bob.page.getByTestId('pay-uri').inputValue();
    })
    .toBe(request.uri);
  let c = await card(bob.page, 'new', 'pay-card-new');
  await expect(c).toHaveAttribute('data-verified', 'true');
  await expect(c.getByTestId('merchant-name')).toHaveText('Alice Shop');
  await expect(c.getByTestId('merchant-logo')).toBeVisible();
  // Saved as a contact, her request shows at once as from a verified contact.
  await bob.page.getByTestId('contact-save').click();
  c = await card(bob.page, 'verified', 'pay-card-verified');
  await expect(c).toHaveAttribute('data-colour', 'green');

  // The fee and the balance before paying; then pay and follow it.
  await expect(bob.page.getByTestId('pay-amount-fixed')).toHaveAttribute('data-value', AMOUNT);
  await expect(bob.page.getByTestId('pay-fee')).toHaveAttribute('data-value', /^0\.0000\d+$/);
  await bob.page.getByTestId('pay-submit').click();
  const result = bob.page.getByTestId('pay-result');
  await expect(result).toHaveAttribute('data-phase', /sent|confirmed/);
  await expect(bob.page.getByTestId('pay-txid')).toHaveAttribute('data-txid', /^[0-9a-f]{64}$/);
  await result.scrollIntoViewIfNeeded();
  await shot(bob.page, 'pay-sent');
  await expect(alice.page.getByTestId('counter-view')).toHaveAttribute('data-status', /seen|confirmed/);
  await expect(result).toHaveAttribute('data-phase', 'confirmed', { timeout: 90_000 });
  await expect(alice.page.getByTestId('counter-view')).toHaveAttribute('data-status', 'confirmed', {
    timeout: 90_000,
  });
  await shot(alice.page, 'pay-counter-paid');
  await result.scrollIntoViewIfNeeded();
  await shot(bob.page, 'pay-confirmed');
  await alice.page.getByTestId('counter-close').click();
  const fee = units((await bob.page.getByTestId('pay-result-fee').getAttribute('data-value'))!);

  // Balances reconcile to the satoshi: bob paid the amount and the fee, alice got the amount. A
  // node asks its wallet for balances every 3 s, so a page may show the old one that long after
  // the payment confirmed: each is read until it moves, then compared exactly.
  const settled = async (page: typeof alice.page, was: bigint) => {
    let now = was;
    await expect.poll(async () => (now = (await walletTotals(page)).DEVA!), { timeout: 15_000 }).not.toBe(was);
    return now;
  };
  expect(await settled(bob.page, before.bob.DEVA!)).toBe(before.bob.DEVA! - units(AMOUNT) - fee);
  expect(await settled(alice.page, before.alice.DEVA!)).toBe(before.alice.DEVA! + units(AMOUNT));

  // The book names alice; a new request from her is now from someone paid before.
  await bob.page.getByTestId('nav-pay').click();
  await bob.page.getByTestId('pay-tab-book').click();
  await expect(bob.page.getByTestId('book-table')).toContainText('Alice Shop');
  await shot(bob.page, 'pay-book');
  const again = await alice.rpc.call('payments.requestCreate', { ticker: 'DEVA', amount: '0.2', identity: did });
  await readRequest(bob.page, again.uri);
  await card(bob.page, 'known', 'pay-card-known');

  await attacks(bob, { uri: request.uri, did, maker });

  // The expired request: the market maker signed it when the devnet came up (expiring-request.ts),
  // so its minute has passed by now, unless this spec runs alone.
  const expiring = expiringRequest(stateFile());
  await bob.page.waitForTimeout(Math.max(0, expiring.made + (EXPIRES_IN_SEC + 2) * 1000 - Date.now()));
  await readRequest(bob.page, expiring.uri);
  await card(bob.page, 'expired', 'pay-card-expired');
  await expect(bob.page.getByTestId('pay-blocked')).toBeVisible();
  await expect(bob.page.getByTestId('pay-submit')).toHaveCount(0);
  expect(alice.errors).toEqual([]);
  expect(bob.errors).toEqual([]);
});

async function askToBePaid(alice: Trader, did: string) {
  const page = alice.page;
  await page.getByTestId('nav-pay').click();
  await page.getByTestId('pay-tab-ask').click();
  await page.getByTestId('ask-identity').selectOption(did);
  await page.getByTestId('ask-ticker').selectOption('DEVA');
  await page.getByTestId('ask-amount').fill(AMOUNT);
  await page.getByTestId('ask-label').fill('Alice Shop');
  await page.getByTestId('ask-message').fill('Order 42');
  await page.getByTestId('ask-expiry').selectOption('3600');
  await shot(page, 'pay-ask-form');
  await page.getByTestId('ask-submit').click();
  const detail = page.getByTestId('request-detail');
  await expect(detail).toHaveAttribute('data-status', 'waiting');
  const uri = (await page.getByTestId('request-uri').textContent())!.trim();
  expect(uri).toContain(`identity=${did}`);
  await expect(page.getByTestId('request-qr')).toHaveAttribute('data-text', uri);
  await shot(page, 'pay-request');
  return { id: (await detail.getAttribute('data-id'))!, uri };
}

async function attacks(bob: Trader, o: { uri: string; did: string; maker: Rpc }): Promise<void> {
  const page = bob.page;
  // The same URI with the address swapped (clipboard malware): blocked, nobody named.
  const swapTo = (await bob.rpc.call('wallets.newAddress', { ticker: 'DEVA' })).address;
  const original = /^deva:([a-z0-9]+)\?/.exec(o.uri)![1]!;
  await readRequest(page, o.uri.replace(original, swapTo));
  const mismatch = await card(page, 'mismatch', 'pay-card-mismatch');
  await expect(mismatch).toHaveAttribute('data-blocked', 'true');
  await expect(mismatch.getByTestId('merchant-name')).toHaveCount(0);
  await expect(page.getByTestId('pay-submit')).toHaveCount(0);

  // alice's DID written into a request she never signed: a warning, her name not shown, a check needed.
  await readRequest(page, `deva:${swapTo}?amount=0.3&identity=${o.did}`);
  const unbound = await card(page, 'unbound', 'pay-card-unbound');
  await expect(unbound).toHaveAttribute('data-colour', 'amber');
  await expect(unbound.getByTestId('merchant-name')).toHaveCount(0);
  await expect(page.getByTestId('pay-submit')).toBeDisabled();
  await expect(page.getByTestId('pay-acknowledge')).toBeVisible();

  // A plain request without identity.
  await readRequest(page, `deva:${swapTo}?amount=0.3`);
  await card(page, 'anonymous', 'pay-card-anonymous');

  // Another identity with a name one character away from the contact "Alice Shop".
  const mallory = await publish(o.maker, 'A1ice Shop');
  const fake = await o.maker.call('payments.requestCreate', {
    ticker: 'DEVA',
    amount: '0.3',
    label: 'A1ice Shop',
    identity: mallory,
  });
  await readRequest(page, fake.uri);
  const look = await card(page, 'lookalike', 'pay-card-lookalike');
  await expect(look).toHaveAttribute('data-colour', 'red');
  await expect(look.getByTestId('merchant-detail')).toContainText('Alice Shop');
  await expect(page.getByTestId('pay-acknowledge')).toBeVisible();

  // A request signed by an identity its owner has since deleted.
  const gone = await publish(o.maker, 'Closed Shop');
  const old = await o.maker.call('payments.requestCreate', { ticker: 'DEVA', amount: '0.3', identity: gone });
  await o.maker.call('identity.delete', { did: gone });
  await registryHas(bob.rpc, gone, true);
  await readRequest(page, old.uri);
  await card(page, 'deleted', 'pay-card-deleted');
  await expect(page.getByTestId('pay-blocked')).toBeVisible();
}
