// What every trading spec needs from a devnet trader: the UI steps of a first run (vault and both
// devnet wallets, the same steps 0-foundation.spec.ts proves), a ready page in its own browser
// context, the node's JSON-RPC API for facts the screen does not show, and balances from the UI.
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { formatAmount, parseAmount } from '../src-shared/money/index.ts';
import { createNodeRpc, type NodeRpc } from '../src-main/cli/rpc-client.ts';
import { devnetState, screenshotPath, traderUrl } from './devnet.ts';

export const PASSWORD = 'a-long-e2e-password';
export const DEVNET_TICKERS = ['DEVA', 'DEVB'] as const;
const DECIMALS = 8;

/** A swap runs a few blocks; a refund waits for its lock. */
export const SWAP_TIMEOUT = 120_000;

export async function createVault(page: Page, opts: { screenshot?: string } = {}): Promise<void> {
  await page.getByTestId('create-vault').click();
  await page.getByTestId('vault-password').fill(PASSWORD);
  await page.getByTestId('vault-password-confirm').fill(PASSWORD);
  await page.getByTestId('create-vault-submit').click();
  await expect(page.getByTestId('mnemonic-words')).toBeVisible();
  if (opts.screenshot) await page.screenshot({ path: screenshotPath(opts.screenshot), fullPage: true });
  const words = new Map<number, string>();
  for (const el of await page.locator('[data-testid^="mnemonic-word-"]').all()) {
    const id = (await el.getAttribute('data-testid'))!;
    words.set(Number(id.replace('mnemonic-word-', '')), (await el.getAttribute('data-word'))!);
  }
  expect([12, 24]).toContain(words.size);
  await page.getByTestId('mnemonic-written').check();
  await page.getByTestId('mnemonic-continue').click();
  const checks = page.locator('[data-testid^="mnemonic-check-"][data-word-index]');
  await expect(checks.first()).toBeVisible();
  for (const input of await checks.all()) {
    const index = Number(await input.getAttribute('data-word-index'));
    await input.fill(words.get(index)!);
  }
  await page.getByTestId('mnemonic-confirm').click();
}

export async function unlockVault(page: Page): Promise<void> {
  await page.getByTestId('unlock-password').fill(PASSWORD);
  await page.getByTestId('unlock-submit').click();
  await expect(page.getByTestId('vault-state')).toContainText(/unlocked/i);
}

/** The setup wizard's way to a devnet wallet: detect, pick the devnet daemon, test, connect. */
export async function connectDevnetWallet(
  page: Page,
  ticker: string,
  opts: { screenshot?: string } = {},
): Promise<void> {
  await page.getByTestId(`wallet-setup-${ticker}`).click();
  await expect(page.getByTestId('wallet-setup')).toBeVisible();
  await page.getByTestId('setup-detect').click();
  const candidate = page.locator('[data-testid^="setup-candidate-"][data-source="devnet"]');
  await expect(candidate).toHaveCount(1);
  await candidate.click();
  await page.getByTestId('setup-test').click();
  await expect(page.locator('[data-testid="setup-test-result"][data-ok="true"]')).toBeVisible();
  if (opts.screenshot) await page.screenshot({ path: screenshotPath(opts.screenshot), fullPage: true });
  await page.getByTestId('setup-connect').click();
  await expect(page.locator(`[data-testid="wallet-row-${ticker}"][data-status="connected"]`)).toBeVisible();
}

/** Whatever state the trader's node is in (no vault, locked, unlocked; wallets or not), make it ready to trade. */
export async function readyTrader(page: Page, name: string): Promise<void> {
  await page.goto(traderUrl(name));
  const welcome = page.getByTestId('vault-welcome');
  const unlock = page.getByTestId('unlock-password');
  const unlocked = page.getByTestId('vault-state').filter({ hasText: /unlocked/i });
  await expect(welcome.or(unlock).or(unlocked).first()).toBeVisible();
  if (await welcome.isVisible()) await createVault(page);
  else if (await unlock.isVisible()) await unlockVault(page);
  await expect(unlocked).toBeVisible();
  await page.getByTestId('nav-wallets').click();
  for (const ticker of DEVNET_TICKERS) {
    const row = page.getByTestId(`wallet-row-${ticker}`);
    await expect(row).toHaveAttribute('data-status', /connected|unconfigured|error/);
    if ((await row.getAttribute('data-status')) !== 'connected') await connectDevnetWallet(page, ticker);
  }
}

export interface Trader {
  name: string;
  context: BrowserContext;
  page: Page;
  rpc: NodeRpc;
  /** Page errors and console errors seen so far. */
  errors: string[];
}

/** A trader in a browser context of its own, unlocked, with both devnet wallets connected. */
export async function openTrader(browser: Browser, name: string): Promise<Trader> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await readyTrader(page, name);
  return { name, context, page, rpc: nodeRpc(name), errors };
}

export function nodeRpc(name: string): NodeRpc {
  const node = devnetState().nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no devnet node ${name}`);
  return createNodeRpc(node.url, node.token, 30_000);
}

/** Opens the Trade screen of the devnet market. */
export async function gotoTrade(page: Page): Promise<void> {
  await page.getByTestId('nav-trade').click();
  await expect(page.getByTestId('trade')).toHaveAttribute('data-market', 'DEVA/DEVB');
  await expect(page.getByTestId('market-tradable')).toHaveAttribute('data-tradable', 'true');
}

/** Everything the wallet holds (spendable + locked + unconfirmed), in base units, read from the Wallets page cells. */
export async function walletTotal(page: Page, ticker: string): Promise<bigint> {
  let total = 0n;
  for (const part of ['spendable', 'locked', 'unconfirmed']) {
    const value = await page.getByTestId(`wallet-balance-${ticker}-${part}`).getAttribute('data-value');
    if (value === null) throw new Error(`the ${part} ${ticker} balance is not shown`);
    total += units(value);
  }
  return total;
}

export async function walletTotals(page: Page): Promise<Record<string, bigint>> {
  await page.getByTestId('nav-wallets').click();
  await expect(page.getByTestId('wallets-table')).toBeVisible();
  const out: Record<string, bigint> = {};
  for (const ticker of DEVNET_TICKERS) {
    await expect(page.getByTestId(`wallet-balance-${ticker}-spendable`)).toHaveAttribute('data-value', /\d/);
    out[ticker] = await walletTotal(page, ticker);
  }
  return out;
}

export const units = (decimal: string): bigint => parseAmount(decimal, DECIMALS);
export const decimal = (u: bigint): string => formatAmount(u, DECIMALS);

/** A price (quote per base, 8 decimals) scaled by pct percent, rounded down to 4 decimals so the book reads well. */
export function scalePrice(price: string, pct: bigint): string {
  const scaled = (units(price) * pct) / 100n;
  return decimal(scaled - (scaled % 10_000n));
}

/**
 * The node's own data-value of a cell, as base units, once it has one: a cell shows "—" without
 * a value until the node's answer arrives (a CI-like run read "Available" before the balances).
 */
export async function valueOf(page: Page, testId: string): Promise<bigint> {
  const cell = page.getByTestId(testId);
  await expect(cell, `${testId} has a data-value`).toHaveAttribute('data-value', /^-?[0-9]/);
  return units((await cell.getAttribute('data-value'))!);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}
