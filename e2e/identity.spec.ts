// Identity on the devnet, as two people see it: alice creates an identity with a picture, publishes
// it, links an address of her DEVA wallet (her wallet signs, her identity signs back) and sees the
// coins on it; bob finds her by DID, sees the profile verified and the link checked on his own
// node; alice deletes it and bob's page shows it gone. Bob also sees the devnet market maker's
// verified identity next to its orders. Screenshots of each screen are saved.
import { deflateSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { chainRpc } from './chain.ts';
import { showBookOrders } from './trade-ui.ts';
import { gotoTrade, openTrader, shot, type Trader } from './trader.ts';

/** A small PNG (a diagonal gradient), made here so the test needs no picture file. */
function gradientPng(size: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    rows[y * (1 + size * 3)] = 0;
    for (let x = 0; x < size; x++) {
      const o = y * (1 + size * 3) + 1 + x * 3;
      rows.set([(40 + (x * 200) / size) | 0, 90, (140 + (y * 100) / size) | 0], o);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

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

test('alice publishes an identity with a linked devnet address; bob finds it verified, then sees it deleted', async () => {
  const a = alice.page;
  await a.getByTestId('nav-identity').click();
  await expect(a.getByTestId('identity-home')).toBeVisible();
  await shot(a, 'identity-01-home');

  await a.getByTestId('identity-new').click();
  await expect(a.getByTestId('identity-editor')).toBeVisible();
  await a.getByTestId('identity-label').fill('trading');
  await a.getByTestId('identity-field-name').fill('Alice Example');
  await a.getByTestId('identity-field-title').fill('Swaps DEVA for DEVB, fairly');
  await a.getByTestId('identity-field-url').fill('https://alice.example');
  // A control character is refused before anything is signed.
  await a.getByTestId('identity-field-alias').fill('ali\u202Ece');
  await expect(a.getByTestId('identity-field-alias-error')).toContainText(/control or bidi/);
  await expect(a.getByTestId('identity-publish')).toBeDisabled();
  await a.getByTestId('identity-field-alias').fill('ali');
  await a.getByTestId('identity-avatar-file').setInputFiles({
    name: 'alice.png',
    mimeType: 'image/png',
    buffer: gradientPng(400),
  });
  await expect(a.getByTestId('identity-preview-card-avatar')).toHaveAttribute(
    'src',
    /^data:image\/(webp|jpeg|png);base64,/,
  );
  await expect(a.getByTestId('identity-preview-card-name')).toHaveText('Alice Example');
  await shot(a, 'identity-02-editor');

  await a.getByTestId('identity-publish').click();
  await expect(a.getByTestId('identity-profile')).toBeVisible();
  await expect(a.getByTestId('identity-verified-badge')).toBeVisible();
  const did = (await a.getByTestId('identity-did').textContent())!.trim();
  expect(did).toMatch(/^did:is:P[1-9A-HJ-NP-Za-km-z]{33}$/);
  await a.getByTestId('identity-qr-toggle').click();
  await expect(a.getByTestId('identity-qr')).toBeVisible();
  await shot(a, 'identity-03-profile');

  // Her DEVA wallet makes a legacy address and signs the statement; her identity signs back.
  await a.getByTestId('identity-link-ticker').selectOption('DEVA');
  await a.getByTestId('identity-link-wallet').click();
  const row = a.locator('[data-testid^="identity-linkrow-"]');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(/Both sides signed/);
  const address = (await row.getAttribute('data-target'))!;
  expect(address).toMatch(/^[mn][1-9A-HJ-NP-Za-km-z]{25,34}$/);
  await chainRpc('DEVA')('sendtoaddress', [address, 1.5], 'miner');
  // The devnet mines every second; scantxoutset sees the coins once they are in a block.
  await expect(async () => {
    await a.getByTestId('identity-links-check').click();
    await expect(row).toContainText(/Holds 1\.5 DEVA/, { timeout: 3000 });
  }).toPass({ timeout: 60_000 });
  await shot(a, 'identity-04-linked');

  await a.getByTestId('nav-identity').click();
  await expect(a.getByTestId('identity-total-DEVA')).toContainText('1.5');
  await shot(a, 'identity-05-portal');

  // Bob, on his own node, finds her by DID: replicated there, verified there.
  const b = bob.page;
  await b.getByTestId('nav-identity').click();
  await b.getByTestId('identity-search-input').fill(did);
  await b.getByTestId('identity-search-go').click();
  await expect(b.getByTestId('identity-profile')).toBeVisible();
  await expect(b.getByTestId('identity-card-name')).toHaveText('Alice Example');
  await expect(b.getByTestId('identity-verified-badge')).toBeVisible();
  await expect(b.getByTestId('identity-verification')).toContainText(/Signature valid/);
  await expect(b.getByTestId('identity-verification')).toContainText(/Heard from peer|Fetched from peer/);
  await expect(b.getByTestId('identity-links')).toContainText(/Holds 1\.5 DEVA/);
  await shot(b, 'identity-06-bob-profile');

  // By name too.
  await b.getByTestId('nav-identity').click();
  await b.getByTestId('identity-search-input').fill('alice ex');
  await b.getByTestId('identity-search-go').click();
  await expect(b.locator('[data-testid^="identity-found-"]')).toHaveCount(1);
  await shot(b, 'identity-07-bob-search');
  await b.locator('[data-testid^="identity-found-"]').click();
  await expect(b.getByTestId('identity-profile')).toHaveAttribute('data-deleted', 'false');

  // Alice deletes it, with a plain warning first.
  await a.getByTestId(`identity-mine-${did.slice('did:is:'.length)}`).click();
  await a.getByTestId('identity-delete').click();
  await expect(a.getByTestId('identity-delete-confirm')).toContainText(/cannot recall copies/);
  await shot(a, 'identity-08-delete-confirm');
  await a.getByTestId('identity-delete-yes').click();
  await expect(a.getByTestId('identity-deleted-badge')).toBeVisible();
  await expect(a.getByTestId('identity-recreate')).toBeVisible();

  // Bob's open page hears of it and shows it gone.
  await expect(b.getByTestId('identity-profile')).toHaveAttribute('data-deleted', 'true', { timeout: 30_000 });
  await expect(b.getByTestId('identity-card-name')).toHaveText('Deleted identity');
  await expect(b.getByTestId('identity-links')).toHaveCount(0);
  await shot(b, 'identity-09-bob-deleted');
  const resolved = await bob.rpc.call('identity.resolve', { did });
  expect(resolved.status).toBe(410);

  expect(alice.errors).toEqual([]);
  expect(bob.errors).toEqual([]);
});

test("bob sees the devnet market maker's verified identity on its orders and opens its profile", async () => {
  const b = bob.page;
  await gotoTrade(b);
  await showBookOrders(b, 'sell');
  const row = b.locator('[data-testid="book-order"][data-maker="Devnet Market Maker"]').first();
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row).toHaveAttribute('title', /Devnet Market Maker \(verified identity\)/);
  await row.click();
  await expect(b.getByTestId('take-maker-identity')).toHaveText('Devnet Market Maker');
  await shot(b, 'identity-10-maker-on-orders');
  await b.getByTestId('take-maker-identity').click();
  await expect(b.getByTestId('identity-card-name')).toHaveText('Devnet Market Maker');
  await expect(b.getByTestId('identity-verified-badge')).toBeVisible();
  await shot(b, 'identity-11-maker-profile');
  const orders = await bob.rpc.call('orders.list', { base: 'DEVA', quote: 'DEVB' });
  expect(orders.filter((o) => o.makerIdentity?.name === 'Devnet Market Maker').length).toBeGreaterThan(0);
  expect(bob.errors).toEqual([]);
});
