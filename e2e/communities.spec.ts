// Communities in the browser: both traders find the devnet's lounge with the market maker's
// messages (the devnet gave each a published identity to join with); alice creates a community
// as her identity, invites bob by a link, sees him verified under his published name, they talk,
// alice removes bob, and bob sees that he was removed and reads nothing sent after. Screenshots
// of each screen.
import { expect, test, type Page } from '@playwright/test';
import { screenshotPath } from './devnet.ts';
import { openTrader } from './trader.ts';

const item = (page: Page, name: string) => page.locator(`[data-testid="cm-item"][data-name="${name}"]`);
const messageText = (page: Page, text: string) => page.getByTestId('cm-text').filter({ hasText: text });

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('cm-composer').fill(text);
  await page.getByTestId('cm-composer').press('Enter');
  await expect(messageText(page, text)).toBeVisible();
}

test('alice creates a community, invites bob by link, they talk; alice removes bob, who reads nothing new', async ({
  browser,
}) => {
  // Two first runs (vault and wallets) and a dozen MLS commits on a shared, loaded machine.
  test.setTimeout(480_000);
  const alice = await openTrader(browser, 'alice');
  const bob = await openTrader(browser, 'bob');

  // The devnet's lounge: each trader joins it once its vault exists.
  await alice.page.getByTestId('nav-communities').click();
  await expect(item(alice.page, 'Devnet lounge')).toBeVisible({ timeout: 90_000 });
  await item(alice.page, 'Devnet lounge').click();
  await expect(alice.page.getByTestId('cm-msg').first()).toBeVisible({ timeout: 60_000 });
  await alice.page.screenshot({ path: screenshotPath('40-communities-lounge') });

  await alice.page.getByTestId('cm-new').click();
  // She takes part as her published identity (one: no choice to make).
  const aliceIdentity = (await alice.rpc.call('communities.identities', {}))[0]!;
  await expect(alice.page.getByTestId('cm-as-identity')).toHaveAttribute('data-did', aliceIdentity.did);
  await alice.page.getByTestId('cm-create-name').fill('Book club');
  await alice.page.getByTestId('cm-create-description').fill('One book a month, talked over on Sundays.');
  await alice.page.screenshot({ path: screenshotPath('41-communities-new') });
  await alice.page.getByRole('button', { name: 'Create community' }).click();
  await expect(alice.page.getByTestId('cm-title')).toHaveText('Book club');
  const id = decodeURIComponent(alice.page.url().split('/c/')[1]!.split('/')[0]!);

  await alice.page.getByTestId('cm-tab-members').click();
  await alice.page.getByTestId('cm-invite-create').click();
  const link = (await alice.page.getByTestId('cm-invite-link').textContent())!.trim();
  expect(link).toMatch(/^hashlock:\/\/community\/join#/);
  await alice.page.screenshot({ path: screenshotPath('42-communities-invite') });

  await bob.page.getByTestId('nav-communities').click();
  await bob.page.getByTestId('cm-join').click();
  await bob.page.getByTestId('cm-join-link').fill(link);
  await bob.page.getByRole('button', { name: 'Ask to join' }).click();
  // Alice's node is online and admits him: the conversation opens by itself.
  await expect(bob.page.getByTestId('cm-composer')).toBeVisible({ timeout: 60_000 });
  await expect(bob.page.getByTestId('cm-title')).toHaveText('Book club');

  await alice.page.getByTestId('cm-channel-general').click();
  await send(alice.page, 'Welcome to the book club, Bob!');
  await expect(messageText(bob.page, 'Welcome to the book club, Bob!')).toBeVisible({ timeout: 30_000 });
  await send(bob.page, 'Thanks, Alice. What are we reading?');
  await expect(messageText(alice.page, 'What are we reading?')).toBeVisible({ timeout: 30_000 });
  await alice.page.screenshot({ path: screenshotPath('43-communities-conversation') });

  const bobDid = (await bob.rpc.call('communities.get', { id })).me;
  const bobName = (await bob.rpc.call('communities.identities', {})).find((i) => i.did === bobDid)!.name!;
  await alice.page.getByTestId('cm-tab-members').click();
  const row = alice.page.locator(`[data-testid="cm-member"][data-did="${bobDid}"]`);
  // His profile, replicated to alice's node and checked there, names him and marks him verified.
  await expect(row.getByTestId('cm-verified')).toHaveAttribute('data-verified', 'true', { timeout: 30_000 });
  await expect(row.locator('.cm-author')).toHaveText(bobName);
  await row.getByTestId('cm-remove').click();
  await alice.page.screenshot({ path: screenshotPath('44-communities-remove') });
  await alice.page.locator(`[data-testid="cm-member-confirm"][data-did="${bobDid}"]`).getByTestId('cm-confirm').click();
  await expect(row).toHaveCount(0, { timeout: 30_000 });

  await expect(bob.page.getByTestId('cm-removed')).toBeVisible({ timeout: 30_000 });
  await bob.page.screenshot({ path: screenshotPath('45-communities-removed') });

  await alice.page.getByTestId('cm-channel-general').click();
  await expect(alice.page.locator('[data-testid="cm-notice"][data-kind="removed"]')).toBeVisible();
  await send(alice.page, 'Chapter one is for next Sunday.');
  await alice.page.screenshot({ path: screenshotPath('46-communities-after-removal') });
  // Bob's node holds no key for it: it shows nothing of the community any more.
  await expect(bob.rpc.call('communities.messages', { id, channel: 'general' })).rejects.toThrow(/not a member/);
  await expect(bob.page.getByText('Chapter one is for next Sunday.')).toHaveCount(0);

  expect(alice.errors).toEqual([]);
  expect(bob.errors).toEqual([]);
});
