// A test-only entry for a node process: what `bin/hashlock node` does, plus the test hooks no
// production code reads (a SIGKILL at a named swap-engine step, an RPC error injected once at a
// named step). node-proc.ts starts it when a test asks for a hook; the product never ships it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiError } from '../../src-shared/api/errors.ts';
import { startNode } from '../../src-main/core/node.ts';
import { createLogger } from '../../src-main/kernel/log.ts';

/** The hooks a test can ask of a node; passed as JSON in `--hooks`. */
export interface TestHooks {
  /** The swap-engine step at which the node SIGKILLs itself (see SwapEngineDeps.crashAt). */
  crashAt?: string;
  /** The step at which the engine meets a wallet RPC error, once per process (e.g. after-fund-send). */
  rpcErrorAt?: string;
}

/** The engine's step hook for these test hooks. */
export function stepHook(h: TestHooks): ((point: string) => void) | undefined {
  if (!h.crashAt && !h.rpcErrorAt) return undefined;
  let failed = false;
  return (point) => {
    if (point === h.crashAt) process.kill(process.pid, 'SIGKILL');
    if (point === h.rpcErrorAt && !failed) {
      failed = true;
      throw new ApiError('WALLET_RPC_ERROR', `test hook: the daemon refused the call after ${point}`);
    }
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      'password-file': { type: 'string' },
      role: { type: 'string', default: 'trader' },
      hooks: { type: 'string', default: '{}' },
    },
  });
  const dataDir = values['data-dir'];
  if (!dataDir) throw new Error('--data-dir is required');
  const role = values.role === 'servicenode' ? 'servicenode' : 'trader';
  const password = values['password-file']
    ? readFileSync(values['password-file'], 'utf8').replace(/\r?\n$/, '')
    : undefined;
  const hook = stepHook(JSON.parse(values.hooks) as TestHooks);
  const node = await startNode({
    dataDir,
    log: createLogger(role === 'servicenode' ? 'servicenode' : 'node'),
    serveApi: true,
    password,
    ...(role === 'servicenode' ? { role } : {}),
    ...(hook ? { crashAt: hook } : {}),
  });
  console.log(`Hashlock test ${role} ${node.peerId} at ${node.api?.url}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await node.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
}
