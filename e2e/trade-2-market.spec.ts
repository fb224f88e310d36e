// A market order across several makers within a price cap: bob buys more than the two cheapest
// asks hold (the devnet market maker's best ask and alice's order just above it) with a cap
// that leaves every dearer ask alone. The preview shows both fills, the average price, the part
// not filled, a taker fee per fill and network fees for two swaps; both swaps complete.
import { expect, test } from '@playwright/test';
import { devnetState } from './devnet.ts';
import { addDecimal, followSwapOnTrade, openTab, placeLimitOrder } from './trade-ui.ts';
import { decimal, gotoTrade, openTrader, shot, SWAP_TIMEOUT, units, valueOf } from './trader.ts';

const ALICE_AMOUNT = '0.5';
const UNFILLED = '0.25';
const COIN = 100_000_000n;
/** The quote of a fill when the maker sells: rounded up, in the maker's favour. */
const quoteUp = (base: bigint, price: bigint) => (base * price + COIN - 1n) / COIN;

test("a market buy sweeps the market maker's best ask and alice's order within bob's price cap", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const alice = await openTrader(browser, 'alice');
  const bob = await openTrader(browser, 'bob');
  const makerPeer = devnetState().nodes.find((n) => n.name === 'maker')!.peerId;

  // The market maker's cheapest ask, and the next dearer price on the book (on a fresh devnet its orders take a few seconds).
  const sellOrders = async () =>
    (await bob.rpc.call('orders.book', { base: 'DEVA', quote: 'DEVB', detail: 3, depth: 100 })).orders!.filter(
      (o) => o.side === 'sell',
    );
  await expect
    .poll(async () => (await sellOrders()).filter((o) => o.makerPeerId === makerPeer).length, { timeout: 60_000 })
    .toBeGreaterThan(1);
  const asks = (await sellOrders()).sort((a, b) =>
    units(a.price) < units(b.price) ? -1 : units(a.price) > units(b.price) ? 1 : 0,
  );
  const best = asks.find((o) => o.makerPeerId === makerPeer);
  expect(best, 'the devnet market maker keeps asks on the book').toBeDefined();
  expect(asks[0]!.id, "the market maker's ask is the cheapest").toBe(best!.id);
  const next = asks.find((o) => units(o.price) > units(best!.price));
  // alice asks between the two (4 decimals), so the sweep takes exactly her order after the maker's.
  const gap = next ? (units(next.price) - units(best!.price)) / 2n : units(best!.price) / 100n;
  const alicePrice = decimal(units(best!.price) + gap - (gap % 10_000n));
  expect(units(alicePrice)).toBeGreaterThan(units(best!.price));
  if (next) expect(units(alicePrice)).toBeLessThan(units(next.price));

  await gotoTrade(alice.page);
  const aliceOrder = await placeLimitOrder(alice.page, { side: 'sell', price: alicePrice, amount: ALICE_AMOUNT });

  // bob wants the maker's whole best ask, alice's order, and a bit more than the cap allows.
  const wanted = addDecimal(addDecimal(best!.remainingBase, ALICE_AMOUNT), UNFILLED);
  await gotoTrade(bob.page);
  await expect(bob.page.locator(`[data-testid="book-ask"][data-price="${alicePrice}"]`)).toBeVisible();
  await bob.page.getByTestId('order-side-buy').check();
  await bob.page.getByTestId('order-kind-market').check();
  await bob.page.getByTestId('order-price-cap').fill(alicePrice);
  await bob.page.getByTestId('order-amount').fill(wanted);
  await bob.page.getByTestId('order-review').click();

  const filledBase = units(best!.remainingBase) + units(ALICE_AMOUNT);
  const quote =
    quoteUp(units(best!.remainingBase), units(best!.price)) + quoteUp(units(ALICE_AMOUNT), units(alicePrice));
  await expect(bob.page.getByTestId('preview-dialog')).toBeVisible();
  await expect(bob.page.getByTestId('preview-fills')).toHaveAttribute('data-count', '2');
  await expect(bob.page.getByTestId('preview-get')).toHaveAttribute('data-value', decimal(filledBase));
  await expect(bob.page.getByTestId('preview-give')).toHaveAttribute('data-value', decimal(quote));
  await expect(bob.page.getByTestId('preview-unfilled')).toHaveAttribute('data-value', UNFILLED);
  const average = await valueOf(bob.page, 'preview-price');
  expect(average).toBeGreaterThan(units(best!.price));
  expect(average).toBeLessThan(units(alicePrice));
  // One taker fee per order taken, and the network fees of two swaps.
  expect(await valueOf(bob.page, 'preview-taker-fee')).toBe(2n * units('0.001'));
  await expect(bob.page.getByTestId('preview-network-fee-0')).toContainText('in 2 swaps');
  await shot(bob.page, '20-market-preview');
  await bob.page.getByTestId('preview-confirm').click();

  const links = bob.page.locator('[data-testid^="order-result-swap-"]');
  await expect(links).toHaveCount(2);
  const swapIds = await links.evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-testid')!.replace('order-result-swap-', '')),
  );
  const marketOrder = (await bob.page.getByTestId('order-result').getAttribute('data-order-id'))!;
  await shot(bob.page, '21-market-swaps-started');
  for (const id of swapIds) await followSwapOnTrade(bob.page, id, 'completed');
  await shot(bob.page, '22-market-swaps-completed');

  // bob's order is filled for what the cap allowed; alice's order is filled; the dearer ask is untouched.
  await openTab(bob.page, 'history');
  await expect(bob.page.getByTestId(`order-history-row-${marketOrder}`)).toHaveAttribute('data-state', 'finished', {
    timeout: SWAP_TIMEOUT,
  });
  const mine = await bob.rpc.call('orders.get', { orderId: marketOrder });
  expect(mine).toMatchObject({ kind: 'market', filledBase: decimal(filledBase), quoteAmount: decimal(quote) });
  await openTab(alice.page, 'history');
  await expect(alice.page.getByTestId(`order-history-row-${aliceOrder}`)).toHaveAttribute('data-state', 'finished', {
    timeout: SWAP_TIMEOUT,
  });
  if (next) expect((await bob.rpc.call('orders.get', { orderId: next.id })).remainingBase).toBe(next.remainingBase);

  // Both trades are on bob's list at their own prices.
  await openTab(bob.page, 'mine');
  for (const [i, id] of swapIds.entries()) {
    await expect(bob.page.getByTestId(`trade-row-${id}`)).toHaveAttribute(
      'data-price',
      i === 0 ? best!.price : alicePrice,
      { timeout: SWAP_TIMEOUT },
    );
  }
  await shot(bob.page, '23-market-my-trades');

  expect(alice.errors).toEqual([]);
  expect(bob.errors).toEqual([]);
  await alice.context.close();
  await bob.context.close();
});
