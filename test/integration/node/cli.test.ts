// The `hashlock` command as users and bots meet it: a headless node that refuses a bad config
// with a message naming the field, serves the API only with its token, and CLI calls that turn
// bad input into clear errors without changing anything.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../src-main/kernel/ports.ts';
import { waitFor } from '../../../src-main/kernel/time.ts';

const run = promisify(execFile);
const CLI = path.resolve('bin/hashlock');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(CLI, args, { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('hashlock node with a bad config', () => {
  it('exits non-zero naming each wrong field, and starts nothing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hl-badcfg-'));
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ network: 'moonnet', api: { port: 'x' } }));
    const r = await cli(['node', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CONFIG_INVALID/);
    expect(r.stderr).toMatch(/network/);
    expect(r.stderr).toMatch(/api\.port/);
  });

  it('reports a config that is not JSON', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hl-badcfg-'));
    writeFileSync(path.join(dir, 'config.json'), '{ network: devnet');
    const r = await cli(['node', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/config\.json is not valid JSON/);
  });
});

describe('hashlock node and CLI calls', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hl-node-'));
  let node: ChildProcess;
  let port: number;
  let out = '';
  const flags = () => ['--data-dir', dir, '--url', `http://127.0.0.1:${port}`];

  beforeAll(async () => {
    port = await freePort();
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ network: 'devnet', vault: { kdf: { N: 1024, r: 8, p: 1 } } }),
    );
    node = spawn(CLI, ['node', '--data-dir', dir, '--api-port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    node.stdout?.on('data', (d) => (out += String(d)));
    await waitFor(() => out.includes('UI:'), { timeoutMs: 60_000, what: 'node start' });
  });
  afterAll(() => {
    node.kill('SIGKILL');
  });

  it('prints the UI link with the token from the data directory', () => {
    const token = readFileSync(path.join(dir, 'api-token'), 'utf8').trim();
    expect(out).toContain(`http://127.0.0.1:${port}/#token=${token}`);
  });

  it('answers named subcommands and rpc calls', async () => {
    const info = await cli(['info', ...flags()]);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ network: 'devnet', role: 'trader' });
    const status = await cli(['rpc', 'vault.status', '{}', ...flags()]);
    expect(JSON.parse(status.stdout)).toEqual({ state: 'absent' });
  });

  it('turns bad input into clear errors and changes nothing', async () => {
    const badJson = await cli(['rpc', 'vault.create', '{password:', ...flags()]);
    expect(badJson.code).toBe(1);
    expect(badJson.stderr).toMatch(/INVALID_PARAMS: params are not valid JSON/);
    const unknown = await cli(['rpc', 'vault.destroy', '{}', ...flags()]);
    expect(unknown.stderr).toMatch(/METHOD_NOT_FOUND/);
    const weak = await cli(['vault', 'create', '--password', 'short', ...flags()]);
    expect(weak.stderr).toMatch(/INVALID_PARAMS: .*password must have at least 8 characters/);
    const badTicker = await cli(['wallets', 'balance', '--ticker', 'BTC', ...flags()]);
    expect(badTicker.stderr).toMatch(/NOT_FOUND: this node does not handle BTC on devnet/);
    const wrongToken = await cli([
      'info',
      '--data-dir',
      dir,
      '--url',
      `http://127.0.0.1:${port}`,
      '--token',
      'f'.repeat(64),
    ]);
    expect(wrongToken.stderr).toMatch(/UNAUTHORIZED/);
    const status = await cli(['vault', 'status', ...flags()]);
    expect(JSON.parse(status.stdout)).toEqual({ state: 'absent' });
  });

  it('creates, locks and unlocks a vault; a wrong password is its own error', async () => {
    const created = await cli(['vault', 'create', '--password', 'long enough pw', '--words', '12', ...flags()]);
    expect(JSON.parse(created.stdout).mnemonic.split(' ')).toHaveLength(12);
    await cli(['vault', 'lock', ...flags()]);
    const wrong = await cli(['vault', 'unlock', '--password', 'not the one', ...flags()]);
    expect(wrong.stderr).toMatch(/VAULT_WRONG_PASSWORD/);
    const ok = await cli(['vault', 'unlock', '--password', 'long enough pw', ...flags()]);
    expect(JSON.parse(ok.stdout)).toEqual({ state: 'unlocked' });
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => node.once('exit', (code) => resolve(code)));
    node.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
