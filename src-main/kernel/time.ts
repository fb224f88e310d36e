// Waiting: a sleep that never keeps the process alive, and a poll until something holds.
import { CodedError } from '../../src-shared/errors.ts';

/** Resolves after `ms`; the timer does not keep the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref?.();
  });
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
      throw new CodedError('WAIT_TIMEOUT', `timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${suffix}`, {
        lastError,
      });
    }
    await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, deadline - Date.now()))));
  }
}
