// Two traders, each with its own node and browser context: alice places a limit order, bob sees
// it in his book, takes it from the book (click → form filled → preview with price, amounts,
// taker fee, network fees, lock times and what happens if alice disappears → confirm), both
// follow the swap to completion, and both wallets change by exactly the traded amounts minus the
// taker fee and the network fees of the swap's own transactions as the chains record them.
import { expect, test } from '@playwright/test';
import { parseAmount } from '../src-shared/money/index.ts';
import { childFees, takerFeeTx, txFee } from './chain.ts';
import { followSwapOnTrade, openTab, placeLimitOrder, priceAboveBook, showBookOrders } from './trade-ui.ts';
import { gotoTrade, openTrader, shot, SWAP_TIMEOUT, units, valueOf, walletTotals } from './trader.ts';

const AMOUNT = '1';

test("bob takes alice's limit order from the book; both complete the swap and their balances reconcile to the satoshi", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const alice = await openTrader(browser, 'alice');
  const bob = await openTrader(browser, 'bob');
  const before = { alice: await walletTotals(alice.page), bob: await walletTotals(bob.page) };

  // alice sells 1 DEVA above everything on the book, so no bid meets it and only bob takes it.
  const price = await priceAboveBook(alice.rpc);
  await gotoTrade(alice.page);
  const orderId = await placeLimitOrder(alice.page, {
    side: 'sell',
    price,
    amount: AMOUNT,
    screenshot: '10-take-maker-preview',
  });
  await shot(alice.page, '11-take-maker-order-open');

  // bob finds it: a level at that price, and the order itself in the Orders view.
  await gotoTrade(bob.page);
  await expect(bob.page.locator(`[data-testid="book-ask"][data-price="${price}"]`)).toBeVisible();
  await showBookOrders(bob.page, 'sell');
  const row = bob.page.locator(`[data-testid="book-order"][data-order-id="${orderId}"]`);
  await row.scrollIntoViewIfNeeded();
  await expect(row).toHaveAttribute('data-price', price);
  await expect(row).toHaveAttribute('data-mine', 'false');
  await row.click();

  // The form is filled from the order: what bob gives and gets at its price.
  await expect(bob.page.getByTestId('take-order')).toHaveAttribute('data-order-id', orderId);
  await expect(bob.page.getByTestId('order-spend')).toHaveAttribute('data-value', price);
  await expect(bob.page.getByTestId('order-receive')).toHaveAttribute('data-value', AMOUNT);
  await shot(bob.page, '12-take-form-filled');
  await bob.page.getByTestId('order-review').click();

  // The preview: price, amounts, taker fee, network fees, both locks, and what if alice vanishes.
  await expect(bob.page.getByTestId('preview-dialog')).toBeVisible();
  await expect(bob.page.getByTestId('preview-price')).toHaveAttribute('data-value', price);
  await expect(bob.page.getByTestId('preview-give')).toHaveAttribute('data-value', price);
  await expect(bob.page.getByTestId('preview-get')).toHaveAttribute('data-value', AMOUNT);
  await expect(bob.page.getByTestId('preview-fills')).toHaveAttribute('data-count', '1');
  const takerFee = await valueOf(bob.page, 'preview-taker-fee');
  expect(takerFee).toBeGreaterThan(0n);
  await expect(bob.page.getByTestId('preview-taker-fee')).toContainText('DEVB');
  const estimates = await bob.page.locator('[data-testid^="preview-network-fee-"]').evaluateAll((els) =>
    els.map((e) => ({
      ticker: e.getAttribute('data-ticker'),
      value: e.getAttribute('data-value'),
      text: e.textContent ?? '',
    })),
  );
  expect(estimates.map((e) => e.ticker).sort()).toEqual(['DEVA', 'DEVB', 'DEVB']);
  await expect(bob.page.getByTestId('preview-lock-0')).toHaveAttribute('data-who', 'maker');
  await expect(bob.page.getByTestId('preview-lock-1')).toHaveAttribute('data-who', 'taker');
  const makerBlocks = Number(await bob.page.getByTestId('preview-lock-0').getAttribute('data-blocks'));
  const takerBlocks = Number(await bob.page.getByTestId('preview-lock-1').getAttribute('data-blocks'));
  expect(makerBlocks).toBeGreaterThan(takerBlocks);
  await expect(bob.page.getByTestId('preview-vanish')).toContainText(/disappears.*come back to you automatically/s);
  await expect(bob.page.getByTestId('preview-vanish')).toContainText(`${takerBlocks} DEVB blocks`);
  await shot(bob.page, '13-take-preview');
  await bob.page.getByTestId('preview-confirm').click();

  const started = bob.page.locator('[data-testid^="order-result-swap-"]');
  await expect(started).toHaveCount(1);
  const swapId = (await started.getAttribute('data-testid'))!.replace('order-result-swap-', '');
  // The order left bob's book once the service node held it.
  await expect(row).toHaveCount(0);
  // Matched, not yet swapped: the notice says the swap is under way.
  await expect(bob.page.locator('[data-testid="toast"][data-kind="fill"]')).toContainText('The swap is under way');

  // Both follow the swap on the Trade screen (steps as dots) until it completes.
  // The maker's Swaps tab, not her open orders: on a quiet devnet the swap can be complete (3 s,
  // one block a second) before her page is looked at, and a finished order leaves that tab.
  await openTab(alice.page, 'swaps');
  await expect(alice.page.getByTestId(`swap-progress-${swapId}`)).toBeVisible();
  await openTab(bob.page, 'swaps');
  await expect(bob.page.getByTestId(`swap-progress-${swapId}-step-agree`)).toHaveAttribute('data-status', 'done');
  await shot(bob.page, '14-take-swap-in-progress');
  await followSwapOnTrade(bob.page, swapId, 'completed');
  await openTab(alice.page, 'history');
  await expect(alice.page.getByTestId(`order-history-row-${orderId}`)).toHaveAttribute('data-state', 'finished', {
    timeout: SWAP_TIMEOUT,
  });

  // The full timeline on the Swaps page: every step done, the refund skipped.
  for (const t of [alice, bob]) {
    await t.page.goto(`${new URL(t.page.url()).origin}/#/swaps/${swapId}`);
    const detail = t.page.getByTestId('swap-detail');
    await expect(detail).toHaveAttribute('data-state', 'completed', { timeout: SWAP_TIMEOUT });
    const steps =
      t.name === 'alice'
        ? ['agree', 'own-lock', 'their-lock', 'claim']
        : ['agree', 'their-lock', 'own-lock', 'their-claim', 'claim'];
    for (const step of steps)
      await expect(t.page.getByTestId(`swap-step-${step}`)).toHaveAttribute('data-status', 'done');
    await expect(t.page.getByTestId('swap-step-refund')).toHaveAttribute('data-status', 'skipped');
    await expect(t.page.getByTestId('swap-explain')).toContainText('Swap completed');
    await shot(t.page, `15-take-swap-completed-${t.name}`);
  }

  // The trade record, signed by both, reaches both nodes' trade lists, the last price and the chart.
  for (const t of [alice, bob]) {
    await gotoTrade(t.page);
    await openTab(t.page, 'mine');
    await expect(t.page.getByTestId(`trade-row-${swapId}`)).toHaveAttribute('data-price', price, {
      timeout: SWAP_TIMEOUT,
    });
    await expect(t.page.getByTestId('market-last')).toHaveAttribute('data-value', price);
    await expect(t.page.getByTestId('price-chart')).not.toHaveAttribute('data-candles', '0');
  }
  await shot(bob.page, '16-take-my-trades');

  // Balances: the traded amounts, the taker fee of the preview, and each own transaction's real fee.
  const swap = {
    alice: await alice.rpc.call('swaps.get', { swapId }),
    bob: await bob.rpc.call('swaps.get', { swapId }),
  };
  // A claim's fee is its own, plus any child that paid for it when its fee had to rise: the swap
  // lists each child with its fee, and they are every child the chain shows the wallet made.
  const own = async (s: typeof swap.alice, wallet: string, kind: 'ownFunding' | 'claim') => {
    const tx = s.txs.find((t) => t.kind === kind);
    if (!tx) throw new Error(`the swap has no ${kind}`);
    const listed = s.txs
      .filter((t) => kind === 'claim' && t.kind === 'claimFeeChild')
      .reduce((sum, t) => sum + parseAmount(t.fee ?? 'missing', 8), 0n);
    const children = kind === 'claim' ? await childFees(tx.ticker, wallet, tx.txid) : 0n;
    expect(listed).toBe(children);
    return {
      ticker: tx.ticker,
      fee: (await txFee(tx.ticker, tx.txid)) + children,
      own: await txFee(tx.ticker, tx.txid),
    };
  };
  const aliceLock = await own(swap.alice, 'alice', 'ownFunding');
  const aliceClaim = await own(swap.alice, 'alice', 'claim');
  const bobLock = await own(swap.bob, 'bob', 'ownFunding');
  const bobClaim = await own(swap.bob, 'bob', 'claim');
  const feeTx = await takerFeeTx('DEVB', 'bob', orderId);
  expect([aliceLock.ticker, aliceClaim.ticker, bobLock.ticker, bobClaim.ticker]).toEqual([
    'DEVA',
    'DEVB',
    'DEVB',
    'DEVA',
  ]);
  // The preview's network fees are estimates ("about"); the real ones are of the same size.
  for (const e of estimates) expect(e.text).toMatch(/about|estimate/i);
  const estimate = (ticker: string, what: RegExp) =>
    units(estimates.find((e) => e.ticker === ticker && what.test(e.text))!.value!);
  expect(bobLock.fee).toBeLessThanOrEqual(estimate('DEVB', /lock/i) * 2n);
  expect(bobClaim.own).toBeLessThanOrEqual(estimate('DEVA', /claim/i) * 2n);
  expect(feeTx.networkFee).toBeLessThanOrEqual(estimate('DEVB', /taker fee/i) * 2n);

  const amount = units(AMOUNT);
  const quote = units(price);
  const expected = {
    alice: { DEVA: before.alice.DEVA! - amount - aliceLock.fee, DEVB: before.alice.DEVB! + quote - aliceClaim.fee },
    bob: {
      DEVA: before.bob.DEVA! + amount - bobClaim.fee,
      DEVB: before.bob.DEVB! - quote - takerFee - bobLock.fee - feeTx.networkFee,
    },
  };
  await expect.poll(() => walletTotals(alice.page), { timeout: 30_000 }).toEqual(expected.alice);
  await expect.poll(() => walletTotals(bob.page), { timeout: 30_000 }).toEqual(expected.bob);
  await shot(bob.page, '17-take-wallets-after');

  expect(alice.errors).toEqual([]);
  expect(bob.errors).toEqual([]);
  await alice.context.close();
  await bob.context.close();
});
