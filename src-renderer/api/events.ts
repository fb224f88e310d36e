// The one path from pushed node events to the screen. Each feature registers handlers for the
// events it cares about (FeatureEvents); the dispatcher hands every event to them in registry
// order, then to components listening for it (notices). Handlers of bursty events collect them
// and ask for a flush: every feature flushes together once per animation frame, in one batch.
import { hashKey, notifyManager, type QueryClient, type QueryKey } from '@tanstack/react-query';
import type { EventName, EventPayload, PushedEvent } from '../../src-shared/api/contract.ts';

/** What a feature does with each event it cares about; the payload's type follows the event's name. */
export type EventHandlers = { readonly [E in EventName]?: (data: EventPayload<E>) => void };

export interface FeatureEvents {
  readonly on: EventHandlers;
  /** Applies what the handlers collected; true when something must wait for a later frame. */
  flush?(): boolean;
}

export interface EventContext {
  readonly qc: QueryClient;
  /** Asks for one flush of every feature on the next frame (many asks, one flush). */
  requestFlush(): void;
  /**
   * Refetches what is under `key` unless a fetch of it is running or it was refetched less than
   * `intervalMs` ago; returns whether it did.
   */
  refetchThrottled(key: QueryKey, intervalMs: number): boolean;
}

/** A feature's event handling, built once per query client. */
export type FeatureEventsFactory = (ctx: EventContext) => FeatureEvents;

export interface EventDispatcher {
  /** An event from the node (or a command's answer that carries the same fact). */
  dispatch(e: PushedEvent): void;
  /**
   * Components' handlers, read at each event and called after the features' handlers have seen
   * it (a notice reads the cache as the event left it); returns the unsubscribe.
   */
  listen(handlers: () => EventHandlers): () => void;
  /** Applies everything collected now (tests; the scheduler calls it otherwise). */
  flush(): void;
}

export interface DispatcherOptions {
  /** Runs the flush later (default: next animation frame, or 100 ms when frames are paused). */
  schedule?: (run: () => void) => void;
  now?: () => number;
}

export function frameOrTimeout(run: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    run();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(once);
  setTimeout(once, 100);
}

// Generic in the event's name, so the handler and the payload are known to match: no casts.
function deliver<E extends EventName>(handlers: EventHandlers, e: PushedEvent<E>): void {
  handlers[e.event]?.(e.data);
}

export function createEventDispatcher(
  qc: QueryClient,
  features: readonly FeatureEventsFactory[],
  opts: DispatcherOptions = {},
): EventDispatcher {
  const schedule = opts.schedule ?? frameOrTimeout;
  const now = opts.now ?? (() => Date.now());
  const lastFetch = new Map<string, number>();
  const listeners = new Set<() => EventHandlers>();
  let scheduled = false;

  const requestFlush = () => {
    if (scheduled) return;
    scheduled = true;
    schedule(() => {
      scheduled = false;
      flush();
    });
  };

  const refetchThrottled = (key: QueryKey, intervalMs: number): boolean => {
    const id = hashKey(key);
    const t = now();
    if (t - (lastFetch.get(id) ?? -Infinity) < intervalMs) return false;
    if (qc.isFetching({ queryKey: key }) > 0) return false;
    lastFetch.set(id, t);
    void qc.invalidateQueries({ queryKey: key });
    return true;
  };

  const built = features.map((make) => make({ qc, requestFlush, refetchThrottled }));

  function flush(): void {
    let again = false;
    notifyManager.batch(() => {
      for (const f of built) if (f.flush?.()) again = true;
    });
    // Whatever had to wait for a running fetch or an interval is tried again next frame.
    if (again) requestFlush();
  }

  return {
    dispatch(e) {
      for (const f of built) deliver(f.on, e);
      for (const l of [...listeners]) deliver(l(), e);
    },
    listen(handlers) {
      listeners.add(handlers);
      return () => {
        listeners.delete(handlers);
      };
    },
    flush,
  };
}

/** Remembers the last `cap` ids seen, so an event delivered twice is applied once. */
export function recentIds(cap: number): { firstTime(id: string): boolean } {
  const seen = new Set<string>();
  return {
    firstTime(id) {
      if (seen.has(id)) return false;
      seen.add(id);
      if (seen.size > cap) {
        const oldest = seen.values().next();
        if (!oldest.done) seen.delete(oldest.value);
      }
      return true;
    },
  };
}
