// Reads the e2e devnet's state (written by global-setup) so tests know each trader's UI link;
// stops a trader's node as a crash would and starts it again the way the devnet does.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DevnetState } from '../src-main/devnet/layout.ts';

export function stateFile(): string {
  return process.env.HASHLOCK_E2E_STATE ?? readFileSync(path.join(os.tmpdir(), 'hashlock-e2e-state-path'), 'utf8');
}

export function devnetState(): DevnetState {
  return JSON.parse(readFileSync(stateFile(), 'utf8')) as DevnetState;
}

export function traderUrl(name: string): string {
  const node = devnetState().nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no devnet node ${name}`);
  return `${node.url}/#token=${node.token}`;
}

export function screenshotPath(name: string): string {
  return path.join('test-results', 'screenshots', `${name}.png`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function until(done: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGKILL a devnet node's process, as a crash or a pulled plug would stop it. */
export async function killNode(name: string): Promise<void> {
  const node = devnetState().nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no devnet node ${name}`);
  process.kill(node.pid, 'SIGKILL');
  await until(() => !isAlive(node.pid), `${name} (pid ${node.pid}) to exit`, 10_000);
}

export function nodeAlive(name: string): boolean {
  const node = devnetState().nodes.find((n) => n.name === name);
  return node !== undefined && isAlive(node.pid);
}

/**
 * Starts a stopped devnet node again as `bin/hashlock node --data-dir <its dir>`, detached, logging
 * to its node.log, and records the new pid in state.json: `hashlock devnet down` (global teardown)
 * reaps the pids it finds there, so nothing outlives the run.
 */
export async function restartNode(name: string): Promise<void> {
  const state = devnetState();
  const node = state.nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no devnet node ${name}`);
  if (isAlive(node.pid)) return;
  const dataDir = path.join(path.dirname(stateFile()), 'nodes', name);
  const log = openSync(path.join(dataDir, 'node.log'), 'a');
  const child = spawn(path.resolve('bin/hashlock'), ['node', '--data-dir', dataDir], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, HASHLOCK_LOG: 'info' },
  });
  closeSync(log);
  child.unref();
  node.pid = child.pid!;
  writeFileSync(stateFile(), JSON.stringify(state, null, 2));
  await until(
    async () => {
      if (!isAlive(node.pid)) throw new Error(`${name} exited on restart; see ${path.join(dataDir, 'node.log')}`);
      try {
        const res = await fetch(`${node.url}/rpc`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${node.token}` },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'node.info', params: {} }),
        });
        return res.ok;
      } catch {
        return false;
      }
    },
    `${name} to answer again`,
    60_000,
  );
}
