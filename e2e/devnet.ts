// Reads the e2e devnet's state (written by global-setup) so tests know each trader's UI link.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DevnetState } from '../src-main/devnet/layout.ts';

export function devnetState(): DevnetState {
  const file = process.env.HASHLOCK_E2E_STATE ?? readFileSync(path.join(os.tmpdir(), 'hashlock-e2e-state-path'), 'utf8');
  return JSON.parse(readFileSync(file, 'utf8')) as DevnetState;
}

export function traderUrl(name: string): string {
  const node = devnetState().nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no devnet node ${name}`);
  return `${node.url}/#token=${node.token}`;
}

export function screenshotPath(name: string): string {
  return path.join('test-results', 'screenshots', `${name}.png`);
}
