// A refund, shown as it happens: alice (maker) asks for several confirmations of the taker's lock
// before she claims (Settings), bob takes her order, and the moment bob's coins are locked alice's
// node is killed. bob's UI follows the swap to the refund at his lock and explains it; alice's
// node is started again the way the devnet runs it, her vault unlocked, and her UI shows her own
// refund at her (longer) lock, and finds her peers again. Her setting is put back, so the devnet
// is left as found.
import { expect, test } from '@playwright/test';
import { mineWhile } from './chain.ts';
import { killNode, nodeAlive, restartNode } from './devnet.ts';
import { openTab, placeLimitOrder, priceAboveBook, showBookOrders } from './trade-ui.ts';
import { gotoTrade, openTrader, shot, SWAP_TIMEOUT, unlockVault } from './trader.ts';
import type { Page } from '@playwright/test';

const AMOUNT = '0.5';
/** alice waits this deep on bob's lock before claiming: the seconds in which her node is killed. */
const CLAIM_DEPTH = '6';

async function setConfirmations(page: Page, ticker: string, value: string): Promise<void> {
  await page.getByTestId('nav-settings').click();
  const input = page.getByTestId(`settings-confirmations-${ticker}`);
  await input.fill(value);
  await input.press('Enter');
  await expect(page.getByTestId('settings-save-state')).toHaveAttribute('data-state', 'saved');
  await expect(input).toHaveValue(value);
}

test('the maker vanishes after the taker locked: both get their coins back, and each UI says so', async ({
  browser,
}) => {
  test.setTimeout(420_000);
  const alice = await openTrader(browser, 'alice');
  const bob = await openTrader(browser, 'bob');
  try {
    await setConfirmations(alice.page, 'DEVB', CLAIM_DEPTH);
    await shot(alice.page, '50-refund-settings');
    const price = await priceAboveBook(alice.rpc, 140n);

    // alice's preview shows the longer taker lock her setting asks for.
    await gotoTrade(alice.page);
    await alice.page.getByTestId('order-side-sell').check();
    await alice.page.getByTestId('order-price').fill(price);
    await alice.page.getByTestId('order-amount').fill(AMOUNT);
    await alice.page.getByTestId('order-review').click();
    await expect(alice.page.getByTestId('preview-lock-1')).toHaveAttribute('data-who', 'taker');
    expect(Number(await alice.page.getByTestId('preview-lock-1').getAttribute('data-blocks'))).toBeGreaterThan(32);
    await alice.page.getByTestId('preview-cancel').click();
    const orderId = await placeLimitOrder(alice.page, { side: 'sell', price, amount: AMOUNT });

    await gotoTrade(bob.page);
    await showBookOrders(bob.page, 'sell');
    const row = bob.page.locator(`[data-testid="book-order"][data-order-id="${orderId}"]`);
    await row.scrollIntoViewIfNeeded();
    await row.click();
    await bob.page.getByTestId('order-review').click();
    await bob.page.getByTestId('preview-confirm').click();
    const started = bob.page.locator('[data-testid^="order-result-swap-"]');
    await expect(started).toHaveCount(1);
    const swapId = (await started.getAttribute('data-testid'))!.replace('order-result-swap-', '');

    // bob's coins are locked; alice waits for CLAIM_DEPTH blocks on them. Her node dies now.
    await openTab(bob.page, 'swaps');
    await expect(bob.page.getByTestId(`swap-progress-${swapId}-step-own-lock`)).toHaveAttribute('data-status', 'done', {
      timeout: SWAP_TIMEOUT,
    });
    await killNode('alice');
    await expect(alice.page.getByTestId('connection-banner')).toBeVisible();
    await shot(alice.page, '51-refund-maker-gone');
    await expect(bob.page.getByTestId(`swap-progress-${swapId}`)).toHaveAttribute('data-state', 'funded');
    await expect(bob.page.getByTestId(`swap-progress-countdown-${swapId}`)).toHaveAttribute('data-kind', 'refund');
    await shot(bob.page, '52-refund-taker-waiting');

    // bob's lock ends (DEVB mined faster than the devnet's pace until then), his node refunds by
    // itself, and the screen says what happened and why.
    await mineWhile('DEVB', () =>
      expect(bob.page.getByTestId(`swap-progress-${swapId}`)).toHaveAttribute('data-state', /refunding|refunded/, {
        timeout: SWAP_TIMEOUT,
      }),
    );
    await expect(bob.page.locator('[data-testid="toast"][data-kind="refund"]').first()).toBeVisible();
    await bob.page.getByTestId(`swap-progress-link-${swapId}`).click();
    const detail = bob.page.getByTestId('swap-detail');
    await mineWhile('DEVB', () => expect(detail).toHaveAttribute('data-state', 'refunded', { timeout: SWAP_TIMEOUT }));
    await expect(bob.page.getByTestId('swap-detail-state')).toHaveAttribute('data-kind', 'refunded');
    const explain = bob.page.getByTestId('swap-explain');
    await expect(explain).toContainText('Refunded: your DEVB is back');
    await expect(explain).toContainText(/Why: .+/);
    await expect(explain).toContainText('You did not receive DEVA');
    await expect(bob.page.getByTestId('swap-step-own-lock')).toHaveAttribute('data-status', 'done');
    await expect(bob.page.getByTestId('swap-step-refund')).toHaveAttribute('data-status', 'done');
    await expect(bob.page.getByTestId('swap-step-claim')).toHaveAttribute('data-status', /skipped|failed/);
    await expect(bob.page.getByTestId('swap-tx-refund')).toBeVisible();
    await shot(bob.page, '53-refund-taker-refunded');

    // alice's node comes back: the UI reconnects, asks for her password, and shows her refund.
    await restartNode('alice');
    await expect(alice.page.getByTestId('unlock-password')).toBeVisible({ timeout: 60_000 });
    await unlockVault(alice.page);
    await alice.page.goto(`${new URL(alice.page.url()).origin}/#/swaps/${swapId}`);
    const aliceDetail = alice.page.getByTestId('swap-detail');
    await mineWhile('DEVA', () =>
      expect(aliceDetail).toHaveAttribute('data-state', /refunding|refunded/, { timeout: SWAP_TIMEOUT }),
    );
    await shot(alice.page, '54-refund-maker-refunding');
    await mineWhile('DEVA', () =>
      expect(aliceDetail).toHaveAttribute('data-state', 'refunded', { timeout: SWAP_TIMEOUT }),
    );
    await expect(alice.page.getByTestId('swap-explain')).toContainText('Refunded: your DEVA is back');
    await expect(alice.page.getByTestId('swap-step-refund')).toHaveAttribute('data-status', 'done');
    await shot(alice.page, '55-refund-maker-refunded');
    await gotoTrade(alice.page);
    await openTab(alice.page, 'history');
    await expect(alice.page.getByTestId(`order-history-row-${orderId}`)).toHaveAttribute('data-state', 'rolledback');
    await openTab(alice.page, 'swaps');
    await expect(alice.page.getByTestId(`swap-progress-explain-${swapId}`)).toContainText('Refunded');
    await shot(alice.page, '56-refund-maker-trade-screen');

    // Put things back: alice's setting. Her node found its peers again by itself (the devnet's configs list every node).
    await setConfirmations(alice.page, 'DEVB', '1');
    await alice.page.getByTestId('nav-network').click();
    await expect(alice.page.locator('[data-testid^="peer-row-"]')).toHaveCount(3, { timeout: 60_000 });
  } finally {
    // Never leave the devnet without alice, whatever failed above.
    if (!nodeAlive('alice')) await restartNode('alice');
    await alice.context.close();
    await bob.context.close();
  }
  expect(alice.errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  expect(bob.errors).toEqual([]);
});
