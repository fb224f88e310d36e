// Trading steps as a user takes them on the Trade screen (order entry, preview, book, tabs), and
// prices chosen from the live book so a spec never collides with the devnet's market maker.
import { expect, type Page } from '@playwright/test';
import type { NodeRpc } from '../src-main/cli/rpc-client.ts';
import { decimal, scalePrice, shot, SWAP_TIMEOUT, units } from './trader.ts';

export interface LimitOrder {
  side: 'buy' | 'sell';
  price: string;
  amount: string;
  /** Allow partial fills down to this amount. */
  minAmount?: string;
  /** Save the preview under this screenshot name. */
  screenshot?: string;
}

/** Fills the order form; Review; checks the preview is the maker's (no taker fee); Place order. Returns the new order's id. */
export async function placeLimitOrder(page: Page, o: LimitOrder): Promise<string> {
  await page.getByTestId(`order-side-${o.side}`).check();
  await page.getByTestId('order-kind-limit').check();
  await page.getByTestId('order-price').fill(o.price);
  await page.getByTestId('order-amount').fill(o.amount);
  if (o.minAmount) {
    await page.getByTestId('order-partial').check();
    await page.getByTestId('order-min-amount').fill(o.minAmount);
  }
  await page.getByTestId('order-review').click();
  const dialog = page.getByTestId('preview-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('preview-price')).toHaveAttribute('data-value', o.price);
  await expect(page.getByTestId('preview-taker-fee')).toHaveAttribute('data-value', '0');
  if (o.screenshot) await shot(page, o.screenshot);
  await page.getByTestId('preview-confirm').click();
  await expect(dialog).toBeHidden();
  const result = page.getByTestId('order-result');
  await expect(result).toHaveAttribute('data-order-id', /^[0-9a-f]{64}$/);
  const id = (await result.getAttribute('data-order-id'))!;
  await expect(page.getByTestId(`open-order-row-${id}`)).toHaveAttribute('data-state', 'open');
  return id;
}

export async function openTab(page: Page, tab: 'open' | 'swaps' | 'history' | 'mine' | 'market'): Promise<void> {
  await page.getByTestId(`tab-${tab}`).click();
  await expect(page.getByTestId(`tab-${tab}`)).toHaveAttribute('aria-selected', 'true');
}

/** The Orders view of the book, on the side a taker of a `makerSide` order looks at. */
export async function showBookOrders(page: Page, makerSide: 'buy' | 'sell'): Promise<void> {
  await page.getByTestId('book-mode-orders').check();
  await expect(page.getByTestId('order-book')).toHaveAttribute('data-mode', 'orders');
  await page.getByTestId(`book-orders-${makerSide}`).check();
}

/** Waits on the Trade screen's Swaps tab until the swap has ended as `state`. */
export async function followSwapOnTrade(
  page: Page,
  swapId: string,
  state: string,
  timeout = SWAP_TIMEOUT,
): Promise<void> {
  await openTab(page, 'swaps');
  await expect(page.getByTestId(`swap-progress-${swapId}`)).toHaveAttribute('data-state', state, { timeout });
}

/** Prices of the book as it is now: everything any maker (the devnet's market maker too) asks or bids. */
export async function bookPrices(rpc: NodeRpc): Promise<{ asks: string[]; bids: string[]; all: string[] }> {
  const book = await rpc.call('orders.book', { base: 'DEVA', quote: 'DEVB', detail: 2, depth: 100 });
  const asks = book.asks.map((l) => l.price);
  const bids = book.bids.map((l) => l.price);
  return { asks, bids, all: [...asks, ...bids] };
}

/** A sell price no bid reaches and no ask undercuts: above everything on the book, by pct percent. */
export async function priceAboveBook(rpc: NodeRpc, pct = 120n): Promise<string> {
  const { all } = await bookPrices(rpc);
  const market = (await rpc.call('orders.markets', {})).find((m) => m.base === 'DEVA' && m.quote === 'DEVB');
  const top = [...all, market?.last ?? '0.5'].reduce((a, b) => (units(b) > units(a) ? b : a), '0.5');
  return scalePrice(top, pct);
}

export const addDecimal = (a: string, b: string): string => decimal(units(a) + units(b));
