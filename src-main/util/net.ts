// Small process-level helpers shared by daemons, tests and the devnet: find a free loopback
// port, and poll until something becomes true (a daemon answers, a file appears).
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it; bind soon to keep it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the OS gave no port'))));
    });
  });
}

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
  readonly lastError: unknown;
  constructor(message: string, lastError: unknown) {
    super(message);
    this.lastError = lastError;
  }
}

export interface WaitForOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Words for the timeout message: "timed out after 5000 ms waiting for <what>". */
  what: string;
  /** Stop early: when it returns a reason, waitFor rejects with that reason as the message. */
  abortIf?: () => string | undefined;
}

/**
 * Call `fn` until it returns something other than undefined/null/false, and resolve with it.
 * A throw from `fn` counts as "not yet"; the last one is reported if time runs out.
 */
export async function waitFor<T>(
  fn: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  opts: WaitForOptions,
): Promise<T> {
  const interval = opts.intervalMs ?? 100;
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const reason = opts.abortIf?.();
    if (reason !== undefined) throw new Error(reason);
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const suffix = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new WaitTimeoutError(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${suffix}`, lastError);
    }
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
