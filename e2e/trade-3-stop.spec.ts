// A stop order fires when the last trade price crosses its trigger: bob holds a stop buy above
// every price on the book (it waits, shown as "≥ trigger"); alice sells a little at that price and
// bob takes it, so the last trade price reaches the trigger; the stop fires as a market order
// within its cap, takes the cheapest ask, and its swap completes.
import { expect, test } from '@playwright/test';
import { openTab, placeLimitOrder, priceAboveBook, showBookOrders } from './trade-ui.ts';
import { gotoTrade, openTrader, shot, SWAP_TIMEOUT } from './trader.ts';

const STOP_AMOUNT = '0.5';
const TRIGGER_TRADE = '0.25';

test('a stop buy waits below its trigger and fires as a market order once a trade reaches it', async ({ browser }) => {
  test.setTimeout(300_000);
  const alice = await openTrader(browser, 'alice');
  const bob = await openTrader(browser, 'bob');
  const trigger = await priceAboveBook(bob.rpc);
  const last = (await bob.rpc.call('orders.markets', {})).find((m) => m.base === 'DEVA')?.last ?? null;

  // bob's stop: buy 0.5 DEVA at market, paying at most the trigger, once a trade happens at or above it.
  await gotoTrade(bob.page);
  await bob.page.getByTestId('order-side-buy').check();
  await bob.page.getByTestId('order-kind-stop').check();
  await bob.page.getByTestId('order-trigger').fill(trigger);
  await bob.page.getByTestId('order-stop-then-market').check();
  await bob.page.getByTestId('order-price-cap').fill(trigger);
  await bob.page.getByTestId('order-amount').fill(STOP_AMOUNT);
  if (last) await expect(bob.page.getByText(/Fires when the last trade price rises to this/)).toBeVisible();
  await bob.page.getByTestId('order-review').click();
  await expect(bob.page.getByTestId('preview-dialog')).toBeVisible();
  // It will take from the book when it fires: a taker's fee and lock.
  await expect(bob.page.getByTestId('preview-lock-1')).toContainText('Your DEVB lock (taker)');
  await shot(bob.page, '30-stop-preview');
  await bob.page.getByTestId('preview-confirm').click();
  const result = bob.page.getByTestId('order-result');
  await expect(result).toHaveAttribute('data-order-id', /^[0-9a-f]{64}$/);
  const stopId = (await result.getAttribute('data-order-id'))!;
  const stopRow = bob.page.getByTestId(`open-order-row-${stopId}`);
  await expect(stopRow).toHaveAttribute('data-state', 'new');
  await expect(stopRow).toContainText(`\u2265 ${trigger}`);
  const view = await bob.rpc.call('orders.get', { orderId: stopId });
  expect(view).toMatchObject({
    kind: 'stop',
    state: 'new',
    stop: { direction: 'above', then: 'market', triggerPrice: trigger },
  });
  await shot(bob.page, '31-stop-waiting');

  // alice offers a little at the trigger price; nothing has traded there yet, so the stop still waits.
  await gotoTrade(alice.page);
  const triggerOrder = await placeLimitOrder(alice.page, { side: 'sell', price: trigger, amount: TRIGGER_TRADE });
  await expect(stopRow).toHaveAttribute('data-state', 'new');

  // bob takes it: that trade's price reaches the trigger.
  await showBookOrders(bob.page, 'sell');
  const row = bob.page.locator(`[data-testid="book-order"][data-order-id="${triggerOrder}"]`);
  await row.scrollIntoViewIfNeeded();
  await row.click();
  await bob.page.getByTestId('order-review').click();
  await bob.page.getByTestId('preview-confirm').click();
  await expect(bob.page.locator('[data-testid^="order-result-swap-"]')).toHaveCount(1);

  // The trade completes, the last price is the trigger, and the stop fires, takes and completes.
  await expect(bob.page.getByTestId('market-last')).toHaveAttribute('data-value', trigger, { timeout: SWAP_TIMEOUT });
  await openTab(bob.page, 'history');
  const stopHistory = bob.page.getByTestId(`order-history-row-${stopId}`);
  await expect(stopHistory).not.toHaveAttribute('data-state', 'new', { timeout: SWAP_TIMEOUT });
  await shot(bob.page, '32-stop-fired');
  await expect(stopHistory).toHaveAttribute('data-state', 'finished', { timeout: SWAP_TIMEOUT });
  const fired = await bob.rpc.call('orders.get', { orderId: stopId });
  expect(fired).toMatchObject({ kind: 'stop', filledBase: STOP_AMOUNT });
  expect(fired.swapIds).toHaveLength(1);
  await openTab(bob.page, 'swaps');
  await expect(bob.page.getByTestId(`swap-progress-${fired.swapIds[0]!}`)).toHaveAttribute('data-state', 'completed');
  await shot(bob.page, '33-stop-filled');

  expect(alice.errors).toEqual([]);
  expect(bob.errors).toEqual([]);
  await alice.context.close();
  await bob.context.close();
});
