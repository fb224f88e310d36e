// A cancel: alice's partial sell order shows in bob's book (level and order); alice cancels it
// from her open orders; it leaves bob's book, shows as canceled in her history, and the coins it
// held are spendable again. An order holds its backing coins whole (locked in the wallet:
// docs/orders.md §4), so "available" drops by the value of those coins, at least the amount.
import { expect, test } from '@playwright/test';
import { openTab, placeLimitOrder, priceAboveBook, showBookOrders } from './trade-ui.ts';
import { lockedCoins } from './chain.ts';
import { gotoTrade, openTrader, shot, units, valueOf } from './trader.ts';

const AMOUNT = '2';

test("alice cancels an open order and it leaves bob's book", async ({ browser }) => {
  test.setTimeout(180_000);
  const alice = await openTrader(browser, 'alice');
  const bob = await openTrader(browser, 'bob');
  const price = await priceAboveBook(alice.rpc, 130n);

  await gotoTrade(alice.page);
  await alice.page.getByTestId('order-side-sell').check();
  const available = await valueOf(alice.page, 'order-available');
  const lockedBefore = await lockedCoins('DEVA', 'alice');
  const orderId = await placeLimitOrder(alice.page, { side: 'sell', price, amount: AMOUNT, minAmount: '0.5' });
  // The order holds its coins: locked in alice's wallet, they are no longer spendable.
  const backing = async () => {
    const now = await lockedCoins('DEVA', 'alice');
    return [...now].filter(([u]) => !lockedBefore.has(u));
  };
  await expect.poll(async () => (await backing()).length).toBeGreaterThan(0);
  const held = (await backing()).reduce((sum, [, value]) => sum + value, 0n);
  expect(held).toBeGreaterThanOrEqual(units(AMOUNT));
  await expect.poll(() => valueOf(alice.page, 'order-available')).toBe(available - held);

  await gotoTrade(bob.page);
  const level = bob.page.locator(`[data-testid="book-ask"][data-price="${price}"]`);
  await expect(level).toHaveAttribute('data-amount', AMOUNT);
  await showBookOrders(bob.page, 'sell');
  const row = bob.page.locator(`[data-testid="book-order"][data-order-id="${orderId}"]`);
  await row.scrollIntoViewIfNeeded();
  await expect(row).toBeVisible();
  await shot(bob.page, '40-cancel-before');

  await openTab(alice.page, 'open');
  await alice.page.getByTestId(`cancel-order-${orderId}`).click();
  await expect(alice.page.getByTestId(`open-order-row-${orderId}`)).toHaveCount(0);
  await openTab(alice.page, 'history');
  await expect(alice.page.getByTestId(`order-history-row-${orderId}`)).toHaveAttribute('data-state', 'canceled');
  await expect.poll(() => valueOf(alice.page, 'order-available')).toBe(available);
  await expect.poll(async () => (await backing()).length).toBe(0);
  await shot(alice.page, '41-cancel-history');

  // Gone from bob's book: the order and its level.
  await expect(row).toHaveCount(0);
  await bob.page.getByTestId('book-mode-levels').check();
  await expect(level).toHaveCount(0);
  await shot(bob.page, '42-cancel-after');
  await expect(bob.rpc.call('orders.take', { orderId, dryRun: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });

  expect(alice.errors).toEqual([]);
  expect(bob.errors).toEqual([]);
  await alice.context.close();
  await bob.context.close();
});
