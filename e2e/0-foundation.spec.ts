// A new user on the devnet: creates a vault (writing down and confirming the phrase), connects
// both devnet wallets through the setup wizard, sees balances, gets an address, sees peers.
// Screenshots of each screen are saved under test-results/screenshots.
import { expect, test } from '@playwright/test';
import { screenshotPath, traderUrl } from './devnet.ts';
import { connectDevnetWallet, createVault, PASSWORD } from './trader.ts';

test('a new user creates a vault, connects both devnet wallets, sees balances and gets an address', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });

  await page.goto(traderUrl('alice'));
  await expect(page.getByTestId('vault-welcome')).toBeVisible();
  await page.screenshot({ path: screenshotPath('00-welcome'), fullPage: true });
  // The token left the address bar.
  expect(page.url()).not.toContain('token=');

  await createVault(page, { screenshot: '01-mnemonic' });
  await expect(page.getByTestId('vault-state')).toContainText(/unlocked/i);

  await page.getByTestId('nav-wallets').click();
  await expect(page.getByTestId('page-wallets')).toBeVisible();
  await page.screenshot({ path: screenshotPath('02-wallets-empty'), fullPage: true });

  // A wrong manual connection is explained, not accepted.
  await page.getByTestId('wallet-setup-DEVA').click();
  await page.getByTestId('setup-manual').click();
  await page.getByTestId('setup-host').fill('127.0.0.1');
  await page.getByTestId('setup-port').fill('1');
  await page.getByTestId('setup-username').fill('nobody');
  await page.getByTestId('setup-rpc-password').fill('wrong');
  await page.getByTestId('setup-test').click();
  await expect(page.locator('[data-testid="setup-test-result"][data-ok="false"]')).toContainText(
    /daemon|answer|reach/i,
  );
  await expect(page.getByTestId('setup-connect')).toBeDisabled();
  await page.getByTestId('nav-wallets').click();

  for (const ticker of ['DEVA', 'DEVB']) await connectDevnetWallet(page, ticker, { screenshot: `03-setup-${ticker}` });

  for (const ticker of ['DEVA', 'DEVB']) {
    await expect(page.getByTestId(`wallet-balance-${ticker}-spendable`)).toHaveAttribute('data-value', '50');
  }
  await page.screenshot({ path: screenshotPath('04-wallets-connected'), fullPage: true });

  await page.getByTestId('wallet-receive-DEVA').click();
  const address = page.getByTestId('receive-address-DEVA');
  await expect(address).toHaveText(/^rltc1[02-9ac-hj-np-z]{20,}$/);
  await page.screenshot({ path: screenshotPath('05-receive'), fullPage: true });

  // The devnet's other nodes: bob, the service node and the market maker.
  await page.getByTestId('nav-network').click();
  await expect(page.locator('[data-testid^="peer-row-"]')).toHaveCount(3);
  await page.screenshot({ path: screenshotPath('06-network'), fullPage: true });

  for (const nav of ['trade', 'swaps', 'pay', 'identity', 'communities', 'settings']) {
    await page.getByTestId(`nav-${nav}`).click();
    await expect(page.getByTestId(`page-${nav}`)).toBeVisible();
    await page.screenshot({ path: screenshotPath(`07-${nav}`), fullPage: true });
  }

  // Locking hides everything behind the unlock screen; a wrong password is told apart.
  await page.getByTestId('lock-vault').click();
  await page.getByTestId('unlock-password').fill('not-the-password');
  await page.getByTestId('unlock-submit').click();
  await expect(page.getByTestId('unlock-password-error')).toBeVisible();
  await page.screenshot({ path: screenshotPath('08-unlock-wrong'), fullPage: true });
  await page.getByTestId('unlock-password').fill(PASSWORD);
  await page.getByTestId('unlock-submit').click();
  await expect(page.getByTestId('vault-state')).toContainText(/unlocked/i);

  expect(errors).toEqual([]);
});

test('without a token the UI explains how to open it', async ({ page }) => {
  const { nodes } = (await import('./devnet.ts')).devnetState();
  await page.goto(nodes[1]!.url + '/');
  await expect(page.getByTestId('no-token')).toBeVisible();
});
