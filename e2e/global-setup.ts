// Starts a fresh devnet in its own folder and port range for the e2e run and stops it after.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeExpiringRequest } from './expiring-request.ts';

// Another worktree's run on the same machine picks its own range (HASHLOCK_E2E_BASE_PORT=31500 ...).
export const E2E_BASE_PORT = process.env.HASHLOCK_E2E_BASE_PORT ?? '29500';

export default async function globalSetup(): Promise<() => void> {
  // Specs that start their own nodes (node-dashboard.spec.ts) can run without the devnet.
  if (process.env.HASHLOCK_E2E_NO_DEVNET === '1') return () => undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hashlock-e2e-devnet-'));
  const cli = path.resolve('bin/hashlock');
  const args = ['--dir', dir, '--base-port', E2E_BASE_PORT, '--block-interval', '1000'];
  execFileSync(cli, ['devnet', 'up', '--fresh', ...args], { stdio: 'inherit', timeout: 660_000 });
  const state = path.join(dir, 'state.json');
  process.env.HASHLOCK_E2E_STATE = state;
  writeFileSync(path.join(os.tmpdir(), 'hashlock-e2e-state-path'), state);
  const down = () => execFileSync(cli, ['devnet', 'down', ...args], { stdio: 'inherit', timeout: 120_000 });
  try {
    await makeExpiringRequest(state);
  } catch (err) {
    down();
    throw err;
  }
  return () => void down();
}
