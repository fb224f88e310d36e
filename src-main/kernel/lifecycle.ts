// One start/stop lifecycle for every long-lived part of the node (js-libp2p's Startable): parts
// start in the order given, each awaited; stop runs in reverse, also awaited, and one part's
// failure to stop never keeps the others running.
import type { Logger } from './log.ts';

export interface Startable {
  start?(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

export interface Lifecycle {
  /** Starts `part` now and remembers it, so stop() stops it (last started, first stopped). */
  start<T extends Startable>(name: string, part: T): Promise<T>;
  /** Remembers a stop step without a start (a store to close, a subscription to end). */
  onStop(name: string, stop: () => void | Promise<void>): void;
  /** Stops everything started so far, in reverse; safe to call twice. */
  stop(): Promise<void>;
}

export function createLifecycle(log: Logger): Lifecycle {
  const started: Array<{ name: string; stop: () => void | Promise<void> }> = [];
  return {
    async start(name, part) {
      await part.start?.();
      if (part.stop) started.push({ name, stop: () => part.stop!() });
      return part;
    },
    onStop(name, stop) {
      started.push({ name, stop });
    },
    async stop() {
      while (started.length > 0) {
        const { name, stop } = started.pop()!;
        try {
          await stop();
        } catch (err) {
          log.warn('a part failed to stop', { part: name, error: err instanceof Error ? err.message : String(err) });
        }
      }
    },
  };
}
