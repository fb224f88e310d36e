// The Node page against two real node processes of its own (no devnet needed: run alone with
// HASHLOCK_E2E_NO_DEVNET=1): peers with their scores, traffic, store per domain, charts drawn
// from the node's own history that move as samples arrive (every 2 s here), and an API token
// made and revoked. Screenshots under test-results/screenshots.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NodeProc } from '../test/support/node-proc.ts';
import { screenshotPath } from './devnet.ts';

const root = mkdtempSync(path.join(tmpdir(), 'hashlock-e2e-node-'));
const nodes: NodeProc[] = [];
const config = { metrics: { sampleSec: 2 } };

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const a = await NodeProc.create({ name: 'a', dataDir: path.join(root, 'a'), password: 'dashboard e2e', config });
  const b = await NodeProc.create({ name: 'b', dataDir: path.join(root, 'b'), password: 'dashboard e2e', config });
  nodes.push(a, b);
  await a.start();
  b.bootstrap = [a.addr];
  await b.start();
  await a.call('vault.create', { password: 'dashboard e2e', words: 12 });
  // Dialled, not left to the bootstrap timer: on a loaded machine that can take long.
  await b.call('p2p.dial', { addr: a.addr });
  await a.until(
    () => a.call('p2p.peers', {}),
    (p) => p.length === 1,
    'a sees b',
  );
});

test.afterAll(async () => {
  await Promise.all(nodes.map((n) => n.kill()));
  rmSync(root, { recursive: true, force: true });
});

const lineOf = (page: Page, chart: string) => page.getByTestId(`${chart}-line`).first();

test('the node dashboard shows peers, traffic, store and moving charts, and makes and revokes a token', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const a = nodes[0]!;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${a.url}/#token=${a.token}`);
  await page.getByTestId('nav-node').click();
  await expect(page.getByTestId('page-node')).toBeVisible();
  await expect(page.getByTestId(`node-peer-${nodes[1]!.peerId}`)).toContainText('0.0');
  await expect(page.getByTestId('node-store-swaps')).toBeVisible();

  // A chart draws once two samples of a series exist, and moves as each new sample arrives.
  await expect(lineOf(page, 'chart-peers')).toHaveAttribute('d', /L/, { timeout: 60_000 });
  await expect(lineOf(page, 'chart-store')).toHaveAttribute('d', /L/, { timeout: 60_000 });
  const before = await lineOf(page, 'chart-peers').getAttribute('d');
  await page.screenshot({ path: screenshotPath('node-01-dashboard') });
  await page.getByTestId('node-charts').screenshot({ path: screenshotPath('node-01b-charts') });
  await expect
    .poll(async () => (await lineOf(page, 'chart-peers').getAttribute('d')) !== before, { timeout: 60_000 })
    .toBe(true);

  await page.getByTestId('token-name').fill('e2e-bot');
  await page.getByTestId('token-scope').selectOption('read');
  await page.getByTestId('token-create').click();
  await expect(page.getByTestId('token-secret')).toHaveText(/^hl_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId('token-row-e2e-bot')).toContainText('read');
  await page.getByTestId('tokens').scrollIntoViewIfNeeded();
  await page.getByTestId('tokens').screenshot({ path: screenshotPath('node-02-token-created') });
  await page.getByTestId('token-revoke-e2e-bot').click();
  await expect(page.getByTestId('token-revoked-e2e-bot')).toBeVisible();
  await page.getByTestId('node-charts').screenshot({ path: screenshotPath('node-03-charts-later') });
  await page.getByTestId('tokens').screenshot({ path: screenshotPath('node-04-token-revoked') });
  expect(errors).toEqual([]);
});
