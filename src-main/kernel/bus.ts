// The node's internal event bus: facts one domain tells others (a swap ended, a trade was
// recorded, coins were reserved). It is not the client event bus (src-main/api/events.ts), which
// carries contract events to windows and bots.
//
// Each domain declares its facts next to its own code by augmenting `InternalEvents`:
//
//   declare module '../kernel/bus.ts' {
//     interface InternalEvents { 'swap.ended': { swapId: string; outcome: 'completed' | 'refunded' } }
//   }
//
// so `bus.on('swap.ended', (e) => e.swapId)` is typed without a cast and without a central list.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by domains through declaration merging
export interface InternalEvents {}

export type InternalEventName = keyof InternalEvents;

export interface InternalBus {
  emit<E extends InternalEventName>(event: E, data: InternalEvents[E]): void;
  /** Listens for one fact; returns the function that stops listening. */
  on<E extends InternalEventName>(event: E, listener: (data: InternalEvents[E]) => void): () => void;
}

/**
 * Listeners run synchronously in the order they were added; one that throws is reported to
 * `onListenerError` and the others still run. A listener that needs I/O starts it and returns.
 */
export function createInternalBus(onListenerError: (err: unknown, event: string) => void = () => {}): InternalBus {
  const listeners = new Map<string, Set<(data: never) => void>>();
  return {
    emit(event, data) {
      for (const l of [...(listeners.get(event) ?? [])]) {
        try {
          (l as (d: typeof data) => void)(data);
        } catch (err) {
          onListenerError(err, event);
        }
      }
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (data: never) => void);
      return () => set.delete(listener as (data: never) => void);
    },
  };
}
