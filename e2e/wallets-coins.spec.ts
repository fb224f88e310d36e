// Coin preparation in the UI (docs/orders.md §10): bob opens his DEVB wallet's coins, previews a
// split into three coins of 0.5 DEVB with its network fee, confirms it, and sees the three new
// coins; his wallet's total drops by exactly the fee the preview showed, which is the fee the
// chain records. Runs last: it changes bob's coins, nothing the trades before it rely on.
import { expect, test } from '@playwright/test';
import { txFee } from './chain.ts';
import { openTrader, shot, units, walletTotal } from './trader.ts';

const AMOUNT = '0.5';

test('bob splits a DEVB coin into three order-sized coins for the fee the preview showed', async ({ browser }) => {
  const bob = await openTrader(browser, 'bob');
  const page = bob.page;
  await page.getByTestId('nav-wallets').click();
  await expect(page.getByTestId('wallets-table')).toBeVisible();
  const before = await walletTotal(page, 'DEVB');

  await page.getByTestId('wallet-details-toggle-DEVB').click();
  const coins = page.getByTestId('wallet-coins-DEVB');
  await coins.locator('summary').click();
  const rows = coins.getByTestId('coin-row');
  await expect(rows.first()).toBeVisible();
  const sized = coins.locator(`[data-testid="coin-row"][data-amount="${AMOUNT}"]`);
  const sizedBefore = await sized.count();

  await page.getByTestId('wallet-split-DEVB').click();
  const dialog = page.getByTestId('split-dialog-DEVB');
  await dialog.getByTestId('split-amount').fill(AMOUNT);
  await dialog.getByTestId('split-count').fill('3');
  await dialog.getByTestId('split-preview').click();
  const preview = dialog.getByTestId('split-preview-DEVB');
  await expect(preview.getByTestId('split-preview-outputs')).toHaveAttribute('data-count', '3');
  const fee = units((await preview.getAttribute('data-fee'))!);
  expect(fee).toBeGreaterThan(0n);
  await coins.scrollIntoViewIfNeeded();
  await shot(page, 'coins-1-split-preview');

  await dialog.getByTestId('split-confirm').click();
  const sent = dialog.getByTestId('split-sent');
  await expect(sent).toBeVisible();
  const txid = (await sent.getAttribute('data-txid'))!;
  expect(txid).toMatch(/^[0-9a-f]{64}$/);
  // The chain's fee of the split is the one bob agreed to; nothing else left the wallet.
  expect(await txFee('DEVB', txid)).toBe(fee);
  await expect.poll(() => walletTotal(page, 'DEVB')).toBe(before - fee);

  // Three new free coins of exactly the amount, listed with what holds every other coin.
  await dialog.getByTestId('split-close').click();
  await expect(sized).toHaveCount(sizedBefore + 3);
  for (const row of await sized.all()) await expect(row).toHaveAttribute('data-lock', 'free');
  await coins.scrollIntoViewIfNeeded();
  await shot(page, 'coins-2-after-split');

  expect(bob.errors).toEqual([]);
  await bob.context.close();
});
